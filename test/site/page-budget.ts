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
   * JavaScript on a version 2 (declared) demo page, uncompressed: 38.7 KiB measured (39,661 bytes,
   * 13.4 KiB gzipped; mlb-team-wins, `mlfolio publish`, Astro 7). The 16 KiB above is out of reach
   * while formulas are parsed with vega-expression, about 23 KB of it; the forecasts of every model
   * kind, the feature store's serving code and the page's own code make the other 16 KB.
   */
  maxDeclaredDemoScriptBytes: 40 * 1024,
} as const;
