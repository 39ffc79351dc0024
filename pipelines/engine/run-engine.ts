import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../portfolio/atomic-write.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { sha256 } from '../../portfolio/hash.ts';
import { type Progress, silentProgress } from '../../portfolio/progress.ts';
import type { LoadedProject as EngineProject } from '../../portfolio/project-file/load.ts';
import type { ProjectFile } from '../../portfolio/project-file/schema.ts';
import { projectPaths, type Workspace } from '../../portfolio/workspace.ts';
import { type CollectedTable, collectTable } from '../collect/collect-table.ts';
import { tableFingerprint } from '../collect/table-fingerprint.ts';
import type { Row } from '../collect/typed-rows.ts';
import { evaluateForecasts, isBetter } from '../evaluation/evaluate-forecasts.ts';
import { partialDependence, permutationImportance } from '../explain/forecast-explain.ts';
import {
  assertNoSkew,
  buildTrainingSet,
  checkTrainingServingSkew,
  type FeatureStoreSession,
  featureLeakageGuardMethod,
  materializeOnlineStore,
  openFeatureStore,
  type TrainingSet,
} from '../feature-store/index.ts';
import { checkFeatureLeakageOnThread } from '../feature-store/leakage-guard-thread.ts';
import { decisionImpact } from '../impact/decision-impact.ts';
import { profileTable, type TableProfile } from '../profile/profile-table.ts';
import { writeRunDirectory } from '../runs/run-directory.ts';
import {
  listRunIds,
  type ModelResult,
  type RunRecord,
  readLatestRun,
  runFileName,
  runIdFor,
} from '../runs/run-record.ts';
import { recordedVersions } from '../runs/versions.ts';
import {
  assertEnoughSeasons,
  rollingOriginFolds,
  seasonOrder,
  splitByTime,
  type TimeSplit,
} from '../split/time-split.ts';
import { estimateMetric, metricRowValues, type TaskMetricId, taskMetrics } from '../tasks/metrics.ts';
import { fitModel, prepareModelFits } from '../tasks/models/fit-model.ts';
import { forecastWith, type TaskArtifact } from '../tasks/models/forecast.ts';
import { modelKinds } from '../tasks/models/registry.ts';
import { type Forecast, isClassification, type Task } from '../tasks/task.ts';
import { eventsSpecOf, featureStoreSpecOf, keptRows } from './feature-store-spec.ts';
import { type JoinLabels, joinLabelColumns, readJoinLabels } from './label-join.ts';
import { engineRunFingerprint, recordRunFingerprint, runWithFingerprint } from './run-fingerprint.ts';
import { StageGraph } from './stage-graph.ts';
import { readTarget } from './target.ts';

export interface EngineRunOptions {
  force?: boolean;
  progress?: Progress;
  now?: () => Date;
  /** Use only events up to this time (YYYY-MM-DD or a season): a replay of the data as it stood then. */
  dataUntil?: string;
  /** Called once the run is known to compute (not an unchanged rerun), before the engine loads. */
  onCompute?: () => void;
}

export interface EngineRunOutcome {
  record: RunRecord;
  runDir: string;
  reused: boolean;
}

/** The events with their features and target, as the feature store computed them, in time order. */
export interface EngineRows {
  task: Task;
  targetLabel: string;
  featureNames: string[];
  /** One per usable event (a target and every feature known), in time order. */
  ids: string[];
  times: string[];
  seasons: string[];
  outcomes: number[];
  x: number[][];
  slices: Record<string, string[]>;
  /** Events left out, by reason. */
  leftOut: Record<string, number>;
}

const codeRoot = join(import.meta.dirname, '..', '..');

/**
 * Runs a declared project: collect every table → features (the feature store, point in time) →
 * split → train each model → evaluate → backtest → explain → impact → report. Each stage is a node
 * of a recorded stage graph whose key hashes its inputs, parameters and code; unchanged stages are
 * reused, and a run whose every stage is unchanged returns the latest record (found without
 * running the graph when the project, its data, labels and the engine's code are unchanged since
 * that record: `run-fingerprint.ts`). Nothing here knows a
 * sport or a task: both are data in the project file.
 */
