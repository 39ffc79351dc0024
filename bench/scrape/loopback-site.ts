import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A synthetic stats site on 127.0.0.1 for benchmarks: `pages` pages, each a ~5 KB HTML page with
 * a 20-row stats table and links to up to `fanOut` child pages and two pages elsewhere, so a
 * crawler must discover every page by following links and deduplicate what it has seen.
 * Records the time of every request, per path prefix, for rate measurements.
 */
export async function startLoopbackSite(options: {
  pages: number;
  fanOut?: number;
  robots?: string;
}): Promise<{ origin: string; requestTimes: number[]; close(): Promise<void> }> {
  const fanOut = options.fanOut ?? 5;
  const requestTimes: number[] = [];
  const server: Server = createServer((request, response) => {
    requestTimes.push(performance.now());
    const path = request.url ?? '/';
    if (path === '/robots.txt') {
      if (options.robots) response.writeHead(200, { 'content-type': 'text/plain' }).end(options.robots);
      else response.writeHead(404).end();
      return;
    }
    const match = /^\/page\/(\d+)$/.exec(path);
    const n = match ? Number(match[1]) : -1;
    if (n < 0 || n >= options.pages) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(pageHtml(n, options.pages, fanOut));
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requestTimes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function pageHtml(n: number, pages: number, fanOut: number): string {
  const children = Array.from({ length: fanOut }, (_, i) => n * fanOut + i + 1).filter((c) => c < pages);
  const elsewhere = [(n * 7919) % pages, (n * 104729 + 13) % pages];
  const links = [...children, ...elsewhere]
    .map((c) => `<li><a href="/page/${c}">Page ${c}</a></li>`)
    .join('');
  const rows = Array.from(
    { length: 20 },
    (_, r) =>
      `<tr><th scope="row">${r + 1}</th><td><a href="/players/p${n}_${r}.html">Player ${n}-${r}</a></td><td>${(n * 31 + r * 17) % 100}</td><td>${((n + r) % 1000) / 10}%</td><td>${1000 + n + r}</td></tr>`,
  ).join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Page ${n}</title></head><body>
<h1>Page ${n}</h1><ul>${links}</ul>
<table id="stats"><thead><tr><th>Rk</th><th>Player</th><th>G</th><th>Pct</th><th>Pts</th></tr></thead><tbody>${rows}</tbody></table>
</body></html>`;
}
