import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { LabelReport } from '../../labelling/label-report.ts';
import { type RunRecord, readLatestRun } from '../../pipelines/runs/run-record.ts';
import { mlfolio, repoRoot } from './workspace.ts';

/**
 * The international example as it ships — its label log and report, its pre-registered and
 * analysed experiment — run by the real CLI and published: the labels reach the run with their
 * snapshot, and the project page shows the labels card and the experiment report from those files.
 * The MLP is left out and the backtest and leakage guard are shortened to keep the test short.
 */
const slug = 'international-match-outcomes';
let root: string;
let run: RunRecord;
let page: string;
let report: LabelReport;
let analysis: {
  analysis: { sampleRatio: { pValue: number }; arms: { decision: { decision: string; reason: string } }[] };
  registration: { specHash: string };
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mlfolio-international-'));
  const source = join(repoRoot, 'content', 'projects', slug);
  const target = join(root, 'content', 'projects', slug);
  await mkdir(target, { recursive: true });
  await cp(join(repoRoot, 'content', 'portfolio.yaml'), join(root, 'content', 'portfolio.yaml'));
  await cp(
    join(repoRoot, 'content', 'data', 'international-results'),
    join(root, 'content', 'data', 'international-results'),
    {
      recursive: true,
    },
  );
  for (const entry of ['project.yaml', 'writeup.mdx', 'walkthrough.mdx', 'labels', 'experiments']) {
    await cp(join(source, entry), join(target, entry), { recursive: true });
  }
  const specFile = join(target, 'project.yaml');
  const spec = parse(await readFile(specFile, 'utf8')) as {
    models: { id: string; kind: string }[];
    backtest: Record<string, unknown>;
    leakageGuard?: { probes: number };
  };
  spec.models = spec.models.filter((model) => model.kind !== 'mlp');
  spec.backtest = { ...spec.backtest, maxFolds: 1 };
  spec.leakageGuard = { probes: 2 };
  await writeFile(specFile, stringify(spec));
  const result = await mlfolio(root, ['run', slug]);
  expect(result.code, result.stderr).toBe(0);
  const publish = await mlfolio(root, ['publish']);
  expect(publish.code, publish.stderr).toBe(0);
  run = (await readLatestRun(join(target, 'runs')))!;
  page = await readFile(join(root, 'dist', 'projects', slug, 'index.html'), 'utf8');
  report = JSON.parse(await readFile(join(target, 'labels', 'competition-importance.report.json'), 'utf8'));
  analysis = JSON.parse(
    await readFile(join(target, 'experiments', 'boosting-vs-elo', 'analysis.json'), 'utf8'),
  );
}, 900_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the international example, run and published as it ships', () => {
  it('reads the labelled importance through the label log, and records the snapshot it used', () => {
    const used = run.labels?.find((labels) => labels.task === 'competition-importance');
    expect(used?.column).toBe('importance');
    expect(used?.snapshot).toBe(report.snapshot);
    expect(run.stages.map((stage) => stage.name)).toContain('labels:importance');
    expect(run.stages.find((stage) => stage.name === 'features')?.needs).toContain('labels:importance');
  });

  it('shows the labels card: who labelled, that an AI agent is not a person, and the run that used them', () => {
    expect(page).toContain(`aria-label="Labels: ${report.title}"`);
    expect(page).toContain(`the snapshot run ${run.runId} used.`);
    // Astro scopes the component's elements with data-astro-cid attributes.
    for (const annotator of report.annotators)
      expect(page).toMatch(new RegExp(`<code[^>]*>${annotator.id}</code>`));
    expect(page).toMatch(/\d+ by an annotator, \d+ by labelling functions alone/);
    expect(page).toContain('not a human expert');
  });

  it('shows what the labels changed, on the test seasons and pooled over the earlier seasons', () => {
    const effect = report.effects.find((e) => e.model === 'elo')!;
    expect(effect.pooled?.firstSeason).toBe('1902');
    expect(page).toContain(
      `Over ${effect.pooled!.rows.toLocaleString('en-GB')} held-out events (1902–${effect.pooled!.lastSeason}`,
    );
    expect(page).toMatch(
      new RegExp(`paired bootstrap over events\\): <strong[^>]*>${effect.pooled!.verdict}</strong>`),
    );
  });

  it('shows the experiment report from its records: registration, sample-ratio test and the decision', () => {
    expect(page).toContain('Online experiment: boosting-vs-elo');
    expect(page).toContain('Pre-registration');
    expect(page).toContain(analysis.registration.specHash.slice(0, 12));
    const decision = analysis.analysis.arms[0]!.decision;
    expect(page).toContain(
      { ship: 'Ship', 'keep-control': 'Keep the control', continue: 'Continue collecting' }[
        decision.decision
      ]!,
    );
  });

  it('passes the audit checks that stand for annotation and experimentation, and the inference path', async () => {
    const audit = await mlfolio(root, ['audit', slug, '--json']);
    const [result] = JSON.parse(audit.stdout) as { checks: { id: string; verdict: string }[] }[];
    const verdicts = Object.fromEntries(result!.checks.map((check) => [check.id, check.verdict]));
    for (const id of [
      'labelling-agreement',
      'label-error-audit',
      'label-effect-measured',
      'experiment-analysed',
      'inference-path',
    ]) {
      expect(verdicts[id], id).toBe('pass');
    }
  });
});
