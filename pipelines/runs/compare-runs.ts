import { MlfolioError } from '../../portfolio/errors.ts';
import { stableStringify } from '../../portfolio/hash.ts';
import type { Estimate, RunRecord } from './run-record.ts';

/**
 * Finds a run by id, unique id prefix, `latest` or `previous`. Throws naming the project and the
 * runs recorded when none or several match.
 */
export function resolveRunId(project: string, ids: readonly string[], wanted: string): string {
  if (wanted === 'latest' && ids.length) return ids.at(-1)!;
  if (wanted === 'previous' && ids.length > 1) return ids.at(-2)!;
  const matches = ids.filter((id) => id === wanted || id.startsWith(wanted) || id.endsWith(wanted));
  if (matches.length === 1) return matches[0]!;
  throw new MlfolioError({
    code: matches.length ? 'E_RUN_AMBIGUOUS' : 'E_RUN_UNKNOWN',
    message: matches.length
      ? `Project "${project}": "${wanted}" matches ${matches.length} runs (${matches.join(', ')}).`
      : `Project "${project}" has no run "${wanted}". Runs: ${ids.length ? ids.join(', ') : 'none yet'}.`,
    hint: 'Give more of the run id, or use `latest` / `previous`. List runs with `mlfolio runs <project>`.',
    exitCode: 2,
  });
}

/** One line per run, oldest first: id, best model and its primary metric with interval, and what changed. */
export function runsTable(records: readonly RunRecord[]): string[][] {
  const header = ['run', 'created', 'best', 'metric', 'interval', 'models', 'stages rerun', 'total'];
  return [
    header,
    ...records.map((run) => {
      const best = run.models.find((m) => m.id === run.best);
      const metric = run.task.primaryMetric;
      const estimate = best?.metrics[metric];
      const rerun = run.stages.filter((s) => !s.cached).length;
      return [
        run.runId,
        run.createdAt.slice(0, 19).replace('T', ' '),
        run.best,
        estimate ? `${metric} ${estimate.value.toFixed(4)}` : '—',
        estimate ? formatInterval(estimate) : '—',
        String(run.models.length),
        `${rerun}/${run.stages.length}`,
        `${(run.timings.totalMs / 1000).toFixed(1)} s`,
      ];
    }),
  ];
}

/**
 * Two runs side by side: what went in (data, project file, seed, versions, parameters), which
 * stages differ, and every model's metrics with intervals and the change.
 */
export function compareRunsTable(a: RunRecord, b: RunRecord): string[][] {
  const rows: string[][] = [['', a.runId, b.runId, 'change']];
  const same = (x: unknown, y: unknown) => stableStringify(x) === stableStringify(y);
  const add = (label: string, x: string, y: string, change = x === y ? 'same' : 'changed') =>
    rows.push([label, x, y, change]);
  add('dataset sha256', a.inputs.dataset.sha256.slice(0, 12), b.inputs.dataset.sha256.slice(0, 12));
  add('project file', a.inputs.projectFileSha256.slice(0, 12), b.inputs.projectFileSha256.slice(0, 12));
  add('seed', String(a.seed), String(b.seed));
  for (const key of union(Object.keys(a.versions), Object.keys(b.versions))) {
    add(`version ${key}`, a.versions[key] ?? '—', b.versions[key] ?? '—');
  }
  add('train seasons', a.split.train.seasons.join(' '), b.split.train.seasons.join(' '));
  add('test seasons', a.split.test.seasons.join(' '), b.split.test.seasons.join(' '));
  const stageNames = union(
    a.stages.map((s) => s.name),
    b.stages.map((s) => s.name),
  );
  const changed = stageNames.filter(
    (name) => a.stages.find((s) => s.name === name)?.key !== b.stages.find((s) => s.name === name)?.key,
  );
  add(
    'stages with new inputs',
    '',
    changed.length ? changed.join(', ') : 'none',
    changed.length ? 'changed' : 'same',
  );
  for (const id of union(
    a.models.map((m) => m.id),
    b.models.map((m) => m.id),
  )) {
    const ma = a.models.find((m) => m.id === id);
    const mb = b.models.find((m) => m.id === id);
    if (!same(ma?.params, mb?.params)) {
      add(`${id} params`, JSON.stringify(ma?.params ?? '—'), JSON.stringify(mb?.params ?? '—'));
    }
    for (const metric of union(Object.keys(ma?.metrics ?? {}), Object.keys(mb?.metrics ?? {}))) {
      const x = ma?.metrics[metric];
      const y = mb?.metrics[metric];
      add(
        `${id} ${metric}`,
        x ? `${x.value.toFixed(4)} ${formatInterval(x)}` : '—',
        y ? `${y.value.toFixed(4)} ${formatInterval(y)}` : '—',
        x && y ? signed(y.value - x.value) : 'n/a',
      );
    }
    add(
      `${id} train time`,
      ma ? `${Math.round(ma.timings.trainMs)} ms` : '—',
      mb ? `${Math.round(mb.timings.trainMs)} ms` : '—',
      'measured',
    );
  }
  if (a.impact || b.impact) {
    add('impact', a.impact?.headline ?? '—', b.impact?.headline ?? '—');
  }
  return rows;
}

/** Lays out rows as aligned columns (cells longer than `maxWidth` are cut with an ellipsis). */
export function formatTable(rows: readonly (readonly string[])[], maxWidth = 60): string {
  const cut = (cell: string) => (cell.length > maxWidth ? `${cell.slice(0, maxWidth - 1)}…` : cell);
  const cells = rows.map((row) => row.map(cut));
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function formatInterval(estimate: Estimate): string {
  return estimate.lower === undefined || estimate.upper === undefined
    ? ''
    : `[${estimate.lower.toFixed(4)}, ${estimate.upper.toFixed(4)}]`;
}

function signed(value: number): string {
  return value === 0 ? '0' : `${value > 0 ? '+' : '−'}${Math.abs(value).toFixed(4)}`;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
