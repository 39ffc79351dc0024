import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { writeJsonAtomic } from '../portfolio/atomic-write.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import { hashTree, hashValue, sha256 } from '../portfolio/hash.ts';
import { type Progress, silentProgress } from '../portfolio/progress.ts';
import type { Project } from '../portfolio/project-spec.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';
import type { CollectedDataset } from '../scrapers/source.ts';
import { collectOpenFootball, type MatchRecord } from '../scrapers/sources/openfootball/index.ts';
import { bundledDatasetFingerprint } from '../scrapers/sources/openfootball/offline-transport.ts';
import { evaluateModel } from './evaluation/evaluate-model.ts';
import { metricInfo } from './evaluation/metrics.ts';
import { buildFeatureTable, type FeatureTable } from './features/feature-table.ts';
import { outcomeClasses } from './features/match-features.ts';
import type { ModelArtifact } from './models/artifact.ts';
import { defaultModelLabels, isBaseline, trainModel } from './models/train.ts';
import {
  type Estimate,
  listRunIds,
  type ModelResult,
  type RunRecord,
  readLatestRun,
  runFileName,
} from './runs/run-record.ts';
import { constantFeatures, type SeasonSplit, splitBySeason } from './split/season-split.ts';
import { runStage, type StageResult } from './stage-cache.ts';

export interface RunOptions {
  force?: boolean;
  progress?: Progress;
  now?: () => Date;
  /**
   * Use only matches played on or before this date (YYYY-MM-DD): a replay of the data as it stood
   * then, e.g. before the last season arrived. Recorded in the run as `dataUntil`.
   */
  dataUntil?: string;
}

export interface RunOutcome {
  record: RunRecord;
  runDir: string;
  /** True when nothing changed since the latest run, which is returned instead of a new one. */
  reused: boolean;
}

const codeRoot = join(import.meta.dirname, '..');

