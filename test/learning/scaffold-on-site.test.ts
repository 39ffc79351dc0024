import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIds } from '../../learning/audit/check-catalogue.ts';
import { type CliResult, mlfolio } from '../e2e/workspace.ts';
import { tempWorkspace } from './temp-workspace.ts';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
let start: CliResult;
const page = (path: string) => readFile(join(ws.distDir, path), 'utf8');

beforeAll(async () => {
  ws = await tempWorkspace({ example: false });
  expect((await mlfolio(ws.root, ['new', 'my-forecasts'])).code).toBe(0);
  expect((await mlfolio(ws.root, ['new', 'nba-team-wins', '--template', 'stats-table'])).code).toBe(0);
  start = await mlfolio(ws.root, ['start']);
}, 300_000);
afterAll(() => ws.dispose());

describe('a scaffolded portfolio, built with npm start', () => {
  it('runs the match-outcome scaffold, skips the stats-table draft with a reason, and builds the site', () => {
    expect(start.code, start.stderr).toBe(0);
    expect(start.stderr).toContain(
      '[nba-team-wins] skipped: a draft, because its data is not collected yet (`mlfolio scrape nba-team-wins`)',
    );
    expect(start.stdout).toContain('1 project(s) run and 1 draft(s) skipped (nba-team-wins)');
  });

  it('shows the scaffold on the index with its readiness, and the draft with what it misses', async () => {
    const index = await page('index.html');
    expect(index).toContain('My forecasts');
    expect(index).toMatch(new RegExp(`>\\d+ of ${checkIds.length}</strong> interview checks pass`));
    expect(index).toContain('nba-team-wins');
    expect(index).toContain('A draft: its data is not collected yet (<code>mlfolio scrape');
    // The scaffold's placeholder summary is not published; the draft's sixteen checks that wait for a run say so once.
    expect(index).not.toContain('TODO: one sentence');
    expect(index.match(/No run recorded/g)).toHaveLength(1);
    expect(index).toMatch(/<strong[^>]*>17 checks<\/strong>, for one reason/);
  });

  it("gives the scaffold a project page with its failing checks and the audit's hints", async () => {
    const project = await page('projects/my-forecasts/index.html');
    expect(project).toContain('Interview readiness');
    expect(project).toContain('walkthrough-ready');
    expect(project).toContain('TODO placeholders');
  });

  it('draws the learning path as an SVG with the next step, crediting the scaffold', async () => {
    const path = await page('path/index.html');
    expect(path).toContain('<svg');
    expect(path).toContain('class="skill done');
    expect(path).toContain('Next step');
    expect(path).toMatch(/passes in|in <\/span>|my-forecasts/);
    expect(path).not.toContain('<script');
  });

  it('audits the run scaffold: its pipeline evidence passes, its writing is still to do', async () => {
    const audit = await mlfolio(ws.root, ['audit', 'my-forecasts', '--json']);
    expect(audit.code).toBe(5);
    const [result] = JSON.parse(audit.stdout) as { checks: { id: string; verdict: string }[] }[];
    const verdicts = Object.fromEntries(result!.checks.map((c) => [c.id, c.verdict]));
    expect(verdicts).toMatchObject({
      'baseline-compared': 'pass',
      'leakage-safe-split': 'pass',
      'reproducible-run': 'pass',
      'writeup-complete': 'fail',
      'walkthrough-ready': 'fail',
    });
  });

  it('shows on the site the verdicts the CLI gives: the same checks pass, the same skills are shown', async () => {
    const audit = await mlfolio(ws.root, ['audit', '--json']);
    const audits = JSON.parse(audit.stdout) as { project: string; passed: number; checks: unknown[] }[];
    const index = await page('index.html');
    const onIndex = [...index.matchAll(/>(\d+) of (\d+)<\/strong> interview checks pass/g)].map(
      (match) => `${match[1]} of ${match[2]}`,
    );
    expect(onIndex.sort()).toEqual(audits.map((a) => `${a.passed} of ${a.checks.length}`).sort());
    const forecasts = audits.find((a) => a.project === 'my-forecasts')!;
    expect(await page('projects/my-forecasts/index.html')).toContain(
      `>${forecasts.passed} of ${forecasts.checks.length}</strong> interview checks pass`,
    );

    const status = await mlfolio(ws.root, ['path', 'status']);
    const [, done, total] = /Progress: (\d+) of (\d+) milestones/.exec(status.stdout)!;
    const path = await page('path/index.html');
    expect(/<strong[^>]*>(\d+ of \d+)<\/strong> skills shown/.exec(path)?.[1]).toBe(`${done} of ${total}`);
  });

  it('fails the audit of the draft with exit status 5', async () => {
    const audit = await mlfolio(ws.root, ['audit', 'nba-team-wins']);
    expect(audit.code).toBe(5);
    expect(audit.stdout).toContain('nba-team-wins (draft)');
    expect(audit.stderr).toContain('E_AUDIT_FAILED');
  });
});
