/** A cell's text as a value: numbers with thousands separators, percentages, currency, blanks. */
export type CellValue = string | number | null;

const minus = /^[\u2212\u2013-]/;

/**
 * Reads a table cell's display text as a value, the way a person reads it:
 * - `""` → `null` (a blank cell is missing, never zero);
 * - `"1,234"`, `"-9.5"`, `"−3"` (U+2212), `".254"`, `"$8,100,000"` → numbers;
 * - `"10.1%"` → `0.101` (a fraction, so percentages and rates share one scale);
 * - anything else stays text.
 */
export function parseCellValue(text: string): CellValue {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const match = /^([\u2212\u2013+-]?)\$?(\d{1,3}(?:,\d{3})+|\d*)(\.\d+)?(%?)$/.exec(trimmed);
  if (!match || (match[2] === '' && !match[3])) return trimmed;
  const [, sign = '', whole = '', fraction = '', percent] = match;
  const value = Number(`${whole.replaceAll(',', '') || '0'}${fraction}`);
  const signed = minus.test(sign) ? -value : value;
  return percent ? roundFraction(signed / 100, fraction.length + 1) : signed;
}

// 10.1 / 100 is 0.10099999999999999 in binary floating point; round to the digits the page showed.
function roundFraction(value: number, decimals: number): number {
  return Number(value.toFixed(decimals + 1));
}

/** Normalises display text: non-breaking and other Unicode spaces to one plain space, trimmed. */
export function cleanText(text: string): string {
  return text.replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000\s]+/g, ' ').trim();
}
