/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` are escaped so no string
 * in the data (a team named `</script><script>…`) can close the block or open markup.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
