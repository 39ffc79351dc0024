import { startLoopbackSite } from '/work/wt/scrapers/bench/scrape/loopback-site.ts';
const site = await startLoopbackSite({ pages: 3000 });
console.log(site.origin);
setTimeout(() => site.close(), 120_000);
