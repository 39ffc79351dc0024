import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunRecord, readLatestRun } from '../../pipelines/runs/run-record.ts';
import { type CliResult, exampleWorkspace, mlfolio } from './workspace.ts';

const slug = 'football-match-outcomes';
let root: string;
let first: CliResult;
let run: RunRecord;

beforeAll(async () => {
  root = await exampleWorkspace();
  // Astro keeps its per-user settings (and, with telemetry on, an anonymous id) in this folder.
  first = await mlfolio(root, ['start'], { XDG_CONFIG_HOME: join(root, '.user-config') });
  run = (await readLatestRun(join(root, 'content/projects', slug, 'runs')))!;
}, 180_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('mlfolio start on the example portfolio', () => {
  it('builds the site into dist/ and says how to open it', () => {
    expect(first.stderr).not.toMatch(/E_INTERNAL/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /the site is in dist\/ — run `npm run preview` and open the address it prints\.$/m,
    );
    // Links are root-absolute, so dist/index.html opened from the file system would break them all.
    expect(first.stdout).not.toMatch(/index\.html/);
  });

  it("builds the site with Astro's telemetry off: Astro wrote no settings for the user", () => {
    expect(existsSync(join(root, '.user-config', 'astro'))).toBe(false);
  });

  it('records a run of the six declared models on the held-out season', () => {
    expect(run.models.map((m) => m.id)).toEqual(['prior', 'elo', 'logreg', 'ordinal', 'boosting', 'mlp']);
    expect(run.split.train.seasons).toEqual(['2013-14', '2014-15', '2015-16']);
    expect(run.split.test.seasons).toEqual(['2016-17']);
    expect(run.inputs.dataset.excludedRows).toBe(4);
    for (const model of run.models) {
      for (const metric of ['rps', 'log_loss', 'brier', 'accuracy']) {
        const estimate = model.metrics[metric]!;
        expect(Number.isFinite(estimate.value)).toBe(true);
        expect(estimate.lower!).toBeLessThanOrEqual(estimate.value);
        expect(estimate.upper!).toBeGreaterThanOrEqual(estimate.value);
      }
    }
  });

  it("puts every model's metrics from the run record on the project page, with a chart", async () => {
    const html = await readFile(join(root, 'dist/projects', slug, 'index.html'), 'utf8');
    for (const model of run.models) {
      expect(html).toContain(model.label);
      expect(html).toContain(model.metrics.rps!.value.toFixed(4));
      expect(html).toContain(model.metrics.log_loss!.value.toFixed(4));
      expect(html).toContain(model.metrics.brier!.value.toFixed(4));
      expect(html).toContain(`${(model.metrics.accuracy!.value * 100).toFixed(1)}%`);
    }
    expect(html).toMatch(/role="img" aria-label="Bar chart of RPS per model[^"]*"><svg [^>]*viewBox=/);
    expect(html).not.toMatch(/<script/);
    // The writeup's <Metric> components render the recorded values, not typed ones.
    expect(html).toContain(
      `RPS of <span class="metric"><strong>${run.models[0]!.metrics.rps!.value.toFixed(4)}`,
    );
    const index = await readFile(join(root, 'dist/index.html'), 'utf8');
    expect(index).toContain(`projects/${slug}/`);
  });

  it('shows on the index the audit verdict `mlfolio audit` gives, inference path included', async () => {
    const audit = await mlfolio(root, ['audit', slug, '--json']);
    const [result] = JSON.parse(audit.stdout) as {
      passed: number;
      checks: { id: string; verdict: string }[];
    }[];
    expect(result!.checks.find((check) => check.id === 'inference-path')!.verdict).toBe('pass');
    const index = await readFile(join(root, 'dist/index.html'), 'utf8');
    expect(
      [...index.matchAll(/>(\d+) of (\d+)<\/strong> interview checks pass/g)].map((m) => m.slice(1)),
    ).toEqual([[String(result!.passed), String(result!.checks.length)]]);
  });

  it('reuses every stage and the site when nothing changed', async () => {
    const second = await mlfolio(root, ['start']);
    expect(second.code).toBe(0);
    const reused = second.stderr.split('\n').filter((line) => /unchanged/.test(line));
    // The run fingerprint (project, data, labels, code) matches, so no stage is even read back;
    // then the site, whose inputs are unchanged too.
    expect(reused).toHaveLength(2);
    expect(reused[0]).toContain(`unchanged since run ${run.runId} (project, data, labels and code)`);
    expect(second.stderr).not.toMatch(/done in|building the static site/);
    expect(await readdir(join(root, 'content/projects', slug, 'runs'))).toEqual([run.runId]);
  });

  it('fails with the file and field of a typo, exit status 3, and leaves the previous site intact', async () => {
    const specFile = join(root, 'content/projects', slug, 'project.yaml');
    const original = await readFile(specFile, 'utf8');
    const before = await readFile(join(root, 'dist/index.html'), 'utf8');
    try {
      await writeFile(specFile, original.replace('primaryMetric: rps', 'primaryMetric: rsp'));
      const broken = await mlfolio(root, ['start']);
      expect(broken.code).toBe(3);
      expect(broken.stderr).toContain('E_PROJECT_FILE_INVALID');
      expect(broken.stderr).toContain(specFile);
      expect(broken.stderr).toMatch(/primaryMetric: received "rsp"\. Did you mean "rps"\?/);
      expect(await readFile(join(root, 'dist/index.html'), 'utf8')).toBe(before);
    } finally {
      await writeFile(specFile, original);
    }
  });

  it('names the known projects for an unknown one, exit status 2', async () => {
    const result = await mlfolio(root, ['run', 'football-match-outcome']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/E_PROJECT_UNKNOWN: There is no project "football-match-outcome"/);
    expect(result.stderr).toMatch(/Did you mean "football-match-outcomes"\?/);
  });

  it('rejects a misspelt option with the nearest valid one, exit status 2', async () => {
    const result = await mlfolio(root, ['start', '--forse']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/has no option "--forse"\.\n.*Did you mean `--force`\?/);
  });

  it('names a missing required argument, exit status 2', async () => {
    const result = await mlfolio(root, ['extract']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/E_ARGUMENT_MISSING: `mlfolio extract` needs <PAGE>: An http\(s\) URL/);
  });
});
