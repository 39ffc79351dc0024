/**
 * Real tabular questions over time for `bench/task-trees.ts`, built from the open datasets in
 * ../shared/data (see its README): MLB team seasons (Baseball Databank, CC BY-SA 3.0) and men's
 * international football results (martj42/international_results, CC0). Every feature is known
 * before the event it predicts; the split is by time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { Task, TrainingSet } from '../pipelines/tasks/task.ts';

export interface BenchDataset {
  name: string;
  description: string;
  task: Task;
  train: TrainingSet;
  test: TrainingSet;
}

type Row = Record<string, string>;

function readCsv(file: string): Row[] {
  const raw = readFileSync(file);
  const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Row[];
}

function split(
  featureNames: readonly string[],
  rows: { x: number[]; y: number; test: boolean }[],
): { train: TrainingSet; test: TrainingSet } {
  const part = (test: boolean): TrainingSet => {
    const chosen = rows.filter((r) => r.test === test);
    return { featureNames, rows: chosen.map((r) => r.x), outcomes: chosen.map((r) => r.y) };
  };
  return { train: part(false), test: part(true) };
}

const teamStats = ['G', 'W', 'L', 'R', 'RA', 'ERA', 'HR', 'BB', 'SO', 'HA', 'HRA', 'BBA', 'SOA', 'E', 'FP'];

/**
 * MLB team seasons since 1901: this season's team table (plus next season's scheduled games,
 * known in advance) → next season's wins (regression) and home runs (count). Test: target seasons
 * 2010 and later.
 */
export function mlbTeamSeasons(dataDir: string): BenchDataset[] {
  const seasons = readCsv(join(dataDir, 'csv', 'baseballdatabank_Teams.csv')).filter(
    (row) =>
      Number(row.yearID) >= 1901 && teamStats.every((c) => row[c] !== '' && Number.isFinite(Number(row[c]))),
  );
  const byKey = new Map(seasons.map((row) => [`${row.franchID}:${row.yearID}`, row]));
  const featureNames = [...teamStats, 'next_G'];
  const pairs = seasons.flatMap((row) => {
    const next = byKey.get(`${row.franchID}:${Number(row.yearID) + 1}`);
    if (!next) return [];
    return [
      {
        x: [...teamStats.map((c) => Number(row[c])), Number(next.G)],
        next,
        test: Number(next.yearID) >= 2010,
      },
    ];
  });
  const make = (target: string, task: Task, name: string, description: string): BenchDataset => ({
    name,
    description,
    task,
    ...split(
      featureNames,
      pairs.map((p) => ({ x: p.x, y: Number(p.next[target]), test: p.test })),
    ),
  });
  return [
    make('W', { kind: 'regression' }, 'mlb-wins', "MLB: next season's wins (regression)"),
    make('HR', { kind: 'count' }, 'mlb-home-runs', "MLB: next season's home runs (count)"),
  ];
}

/**
 * Men's international matches from 1980 (ratings warmed up since 1872): a running Elo (K 20 for
 * friendlies, 30 otherwise, a goal-margin multiplier, 100 points home advantage unless neutral),
 * each side's mean goal difference over its last five matches, its matches played, and whether
 * the match is neutral or a friendly → home win (binary) and home/draw/away (multiclass, and
 * ordinal: the same rows with the classes' order used).
 * Test: matches from 2018.
 */
export function internationalMatches(dataDir: string): BenchDataset[] {
  const matches = readCsv(join(dataDir, 'csv', 'international_results.csv.gz'))
    .filter((m) => /^\d+$/.test(m.home_score ?? '') && /^\d+$/.test(m.away_score ?? ''))
    .sort((a, b) => (a.date! < b.date! ? -1 : a.date! > b.date! ? 1 : 0));
  const elo = new Map<string, number>();
  const recent = new Map<string, number[]>();
  const played = new Map<string, number>();
  const form = (team: string) => {
    const last = recent.get(team) ?? [];
    return last.length === 0 ? 0 : last.reduce((a, b) => a + b, 0) / last.length;
  };
  const featureNames = [
    'elo_home',
    'elo_away',
    'elo_diff',
    'neutral',
    'friendly',
    'form_home',
    'form_away',
    'played_home',
    'played_away',
  ];
  const rows: { x: number[]; y: number; test: boolean }[] = [];
  for (const m of matches) {
    const home = m.home_team!;
    const away = m.away_team!;
    const neutral = m.neutral === 'TRUE' ? 1 : 0;
    const friendly = m.tournament === 'Friendly' ? 1 : 0;
    const rh = elo.get(home) ?? 1500;
    const ra = elo.get(away) ?? 1500;
    const advantage = neutral ? 0 : 100;
    const hs = Number(m.home_score);
    const as = Number(m.away_score);
    const outcome = hs > as ? 0 : hs === as ? 1 : 2;
    if (m.date! >= '1980') {
      rows.push({
        x: [
          rh,
          ra,
          rh + advantage - ra,
          neutral,
          friendly,
          form(home),
          form(away),
          played.get(home) ?? 0,
          played.get(away) ?? 0,
        ],
        y: outcome,
        test: m.date! >= '2018',
      });
    }
    const expected = 1 / (1 + 10 ** (-(rh + advantage - ra) / 400));
    const score = outcome === 0 ? 1 : outcome === 1 ? 0.5 : 0;
    const margin = Math.abs(hs - as);
    const multiplier = margin <= 1 ? 1 : margin === 2 ? 1.5 : 1.75 + (margin - 3) / 8;
    const change = (friendly ? 20 : 30) * multiplier * (score - expected);
    elo.set(home, rh + change);
    elo.set(away, ra - change);
    for (const [team, diff] of [
      [home, hs - as],
      [away, as - hs],
    ] as const) {
      recent.set(team, [...(recent.get(team) ?? []), diff].slice(-5));
      played.set(team, (played.get(team) ?? 0) + 1);
    }
  }
  const { train, test } = split(featureNames, rows);
  const binary = (set: TrainingSet): TrainingSet => ({
    ...set,
    outcomes: set.outcomes.map((y) => (y === 0 ? 1 : 0)),
  });
  return [
    {
      name: 'intl-home-win',
      description: 'International football: home win (binary)',
      task: { kind: 'binary', classes: ['not home win', 'home win'] },
      train: binary(train),
      test: binary(test),
    },
    {
      name: 'intl-result',
      description: 'International football: home/draw/away (multiclass)',
      task: { kind: 'multiclass', classes: ['home', 'draw', 'away'] },
      train,
      test,
    },
    {
      name: 'intl-result-ordinal',
      description: 'International football: home/draw/away as ordered classes (ordinal)',
      task: { kind: 'ordinal', classes: ['home', 'draw', 'away'] },
      train,
      test,
    },
  ];
}
