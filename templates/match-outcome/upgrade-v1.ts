import type { ProjectSpec } from './project-file-v1.ts';

/**
 * Reads a version 1 project file (the club-football match-outcome project, with its fixed list of
 * match features: this template's earlier format, which is why the upgrade lives beside it and
 * the engine's loader knows no sport) as version 2: the same question declared as data. The 11 match features become
 * feature-store views over the home and away roles, the models their task-generic kinds, the
 * tipping impact a `pick` decision against a declared status-quo model. The numbers a v1 file
 * produced are kept: the views compute the same values, and the models fit the same way.
 */
export function upgradeV1(v1: ProjectSpec): Record<string, unknown> {
  const used = new Set<string>(v1.features);
  const needsElo = ['elo_home', 'elo_away', 'elo_diff'].some((f) => used.has(f));
  const views: Record<string, unknown>[] = [];
  if (needsElo) views.push(...footballViews.elo);
  if (used.has('form_home') || used.has('form_away')) views.push(footballViews.form);
  if (used.has('goal_diff_home') || used.has('goal_diff_away')) views.push(footballViews.goalDiff);
  if (used.has('home_form_at_home')) views.push(footballViews.homeFormAtHome);
  if (used.has('away_form_away')) views.push(footballViews.awayFormAway);
  if (used.has('rest_days_home') || used.has('rest_days_away')) views.push(footballViews.restDays);

  const statusQuoClass = { 'always-home': 'H', 'always-draw': 'D', 'always-away': 'A' }[v1.impact.statusQuo];
  const statusQuoLabel = {
    'always-home': 'Always tip the home side',
    'always-draw': 'Always tip a draw',
    'always-away': 'Always tip the away side',
  }[v1.impact.statusQuo];
  return {
    version: 2,
    title: v1.title,
    summary: v1.summary,
    question: v1.question,
    whyItMatters: v1.whyItMatters,
    data: {
      tables: {
        matches: {
          source: v1.source,
          derive: {
            result:
              "CASE WHEN homeGoals > awayGoals THEN 'H' WHEN homeGoals = awayGoals THEN 'D' ELSE 'A' END",
          },
          time: { column: 'date', kind: 'date' },
          season: 'season',
        },
      },
      roles: footballRoles,
      sliceBy: ['league', 'season'],
    },
    target: { column: 'result', task: 'ordinal', classes: ['H', 'D', 'A'], label: 'full-time result' },
    features: views,
    use: [...v1.features],
    split: { by: 'season', testSeasons: v1.split.testSeasons },
    backtest: {
      enabled: v1.backtest.enabled,
      minTrainSeasons: v1.backtest.minTrainSeasons,
      ...(v1.backtest.models ? { models: v1.backtest.models } : {}),
    },
    models: v1.models.map((model) => upgradeModel(model)),
    metrics: v1.metrics.map((m) => m),
    primaryMetric: v1.primaryMetric,
    leakageGuard: { probes: v1.leakageGuard.probes },
    explain: v1.explain,
    impact: {
      decision: v1.impact.decision,
      unit: v1.impact.unit,
      rule: { rule: 'pick', value: v1.impact.value },
      statusQuo: { always: statusQuoClass, label: statusQuoLabel },
      compareWith: v1.impact.compareWith,
    },
    resamples: v1.resamples,
    seed: v1.seed,
    tags: v1.tags,
  };
}

function upgradeModel(model: ProjectSpec['models'][number]): Record<string, unknown> {
  const common = { id: model.id, ...(model.label ? { label: model.label } : {}) };
  switch (model.kind) {
    case 'prior':
      return { ...common, kind: 'class-prior' };
    case 'elo':
      return { ...common, kind: 'rating', params: { feature: 'elo_diff' }, features: ['elo_diff'] };
    case 'logistic-regression':
      return { ...common, kind: 'multinomial-logit', params: { l2: model.params.l2 } };
    case 'mlp':
      return { ...common, kind: 'mlp', params: model.params };
    case 'gradient-boosting':
      return { ...common, kind: 'gradient-boosting', params: model.params };
  }
}

const points = (goalsFor: string, goalsAgainst: string) =>
  `CASE WHEN ${goalsFor} > ${goalsAgainst} THEN 3 WHEN ${goalsFor} = ${goalsAgainst} THEN 1 ELSE 0 END`;

/** A match seen from each side: the home team's and the away team's own columns. */
export const footballRoles = {
  home: {
    entity: 'team',
    key: 'homeTeam',
    columns: {
      goals_for: 'homeGoals',
      goals_against: 'awayGoals',
      points: points('homeGoals', 'awayGoals'),
      goal_diff: 'homeGoals - awayGoals',
    },
  },
  away: {
    entity: 'team',
    key: 'awayTeam',
    columns: {
      goals_for: 'awayGoals',
      goals_against: 'homeGoals',
      points: points('awayGoals', 'homeGoals'),
      goal_diff: 'awayGoals - homeGoals',
    },
  },
};

/** Points per game assumed for a team with no recent matches: the long-run league average. */
const priorPointsPerGame = 1.37;

/** The 11 features of the v1 match-outcome task, declared as views. */
export const footballViews = {
  elo: [
    {
      name: 'elo',
      kind: 'elo',
      entity: 'team',
      roles: ['home', 'away'],
      score: 'goals_for',
      k: 20,
      homeAdvantage: 60,
      initial: 1500,
      newcomer: 1420,
      marginMultiplier: true,
      description: 'Elo rating before the match (K 20, home advantage 60, goal-margin multiplier)',
      ttl: '400d',
    },
    {
      name: 'elo_diff',
      kind: 'formula',
      difference: ['elo_home', 'elo_away'],
      description: 'Home rating minus away rating',
      ttl: '400d',
    },
  ],
  form: {
    name: 'form',
    kind: 'rolling',
    entity: 'team',
    column: 'points',
    aggregate: 'mean',
    window: { events: 5 },
    default: priorPointsPerGame,
    description: 'Points per game over the team’s last five matches',
    ttl: '120d',
  },
  goalDiff: {
    name: 'goal_diff',
    kind: 'rolling',
    entity: 'team',
    column: 'goal_diff',
    aggregate: 'mean',
    window: { events: 5 },
    default: 0,
    description: 'Goal difference per game over the team’s last five matches',
    ttl: '120d',
  },
  homeFormAtHome: {
    name: 'home_form_at_home',
    kind: 'rolling',
    entity: 'team',
    roles: ['home'],
    historyRoles: ['home'],
    output: 'home_form_at_home',
    column: 'points',
    aggregate: 'mean',
    window: { events: 5 },
    default: priorPointsPerGame,
    description: 'The home side’s points per game in its last five home matches',
    ttl: '120d',
  },
  awayFormAway: {
    name: 'away_form_away',
    kind: 'rolling',
    entity: 'team',
    roles: ['away'],
    historyRoles: ['away'],
    output: 'away_form_away',
    column: 'points',
    aggregate: 'mean',
    window: { events: 5 },
    default: priorPointsPerGame,
    description: 'The away side’s points per game in its last five away matches',
    ttl: '120d',
  },
  restDays: {
    name: 'rest_days',
    kind: 'since',
    entity: 'team',
    cap: 14,
    description: 'Days since the team’s previous match, capped at 14',
    ttl: '400d',
  },
};
