/**
 * Where the site build process puts its render threads (src/site-data/render-threads.ts): a
 * global, since the pages run from Astro's bundle, which has its own copies of mlfolio's modules.
 */
export const renderThreadsKey = Symbol.for('mlfolio.renderThreads');
