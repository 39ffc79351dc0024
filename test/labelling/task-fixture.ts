import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

const tournaments = [
  'FIFA World Cup',
  'FIFA World Cup qualification',
  'UEFA Euro',
  'UEFA Euro qualification',
  'Friendly',
  'African Cup of Nations',
  'Copa América',
  'UEFA Nations League',
];
const teams = ['Brazil', 'France', 'Ghana', 'Japan', 'Peru', 'Wales', 'Chile', 'Egypt', 'Norway', 'Qatar'];

/** Rows like an international results table: id, date, teams, tournament (deterministic). */
export interface CompetitionRow {
  match_id: string;
  date: string;
  home: string;
  away: string;
  tournament: string;
}

export function competitionRows(count: number): CompetitionRow[] {
  return Array.from({ length: count }, (_, i) => ({
    match_id: `m${String(i + 1).padStart(4, '0')}`,
    date: `2019-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
    home: teams[i % teams.length]!,
    away: teams[(i * 3 + 1) % teams.length]!,
    tournament: tournaments[(i * 7) % tournaments.length]!,
  }));
}

export const competitionClasses = ['world-cup', 'continental', 'qualifier', 'friendly', 'other'];

/** Writes a task folder (label-task.yaml + matches.csv) and returns its path. */
export async function writeCompetitionTask(
  count: number,
  overrides: Record<string, unknown> = {},
  rows: CompetitionRow[] = competitionRows(count),
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlfolio-label-'));
  const header = 'match_id,date,home,away,tournament';
  const csv = [
    header,
    ...rows.map((r) => [r.match_id, r.date, r.home, r.away, r.tournament].map(csvCell).join(',')),
  ];
  await writeFile(join(dir, 'matches.csv'), `${csv.join('\n')}\n`);
  const task = {
    name: 'competition-importance',
    title: 'How much did the match matter?',
    items: {
      source: 'table',
      path: 'matches.csv',
      idField: 'match_id',
      contextFields: ['date', 'home', 'away', 'tournament'],
    },
    labels: { kind: 'classes', classes: competitionClasses.map((name) => ({ name })) },
    guidelines: { version: 'v1', text: 'Label the competition each match belonged to.' },
    sampling: { strategy: 'random', seed: 7, evaluationShare: 0.1, selfOverlapShare: 0 },
    ...overrides,
  };
  await writeFile(join(dir, 'label-task.yaml'), stringify(task));
  return dir;
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