export async function runEngine(
  workspace: Workspace,
  project: EngineProject,
  options: EngineRunOptions = {},
): Promise<EngineRunOutcome> {
  const started = performance.now();
  const progress = options.progress ?? silentProgress;
  const now = options.now ?? (() => new Date());
  const paths = projectPaths(workspace, project.slug);
  const spec = project.file;
  const file = project.specFile;
  const fingerprint = await engineRunFingerprint(workspace, project, options);
  if (!options.force) {
    const unchanged = await runWithFingerprint(workspace, project.slug, fingerprint);
    if (unchanged) {
      progress.stage(
        'report',
        `unchanged since run ${unchanged.record.runId} (project, data, labels and code)`,
      );
      return { ...unchanged, reused: true };
    }
  }
  prepareModelFits();
  const graph = new StageGraph({
    codeRoot,
    cacheDir: paths.cacheDir,
    force: options.force ?? false,
    progress,
  });

  // collect: one stage per table, keyed by the source's fingerprint
  const tables: Record<string, CollectedTable> = {};
  for (const [name, table] of Object.entries(spec.data.tables)) {
    tables[name] = await graph.run({
      name: `collect:${name}`,
      // Label joins are read by their own stages, so new labels do not recollect the table.
      params: {
        table: { ...table, labels: undefined },
        fingerprint: await tableFingerprint(workspace, project.slug, table, name, file),
      },
      code: ['scrapers', 'pipelines/collect'],
      describe: `${table.source.kind} → ${name}`,
      run: () => collectTable(name, table, { workspace, slug: project.slug, specFile: file, now }),
    });
    const excluded = tables[name]!.excluded.length;
    if (excluded)
      progress.info(`${name}: ${excluded} row(s) left out at collection (reasons in the run record)`);
  }
  const eventsName = spec.data.events ?? Object.keys(spec.data.tables)[0]!;

  // labels: one stage per label join, keyed by the label snapshot's content hash, so new labels
  // rerun exactly the stages that read the labelled column
  const labelStages: string[] = [];
  const joins: JoinLabels[] = [];
  for (const join of eventsSpecOf(spec).labels) {
    const read = readJoinLabels(workspace, project.slug, join);
    const name = `labels:${join.column}`;
    labelStages.push(name);
    joins.push(
      await graph.run({
        name,
        params: { join, snapshot: read.snapshot, resolved: read.resolvedSha256 },
        code: [
          'labelling/project-task.ts',
          'labelling/label-log.ts',
          'labelling/label-state.ts',
          'pipelines/engine/label-join.ts',
        ],
        describe: `labels of "${join.task}" (${read.snapshot.slice(0, 15)}) → ${eventsName}.${join.column}`,
        run: async () => read,
      }),
    );
  }
  const storeSpec = featureStoreSpecOf(spec);
  const joined = joinLabelColumns(keptRows(spec, tables[eventsName]!, options.dataUntil), joins);
  const eventRows = joined.rows;
  for (const lineage of joined.lineage) {
    if (lineage.unlabelled.items)
      progress.info(
        `${lineage.column}: ${lineage.unlabelled.items} ${lineage.key} value(s) without a label (${lineage.unlabelled.rows} rows) take "${lineage.unlabelled.default}"`,
      );
  }

  // One feature store for the three stages below, opened when the first of them runs (none does
  // on a rerun that reuses them): the training set, the leakage guard's reference and the online
  // store are computed from the same loaded events once, not once per stage.
  let opened: Promise<FeatureStoreSession> | undefined;
  let computed: Promise<TrainingSet> | undefined;
  const store = () => (opened ??= openFeatureStore(storeSpec, { rows: eventRows }, `${file} (features)`));
  const trainingSet = () => (computed ??= store().then((session) => session.trainingSet()));
  // A store that failed to open has thrown already, from the stage that opened it.
  const closeStore = async () => {
    if (opened) (await opened.catch(() => undefined))?.close();
  };
  let rows: EngineRows;
  try {
    // features: the point-in-time training set, with the target
    rows = await graph.run<EngineRows>({
      name: 'features',
      needs: [`collect:${eventsName}`, ...labelStages],
      params: {
        roles: spec.data.roles,
        views: spec.features,
        use: spec.use ?? null,
        target: spec.target,
        sliceBy: spec.data.sliceBy,
        dataUntil: options.dataUntil ?? null,
      },
      code: ['pipelines/feature-store', 'pipelines/engine/target.ts'],
      describe: `${spec.features.length} feature views, point in time`,
      run: async () => buildEngineRows(project, storeSpec, eventRows, await trainingSet()),
    });
  } catch (error) {
    await closeStore();
    throw error;
  }
  progress.info(
    `${rows.ids.length} events with a target and every feature${describeLeftOut(rows.leftOut)}; ${rows.featureNames.length} features`,
  );
  const task = rows.task;

  const metrics = (spec.metrics ?? defaultMetrics(task)) as TaskMetricId[];
  const primary = (spec.primaryMetric ?? metrics[0]!) as TaskMetricId;

  // split
  const timed = rows.times.map((time, i) => ({ time, season: rows.seasons[i]! }));
  // Until the online store below has used it, the feature store is open: whatever fails before
  // then closes it.
  let split: TimeSplit;
  let folds: ReturnType<typeof rollingOriginFolds>;
  let testTimes: ReturnType<typeof testPeriodTimes>;
  try {
    assertEnoughSeasons(project.slug, timed, spec, file);
    split = await graph.run<TimeSplit>({
      name: 'split',
      needs: ['features'],
      params: spec.split,
      code: ['pipelines/split'],
      describe: `train before, test on ${spec.split.by === 'season' ? `the last ${spec.split.testSeasons} season(s)` : `from ${spec.split.testFrom}`}`,
      run: async () => splitByTime(project.slug, timed, spec.split, file),
    });
    checkClassesInTraining(project.slug, task, rows, split);
    folds = spec.backtest.enabled
      ? rollingOriginFolds(timed, {
          minTrainSeasons: spec.backtest.minTrainSeasons,
          maxFolds: spec.backtest.maxFolds,
          gap: spec.split.by === 'season' ? spec.split.gap : 0,
        })
      : [];
    testTimes = testPeriodTimes(rows, spec.split);
  } catch (error) {
    await closeStore();
    throw error;
  }

  // train
  const trainOn = (
    model: ProjectFile['models'][number],
    seasons: readonly string[],
    indices: readonly number[],
    name: string,
  ) =>
    graph.run<{ artifact: TaskArtifact; trainMs: number }>({
      name,
      cacheName: `train-${model.id}`,
      needs: ['features'],
      params: { model, trainSeasons: seasons, seed: spec.seed },
      code: ['pipelines/tasks', 'pipelines/random.ts'],
      describe: `${model.kind} on ${indices.length} rows`,
      run: async () => {
        const featureNames = model.features ?? spec.use ?? rows.featureNames;
        const columns = featureNames.map((f) => rows.featureNames.indexOf(f));
        return fitModel(
          model.kind,
          task,
          {
            featureNames,
            rows: indices.map((i) => columns.map((c) => rows.x[i]![c]!)),
            outcomes: indices.map((i) => rows.outcomes[i]!),
          },
          model.params,
          spec.seed,
          // The final fits gate the evaluation; the folds only the backtest, later.
          { urgent: name.startsWith('train:') },
        );
      },
    });
  // Every fit of the run — each model's final fit, then each backtest fold's — is queued at once on
  // the engine's threads (one per core), and this thread evaluates the final models while the
  // folds still train. Stages are recorded in the order they start, so the run's key does not
  // depend on which fit finishes first; the fold that trains on the final fit's seasons shares its
  // cache entry and waits for it rather than fitting twice.
  const backtestModels = spec.models.filter(
    (m) => !spec.backtest.models || spec.backtest.models.includes(m.id),
  );
  const fits = spec.models.length + folds.length * backtestModels.length;
  let fitted = 0;
  progress.step(0, fits, 'fitting');
  const counted =
    <T>(label: string) =>
    (result: T) => {
      progress.step(++fitted, fits, label);
      return result;
    };
  const training = Promise.all(
    spec.models.map((model) =>
      trainOn(model, split.trainPeriod.seasons, split.train, `train:${model.id}`).then(
        counted(`trained ${model.id}`),
      ),
    ),
  );
  // Awaited once the online store and the profile are done; this keeps a failed fit from going
  // unhandled meanwhile.
  training.catch(() => undefined);
  const foldNames: string[] = [];
  const foldFits = Promise.all(
    folds.map(async (fold) => ({
      fold,
      models: await Promise.all(
        backtestModels.map((model) => {
          const name = `backtest:${fold.testSeason}:${model.id}`;
          foldNames.push(name);
          return trainOn(model, fold.trainSeasons, fold.train, name)
            .then(counted(`backtest ${fold.testSeason} ${model.id}`))
            .then(({ artifact }) => ({ id: model.id, artifact }));
        }),
      ),
    })),
  );
  // Their failures are reported where they are awaited; this keeps one from going unhandled when
  // another stage fails first.
  foldFits.catch(() => undefined);
  // leakage-guard: every view recomputed from counterfactual histories at probe times of the test
  // period, on the engine's threads. Queued after the fits, which the next stages wait for (queued
  // first, it held both threads for the international project's 15 s while its fits waited), and
  // not awaited here: the run is recorded only once the guard has passed.
  const reference = computed;
  const leakageGuard = graph.run({
    name: 'leakage-guard',
    needs: ['features'],
    params: { probes: spec.leakageGuard.probes },
    code: ['pipelines/feature-store'],
    describe: `${spec.leakageGuard.probes} counterfactual probes`,
    run: async () => {
      const report = await checkFeatureLeakageOnThread({
        spec: storeSpec,
        rows: eventRows,
        options: {
          probes: spec.leakageGuard.probes,
          times: testTimes,
          // The training set when this run computed it; otherwise the guard builds its own.
          ...(reference ? { reference: await reference } : {}),
        },
        source: `${file} (features)`,
      });
      return {
        method: featureLeakageGuardMethod,
        probes: report.probes.map((probe) => ({ date: probe.time, rows: probe.rows })),
        checkedRows: report.checkedRows,
        checkedValues: report.checkedValues,
      };
    },
  });
  // Its failure is reported where it is awaited, before the report; this keeps it from going
  // unhandled when a stage in between fails first.
  leakageGuard.catch(() => undefined);

  // online-store: every entity's latest features for serving, checked against the offline rows.
  // It and the data profile run on this thread after the fits are queued: the models need
  // neither, so the engine's threads start on the fits without waiting for them.
  const online = await graph
    .run({
      name: 'online-store',
      needs: ['features'],
      params: { sample: 50, seed: spec.seed },
      code: ['pipelines/feature-store'],
      describe: 'latest value per entity, skew-checked against the training set',
      run: async () => {
        const session = await store();
        const materialized = await materializeOnlineStore(session);
        const training = await trainingSet();
        const skew = await checkTrainingServingSkew(session, training, { sample: 50, seed: spec.seed });
        assertNoSkew(skew, training, `${file} (features)`);
        return {
          store: materialized,
          skew: { checkedEvents: skew.checkedEvents, checkedValues: skew.checkedValues, mismatches: 0 },
        };
      },
    })
    .finally(closeStore);

  // profile: each collected table's columns, in a DataFrame, for the data card
  const profiles = await graph.run<TableProfile[]>({
    name: 'profile',
    needs: Object.keys(tables).map((name) => `collect:${name}`),
    code: ['pipelines/profile'],
    describe: 'column profiles for the data card (danfojs)',
    run: async () => {
      const out: TableProfile[] = [];
      for (const table of Object.values(tables))
        out.push(await profileTable(table.name, table.rows, table.columns));
      return out;
    },
  });

  const trained = await training;

  const forecastRows = (artifact: TaskArtifact, indices: readonly number[]) => {
    const columns = artifact.featureNames.map((f) => rows.featureNames.indexOf(f));
    return indices.map((i) =>
      forecastWith(
        artifact,
        columns.map((c) => rows.x[i]![c]!),
      ),
    );
  };
  const testOutcomes = split.test.map((i) => rows.outcomes[i]!);
  const isBaselineModel = (m: ProjectFile['models'][number]) => modelKinds[m.kind]!.baseline;

  // evaluate
  const evaluation = await graph.run({
    name: 'evaluate',
    needs: ['split', ...spec.models.map((m) => `train:${m.id}`)],
    params: { metrics, primary, seed: spec.seed, resamples: spec.resamples },
    code: ['pipelines/evaluation', 'pipelines/tasks'],
    describe: `${metrics.length} metrics with 95% intervals, paired comparisons, slices`,
    run: async () => {
      const forecasts = Object.fromEntries(
        spec.models.map((m, i) => [m.id, forecastRows(trained[i]!.artifact, split.test)]),
      );
      const result = evaluateForecasts({
        task,
        models: spec.models.map((m) => ({ id: m.id, baseline: isBaselineModel(m) })),
        forecasts,
        outcomes: testOutcomes,
        metrics,
        primary,
        sliceBy: Object.fromEntries(
          Object.entries(rows.slices).map(([column, values]) => [column, split.test.map((i) => values[i]!)]),
        ),
        seed: spec.seed,
        resamples: spec.resamples,
      });
      const latency = Object.fromEntries(
        spec.models.map((m, i) => [m.id, measureLatency(trained[i]!.artifact, rows, split.test)]),
      );
      return { ...result, forecasts, latency };
    },
  });

  // backtest: rolling origin over seasons, the last folds only (their fits were queued above)
  let backtest: RunRecord['backtest'];
  if (spec.backtest.enabled) {
    const foldArtifacts = await foldFits;
    backtest = await graph.run({
      name: 'backtest',
      needs: foldNames,
      params: { metrics },
      code: ['pipelines/evaluation', 'pipelines/tasks'],
      describe: `${folds.length} rolling-origin folds`,
      run: async () =>
        foldArtifacts.map(({ fold, models }) => ({
          trainSeasons: fold.trainSeasons,
          testSeason: fold.testSeason,
          rows: fold.test.length,
          metrics: Object.fromEntries(
            models.map(({ id, artifact }) => [
              id,
              Object.fromEntries(
                metrics.map((metric) => [
                  metric,
                  estimateMetric(
                    metric,
                    task,
                    forecastRows(artifact, fold.test),
                    fold.test.map((i) => rows.outcomes[i]!),
                    {
                      seed: spec.seed,
                      resamples: 100,
                    },
                  ).value,
                ]),
              ),
            ]),
          ),
        })),
    });
  }

  const candidates = spec.models.filter((m) => !isBaselineModel(m));
  const primaryValue = (id: string) => evaluation.metrics[id]![primary]!.value;
  const bestCandidate = candidates.length
    ? candidates.reduce((best, m) =>
        isBetter(primary, primaryValue(m.id), primaryValue(best.id)) ? m : best,
      ).id
    : evaluation.best;
  const bestCandidateIndex = spec.models.findIndex((m) => m.id === bestCandidate);
  const explainMetric: TaskMetricId =
    taskMetrics[primary].aggregate === 'mean' ? primary : defaultMetrics(task)[0]!;

  // explain
  const explanation = await graph.run({
    name: 'explain',
    needs: [`train:${bestCandidate}`, 'split'],
    params: { explain: spec.explain, metric: explainMetric, seed: spec.seed, resamples: spec.resamples },
    code: ['pipelines/explain', 'pipelines/tasks'],
    describe: `permutation importance and partial dependence of ${bestCandidate}`,
    run: async () => {
      const artifact = trained[bestCandidateIndex]!.artifact;
      const columns = artifact.featureNames.map((f) => rows.featureNames.indexOf(f));
      const testX = split.test.map((i) => columns.map((c) => rows.x[i]![c]!));
      const sign = taskMetrics[explainMetric].better === 'higher' ? -1 : 1;
      const score = (forecast: Forecast, outcome: number) =>
        sign * metricRowValues(explainMetric, task, [forecast], [outcome])[0]!;
      const forecast = (row: readonly number[]) => forecastWith(artifact, row);
      const importance = permutationImportance(forecast, testX, testOutcomes, artifact.featureNames, score, {
        repeats: spec.explain.repeats,
        seed: spec.seed,
        resamples: spec.resamples,
      });
      const top = importance.slice(0, spec.explain.partialDependence).map((f) => f.feature);
      const classes = isClassification(task) ? task.classes : undefined;
      return {
        importance,
        partialDependence: top.map((feature) => {
          const curves = (classes ?? ['mean']).map((label, k) =>
            partialDependence(forecast, testX, artifact.featureNames, feature, { label, classIndex: k }),
          );
          return {
            model: bestCandidate,
            feature,
            points: curves[0]!.grid.map((x, g) => ({ x, probabilities: curves.map((c) => c.values[g]!) })),
          };
        }),
      };
    },
  });

  // impact
  const impact = await graph.run({
    name: 'impact',
    needs: ['evaluate'],
    params: { impact: spec.impact, policy: bestCandidate, seed: spec.seed, resamples: spec.resamples },
    code: ['pipelines/impact', 'pipelines/evaluation'],
    describe: `${spec.impact.decision} (${spec.impact.unit})`,
    run: async () => {
      const measured = decisionImpact({
        spec: spec.impact,
        models: spec.models.map((m) => ({ id: m.id, label: labelOf(m) })),
        forecasts: evaluation.forecasts,
        outcomes: testOutcomes,
        ...(isClassification(task) ? { classes: task.classes } : {}),
        periods: split.test.map((i) => rows.seasons[i]!),
        policyModel: bestCandidate,
        period: describePeriod(split.testPeriod.seasons),
        seed: spec.seed,
        resamples: spec.resamples,
      });
      return {
        decision: measured.decision,
        unit: measured.unit,
        statusQuo: measured.statusQuo,
        policy: measured.policy,
        rows: measured.rows,
        rule: measured.rule,
        policies: measured.policies.map((p) => ({
          id: p.id,
          label: p.label,
          value: {
            value: p.total,
            lower: (p.perRow.lower ?? 0) * measured.rows,
            upper: (p.perRow.upper ?? 0) * measured.rows,
          },
        })),
        gains: measured.gains.map((gain) => ({ ...gain })),
        headline: measured.headline,
        retrospective: false,
      };
    },
  });

  const leakage = await leakageGuard;

  // report
  const key = graph.key();
  const latest = await readLatestRun(paths.runsDir).catch(() => undefined);
  // A changed project that changes no stage (a new title) still gets a new record, so the audit,
  // which compares the recorded project with the current one, and this cache never disagree.
  if (
    latest &&
    latest.key === key &&
    latest.inputs.projectSpecSha256 === project.normalisedSha256 &&
    !options.force
  ) {
    progress.stage('report', `unchanged since run ${latest.runId}`);
    await recordRunFingerprint(workspace, project.slug, fingerprint, latest.runId);
    return { record: latest, runDir: join(paths.runsDir, latest.runId), reused: true };
  }
  const models: ModelResult[] = spec.models.map((model, i) => {
    const kind = modelKinds[model.kind]!;
    const artifactText = JSON.stringify(trained[i]!.artifact);
    return {
      id: model.id,
      kind: model.kind,
      label: labelOf(model),
      baseline: kind.baseline,
      params: model.params,
      metrics: evaluation.metrics[model.id]!,
      timings: { trainMs: round(trained[i]!.trainMs, 1), ...evaluation.latency[model.id]! },
      sizeBytes: Buffer.byteLength(artifactText),
      artifact: `models/${model.id}.json`,
      interpretability: kind.interpretability,
    };
  });
  const createdAt = now();
  const runId = runIdFor(createdAt, key);
  const runDir = join(paths.runsDir, runId);
  const events = tables[eventsName]!;
  const trainRows = split.train;
  const record: RunRecord = {
    schemaVersion: 2,
    runId,
    project: project.slug,
    createdAt: createdAt.toISOString(),
    key,
    seed: spec.seed,
    ...(options.dataUntil === undefined ? {} : { dataUntil: options.dataUntil }),
    versions: await recordedVersions({ tfjs: '@tensorflow/tfjs', duckdb: '@duckdb/node-api' }),
    inputs: {
      projectFileSha256: sha256(project.specText),
      projectSpecSha256: project.normalisedSha256,
      dataset: {
        ...events.provenance,
        excludedReasons: countReasons(events.excluded.map((e) => e.reason)),
        leagues: sliceValues(rows, spec.data.sliceBy[0]),
        firstDate: rows.times[0] ?? '',
        lastDate: rows.times.at(-1) ?? '',
        table: eventsName,
        ...(spec.data.sliceBy[0] ? { sliceBy: spec.data.sliceBy[0] } : {}),
        ...(events.scope ? { scope: events.scope } : {}),
      },
      profiles,
    },
    task: {
      kind: task.kind,
      target: rows.targetLabel,
      classes: isClassification(task) ? [...task.classes] : [],
      features: [...rows.featureNames],
      primaryMetric: primary,
      metrics: [...metrics],
    },
    split: { train: split.trainPeriod, test: split.testPeriod },
    testOutcomeShares: isClassification(task)
      ? task.classes.map((_, k) => testOutcomes.filter((y) => y === k).length / testOutcomes.length)
      : [],
    models,
    best: evaluation.best,
    bestBaseline: evaluation.bestBaseline,
    bestCandidate,
    stages: graph.stages.map((s) => ({
      name: s.name,
      key: s.key,
      cached: s.cached,
      durationMs: s.durationMs,
      needs: s.needs,
    })),
    timings: { totalMs: round(performance.now() - started, 1) },
    ...(evaluation.calibrationByModel ? { calibration: evaluation.calibrationByModel[evaluation.best] } : {}),
    featureReference: Object.fromEntries(
      rows.featureNames.map((name, j) => [
        name,
        trainRows.reduce((sum, i) => sum + rows.x[i]![j]!, 0) / trainRows.length,
      ]),
    ),
    leakageGuard: leakage,
    ...(joined.lineage.length ? { labels: joined.lineage } : {}),
    featureStore: {
      views: spec.features.map((view) => ({
        name: view.name,
        kind: view.kind,
        description: view.description,
        ttl: view.ttl,
      })),
      onlineStore: 'online-store.json',
      skewCheck: online.skew,
    },
    comparisons: evaluation.comparisons,
    ...(evaluation.calibrationError ? { calibrationError: evaluation.calibrationError } : {}),
    ...(evaluation.calibrationByModel ? { calibrationByModel: evaluation.calibrationByModel } : {}),
    ...(evaluation.confusion ? { confusion: evaluation.confusion } : {}),
    ...(evaluation.predictedVsActual ? { predictedVsActual: evaluation.predictedVsActual } : {}),
    slices: evaluation.slices,
    ...(backtest ? { backtest } : {}),
    importance: {
      model: bestCandidate,
      metric: explainMetric,
      method: `Permutation importance on the test period: the increase in ${taskMetrics[explainMetric].label} when one feature's values are shuffled across rows (mean of ${spec.explain.repeats} shuffles; 95% interval from ${spec.resamples} bootstrap resamples of rows). Correlated features stand in for each other, so each alone can look less important than the group is.`,
      features: explanation.importance,
    },
    partialDependence: explanation.partialDependence,
    impact,
  };
  // The run appears whole or not at all: written in a scratch folder, renamed into place.
  await writeRunDirectory(paths.runsDir, runId, async (directory) => {
    for (const [i, model] of models.entries()) {
      await writeFileAtomic(join(directory, model.artifact), JSON.stringify(trained[i]!.artifact));
    }
    await writeJsonAtomic(join(directory, 'online-store.json'), online.store);
    await writeJsonAtomic(join(directory, runFileName), record);
  });
  await recordRunFingerprint(workspace, project.slug, fingerprint, runId);
  progress.stage('report', `run ${runId} (${(await listRunIds(paths.runsDir)).length} run(s) recorded)`);
  return { record, runDir, reused: false };
}

