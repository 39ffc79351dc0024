import { describe, expect, it } from 'vitest';
import {
  buildTrainingSet,
  checkFeatureLeakage,
  planFeatureStore,
} from '../../pipelines/feature-store/index.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { clubFootball, internationalFootball, leakyClubFootball } from './declarations.ts';
import { nationRows, readings, readingsRows } from './fixtures.ts';
import { bundledMatches } from './football-data.ts';

async function leakageError(run: () => Promise<unknown>): Promise<MlfolioError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(MlfolioError);
    return error as MlfolioError;
  }
  throw new Error('expected the leakage guard to fail, but it passed');
}

describe('feature leakage guard', () => {
  it('passes the club football views on the bundled data, probing match days of the last season', async () => {
    const matches = (await bundledMatches()) as unknown as Record<string, unknown>[];
    const times = matches.filter((m) => m.season === '2016-17').map((m) => m.date as string);
    const report = await checkFeatureLeakage(clubFootball, matches, {
      probes: 3,
      times,
      outcomes: ['homeGoals', 'awayGoals'],
    });
    expect(report.probes).toHaveLength(3);
    expect(report.checkedRows).toBeGreaterThan(3);
    expect(report.checkedValues).toBe(report.checkedRows * 11);
  });

  it('fails naming the view when a raw column feature is an outcome of the event', async () => {
    const leaky = leakyClubFootball;
    const matches = ((await bundledMatches()) as unknown as Record<string, unknown>[]).slice(0, 400);
    const error = await leakageError(() =>
      checkFeatureLeakage(
        leaky,
        matches,
        { probes: 2, outcomes: ['homeGoals', 'awayGoals'] },
        'project.yaml',
      ),
    );
    expect(error.code).toBe('E_FEATURE_LEAKAGE');
    expect(error.exitCode).toBe(5);
    expect(error.message).toMatch(
      /^project\.yaml: feature view\(s\) "home_goals" of events at \d{4}-\d{2}-\d{2} changed/,
    );
  });

  it('passes late rows handled by ingestion time, and fails an engine that ignores ingestion time', async () => {
    const report = await checkFeatureLeakage(readings, readingsRows, { probes: 10 });
    expect(report.probes.map((p) => p.time)).toContain('2024-01-07');
    // A builder that forgets when rows were recorded treats a4 (recorded 2024-01-09) as known on 2024-01-07.
    const ignoringIngestion = planFeatureStore(
      { ...readings, table: { ...readings.table, ingestedAt: undefined } },
      'p',
    );
    const error = await leakageError(() =>
      checkFeatureLeakage(readings, readingsRows, {
        probes: 10,
        build: (_plan, rows) => buildTrainingSet(ignoringIngestion, { rows }),
      }),
    );
    expect(error.message).toContain('events at 2024-01-07 changed');
    expect(error.message).toContain('"x_last"');
  });

  it('passes international Elo with K read from the tournament column', async () => {
    const report = await checkFeatureLeakage(internationalFootball, nationRows, {
      probes: 3,
      outcomes: ['home_score', 'away_score'],
    });
    expect(report.checkedRows).toBe(3);
  });
});
