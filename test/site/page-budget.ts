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
  /**
   * JavaScript on a demo page, uncompressed; every other page ships none. 17.2 KiB measured
   * (17,628 bytes, 6.7 KiB gzipped; `mlfolio publish`, Astro 7): the forecasts of every model kind
   * (nine, of five tasks), the feature store's serving code and the formula subset's parser and
   * evaluator. The retired version 1 demo, for one model family, kept to 16 KiB; 18 KiB leaves
   * room for a small fix, not for a library.
   */
  maxDemoScriptBytes: 18 * 1024,
} as const;