/** Times of the test period (the latest seasons, or from `testFrom`), where leakage probes go. */
function testPeriodTimes(rows: EngineRows, split: ProjectFile['split']): string[] {
  if (split.by === 'date' && split.testFrom) return rows.times.filter((t) => t >= split.testFrom!);
  const seasons = [...new Set(rows.seasons)].sort(seasonOrder);
  const held = new Set(seasons.slice(-split.testSeasons));
  return rows.times.filter((_, i) => held.has(rows.seasons[i]!));
}

/**
 * The feature store's training set joined to the target, as plain rows in time order (events
 * without a target or a feature value left out, by reason). `ids[i]` is the event's index in
 * `kept`. Exported for `mlfolio replay`, which rebuilds a run's held-out events.
 */
export async function buildEngineRows(
  project: EngineProject,
  storeSpec: ReturnType<typeof featureStoreSpecOf>,
  kept: readonly Row[],
  /** The store's training set of `kept`, when the caller has it already. */
  computed?: TrainingSet,
): Promise<EngineRows> {
  const spec = project.file;
  const eventsSpec = eventsSpecOf(spec);
  const timeColumn = eventsSpec.time.column;
  const seasonOf = (row: Row) =>
    eventsSpec.time.kind === 'season'
      ? String(row[timeColumn])
      : eventsSpec.season
        ? String(row[eventsSpec.season])
        : String(row[timeColumn]).slice(0, 4);
  const set =
    computed ?? (await buildTrainingSet(storeSpec, { rows: kept }, `${project.specFile} (features)`));
  const featureNames = set.columns;
  for (const name of [...(spec.use ?? []), ...spec.models.flatMap((m) => m.features ?? [])]) {
    if (!set.columns.includes(name)) {
      throw new MlfolioError({
        code: 'E_FEATURE_UNKNOWN',
        message: `${project.specFile}: "${name}" (in use, or a model's features) is not a column any feature view outputs.`,
        hint: `Feature columns: ${set.columns.join(', ')}.`,
      });
    }
  }
  const times = kept.map((row) => String(row[timeColumn]));
  const futureRole = spec.target.future ? spec.data.roles[spec.target.future.role] : undefined;
  const target = readTarget(spec.target, kept, {
    file: project.specFile,
    ...(futureRole ? { keyColumn: futureRole.key } : {}),
    times,
  });
  const leftOut: Record<string, number> = {};
  const out: EngineRows = {
    task: target.task,
    targetLabel: target.label,
    featureNames: [...featureNames],
    ids: [],
    times: [],
    seasons: [],
    outcomes: [],
    x: [],
    slices: Object.fromEntries(spec.data.sliceBy.map((c) => [c, [] as string[]])),
    leftOut,
  };
  for (let r = 0; r < set.size; r++) {
    const i = set.inputRow[r]!;
    const row = kept[i]!;
    const y = target.outcomes[i];
    if (y === null || y === undefined) {
      leftOut['no target yet'] = (leftOut['no target yet'] ?? 0) + 1;
      continue;
    }
    const x = featureNames.map((name) => set.values[name]![r]!);
    const missing = featureNames.filter((_, j) => Number.isNaN(x[j]!));
    if (missing.length) {
      const reason = `no value for ${missing[0]}${missing.length > 1 ? ` (+${missing.length - 1} more)` : ''}`;
      leftOut[reason] = (leftOut[reason] ?? 0) + 1;
      continue;
    }
    out.ids.push(set.ids[r]!);
    out.times.push(times[i]!);
    out.seasons.push(seasonOf(row));
    out.outcomes.push(y);
    out.x.push(x);
    for (const column of spec.data.sliceBy) out.slices[column]!.push(String(row[column] ?? ''));
  }
  if (out.ids.length === 0) {
    throw new MlfolioError({
      code: 'E_NO_USABLE_EVENTS',
      message: `${project.specFile}: no event has both a target and every feature (${describeLeftOut(leftOut)}).`,
      hint: 'Give the views defaults for entities without history, or check the target.',
    });
  }
  return out;
}

