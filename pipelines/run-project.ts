import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../portfolio/atomic-write.ts';
import { hashTree, hashValue, sha256 } from '../portfolio/hash.ts';
import { type Progress, silentProgress } from '../portfolio/progress.ts';
import type { Project } from '../portfolio/project-spec.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';
import type { CollectedDataset } from '../scrapers/source.ts';
import { collectOpenFootball, type MatchRecord } from '../scrapers/sources/openfootball/index.ts';
import { bundledDatasetFingerprint } from '../scrapers/sources/openfootball/offline-transport.ts';
import { type BacktestFold, rollingOriginFolds } from './backtest/rolling-origin.ts';
import { type FoldScores, scoreFolds } from './backtest/score-folds.ts';
import { evaluateRun, type RunEvaluation } from './evaluation/evaluate-run.ts';
import { metricInfo } from './evaluation/metrics.ts';
import { contributionsMethod } from './explain/contributions.ts';
import { partialDependence } from './explain/partial-dependence.ts';
import { permutationImportance } from './explain/permutation-importance.ts';
import { buildFeatureTable, type FeatureTable } from './features/feature-table.ts';
import { checkNoLookAhead, type LeakageReport, leakageGuardMethod } from './features/leakage-guard.ts';
import { computeMatchFeatures, outcomeClasses } from './features/match-features.ts';
import { tippingImpact } from './impact/tipping-impact.ts';
import type { ModelArtifact } from './models/artifact.ts';
import { serialiseArtifact } from './models/model.ts';
import { defaultModelLabels, interpretability, isBaseline, trainModel } from './models/train.ts';
import { writeRunDirectory } from './runs/run-directory.ts';
import {
  type Estimate,
  listRunIds,
  type ModelResult,
  type RunRecord,
  readLatestRun,
  runFileName,
  runIdFor,
} from './runs/run-record.ts';
import { specHash } from './runs/spec-hash.ts';
import { recordedVersions } from './runs/versions.ts';
import { assertInformativeFeatures, type SeasonSplit, splitBySeason } from './split/season-split.ts';
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
  /** Replaces the project's source (tests feed a fixture dataset); its records are hashed as the source fingerprint. */
  collect?: () => Promise<CollectedDataset<MatchRecord>>;
}

export interface RunOutcome {
  record: RunRecord;
  runDir: string;
  /** True when nothing changed since the latest run, which is returned instead of a new one. */
  reused: boolean;
}

const codeRoot = join(import.meta.dirname, '..');

