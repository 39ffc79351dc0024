import type { LabelRecord } from './label-log.ts';

/** One current label per line, as the log stores it. */
export function labelsToJsonl(labels: readonly LabelRecord[]): string {
  let out = '';
  for (const label of labels) out += `${JSON.stringify(label)}\n`;
  return out;
}

export const csvColumns = [
  'item',
  'label',
  'annotator',
  'at',
  'time_ms',
  'guideline_version',
  'round',
  'suggestion',
  'suggestion_confidence',
  'suggestion_source',
] as const;

/** One current label per row (RFC 4180 quoting); a multi-label value is its classes joined by `|`. */
export function labelsToCsv(labels: readonly LabelRecord[]): string {
  const parts: string[] = [`${csvColumns.join(',')}\n`];
  for (const l of labels) {
    parts.push(
      `${cell(l.item)},${cell(labelText(l.label))},${cell(l.annotator)},${l.at},${l.timeMs},${cell(l.guidelineVersion)},${l.round},${
        l.suggestion
          ? `${cell(labelText(l.suggestion.label))},${l.suggestion.confidence},${cell(l.suggestion.source)}`
          : ',,'
      }\n`,
    );
  }
  return parts.join('');
}

// Quoted only when needed, so ids and classes read plainly; a formula-like cell is not defused,
// since the file is data for programs, not a spreadsheet.
function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function labelText(label: string | string[]): string {
  return Array.isArray(label) ? label.join('|') : label;
}