/** Every class must occur in training: a model cannot learn a class it never sees. */
function checkClassesInTraining(slug: string, task: Task, rows: EngineRows, split: TimeSplit): void {
  if (!isClassification(task)) return;
  const present = new Set(split.train.map((i) => rows.outcomes[i]));
  for (const [k, name] of task.classes.entries()) {
    if (!present.has(k)) {
      throw new MlfolioError({
        code: 'E_CLASS_ABSENT',
        message: `Project "${slug}", stage split: class "${name}" never occurs in the ${split.train.length} training rows (${split.trainPeriod.seasons.join(', ')}).`,
        hint: 'A model cannot learn a class it never sees; train on more seasons.',
      });
    }
  }
}

function measureLatency(artifact: TaskArtifact, rows: EngineRows, indices: readonly number[]) {
  const columns = artifact.featureNames.map((f) => rows.featureNames.indexOf(f));
  const sample = indices.slice(0, 200).map((i) => columns.map((c) => rows.x[i]![c]!));
  for (const row of sample) forecastWith(artifact, row);
  const times = sample.map((row) => {
    const t0 = performance.now();
    for (let k = 0; k < 20; k++) forecastWith(artifact, row);
    return ((performance.now() - t0) / 20) * 1000;
  });
  times.sort((a, b) => a - b);
  const at = (q: number) => round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0, 2);
  return { predictP50Us: at(0.5), predictP99Us: at(0.99) };
}