/**
 * Runs collect → features → leakage-guard → split → train:<model> → evaluate → backtest → explain →
 * impact → report for one project. Each stage is keyed by its inputs and code; unchanged stages
 * are reused, and a run whose every stage is unchanged returns the latest record.
 */
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
  /** A stage of this project: cached in the project's cache folder, recomputed with --force. */
  const stage = <T>(spec: { name: string; inputs: unknown; run: () => Promise<T> }) =>
    runStage<T>({ ...spec, cacheDir: paths.cacheDir, force: options.force ?? false });

  // collect
  const injected = await options.collect?.();
  const sourceFingerprint = injected
    ? hashValue(injected.records)
    : spec.source.transport === 'offline'
      ? await bundledDatasetFingerprint()
      : now().toISOString().slice(0, 10);
  progress.stage('collect', `${spec.source.kind} (${spec.source.transport})`);
  const dataset = track(
    'collect',
    await stage<CollectedDataset<MatchRecord>>({
      name: 'collect',
      inputs: { source: spec.source, sourceFingerprint, code: await code('scrapers') },
      run: async () => {
        const collected = injected ?? (await collectOpenFootball(spec.source, { now }));
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
    await stage<FeatureTable>({
      name: 'features',
      inputs: {
        dataset: dataset.provenance.sha256,
        ...(options.dataUntil === undefined ? {} : { dataUntil: options.dataUntil }),
        features: spec.features,
        code: await code('pipelines/features'),
      },
      run: () => buildFeatureTable(project.slug, records, spec.features),
    }),
  );

  const featuresKey = stages.at(-1)!.key;

  // leakage-guard: recompute features from counterfactual histories; throws if any feature looks ahead
  const ordered = [...records].sort((a, b) => a.date.localeCompare(b.date));
  const lastSeason = [...new Set(table.rows.map((row) => row.season))].sort().at(-spec.split.testSeasons);
  const leakage = track(
    'leakage-guard',
    await stage<LeakageReport>({
      name: 'leakage-guard',
      inputs: { features: featuresKey, guard: spec.leakageGuard, code: await code('pipelines/features') },
      run: async () =>
        checkNoLookAhead(project.slug, ordered, table.rows, spec.features, (m) => computeMatchFeatures(m), {
          probeDates: table.rows
            .filter((row) => lastSeason && row.season >= lastSeason)
            .map((row) => row.date),
          probes: spec.leakageGuard.probes,
        }),
    }),
  );

  // split
  const split = track(
    'split',
    await stage<SeasonSplit>({
      name: 'split',
      inputs: { features: featuresKey, split: spec.split, code: await code('pipelines/split') },
      run: async () => splitBySeason(project.slug, table.rows, spec.split.testSeasons),
    }),
  );
  assertInformativeFeatures(project.slug, table.rows, split.train, spec.features);
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

  // train: keyed by the training seasons, so the backtest's last fold reuses these models
  const modelCode = await code('pipelines/models', 'pipelines/random.ts');
  const trainOn = async (
    model: (typeof spec.models)[number],
    seasons: readonly string[],
    indices: readonly number[],
  ) =>
    stage({
      name: `train-${model.id}`,
      inputs: { features: featuresKey, trainSeasons: seasons, model, seed: spec.seed, code: modelCode },
      run: async () => {
        const t0 = performance.now();
        const artifact = await trainModel(
          model,
          { rows: rowsOf(indices), outcomes: outcomesOf(indices), featureNames: spec.features },
          spec.seed,
        );
        return { artifact, trainMs: performance.now() - t0 };
      },
    });
  const trained: { artifact: ModelArtifact; trainMs: number }[] = [];
  for (const [index, model] of spec.models.entries()) {
    progress.step(index, spec.models.length, `training ${model.id}`);
    trained.push(track(`train:${model.id}`, await trainOn(model, split.trainPeriod.seasons, split.train)));
  }
  progress.step(spec.models.length, spec.models.length);
  const trainKeys = stages.slice(-spec.models.length).map((stage) => stage.key);

  // evaluate
  const resamples = spec.resamples;
  const evaluation = track(
    'evaluate',
    await stage<RunEvaluation>({
      name: 'evaluate',
      inputs: {
        models: trainKeys,
        split: splitKey,
        metrics: spec.metrics,
        primary: spec.primaryMetric,
        seed: spec.seed,
        resamples,
        code: await code('pipelines/evaluation'),
      },
      run: async () =>
        evaluateRun({
          models: spec.models.map((model, i) => ({
            id: model.id,
            baseline: isBaseline(model),
            artifact: trained[i]!.artifact,
          })),
          rows: testRows,
          outcomes: testOutcomes,
          sliceBy: {
            league: split.test.map((i) => table.rows[i]!.league),
            season: split.test.map((i) => table.rows[i]!.season),
          },
          metrics: spec.metrics,
          primary: spec.primaryMetric,
          seed: spec.seed,
          resamples,
        }),
    }),
  );
  const evaluateKey = stages.at(-1)!.key;

  // backtest: rolling origin, train on seasons before N, test on N
  let backtest: FoldScores[] | undefined;
  if (spec.backtest.enabled) {
    const folds = rollingOriginFolds(table.rows, spec.backtest.minTrainSeasons);
    const backtestModels = spec.models.filter(
      (m) => !spec.backtest.models || spec.backtest.models.includes(m.id),
    );
    const foldModels: { fold: BacktestFold; models: { id: string; artifact: ModelArtifact }[] }[] = [];
    const foldKeys: string[] = [];
    for (const [f, fold] of folds.entries()) {
      const models: { id: string; artifact: ModelArtifact }[] = [];
      for (const model of backtestModels) {
        progress.step(
          f * backtestModels.length + models.length,
          folds.length * backtestModels.length,
          `backtest ${fold.testSeason} ${model.id}`,
        );
        const result = await trainOn(model, fold.trainSeasons, fold.train);
        foldKeys.push(result.key);
        models.push({
          id: model.id,
          artifact: track(`backtest:${fold.testSeason}:${model.id}`, result).artifact,
        });
      }
      foldModels.push({ fold, models });
    }
    progress.step(1, 1);
    backtest = track(
      'backtest',
      await stage<FoldScores[]>({
        name: 'backtest',
        inputs: {
          models: foldKeys,
          metrics: spec.metrics,
          code: await code('pipelines/backtest', 'pipelines/evaluation'),
        },
        run: async () => scoreFolds(foldModels, { features: rowsOf, outcomes: outcomesOf }, spec.metrics),
      }),
    );
  }

  const candidates = spec.models.filter((m) => !isBaseline(m));
  const better = (a: number, b: number) => (metricInfo[spec.primaryMetric].higherIsBetter ? a > b : a < b);
  const bestCandidate = candidates.length
    ? candidates.reduce((best, m) =>
        better(
          evaluation.models[m.id]!.metrics[spec.primaryMetric]!.value,
          evaluation.models[best.id]!.metrics[spec.primaryMetric]!.value,
        )
          ? m
          : best,
      ).id
    : evaluation.best;
  const bestCandidateIndex = spec.models.findIndex((m) => m.id === bestCandidate);

  // explain: permutation importance and partial dependence of the best candidate
  const explanation = track(
    'explain',
    await stage({
      name: 'explain',
      inputs: {
        model: trainKeys[bestCandidateIndex],
        split: splitKey,
        explain: spec.explain,
        metric: spec.primaryMetric,
        seed: spec.seed,
        resamples,
        code: await code('pipelines/explain', 'pipelines/evaluation'),
      },
      run: async () => {
        const artifact = trained[bestCandidateIndex]!.artifact;
        const importance = permutationImportance(artifact, testRows, testOutcomes, spec.features, {
          metric: spec.primaryMetric,
          repeats: spec.explain.repeats,
          seed: spec.seed,
          resamples,
        });
        const top = importance.slice(0, spec.explain.partialDependence).map((f) => f.feature);
        return {
          importance,
          partialDependence: top.map((feature) => partialDependence(artifact, testRows, feature)),
        };
      },
    }),
  );

  // impact: a season of tips valued in the decision's units
  const impact = track(
    'impact',
    await stage({
      name: 'impact',
      inputs: {
        evaluation: evaluateKey,
        impact: spec.impact,
        policy: bestCandidate,
        seed: spec.seed,
        resamples,
        code: await code('pipelines/impact', 'pipelines/evaluation'),
      },
      run: async () => ({
        ...tippingImpact({
          spec: spec.impact,
          models: spec.models.map((m) => ({ id: m.id, label: m.label ?? defaultModelLabels[m.kind] })),
          probabilities: evaluation.probabilities,
          outcomes: testOutcomes,
          policyModel: bestCandidate,
          period: `the ${split.testPeriod.seasons.join(', ')} season${split.testPeriod.seasons.length > 1 ? 's' : ''}`,
          seed: spec.seed,
          resamples,
        }),
        bettingUnavailable: `The ${spec.source.kind} data carry no bookmaker odds, so no betting policy against the market was simulated.`,
      }),
    }),
  );

  // report
  const key = hashValue(stages.map((stage) => stage.key));
  const latest = await readLatestRun(paths.runsDir).catch(() => undefined);
  const projectSpecSha256 = specHash(spec);
  // A changed project that changes no stage (a new title) still gets a new record, so the audit,
  // which compares the recorded project with the current one, and this cache never disagree.
  if (
    latest &&
    latest.key === key &&
    latest.inputs.projectSpecSha256 === projectSpecSha256 &&
    !options.force
  ) {
    const runDir = join(paths.runsDir, latest.runId);
    progress.stage('report', `unchanged since run ${latest.runId}`);
    return { record: latest, runDir, reused: true };
  }

  const primary = spec.primaryMetric;
  const models: ModelResult[] = spec.models.map((model, i) => {
    const result = evaluation.models[model.id]!;
    const artifactText = serialiseArtifact(trained[i]!.artifact);
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
      interpretability: interpretability[model.kind],
    };
  });

  const usedDates = options.dataUntil === undefined ? [] : records.map((r) => r.date).sort();
  const createdAt = now();
  const runId = runIdFor(createdAt, key);
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
    versions: await recordedVersions({
      tfjs: '@tensorflow/tfjs',
      'tfjs-backend-wasm': '@tensorflow/tfjs-backend-wasm',
      'danfojs-node': 'danfojs-node',
    }),
    inputs: {
      projectFileSha256: sha256(project.specText),
      projectSpecSha256,
      dataset: {
        ...dataset.provenance,
        excludedReasons: countReasons(dataset.excluded.map((e) => e.reason)),
        leagues: table.leagues,
        // A cut-off run describes the matches it used; sha256 still names the collection they came from.
        ...(options.dataUntil === undefined
          ? {
              firstDate: dataset.provenance.firstDate ?? '',
              lastDate: dataset.provenance.lastDate ?? '',
            }
          : {
              rows: records.length,
              firstDate: usedDates[0] ?? '',
              lastDate: usedDates.at(-1) ?? '',
            }),
      },
    },
    task: {
      kind: 'ordinal',
      target: 'result',
      classes: [...outcomeClasses],
      features: [...spec.features],
      primaryMetric: primary,
      metrics: [...spec.metrics],
    },
    split: { train: split.trainPeriod, test: split.testPeriod },
    testOutcomeShares: shares,
    models,
    best: evaluation.best,
    bestBaseline: evaluation.bestBaseline,
    bestCandidate,
    stages: stages.map((stage, i) => ({
      name: stageNames[i]!,
      key: stage.key,
      cached: stage.cached,
      durationMs: round(stage.durationMs, 1),
    })),
    timings: { totalMs: round(performance.now() - started, 1) },
    calibration: evaluation.models[evaluation.best]!.calibration,
    featureReference: Object.fromEntries(
      spec.features.map((name) => [
        name,
        trainData.rows.reduce((sum, row) => sum + row[name], 0) / trainData.rows.length,
      ]),
    ),
    leakageGuard: { method: leakageGuardMethod, ...leakage },
    contributionsMethod,
    comparisons: evaluation.comparisons,
    calibrationError: mapModels(spec.models, (id) => evaluation.models[id]!.calibrationError),
    calibrationByModel: mapModels(spec.models, (id) => evaluation.models[id]!.calibration),
    confusion: mapModels(spec.models, (id) => evaluation.models[id]!.confusion),
    slices: evaluation.slices,
    ...(backtest ? { backtest } : {}),
    importance: {
      model: bestCandidate,
      metric: primary,
      method: `Permutation importance on the test season: the increase in ${primary} when one feature's values are shuffled across matches (mean of ${spec.explain.repeats} shuffles; 95% interval from ${resamples} bootstrap resamples of matches). Correlated features (the three Elo features) stand in for each other, so each alone can look less important than the group is.`,
      features: explanation.importance,
    },
    partialDependence: explanation.partialDependence.map((curve) => ({ model: bestCandidate, ...curve })),
    impact,
  };
  await writeRunDirectory(paths.runsDir, runId, async (directory) => {
    for (const [i, model] of models.entries()) {
      await writeFileAtomic(join(directory, model.artifact), serialiseArtifact(trained[i]!.artifact));
    }
    await writeJsonAtomic(join(directory, 'team-state.json'), table.teams);
    await writeJsonAtomic(join(directory, runFileName), record);
  });
  progress.stage('report', `run ${runId} (${(await listRunIds(paths.runsDir)).length} run(s) recorded)`);
  return { record, runDir, reused: false };
}

function mapModels<T>(models: readonly { id: string }[], value: (id: string) => T): Record<string, T> {
  return Object.fromEntries(models.map((m) => [m.id, value(m.id)]));
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
