import { describe, expect, it, vi } from 'vitest';
import { checkFeatureLeakage } from '../../pipelines/feature-store/index.ts';
import { checkFeatureLeakageOnThread } from '../../pipelines/feature-store/leakage-guard-thread.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { clubFootball, leakyClubFootball } from './declarations.ts';
import { bundledMatches } from './football-data.ts';

describe('the leakage guard on a worker thread', () => {
  it.each([
    ['one shard per core', undefined, 3, 1500],
    ['three shards', '3', 5, 1200],
  ])(
    'gives the report the guard gives on the calling thread (%s), probes in order',
    async (_, threads, probes, rows) => {
      if (threads) vi.stubEnv('MLFOLIO_THREADS', threads);
      try {
        const matches = ((await bundledMatches()) as unknown as Record<string, unknown>[]).slice(0, rows);
        const options = { probes, outcomes: ['homeGoals', 'awayGoals'] };
        const here = await checkFeatureLeakage(clubFootball, matches, options, 'project.yaml');
        const there = await checkFeatureLeakageOnThread({
          spec: clubFootball,
          rows: matches,
          options,
          source: 'project.yaml',
        });
        expect(there).toEqual(here);
        expect(there.checkedValues).toBeGreaterThan(0);
        expect(there.probes).toHaveLength(probes);
        expect(there.probes.map((probe) => probe.time)).toEqual(
          [...there.probes.map((probe) => probe.time)].sort(),
        );
      } finally {
        vi.unstubAllEnvs();
      }
    },
  );

  it('fails with the same MlfolioError (code, exit status, message) when a view leaks', async () => {
    const leaky = leakyClubFootball;
    const matches = ((await bundledMatches()) as unknown as Record<string, unknown>[]).slice(0, 400);
    const job = { spec: leaky, rows: matches, options: { probes: 2, outcomes: ['homeGoals', 'awayGoals'] } };
    const error = await checkFeatureLeakageOnThread({ ...job, source: 'project.yaml' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MlfolioError);
    const failure = error as MlfolioError;
    expect(failure.code).toBe('E_FEATURE_LEAKAGE');
    expect(failure.exitCode).toBe(5);
    expect(failure.message).toMatch(
      /^project\.yaml: feature view\(s\) "home_goals" of events at \d{4}-\d{2}-\d{2} changed/,
    );
    expect(failure.hint).toMatch(/A feature may only read rows of earlier times/);
  });
});
