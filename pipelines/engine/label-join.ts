import { relative } from 'node:path';
import { projectLabelLogPath, readLabelSnapshot, resolvedHash } from '../../labelling/project-task.ts';
import { indicatorColumn, type LabelJoin } from '../../portfolio/project-file/data-spec.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import type { Row } from '../collect/typed-rows.ts';
import type { RunRecord } from '../runs/run-record.ts';

/** The labels a join reads: the snapshot's content hash and one label per item. */
export interface JoinLabels {
  join: LabelJoin;
  snapshot: string;
  /**
   * sha256 of the resolved labels: the snapshot hashes every annotator's current label, and the
   * resolution rule (a repeat is not a vote) can change an item's label under the same snapshot.
   */
  resolvedSha256: string;
  /** The log, relative to the portfolio root. */
  log: string;
  labels: Record<string, string>;
  byAnnotator: number;
  byLabellingFunction: number;
}

/** Reads the label log of `join.task` and resolves it into one label per item (see `readLabelSnapshot`). */
export function readJoinLabels(workspace: Workspace, slug: string, join: LabelJoin): JoinLabels {
  const path = projectLabelLogPath(workspace, slug, join.task);
  const snapshot = readLabelSnapshot(path);
  const labels: Record<string, string> = {};
  let byAnnotator = 0;
  for (const [item, resolved] of snapshot.resolved) {
    labels[item] = resolved.label;
    if (resolved.by === 'annotator') byAnnotator++;
  }
  return {
    join,
    snapshot: snapshot.id,
    resolvedSha256: resolvedHash(snapshot),
    log: relative(workspace.root, path),
    labels,
    byAnnotator,
    byLabellingFunction: snapshot.resolved.size - byAnnotator,
  };
}

/**
 * Adds each join's column to the rows: the label of the item named by the row's key, or the join's
 * default for an item with no label (counted, with examples, in the returned lineage); and the
 * join's indicator columns, 1 where that column holds the indicated class.
 */
export function joinLabelColumns(
  rows: readonly Row[],
  joins: readonly JoinLabels[],
): { rows: Row[]; lineage: NonNullable<RunRecord['labels']> } {
  if (joins.length === 0) return { rows: [...rows], lineage: [] };
  const missing = joins.map(() => new Map<string, number>());
  const items = joins.map(() => new Set<string>());
  const out = rows.map((row) => {
    const joined: Row = { ...row };
    joins.forEach(({ join, labels }, j) => {
      const key = row[join.key];
      const item = key === null || key === undefined ? '' : String(key);
      items[j]!.add(item);
      const label = labels[item];
      if (label === undefined) missing[j]!.set(item, (missing[j]!.get(item) ?? 0) + 1);
      joined[join.column] = label ?? join.default;
      for (const indicated of join.indicators ?? [])
        joined[indicatorColumn(join, indicated)] = joined[join.column] === indicated ? 1 : 0;
    });
    return joined;
  });
  const lineage = joins.map((j, index) => {
    const unlabelled = [...missing[index]!].sort((a, b) => b[1] - a[1]);
    return {
      task: j.join.task,
      column: j.join.column,
      key: j.join.key,
      snapshot: j.snapshot,
      resolvedSha256: j.resolvedSha256,
      log: j.log,
      items: items[index]!.size,
      labelled: items[index]!.size - unlabelled.length,
      byAnnotator: j.byAnnotator,
      byLabellingFunction: j.byLabellingFunction,
      unlabelled: {
        items: unlabelled.length,
        rows: unlabelled.reduce((sum, [, n]) => sum + n, 0),
        default: j.join.default,
        examples: unlabelled.slice(0, 10).map(([item]) => item),
      },
    };
  });
  return { rows: out, lineage };
}