/** Runs collect → features → split → train → evaluate → report for one project. */
export async function runProject(
  workspace: Workspace,
  project: Project,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const started = performance.now();
  const progress = options.progress ?? silentProgress;
  const now = options.now ?? (() => new Date());
  const paths = projectPaths(workspace, project.slug);
  const { spec } = project;
  const stages: StageResult<unknown>[] = [];
  const stageNames: string[] = [];
  const track = <T>(name: string, result: StageResult<T>): T => {
    stages.push(result);
    stageNames.push(name);
    progress.stage(name, result.cached ? 'unchanged, reused' : `done in ${formatMs(result.durationMs)}`);
    return result.output;
  };
  const code = (...dirs: string[]) => hashTree(codeRoot, dirs);

  // collect
  const sourceFingerprint =
    spec.source.transport === 'offline'
      ? await bundledDatasetFingerprint()
      : now().toISOString().slice(0, 10);
  progress.stage('collect', `${spec.source.kind} (${spec.source.transport})`);
  const dataset = track(
    'collect',
    await runStage<CollectedDataset<MatchRecord>>({
      cacheDir: paths.cacheDir,
      name: 'collect',
      inputs: { source: spec.source, sourceFingerprint, code: await code('scrapers') },
      ...(options.force ? { force: true } : {}),
      run: async () => {
        const collected = await collectOpenFootball(spec.source, { now });
        await writeJsonAtomic(join(paths.dataDir, 'dataset.json'), collected);
        return collected;
      },
    }),
  );
  if (dataset.excluded.length) {
    progress.info(
      `${dataset.excluded.length} record(s) left out at collection: ${summariseReasons(dataset.excluded.map((e) => e.reason))} (listed in ${join(paths.dataDir, 'dataset.json')})`,
    );
  }

  const records =
    options.dataUntil === undefined
      ? dataset.records
      : dataset.records.filter((record) => record.date <= options.dataUntil!);

  // features
  progress.stage('features', `${records.length} matches`);
  const table = track(
    'features',
    await runStage<FeatureTable>({
      cacheDir: paths.cacheDir,
      name: 'features',
      inputs: {
        dataset: dataset.provenance.sha256,
        ...(options.dataUntil === undefined ? {} : { dataUntil: options.dataUntil }),
        features: spec.features,
        code: await code('pipelines/features'),
      },
      ...(options.force ? { force: true } : {}),
      run: () => buildFeatureTable(project.slug, records, spec.features),
    }),
  );

  // split
  const split = track(
    'split',
    await runStage<SeasonSplit>({
      cacheDir: paths.cacheDir,
      name: 'split',
      inputs: { features: stages.at(-1)!.key, split: spec.split, code: await code('pipelines/split') },
      ...(options.force ? { force: true } : {}),
      run: async () => splitBySeason(project.slug, table.rows, spec.split.testSeasons),
    }),
  );
  const constant = constantFeatures(table.rows, split.train, spec.features);
  if (constant.length) {
    throw new MlfolioError({
      code: 'E_FEATURE_CONSTANT',
      message: `Project "${project.slug}", stage split: feature(s) ${constant.map((c) => `"${c}"`).join(', ')} take a single value over all ${split.train.length} training rows.`,
      hint: 'A constant feature carries no information; remove it from `features` in project.yaml.',
    });
  }
  const splitKey = stages.at(-1)!.key;
  const rowsOf = (indices: readonly number[]) => indices.map((i) => table.rows[i]!.features);
  const outcomesOf = (indices: readonly number[]) => indices.map((i) => table.rows[i]!.outcome);
  const trainData = {
    rows: rowsOf(split.train),
    outcomes: outcomesOf(split.train),
    featureNames: spec.features,
  };
  const testRows = rowsOf(split.test);
  const testOutcomes = outcomesOf(split.test);

  // train
  const modelCode = await code('pipelines/models', 'pipelines/random.ts');
  const trained: { artifact: ModelArtifact; trainMs: number }[] = [];
  for (const [index, model] of spec.models.entries()) {
    progress.step(index, spec.models.length, `training ${model.id}`);
    trained.push(
      track(
        `train:${model.id}`,
        await runStage({
          cacheDir: paths.cacheDir,
          name: `train-${model.id}`,
          inputs: { split: splitKey, features: spec.features, model, seed: spec.seed, code: modelCode },
          ...(options.force ? { force: true } : {}),
          run: async () => {
            const t0 = performance.now();
            const artifact = await trainModel(model, trainData, spec.seed);
            return { artifact, trainMs: performance.now() - t0 };
          },
        }),
      ),
    );
  }
  progress.step(spec.models.length, spec.models.length);
  const trainKeys = stages.slice(-spec.models.length).map((stage) => stage.key);

  // evaluate
  const evaluation = track(
    'evaluate',
    await runStage({
      cacheDir: paths.cacheDir,
      name: 'evaluate',
      inputs: {
        models: trainKeys,
        split: splitKey,
        metrics: spec.metrics,
        code: await code('pipelines/evaluation'),
      },
      ...(options.force ? { force: true } : {}),
      run: async () =>
        trained.map(({ artifact }) =>
          evaluateModel(artifact, testRows, testOutcomes, spec.metrics, spec.seed),
        ),
    }),
  );

  // report
  const key = hashValue(stages.map((stage) => stage.key));
  const latest = await readLatestRun(paths.runsDir).catch(() => undefined);
  if (latest && latest.key === key && !options.force) {
    const runDir = join(paths.runsDir, latest.runId);
    progress.stage('report', `unchanged since run ${latest.runId}`);
    return { record: latest, runDir, reused: true };
  }

  const primary = spec.primaryMetric;
  const better = (a: number, b: number) => (metricInfo[primary].higherIsBetter ? a > b : a < b);
  const models: ModelResult[] = spec.models.map((model, i) => {
    const result = evaluation[i]!;
    const artifactText = JSON.stringify(trained[i]!.artifact);
    return {
      id: model.id,
      kind: model.kind,
      label: model.label ?? defaultModelLabels[model.kind],
      baseline: isBaseline(model),
      params: 'params' in model ? (model.params as Record<string, unknown>) : {},
      metrics: result.metrics as Record<string, Estimate>,
      timings: { trainMs: round(trained[i]!.trainMs, 1), ...result.latency },
      sizeBytes: Buffer.byteLength(artifactText),
      artifact: `models/${model.id}.json`,
      interpretability:
        model.kind === 'mlp' ? 'low' : model.kind === 'logistic-regression' ? 'medium' : 'high',
    };
  });
  const pick = (candidates: ModelResult[]) =>
    candidates.reduce((best, m) =>
      better(m.metrics[primary]!.value, best.metrics[primary]!.value) ? m : best,
    );
  const best = pick(models);
  const bestBaseline = pick(models.filter((m) => m.baseline));
  const bestIndex = models.indexOf(best);

  const createdAt = now();
  const runId = `${createdAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${key.slice(0, 8)}`;
  const runDir = join(paths.runsDir, runId);
  const shares = [0, 1, 2].map((k) => testOutcomes.filter((y) => y === k).length / testOutcomes.length);
  const record: RunRecord = {
    schemaVersion: 1,
    runId,
    project: project.slug,
    createdAt: createdAt.toISOString(),
    key,
    seed: spec.seed,
    ...(options.dataUntil === undefined ? {} : { dataUntil: options.dataUntil }),
    versions: await versions(),
    inputs: {
      projectFileSha256: sha256(project.specText),
      dataset: {
        ...dataset.provenance,
        excludedReasons: countReasons(dataset.excluded.map((e) => e.reason)),
        leagues: table.leagues,
        firstDate: dataset.provenance.firstDate ?? '',
        lastDate: dataset.provenance.lastDate ?? '',
      },
    },
    task: {
      target: 'result',
      classes: [...outcomeClasses],
      features: [...spec.features],
      primaryMetric: primary,
      metrics: [...spec.metrics],
    },
    split: { train: split.trainPeriod, test: split.testPeriod },
    testOutcomeShares: shares,
    models,
    best: best.id,
    bestBaseline: bestBaseline.id,
    stages: stages.map((stage, i) => ({
      name: stageNames[i]!,
      key: stage.key,
      cached: stage.cached,
      durationMs: round(stage.durationMs, 1),
    })),
    timings: { totalMs: round(performance.now() - started, 1) },
    calibration: evaluation[bestIndex]!.calibration,
    featureReference: Object.fromEntries(
      spec.features.map((name) => [
        name,
        trainData.rows.reduce((sum, row) => sum + row[name], 0) / trainData.rows.length,
      ]),
    ),
  };
  for (const [i, model] of models.entries()) {
    await writeJsonAtomic(join(runDir, model.artifact), trained[i]!.artifact);
  }
  await writeJsonAtomic(join(runDir, 'team-state.json'), table.teams);
  // The record goes last: a run directory without run.json is an interrupted run and is ignored.
  await writeJsonAtomic(join(runDir, runFileName), record);
  progress.stage('report', `run ${runId} (${(await listRunIds(paths.runsDir)).length} run(s) recorded)`);
  return { record, runDir, reused: false };
}

async function versions(): Promise<Record<string, string>> {
  const read = async (name: string) => {
    try {
      const dir = join(codeRoot, 'node_modules', name, 'package.json');
      return (JSON.parse(await readFile(dir, 'utf8')) as { version: string }).version;
    } catch {
      return 'not installed';
    }
  };
  const own = JSON.parse(await readFile(join(codeRoot, 'package.json'), 'utf8')) as { version: string };
  return {
    mlfolio: own.version,
    node: process.version,
    tfjs: await read('@tensorflow/tfjs'),
    'tfjs-backend-wasm': await read('@tensorflow/tfjs-backend-wasm'),
    'danfojs-node': await read('danfojs-node'),
    platform: `${process.platform}-${process.arch}`,
    cpu: `${cpus().length}× ${cpus()[0]?.model ?? 'unknown'}`,
  };
}

function countReasons(reasons: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const reason of reasons) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}

function summariseReasons(reasons: readonly string[]): string {
  return Object.entries(countReasons(reasons))
    .map(([reason, count]) => `${count} × ${reason}`)
    .join('; ');
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
