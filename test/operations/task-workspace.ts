import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { type Workspace, workspaceAt } from '../../portfolio/workspace.ts';
import { repoRoot } from '../e2e/workspace.ts';

export const regressionSlug = 'mlb-team-wins';
export const binarySlug = 'international-home-wins';
export const countSlug = 'mlb-wins-count';
export const ordinalSlug = 'international-results';

/**
 * A throw-away portfolio with two small version 2 projects on the shipped real data, not yet run:
 * - `mlb-team-wins`, regression (next season's wins), the example's file with the MLP, the trees
 *   and the backtest left out;
 * - `international-home-wins`, binary (does the home side win), the international example cut to
 *   matches since 2016, without its labelling task (a fixed Elo K), with the class prior, Elo and
 *   logistic regression, one test season;
 * - `mlb-wins-count`, count (next season's wins as a count, Poisson), the mean rate and a Poisson GLM;
 * - `international-results`, ordinal (away win < draw < home win) on matches since 2019, the class
 *   prior and an ordinal logit.
 */
export async function taskWorkspace(): Promise<{ workspace: Workspace; dispose: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'mlfolio-ops-v2-'));
  await mkdir(join(root, 'content', 'projects'), { recursive: true });
  await cp(join(repoRoot, 'content', 'portfolio.yaml'), join(root, 'content', 'portfolio.yaml'));
  const write = async (slug: string, spec: unknown) => {
    const dir = join(root, 'content', 'projects', slug);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'project.yaml'), stringify(spec));
  };
  const example = async (slug: string) =>
    parse(await readFile(join(repoRoot, 'content', 'projects', slug, 'project.yaml'), 'utf8')) as Record<
      string,
      // biome-ignore lint/suspicious/noExplicitAny: a parsed project file, edited field by field
      any
    >;

  const mlb = await example('mlb-team-wins');
  mlb.models = mlb.models.filter((m: { kind: string }) => m.kind !== 'mlp' && m.kind !== 'gradient-boosting');
  mlb.backtest = { enabled: false };
  mlb.leakageGuard = { probes: 2 };
  mlb.explain = { repeats: 1, partialDependence: 0 };
  mlb.resamples = 200;
  await write(regressionSlug, mlb);

  const intl = await example('international-match-outcomes');
  delete intl.experiments;
  delete intl.labelling;
  const matches = intl.data.tables.matches;
  delete matches.labels;
  matches.where = "date >= '2016-01-01'";
  intl.data.sliceBy = ['venue'];
  const elo = intl.features.find((f: { kind: string }) => f.kind === 'elo');
  elo.k = 30;
  elo.description = 'Elo rating before the match (K 30), no home advantage at neutral venues';
  intl.models = intl.models.filter((m: { id: string }) => ['prior', 'elo', 'logreg'].includes(m.id));
  intl.split = { by: 'season', testSeasons: 1 };
  intl.backtest = { enabled: false };
  intl.leakageGuard = { probes: 2 };
  intl.explain = { repeats: 1, partialDependence: 0 };
  intl.resamples = 200;
  await write(binarySlug, intl);

  const count = structuredClone(mlb);
  count.data.roles.self.columns.W = 'W';
  count.target = {
    task: 'count',
    future: { entity: 'team', role: 'self', column: 'W' },
    label: 'wins next season',
  };
  count.models = [
    { id: 'mean-rate', kind: 'mean-rate' },
    { id: 'poisson', kind: 'poisson-glm' },
  ];
  delete count.metrics;
  delete count.primaryMetric;
  count.impact = { ...count.impact, statusQuo: { model: 'mean-rate', label: 'The average team' } };
  await write(countSlug, count);

  const ordinal = structuredClone(intl);
  ordinal.data.tables.matches.where = "date >= '2019-01-01'";
  ordinal.data.tables.matches.derive.result =
    "CASE WHEN home_score > away_score THEN 'home' WHEN home_score = away_score THEN 'draw' ELSE 'away' END";
  ordinal.target = { task: 'ordinal', column: 'result', classes: ['away', 'draw', 'home'], label: 'result' };
  ordinal.models = [
    { id: 'prior', kind: 'class-prior' },
    { id: 'ordinal', kind: 'ordinal-logit' },
  ];
  delete ordinal.metrics;
  delete ordinal.primaryMetric;
  ordinal.impact = {
    decision: 'Tip the most likely result',
    unit: 'points',
    rule: { rule: 'pick', value: { correct: 1, wrong: 0 } },
    statusQuo: { always: 'home', label: 'Always tip the home side' },
  };
  await write(ordinalSlug, ordinal);

  return { workspace: workspaceAt(root), dispose: () => rm(root, { recursive: true, force: true }) };
}
