import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runEngine } from '../../pipelines/engine/run-engine.ts';
import { mlfolio } from '../e2e/workspace.ts';
import { exampleWorkspace } from '../helpers/example-workspace.ts';

let fixture: Awaited<ReturnType<typeof exampleWorkspace>>;

beforeAll(async () => {
  fixture = await exampleWorkspace();
  await runEngine(fixture.workspace, fixture.project);
}, 180_000);

afterAll(async () => {
  await fixture?.dispose();
});

describe('serve, monitor, retrain and replay on the command line', () => {
  test.each(
    [
      { args: ['serve'], code: 2, message: /E_PROJECT_MISSING: `mlfolio serve` needs a project/ },
      { args: ['retrain'], code: 2, message: /E_PROJECT_MISSING/ },
      {
        args: ['serve', 'football-match-outcome'],
        code: 2,
        message: /Did you mean "football-match-outcomes"/,
      },
      {
        args: ['serve', 'football-match-outcomes', '--port', '99999'],
        code: 2,
        message: /--port must be an integer/,
      },
      {
        args: ['monitor', 'football-match-outcomes', '--until', '2017-02-30'],
        code: 2,
        message: /--until must be a date/,
      },
      {
        args: ['retrain', 'football-match-outcomes', '--margin=-1'],
        code: 2,
        message: /--margin must be a non-negative/,
      },
      {
        args: ['monitor', 'football-match-outcomes', '--untill', '2017-01-01'],
        code: 2,
        message: /Did you mean `--until`\?/,
      },
    ].map((c) => [c.args.join(' '), c] as const),
  )('mlfolio %s fails with a usage error', async (_, { args, code, message }) => {
    const result = await mlfolio(fixture.workspace.root, args);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(code);
  });

  test('monitor prints the status and findings and where the record is', async () => {
    const result = await mlfolio(fixture.workspace.root, ['monitor', 'football-match-outcomes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/model health NO-NEW-DATA/);
    expect(result.stdout).toMatch(/Recorded in .*operations\/monitoring\/\d{8}T\d{9}Z\.json/);
  });
});
