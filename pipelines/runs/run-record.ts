import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { MlfolioError } from '../../portfolio/errors.ts';
import { pathExists } from '../../portfolio/files.ts';
import { parseWith } from '../../portfolio/validate.ts';

/**
 * The record of one pipeline run: everything the site, the audit and the server read. Numbers on
 * the site come from here and nowhere else. New optional sections may be added; existing fields
 * keep their meaning (bump `schemaVersion` if one must change).
 */

/** A measured value, with its 95% interval where one was computed. */
export const estimateSchema = z.strictObject({
  value: z.number(),
  lower: z.number().optional(),
  upper: z.number().optional(),
});
export type Estimate = z.output<typeof estimateSchema>;

const calibrationBinSchema = z.strictObject({
  bin: z.number(),
  predicted: z.number(),
  observed: z.number(),
  count: z.number().int(),
});

const timingSchema = z.strictObject({
  trainMs: z.number(),
  /** Latency of one prediction through the serving code path, in microseconds. */
  predictP50Us: z.number(),
  predictP99Us: z.number(),
});

export const modelResultSchema = z.strictObject({
  id: z.string(),
  kind: z.string(),
  label: z.string(),
  baseline: z.boolean(),
  params: z.record(z.string(), z.unknown()),
  /** Test-period metrics, keyed by metric name (rps, log_loss, brier, accuracy). */
  metrics: z.record(z.string(), estimateSchema),
  timings: timingSchema,
  sizeBytes: z.number().int(),
  /** Path of the model artifact, relative to the run directory. */
  artifact: z.string(),
  interpretability: z.enum(['high', 'medium', 'low']),
});
export type ModelResult = z.output<typeof modelResultSchema>;

const periodSchema = z.strictObject({
  seasons: z.array(z.string()),
  rows: z.number().int(),
  from: z.string(),
  to: z.string(),
});

export const stageRecordSchema = z.strictObject({
  name: z.string(),
  key: z.string(),
  cached: z.boolean(),
  durationMs: z.number(),
  /** The stages whose outputs this one read (version 2 records): the graph the diagram draws. */
  needs: z.array(z.string()).optional(),
});

