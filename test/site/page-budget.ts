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
} as const;
