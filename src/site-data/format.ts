import { metricInfo } from '../../pipelines/evaluation/metrics.ts';
import type { Estimate } from '../../pipelines/runs/run-record.ts';
import type { MetricName } from '../../portfolio/project-spec.ts';

export function metricLabel(name: string): string {
  return metricInfo[name as MetricName]?.label ?? name;
}

export function higherIsBetter(name: string): boolean {
  return metricInfo[name as MetricName]?.higherIsBetter ?? false;
}

/** Accuracy as a percentage, losses with four decimals. */
export function formatValue(name: string, value: number): string {
  return name === 'accuracy' ? `${(value * 100).toFixed(1)}%` : value.toFixed(4);
}

export function formatInterval(name: string, estimate: Estimate): string {
  if (estimate.lower === undefined || estimate.upper === undefined) return '';
  return `${formatValue(name, estimate.lower)} – ${formatValue(name, estimate.upper)}`;
}

export function formatMs(ms: number): string {
  if (ms < 0.01) return `${(ms * 1000).toFixed(2)} µs`;
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
