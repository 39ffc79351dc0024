import type { DemoData } from '../demo/fixture-prediction.ts';
import { className, higherIsBetter } from './format.ts';
import { modelArtifactHref } from './links.ts';
import type { SiteProject } from './portfolio.ts';
import { requireRun } from './portfolio.ts';
import { readArtifact, readTeamState } from './run-files.ts';

const dayMs = 86_400_000;
/** Artifacts up to this size ride in the page; larger ones (boosted trees) load when picked. */
const embedLimitBytes = 16 * 1024;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The demo's embedded data: every model's artifact, every team's state, the contribution reference. */
export async function demoData(project: SiteProject): Promise<DemoData> {
  const run = requireRun(project, `The demo of project "${project.slug}"`);
  const teams = await readTeamState(project);
  // The demo opens on the best model that is not a baseline: its contributions have most to show.
  const metric = run.task.primaryMetric;
  const sign = higherIsBetter(metric) ? -1 : 1;
  const defaultModel =
    run.models
      .filter((m) => !m.baseline)
      .sort((a, b) => sign * (a.metrics[metric]!.value - b.metrics[metric]!.value))[0]?.id ?? run.best;
  const models = await Promise.all(
    run.models.map(async (model) => {
      const embedded = model.id === defaultModel || model.sizeBytes <= embedLimitBytes;
      return {
        id: model.id,
        label: model.label,
        href: modelArtifactHref(project.slug, model.id),
        sizeBytes: model.sizeBytes,
        ...(embedded ? { artifact: await readArtifact(project, model) } : {}),
      };
    }),
  );
  // The two highest-rated teams make a fixture worth looking at.
  const [home, away] = Object.entries(teams)
    .sort(([, a], [, b]) => b.elo - a.elo)
    .map(([name]) => name);
  const last = Date.parse(run.inputs.dataset.lastDate);
  return {
    classes: run.task.classes,
    classLabels: run.task.classes.map(className),
    reference: run.featureReference ?? null,
    teams,
    models,
    defaults: {
      model: defaultModel,
      home: home ?? '',
      away: away ?? home ?? '',
      date: isoDate(last + 7 * dayMs),
    },
    minDate: isoDate(last + dayMs),
  };
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` are escaped so no string
 * in the data (a team named `</script><script>…`) can close the block or open markup.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
