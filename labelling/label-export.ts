import { stringify } from 'csv-stringify/sync';
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

/** One current label per row; a multi-label value is its classes joined by `|`. */
export function labelsToCsv(labels: readonly LabelRecord[]): string {
  const rows = labels.map((l) => [
    l.item,
    labelText(l.label),
    l.annotator,
    l.at,
    l.timeMs,
    l.guidelineVersion,
    l.round,
    l.suggestion ? labelText(l.suggestion.label) : '',
    l.suggestion?.confidence ?? '',
    l.suggestion?.source ?? '',
  ]);
  return stringify([csvColumns as readonly string[], ...rows]);
}

function labelText(label: string | string[]): string {
  return Array.isArray(label) ? label.join('|') : label;
}
