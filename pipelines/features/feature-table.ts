import type { DataFrame } from 'danfojs-node';
import { MlfolioError } from '../../portfolio/errors.ts';
import type { MatchFeatureName } from '../../portfolio/project-spec.ts';
import type { MatchRecord } from '../../scrapers/sources/openfootball/index.ts';
import { computeMatchFeatures, type FeatureRow } from './match-features.ts';
import type { TeamState } from './team-history.ts';

const requiredColumns = [
  'date',
  'season',
  'league',
  'homeTeam',
  'awayTeam',
  'homeGoals',
  'awayGoals',
] as const;

export interface FeatureTable {
  rows: FeatureRow[];
  teams: Record<string, TeamState>;
  seasons: Record<string, number>;
  leagues: string[];
}

/**
 * Loads matches into a danfojs DataFrame, checks the columns the features need, sorts by date and
 * computes the leakage-safe features. Throws naming the project, column and rows on missing
 * columns, nulls, or features that are not finite.
 */
export async function buildFeatureTable(
  project: string,
  matches: readonly MatchRecord[],
  features: readonly MatchFeatureName[],
): Promise<FeatureTable> {
  const { DataFrame } = await import('danfojs-node');
  if (matches.length === 0) {
    throw new MlfolioError({
      code: 'E_DATASET_EMPTY',
      message: `Project "${project}", stage features: the collected dataset has no matches.`,
      hint: 'Check the source in project.yaml and run `mlfolio collect` to see what was excluded and why.',
    });
  }
  const frame: DataFrame = new DataFrame(matches as unknown as Record<string, unknown>[]);
  for (const column of requiredColumns) {
    if (!frame.columns.includes(column)) {
      throw new MlfolioError({
        code: 'E_COLUMN_MISSING',
        message: `Project "${project}", stage features: the dataset has no column "${column}" (columns: ${frame.columns.join(', ')}).`,
        hint: 'The source must produce every match field; re-collect with `mlfolio collect --force`.',
      });
    }
    const values = frame[column].values as unknown[];
    const missing = values.flatMap((value, row) => (value == null || value === '' ? [row] : []));
    if (missing.length) {
      throw new MlfolioError({
        code: 'E_VALUES_MISSING',
        message: `Project "${project}", stage features: column "${column}" is empty in ${missing.length} row(s): ${preview(missing.map((i) => `row ${i} (${matches[i]!.date ?? '?'} ${matches[i]!.homeTeam ?? '?'}–${matches[i]!.awayTeam ?? '?'})`))}.`,
        hint: 'Matches without a result must be excluded at collection; re-collect with `mlfolio collect --force`.',
      });
    }
  }
  const sorted = frame.sortValues('date', { ascending: true });
  const ordered = [...matches].sort((a, b) => a.date.localeCompare(b.date));
  const seasons = Object.fromEntries(
    (sorted.groupby(['season']).col(['date']).count() as DataFrame).values
      .map((row) => row as [string, number])
      .map(([season, count]) => [season, count]),
  );
  const leagues = [...new Set(sorted.league.values as string[])].sort();

  const { rows, teams } = computeMatchFeatures(ordered);
  const featureFrame = new DataFrame(
    rows.map((row) => features.map((name) => row.features[name])),
    {
      columns: [...features],
    },
  );
  for (const name of features) {
    const column = featureFrame[name].values as number[];
    const bad = column.flatMap((value, row) => (Number.isFinite(value) ? [] : [row]));
    if (bad.length) {
      throw new MlfolioError({
        code: 'E_FEATURE_NOT_FINITE',
        message: `Project "${project}", stage features: feature "${name}" is NaN or infinite in ${bad.length} row(s): ${preview(bad.map((i) => `${rows[i]!.date} ${rows[i]!.homeTeam}–${rows[i]!.awayTeam}`))}.`,
        hint: 'This is a bug in the feature code or bad source data; check those matches in the collected dataset.',
      });
    }
  }
  return { rows, teams, seasons, leagues };
}

function preview(items: readonly (string | number)[]): string {
  return items.length > 5 ? `${items.slice(0, 5).join(', ')} and ${items.length - 5} more` : items.join(', ');
}