export function defaultMetrics(task: Task): TaskMetricId[] {
  switch (task.kind) {
    case 'binary':
      return ['log_loss', 'brier', 'auc', 'accuracy'];
    case 'multiclass':
      return ['log_loss', 'brier', 'accuracy'];
    case 'ordinal':
      return ['rps', 'log_loss', 'brier', 'accuracy'];
    case 'regression':
      return ['crps', 'mae', 'rmse', 'pinball', 'coverage_80', 'coverage_95'];
    case 'count':
      return ['poisson_deviance', 'crps', 'mae', 'coverage_80'];
  }
}

function labelOf(model: ProjectFile['models'][number]): string {
  return model.label ?? modelKinds[model.kind]?.label ?? model.kind;
}

function describePeriod(seasons: readonly string[]): string {
  return `the ${seasons.join(', ')} season${seasons.length > 1 ? 's' : ''}`;
}

function describeLeftOut(leftOut: Record<string, number>): string {
  const entries = Object.entries(leftOut);
  return entries.length ? ` (left out: ${entries.map(([reason, n]) => `${n} × ${reason}`).join('; ')})` : '';
}

function sliceValues(rows: EngineRows, column: string | undefined): string[] {
  return column ? [...new Set(rows.slices[column])].sort() : [];
}

function countReasons(reasons: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const reason of reasons) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
