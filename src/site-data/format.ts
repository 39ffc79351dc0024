import { placeholderLines } from '../../learning/audit/mdx-sections.ts';
import type { MetricName } from '../../pipelines/evaluation/metrics.ts';
import { metricInfo } from '../../pipelines/evaluation/metrics.ts';
import type { Estimate } from '../../pipelines/runs/run-record.ts';
import { type TaskMetricId, taskMetrics } from '../../pipelines/tasks/metrics.ts';

/**
 * `text` if the builder has written it, undefined while it still holds a template's TODO
 * placeholder (the audit's rule), so the site never publishes a scaffold's instructions as prose.
 */
export function written(text: string): string | undefined {
  return placeholderLines(text).length ? undefined : text;
}

export function metricLabel(name: string): string {
  return metricInfo[name as MetricName]?.label ?? taskMetrics[name as TaskMetricId]?.label ?? name;
}

export function higherIsBetter(name: string): boolean {
  return (
    metricInfo[name as MetricName]?.higherIsBetter ?? taskMetrics[name as TaskMetricId]?.better === 'higher'
  );
}

const percentMetrics = new Set(['accuracy', 'coverage_80', 'coverage_95']);

/** Accuracy and coverage as percentages, everything else with four decimals. */
export function formatValue(name: string, value: number): string {
  return percentMetrics.has(name) ? `${(value * 100).toFixed(1)}%` : value.toFixed(4);
}

export function formatInterval(name: string, estimate: Estimate): string {
  if (estimate.lower === undefined || estimate.upper === undefined) return '';
  return `${formatValue(name, estimate.lower)} – ${formatValue(name, estimate.upper)}`;
}

export function formatMs(ms: number): string {
  if (ms < 0.01) return `${(ms * 1000).toPrecision(2)} µs`;
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatBytes(bytes: number): string {
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

export const integer = (value: number) => value.toLocaleString('en-GB');

/** A share (0–1) as a percentage with one decimal. */
export const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** A signed difference in a metric's own format: "+0.0012", "−1.3 pp" for accuracy. */
export function formatDifference(name: string, value: number): string {
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  const magnitude = Math.abs(value);
  return percentMetrics.has(name)
    ? `${sign}${(magnitude * 100).toFixed(1)} pp`
    : `${sign}${magnitude.toFixed(4)}`;
}

/** A value in a decision's own unit, signed when asked ("+12.3 points"). */
export function formatAmount(value: number, unit: string, signed = false): string {
  // Counts (points, matches) print whole; averages keep one decimal below 100.
  const digits = Math.abs(value) >= 100 || Math.abs(value - Math.round(value)) < 1e-6 ? 0 : 1;
  const text = Math.abs(value).toLocaleString('en-GB', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
  const sign = value < 0 ? '−' : signed && value > 0 ? '+' : '';
  return `${sign}${text} ${unit}`;
}

export const plural = (count: number, one: string, many = `${one}s`) =>
  `${integer(count)} ${count === 1 ? one : many}`;

const classNames: Record<string, string> = { H: 'Home win', D: 'Draw', A: 'Away win' };

/** A readable name for an outcome class code. */
export const className = (code: string) => classNames[code] ?? code;

/**
 * A list of seasons as the card shows it: each season when there are a few, else the first and
 * last with the count ("1872 to 2022, 151 seasons"), so a long history does not fill the page.
 */
export function seasonSpan(seasons: readonly string[]): string {
  if (seasons.length <= 6) return seasons.join(', ');
  return `${seasons[0]} to ${seasons.at(-1)}, ${integer(seasons.length)} seasons`;
}

/** A profiled number at the precision a card needs: integers as integers, others to 3 significant digits. */
export function compactNumber(value: number): string {
  if (Number.isInteger(value)) return integer(value);
  return Math.abs(value) >= 1000 ? integer(Math.round(value)) : String(Number(value.toPrecision(3)));
}
