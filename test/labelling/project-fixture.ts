import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { seededRandom } from '../../pipelines/random.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';

export const fixtureTournaments = [
  'World Cup',
  'World Cup qualification',
  'Continental Cup',
  'Continental Cup qualification',
  'Friendly',
  'Regional Games',
  'Invitational Trophy',
];
const teams = ['Aland', 'Borduria', 'Carpania', 'Dorne', 'Elbonia', 'Freedonia', 'Genovia', 'Hyrule'];

/** Seeded international-style matches over six seasons: stronger sides win more often. */
export function fixtureMatches(count = 480): string {
  const random = seededRandom(11);
  const strength = teams.map((_, i) => i * 60);
  const lines = ['date,home_team,away_team,home_score,away_score,tournament,neutral'];
  for (let i = 0; i < count; i++) {
    const h = Math.floor(random() * teams.length);
    let a = Math.floor(random() * (teams.length - 1));
    if (a >= h) a++;
    const p = 1 / (1 + 10 ** (-(strength[h]! - strength[a]!) / 400));
    const homeWin = random() < p;
    const year = 2015 + Math.floor((i / count) * 6);
    const day = `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    const tournament = fixtureTournaments[i % fixtureTournaments.length]!;
    lines.push(
      `${day},${teams[h]},${teams[a]},${homeWin ? 2 : 0},${homeWin ? 1 : 1},${tournament},${i % 5 === 0}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A version 2 project with a labelling task over its tournaments, joined as `importance` into Elo's K. */
export function fixtureProject(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 2,
    title: 'Labelled importance',
    summary: 'A fixture project whose Elo K reads labels.',
    question: 'Does the home side win?',
    whyItMatters: 'It tests the labelling integration.',
    data: {
      tables: {
        matches: {
          source: { kind: 'csv', file: 'data/matches.csv', licence: 'CC0 1.0', attribution: 'generated' },
          columns: {
            date: 'date',
            home_team: 'string',
            away_team: 'string',
            home_score: 'integer',
            away_score: 'integer',
            tournament: 'string',
            neutral: 'boolean',
          },
          derive: { home_win: 'home_score > away_score' },
          time: { column: 'date', kind: 'date' },
          labels: [
            {
              task: 'importance',
              key: 'tournament',
              column: 'importance',
              default: 'other',
              effectOn: ['elo'],
            },
          ],
        },
      },
      roles: {
        home: { entity: 'nation', key: 'home_team', columns: { goals_for: 'home_score' } },
        away: { entity: 'nation', key: 'away_team', columns: { goals_for: 'away_score' } },
      },
      sliceBy: ['importance'],
    },
    target: { task: 'binary', column: 'home_win', classes: ['false', 'true'], label: 'home side wins' },
    features: [
      {
        name: 'elo',
        description: 'Elo with K by labelled importance',
        kind: 'elo',
        entity: 'nation',
        score: 'goals_for',
        k: {
          column: 'importance',
          values: { major: 60, qualifier: 40, other: 30, friendly: 10 },
          default: 30,
        },
        neutral: 'neutral',
        ttl: '1000d',
      },
      {
        name: 'elo_diff',
        description: 'difference',
        kind: 'formula',
        difference: ['elo_home', 'elo_away'],
        ttl: '1000d',
      },
    ],
    use: ['elo_diff'],
    split: { by: 'season', testSeasons: 1 },
    backtest: { enabled: false },
    leakageGuard: { probes: 2 },
    explain: { repeats: 1, partialDependence: 1 },
    models: [
      { id: 'prior', kind: 'class-prior' },
      { id: 'elo', kind: 'rating', features: ['elo_diff'], params: { feature: 'elo_diff' } },
      { id: 'logreg', kind: 'logistic-regression' },
    ],
    metrics: ['log_loss', 'brier'],
    impact: {
      decision: 'Back the home side at even money at 55%',
      unit: 'units',
      rule: { rule: 'threshold', threshold: 0.55, value: { truePositive: 1, falsePositive: -1, skip: 0 } },
      statusQuo: { always: 'true', label: 'always' },
    },
    resamples: 100,
    labelling: {
      tasks: [
        {
          name: 'importance',
          items: { source: 'project-table', table: 'matches', distinct: 'tournament' },
          labels: {
            kind: 'classes',
            classes: [{ name: 'major' }, { name: 'qualifier' }, { name: 'other' }, { name: 'friendly' }],
          },
          guidelines: { version: 'v1', text: 'Finals are major; qualifying rounds are qualifiers.' },
          sampling: { strategy: 'random', seed: 3, selfOverlapShare: 0.5, selfOverlapGap: 1 },
          gold: [
            { item: 'World Cup', label: 'major' },
            { item: 'Friendly', label: 'friendly' },
          ],
          labellingFunctions: [
            {
              name: 'qualification',
              label: 'qualifier',
              when: [{ field: 'tournament', op: 'contains', value: 'qualification' }],
            },
            {
              name: 'friendly',
              label: 'friendly',
              when: [{ field: 'tournament', op: 'equals', value: 'Friendly' }],
            },
          ],
        },
      ],
    },
    ...overrides,
  };
}

/** A portfolio in a temporary folder holding the fixture project as `slug`. */
export async function fixtureWorkspace(slug = 'labelled', project = fixtureProject()) {
  const root = await mkdtemp(join(tmpdir(), 'mlfolio-labelling-project-'));
  await mkdir(join(root, 'data'), { recursive: true });
  await writeFile(join(root, 'data', 'matches.csv'), fixtureMatches());
  const dir = join(root, 'content', 'projects', slug);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'project.yaml'), stringify(project));
  return { root, workspace: workspaceAt(root), dir };
}
