import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MlfolioError } from '../../../portfolio/errors.ts';
import type { RawMatch } from './normalise.ts';

/**
 * Reads the real OpenFootball subset that the `vega-datasets` package ships
 * (`data/football.json`: 6,508 matches in 5 leagues, 2013–2017), so the example runs offline.
 */
export async function readBundledMatches(
  file?: string,
): Promise<{ rows: RawMatch[]; origin: string[]; location: string }> {
  const packageDir = dirname(dirname(fileURLToPath(import.meta.resolve('vega-datasets'))));
  const path = file ?? process.env[offlineFileVariable] ?? join(packageDir, 'data', 'football.json');
  let text: string;
  let version = 'unknown';
  try {
    text = await readFile(path, 'utf8');
    version = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')).version;
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_DATASET_MISSING',
        message: `The bundled OpenFootball dataset could not be read at ${path}.`,
        hint: 'Run `npm install` to restore the vega-datasets package, or use `transport: live` in project.yaml.',
      },
      { cause: error },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_DATASET_CORRUPT',
        message: `${path} is not valid JSON (${(error as Error).message}).`,
        hint: 'The file is damaged: reinstall it with `rm -rf node_modules/vega-datasets && npm install`.',
      },
      { cause: error },
    );
  }
  if (!Array.isArray(parsed)) {
    throw new MlfolioError({
      code: 'E_DATASET_CORRUPT',
      message: `${path} should hold a JSON array of matches, but holds ${typeof parsed}.`,
      hint: 'Reinstall the vega-datasets package with `npm install`.',
    });
  }
  const rows = parsed.map(
    (row: Record<string, unknown>): RawMatch => ({
      date: row.date,
      league: row.division,
      homeTeam: row.home_team,
      awayTeam: row.away_team,
      homeGoals: row.home_score,
      awayGoals: row.away_score,
    }),
  );
  return { rows, origin: [`npm:vega-datasets@${version}/data/football.json`], location: path };
}

/**
 * A file in the bundled dataset's format to read instead of it: how tests put a small or hostile
 * dataset through the whole flow.
 */
export const offlineFileVariable = 'MLFOLIO_OPENFOOTBALL_FILE';

/** Identifies the bundled dataset without parsing it: package version and file hash. */
export async function bundledDatasetFingerprint(): Promise<string> {
  const packageDir = dirname(dirname(fileURLToPath(import.meta.resolve('vega-datasets'))));
  try {
    const bytes = await readFile(
      process.env[offlineFileVariable] ?? join(packageDir, 'data', 'football.json'),
    );
    const { createHash } = await import('node:crypto');
    return createHash('sha256').update(bytes).digest('hex');
  } catch {
    return 'missing';
  }
}
