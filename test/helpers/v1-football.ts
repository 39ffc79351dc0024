import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The football example as it was written in version 1 (no `version` key). */
export const v1FootballDir = join(import.meta.dirname, '..', 'engine', 'fixtures', 'v1-football');
export const v1ProjectFile = join(v1FootballDir, 'project.yaml');

/** One match's 11 features as the version 1 pipeline computed them. */
export interface V1MatchFeatures {
  date: string;
  homeTeam: string;
  awayTeam: string;
  features: Record<string, number>;
}

/**
 * The 11 match features the version 1 pipeline (`pipelines/features/match-features.ts`, retired)
 * computed on the bundled OpenFootball data, one row per match in date order (the order of a
 * stable sort of the normalised records by date), recorded before that code was removed.
 */
export async function v1MatchFeatures(): Promise<V1MatchFeatures[]> {
  const text = gunzipSync(await readFile(join(v1FootballDir, 'match-features.csv.gz'))).toString('utf8');
  const [header, ...lines] = text.trim().split('\n');
  const names = header!.split(',').slice(3);
  return lines.map((line) => {
    // Team names are written as JSON strings; none holds a comma, which the column count checks.
    const cells = line.split(',');
    if (cells.length !== names.length + 3) throw new Error(`Unexpected golden row: ${line}`);
    return {
      date: cells[0]!,
      homeTeam: JSON.parse(cells[1]!) as string,
      awayTeam: JSON.parse(cells[2]!) as string,
      features: Object.fromEntries(names.map((name, i) => [name, Number(cells[i + 3])])),
    };
  });
}

/** What the version 1 pipeline recorded for the example, untrimmed: its best model, RPS and split. */
export async function v1Run(): Promise<{
  best: string;
  rps: { value: number; lower: number; upper: number };
  split: { train: { seasons: string[]; rows: number }; test: { seasons: string[]; rows: number } };
}> {
  return JSON.parse(await readFile(join(v1FootballDir, 'v1-run.json'), 'utf8'));
}