export const runRecordSchema = z.looseObject({
  /** 1: the match-outcome pipeline; 2: the declared engine (any task). Readers handle both. */
  schemaVersion: z.union([z.literal(1), z.literal(2)]),
  runId: z.string(),
  project: z.string(),
  createdAt: z.string(),
  /** Hash of every stage key: equal keys mean an identical run. */
  key: z.string(),
  seed: z.number().int(),
  /** Set when the run used only matches up to this date (a replay of the data as it stood then). */
  dataUntil: z.string().optional(),
  versions: z.record(z.string(), z.string()),
  inputs: z.strictObject({
    /** sha256 of the project file's bytes, for provenance. */
    projectFileSha256: z.string(),
    /**
     * sha256 of the validated, normalised project (see `specHash`): what the run depends on, and
     * what the audit compares. Absent in runs recorded before it existed.
     */
    projectSpecSha256: z.string().optional(),
    dataset: z.strictObject({
      sha256: z.string(),
      source: z.string(),
      transport: z.string(),
      origin: z.array(z.string()),
      licence: z.string(),
      attribution: z.string(),
      collectedAt: z.string(),
      rows: z.number().int(),
      excludedRows: z.number().int(),
      excludedReasons: z.record(z.string(), z.number().int()),
      /** Version 1: the leagues; version 2: the values of the first `sliceBy` column. */
      leagues: z.array(z.string()),
      firstDate: z.string(),
      lastDate: z.string(),
      /** Version 2: the events table, the column `leagues` lists the values of, and the rows the project's `where` keeps out of scope. */
      table: z.string().optional(),
      sliceBy: z.string().optional(),
      scope: z.strictObject({ where: z.string(), rowsOutside: z.number().int() }).optional(),
    }),
    /** Version 2: a profile of each collected table's columns (danfojs), for the data card. */
    profiles: z
      .array(
        z.strictObject({
          table: z.string(),
          rows: z.number().int(),
          method: z.string(),
          columns: z.array(
            z.strictObject({
              name: z.string(),
              type: z.string(),
              missing: z.number().int(),
              distinct: z.number().int(),
              summary: z
                .strictObject({
                  min: z.number(),
                  p25: z.number(),
                  median: z.number(),
                  p75: z.number(),
                  max: z.number(),
                  mean: z.number(),
                  std: z.number(),
                })
                .optional(),
              top: z.array(z.strictObject({ value: z.string(), count: z.number().int() })).optional(),
            }),
          ),
        }),
      )
      .optional(),
  }),
  task: z.strictObject({
    /** The task kind; version 1 records are ordinal (home win, draw, away win). */
    kind: z.enum(['binary', 'multiclass', 'ordinal', 'regression', 'count']).default('ordinal'),
    target: z.string(),
    /** Class labels in order (classification); empty for regression and count. */
    classes: z.array(z.string()),
    features: z.array(z.string()),
    primaryMetric: z.string(),
    metrics: z.array(z.string()),
  }),
  split: z.strictObject({ train: periodSchema, test: periodSchema }),
  /** Outcome shares in the test period, for context (a home-win share of 0.45 is the status quo tip's accuracy). */
  testOutcomeShares: z.array(z.number()),
  models: z.array(modelResultSchema).min(1),
  /** Id of the model with the best primary metric. */
  best: z.string(),
  /** Id of the best baseline, which every candidate is compared against. */
  bestBaseline: z.string(),
  stages: z.array(stageRecordSchema),
  timings: z.strictObject({ totalMs: z.number() }),
  /** Reliability bins of the best model on the test period (one-vs-rest over every class probability). */
  calibration: z.array(calibrationBinSchema).optional(),
  /** Training-period mean of every feature: the reference point of per-prediction contributions. */
  featureReference: z.record(z.string(), z.number()).optional(),

  /** The best non-baseline model: the one explained, and whose tips are valued in `impact`. */
  bestCandidate: z.string().optional(),
  /** The look-ahead check that passed before anything was trained (a failing check stops the run). */
  leakageGuard: z
    .strictObject({
      method: z.string(),
      probes: z.array(z.strictObject({ date: z.string(), rows: z.number().int() })),
      checkedRows: z.number().int(),
      checkedValues: z.number().int(),
    })
    .optional(),
  /** Version 2: the feature views, the online store written beside the record, and the training–serving skew check. */
  featureStore: z
    .strictObject({
      views: z.array(
        z.strictObject({ name: z.string(), kind: z.string(), description: z.string(), ttl: z.string() }),
      ),
      onlineStore: z.string(),
      skewCheck: z.strictObject({
        checkedEvents: z.number().int(),
        checkedValues: z.number().int(),
        mismatches: z.number().int(),
      }),
    })
    .optional(),
  /** Columns filled from labelling tasks: the label snapshot each run read (its content hash), and rows left unlabelled. */
  labels: z
    .array(
      z.strictObject({
        task: z.string(),
        column: z.string(),
        key: z.string(),
        snapshot: z.string(),
        /** sha256 of the one label per item the join read (resolved from the snapshot). */
        resolvedSha256: z.string(),
        log: z.string(),
        items: z.number().int(),
        labelled: z.number().int(),
        byAnnotator: z.number().int(),
        byLabellingFunction: z.number().int(),
        unlabelled: z.strictObject({
          items: z.number().int(),
          rows: z.number().int(),
          default: z.string(),
          examples: z.array(z.string()),
        }),
      }),
    )
    .optional(),
  /** How per-prediction contributions (the demo's and the server's "why") are computed, and their limits. */
  contributionsMethod: z.string().optional(),

  // Sections below are filled by the evaluation, explanation and impact stages as they land.
  /** Each candidate against the best baseline: paired-bootstrap difference of the primary metric. */
  comparisons: z
    .array(
      z.strictObject({
        model: z.string(),
        baseline: z.string(),
        metric: z.string(),
        /** model − baseline; negative is better for loss-type metrics. */
        difference: estimateSchema,
        /** False when the interval contains zero: the data cannot tell the two apart. */
        distinguishable: z.boolean(),
      }),
    )
    .optional(),
  /** Expected calibration error per model id, with its interval. */
  calibrationError: z.record(z.string(), estimateSchema).optional(),
  /** Regression and count: each test row's forecast mean, 80% predictive interval and outcome, per model id. */
  predictedVsActual: z
    .record(
      z.string(),
      z.array(
        z.strictObject({ predicted: z.number(), lower: z.number(), upper: z.number(), actual: z.number() }),
      ),
    )
    .optional(),
  /** Reliability bins per model id. */
  calibrationByModel: z.record(z.string(), z.array(calibrationBinSchema)).optional(),
  /** Confusion matrix per model id: rows are outcomes, columns predicted classes. */
  confusion: z.record(z.string(), z.array(z.array(z.number().int()))).optional(),
  /** Rolling-origin backtest: train on seasons up to N, test on N+1. metrics[modelId][metric]. */
  backtest: z
    .array(
      z.strictObject({
        trainSeasons: z.array(z.string()),
        testSeason: z.string(),
        rows: z.number().int(),
        metrics: z.record(z.string(), z.record(z.string(), z.number())),
      }),
    )
    .optional(),
  /** Test metrics within slices (per league, per season). metrics[modelId][metric]. */
  slices: z
    .array(
      z.strictObject({
        dimension: z.string(),
        value: z.string(),
        rows: z.number().int(),
        metrics: z.record(z.string(), z.record(z.string(), estimateSchema)),
      }),
    )
    .optional(),
  /** Permutation importance: the worsening of `metric` when a feature's test values are shuffled. */
  importance: z
    .strictObject({
      model: z.string(),
      metric: z.string(),
      method: z.string(),
      features: z.array(z.strictObject({ feature: z.string(), increase: estimateSchema })),
    })
    .optional(),
  partialDependence: z
    .array(
      z.strictObject({
        model: z.string(),
        feature: z.string(),
        points: z.array(z.strictObject({ x: z.number(), probabilities: z.array(z.number()) })),
      }),
    )
    .optional(),
  /** Value of the decisions the model supports, in the decision's own units, against the status quo. */
  impact: z
    .looseObject({
      decision: z.string(),
      unit: z.string(),
      statusQuo: z.string(),
      /** Total value of each policy over the test period. */
      policies: z.array(z.looseObject({ id: z.string(), label: z.string(), value: estimateSchema })),
      /** Model policy minus another policy, with a paired interval. */
      gains: z.array(
        z.looseObject({
          policy: z.string(),
          over: z.string(),
          difference: estimateSchema,
          distinguishable: z.boolean(),
        }),
      ),
      headline: z.string(),
      retrospective: z.boolean().optional(),
      /** Id of the model whose decisions the gains are for (the best non-baseline model). */
      policy: z.string().optional(),
      /** Value of one correct and one wrong decision, in `unit`. */
      valueFunction: z.strictObject({ correct: z.number(), wrong: z.number() }).optional(),
      /** Decisions valued (test matches). */
      rows: z.number().int().optional(),
      /** A betting policy against the market, where the data carry bookmaker odds: always a retrospective simulation. */
      betting: z
        .looseObject({
          retrospective: z.literal(true),
          label: z.string(),
          bookmaker: z.string(),
          bets: z.number().int(),
          staked: z.number(),
          profit: z.number(),
          returnOnStake: estimateSchema,
          breakEvenEdge: z.number(),
          edgeThreshold: z.number(),
        })
        .optional(),
      /** Why there is no `betting` section. */
      bettingUnavailable: z.string().optional(),
    })
    .optional(),
});
export type RunRecord = z.output<typeof runRecordSchema>;

