import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { featureStoreSpecOf } from '../../pipelines/engine/feature-store-spec.ts';
import {
  type FeatureStorePlan,
  formulaLineage,
  planFeatureStore,
} from '../../pipelines/feature-store/feature-store-plan.ts';
import { compileFormula } from '../../pipelines/feature-store/formula-expression.ts';
import type { OnlineStore } from '../../pipelines/feature-store/online-serving.ts';
import { timeLabel } from '../../pipelines/feature-store/training-set.ts';
import type { TaskArtifact } from '../../pipelines/tasks/models/forecast.ts';
import type { TaskKind } from '../../pipelines/tasks/task.ts';
import type { DeclaredDemoData, DemoColumnInput } from '../demo/declared-demo.ts';
import { packOnlineStore } from '../demo/declared-demo.ts';
import { className } from './format.ts';
import { modelArtifactHref } from './links.ts';
import type { SiteProject } from './portfolio.ts';
import { requireModel, requireRun } from './portfolio.ts';
import { siteError } from './site-error.ts';

/** Artifacts up to this size ride in the page; a larger one is fetched when the page opens. */
const embedLimitBytes = 16 * 1024;

/**
 * The version 2 demo's embedded data, from the latest run: the run's best model, the feature
 * store's plan restricted to the features that model reads (and the formulas they need), the
 * online store restricted to those views and packed, the column inputs with their types and
 * training-period means, and defaults for the first forecast. The artifact is returned apart, for
 * the build's first forecast, and rides in the page only when small.
 */
export async function declaredDemoData(
  project: SiteProject,
): Promise<{ data: DeclaredDemoData; artifact: TaskArtifact }> {
  const where = `The demo of project "${project.slug}"`;
  const run = requireRun(project, where);
  const spec = project.declared.file;
  const model = requireModel(run, run.best, where);
  const artifact = await readRunFile<TaskArtifact>(
    project,
    model.artifact,
    `the artifact of model "${model.id}"`,
  );
  const store = await readRunFile<OnlineStore>(
    project,
    run.featureStore?.onlineStore ?? 'online-store.json',
    'the online store',
  );
  const fullPlan = planFeatureStore(featureStoreSpecOf(spec), project.specFile);
  const plan = planFor(fullPlan, artifact.featureNames);
  const views = new Map(plan.spec.views.map((view) => [view.name, view]));
  const events = spec.data.tables[spec.data.events ?? Object.keys(spec.data.tables)[0]!]!;
  const reference = run.featureReference ?? {};

  const columns: DemoColumnInput[] = plan.outputs.flatMap((output) => {
    const view = views.get(output.view)!;
    if (view.kind !== 'column') return [];
    const declared = events.columns?.[view.column];
    const type = declared === 'boolean' ? 'boolean' : declared === 'string' ? 'category' : 'number';
    const mean = reference[output.column];
    const initial =
      mean === undefined
        ? ''
        : type === 'boolean'
          ? String(mean >= 0.5)
          : String(Number(mean.toPrecision(4)));
    return [{ feature: output.column, column: view.column, description: view.description, type, initial }];
  });
  const formulas = Object.entries(plan.formulas).map(([feature, formula]) => {
    const compiled = compileFormula(formula.expression, formula.inputs);
    return {
      feature,
      expression: formula.expression,
      description: views.get(feature)!.description,
      ...(compiled.supported ? {} : { unsupported: compiled.reason }),
    };
  });

  const labels = { timeKind: store.timeKind, seasons: store.seasons };
  const earliest =
    store.timeKind === 'season' ? nextSeason(store.seasons) : timeLabel(labels, store.materializedAt)!;
  const packed = packOnlineStore(
    store,
    Object.keys(store.views).filter((name) => views.has(name)),
  );
  const roles = Object.entries(spec.data.roles).map(([role, declared]) => ({
    role,
    entity: declared.entity,
  }));
  const data: DeclaredDemoData = {
    task: {
      kind: run.task.kind as TaskKind,
      target: run.task.target,
      classes: run.task.classes,
      classLabels: run.task.classes.map((code) =>
        // A binary target's classes are often the words false and true: say no and yes.
        code === 'true' ? 'Yes' : code === 'false' ? 'No' : className(code),
      ),
    },
    plan,
    store: packed,
    model: {
      id: model.id,
      label: model.label,
      href: modelArtifactHref(project.slug, model.id),
      sizeBytes: model.sizeBytes,
      ...(model.sizeBytes <= embedLimitBytes ? { artifact } : {}),
    },
    roles,
    columns,
    formulas,
    time: { kind: store.timeKind, earliest },
    defaults: { entities: defaultEntities(packed, roles), time: earliest },
  };
  return { data, artifact };
}

/** The plan cut down to the outputs `features` read, directly or through formulas. */
export function planFor(plan: FeatureStorePlan, features: readonly string[]): FeatureStorePlan {
  const needed = formulaLineage(plan, features);
  const outputs = plan.outputs.filter((output) => needed.has(output.column));
  const viewNames = new Set(outputs.map((output) => output.view));
  const keep = <T>(record: Record<string, T>, names: Set<string>) =>
    Object.fromEntries(Object.entries(record).filter(([name]) => names.has(name)));
  return {
    ...plan,
    // The page needs names, not where the declaration came from or its SQL per role.
    source: '',
    spec: { ...plan.spec, views: plan.spec.views.filter((view) => viewNames.has(view.name)) },
    outputs,
    ttl: keep(plan.ttl, viewNames),
    formulas: keep(plan.formulas, needed),
  };
}

/** The first forecast's entities: for each role, a distinct key with the latest data. */
function defaultEntities(
  store: DeclaredDemoData['store'],
  roles: DeclaredDemoData['roles'],
): Record<string, string> {
  const chosen: Record<string, string> = {};
  const used = new Set<string>();
  for (const { role, entity } of roles) {
    const keys = store.keys[entity] ?? [];
    const latest = (key: number) =>
      Math.max(
        ...Object.values(store.views)
          .filter((view) => view.entity === entity)
          .map((view) => {
            const t = store.times[view.asOf[key]!];
            return t === undefined ? Number.NEGATIVE_INFINITY : Date.parse(t) || Number(t);
          }),
      );
    const order = keys.map((_, i) => i).sort((a, b) => latest(b) - latest(a) || a - b);
    const pick = order.map((i) => keys[i]!).find((key) => !used.has(key)) ?? keys[0] ?? '';
    used.add(pick);
    chosen[role] = pick;
  }
  return chosen;
}

/** The season after the last known one (numeric labels count up; others cannot be guessed). */
function nextSeason(seasons: readonly string[]): string {
  const last = seasons.at(-1) ?? '';
  return /^\d+$/.test(last) ? String(Number(last) + 1) : `${last}+1`;
}

async function readRunFile<T>(project: SiteProject, relativePath: string, what: string): Promise<T> {
  const file = join(project.runDir ?? '', relativePath);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    throw siteError(
      {
        code: 'E_SITE_RUN_FILE_MISSING',
        message: `The demo of "${project.slug}" needs ${what} at ${file}, which cannot be read.`,
        hint: `Rerun the pipeline: \`npm run mlfolio -- run ${project.slug} --force\`.`,
      },
      { cause: error },
    );
  }
}
