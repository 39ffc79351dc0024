/**
 * The page-weight budget: what a page may cost a reader on a slow phone. Weights count the HTML
 * (inline CSS and SVG charts included) plus every script, stylesheet and image it loads, except
 * the social preview, which only link unfurlers fetch. Gzip is what the wire carries.
 */
export const pageBudget = {
  /** Any page, uncompressed. */
  maxBytes: 128 * 1024,
  /** Any page, gzipped. */
  maxGzipBytes: 32 * 1024,
  /** JavaScript on the demo page, uncompressed; every other page ships none. */
  maxDemoScriptBytes: 16 * 1024,
  /**
   * JavaScript on a version 2 (declared) demo page, uncompressed: 17.2 KiB measured (17,628 bytes,
   * 6.7 KiB gzipped; mlb-team-wins, `mlfolio publish`, Astro 7). Over the version 1 demo's 16 KiB
   * because it carries the forecasts of every model kind (nine, of five tasks), the feature store's
   * serving code and the formula subset's parser and evaluator, where the version 1 demo carries
   * one model family; 18 KiB leaves room for a small fix, not for a library.
   */
  maxDeclaredDemoScriptBytes: 18 * 1024,
} as const;