export const runFileName = 'run.json';

export async function readRunRecord(file: string): Promise<RunRecord> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_RUN_MISSING',
        message: `The run record ${file} cannot be read.`,
        hint: 'Run `npm start` to create it.',
      },
      { cause: error },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_RUN_CORRUPT',
        message: `The run record ${file} is not valid JSON.`,
        hint: 'Delete that run folder and run `mlfolio run <project> --force`.',
      },
      { cause: error },
    );
  }
  return parseWith(runRecordSchema, data, file, 'E_RUN_CORRUPT');
}

/** What a project's runs folder holds. */
export interface RunFolders {
  /** Ids of complete runs (a folder holding run.json), oldest first (ids start with a UTC timestamp). */
  complete: string[];
  /**
   * Folders without run.json: a run interrupted before its record was written (by a version of
   * mlfolio that wrote runs in place) or a folder made by hand. Never read as a run.
   */
  incomplete: string[];
}

/** Lists the runs folder; hidden entries (a run still being written, see run-directory.ts) are skipped. */
export async function listRunFolders(runsDir: string): Promise<RunFolders> {
  let entries: Dirent[];
  try {
    entries = await readdir(runsDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { complete: [], incomplete: [] };
    throw error;
  }
  const folders = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  const complete: string[] = [];
  const incomplete: string[] = [];
  for (const name of folders) {
    ((await pathExists(join(runsDir, name, runFileName))) ? complete : incomplete).push(name);
  }
  return { complete, incomplete };
}

/** Says that a runs folder holds incomplete runs, which are skipped; the CLI shows it on stderr. */
export type IncompleteRunReporter = (message: string) => void;

const reported = new Set<string>();

/** Reports each set of incomplete run folders once per process, as a process warning (printed on stderr). */
const warnOnce: IncompleteRunReporter = (message) => {
  if (reported.has(message)) return;
  reported.add(message);
  process.emitWarning(message, { type: 'MlfolioWarning', code: 'W_RUN_INCOMPLETE' });
};

/** The sentence that reports incomplete run folders: which, why they are skipped, what to do. */
export function incompleteRunsMessage(runsDir: string, incomplete: readonly string[]): string {
  const folders = incomplete.map((name) => join(runsDir, name)).join(', ');
  return `Skipped ${incomplete.length === 1 ? 'an incomplete run folder' : `${incomplete.length} incomplete run folders`} (no ${runFileName}: a run that was interrupted before it finished): ${folders}. Delete ${incomplete.length === 1 ? 'it' : 'them'}; the runs that finished are unaffected.`;
}

/**
 * Ids of a project's complete runs, oldest first. Incomplete folders are skipped and reported
 * through `report` (default: a process warning, once per folder set).
 */
export async function listRunIds(
  runsDir: string,
  report: IncompleteRunReporter = warnOnce,
): Promise<string[]> {
  const { complete, incomplete } = await listRunFolders(runsDir);
  if (incomplete.length) report(incompleteRunsMessage(runsDir, incomplete));
  return complete;
}

/**
 * A run's id: its UTC creation time to the millisecond, then the first 8 hex digits of its key
 * (`20261129T230005123Z-1a2b3c4d`). Run folders sort by it, oldest first; with whole seconds, two
 * runs made in one second sorted by their keys, so the latest could be the older one.
 */
export function runIdFor(createdAt: Date, key: string): string {
  return `${createdAt.toISOString().replace(/[-:.]/g, '')}-${key.slice(0, 8)}`;
}

/** The latest complete run, or undefined when there is none; incomplete folders are reported as by {@link listRunIds}. */
export async function readLatestRun(
  runsDir: string,
  report: IncompleteRunReporter = warnOnce,
): Promise<RunRecord | undefined> {
  const ids = await listRunIds(runsDir, report);
  const latest = ids.at(-1);
  return latest ? readRunRecord(join(runsDir, latest, runFileName)) : undefined;
}
