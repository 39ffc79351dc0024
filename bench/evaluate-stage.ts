/**
 * `npm run bench:evaluate-stage -- <portfolio root> <project slug> [git revision]`: the CPU seconds
 * of a run's `evaluate` computation (`evaluateForecasts`: metrics with bootstrap intervals, paired
 * comparisons, slices, calibration) on the forecasts and test rows a previous `mlfolio run` of that
 * project in that root stored in its stage cache, checked against the stored result (every number
 * must be the same). With a git revision (say `main`), the same evaluation also runs with that
 * revision's code, alternating with the current code, and the CPU ratio is printed. Each evaluation
 * runs once in a fresh process, as in a run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMetrics } from '../pipelines/engine/run-engine.ts';
import type { ForecastEvaluationInput } from '../pipelines/evaluation/evaluate-forecasts.ts';
import { modelKinds } from '../pipelines/tasks/models/registry.ts';
import type { Task } from '../pipelines/tasks/task.ts';
import { loadAnyProject } from '../portfolio/project-file/any-project.ts';
import { workspaceAt } from '../portfolio/workspace.ts';
import { machineLine } from './machine.ts';

type Evaluate = (input: ForecastEvaluationInput) => unknown;

const [root, slug, revision] = process.argv.slice(2);
if (!root || !slug) {
  console.error('Usage: node bench/evaluate-stage.ts <portfolio root> <project slug> [git revision]');
  process.exit(2);
}
const repoRoot = join(import.meta.dirname, '..');
const rounds = Number(process.env.BENCH_REPEATS ?? 3);

const project = (await loadAnyProject(workspaceAt(root), slug)).declared.file;
const cacheDir = join(root, '.mlfolio', 'cache', slug);
const cached = (prefix: string) => {
  const name = readdirSync(cacheDir).find((file) => file.startsWith(prefix));
  if (!name) {
    console.error(`No cached ${prefix}* in ${cacheDir}: run \`mlfolio run ${slug}\` in ${root} first.`);
    process.exit(2);
  }
  return JSON.parse(readFileSync(join(cacheDir, name), 'utf8')).output;
};
const features = cached('features-') as { task: Task; outcomes: number[]; slices: Record<string, string[]> };
const split = cached('split-') as { test: number[] };
const stored = cached('evaluate-') as Record<string, unknown> & {
  forecasts: ForecastEvaluationInput['forecasts'];
};
const metrics = (project.metrics ?? defaultMetrics(features.task)) as ForecastEvaluationInput['metrics'];
const input: ForecastEvaluationInput = {
  task: features.task,
  models: project.models.map((m) => ({ id: m.id, baseline: modelKinds[m.kind]!.baseline })),
  forecasts: stored.forecasts,
  outcomes: split.test.map((i) => features.outcomes[i]!),
  metrics,
  primary: (project.primaryMetric ?? metrics[0]!) as ForecastEvaluationInput['primary'],
  sliceBy: Object.fromEntries(
    Object.entries(features.slices).map(([column, values]) => [column, split.test.map((i) => values[i]!)]),
  ),
  seed: project.seed,
  resamples: project.resamples,
};
const { forecasts: _forecasts, latency: _latency, ...expected } = stored;
const expectedText = JSON.stringify(expected);

async function evaluateOf(base: string): Promise<Evaluate> {
  return (await import(join(base, 'pipelines/evaluation/evaluate-forecasts.ts'))).evaluateForecasts;
}

// A child process evaluates once with the code under BENCH_CODE and prints its CPU seconds: each
// measurement starts cold (nothing compiled, no resamples drawn), as the stage does in a run.
const codeDir = process.env.BENCH_CODE;
if (codeDir) {
  const evaluate = await evaluateOf(codeDir);
  const before = process.cpuUsage();
  const result = evaluate(input);
  const used = process.cpuUsage(before);
  console.log(
    JSON.stringify({
      seconds: (used.user + used.system) / 1e6,
      same: JSON.stringify(result) === expectedText,
    }),
  );
  process.exit(0);
}

const sides: { name: string; code: string }[] = [{ name: 'current', code: repoRoot }];
let extracted: string | undefined;
if (revision) {
  extracted = mkdtempSync(join(tmpdir(), 'evaluate-stage-'));
  const archive = execFileSync('git', ['-C', repoRoot, 'archive', revision, 'pipelines', 'portfolio']);
  execFileSync('tar', ['-x', '-C', extracted], { input: archive });
  symlinkSync(join(repoRoot, 'node_modules'), join(extracted, 'node_modules'));
  sides.push({ name: revision, code: extracted });
}

console.log(machineLine());
console.log(
  `${slug}: ${input.models.length} models × ${input.outcomes.length} test rows, ${input.resamples} resamples, ${rounds} round(s), each in a fresh process`,
);
let failed = false;
const cpu: Record<string, number> = {};
try {
  for (let round = 0; round < rounds; round++) {
    for (const side of sides) {
      const output = execFileSync(process.execPath, [import.meta.filename, root, slug], {
        env: { ...process.env, BENCH_CODE: side.code },
        encoding: 'utf8',
      });
      const { seconds, same } = JSON.parse(output.trim().split('\n').at(-1)!) as {
        seconds: number;
        same: boolean;
      };
      cpu[side.name] = (cpu[side.name] ?? 0) + seconds;
      if (!same) failed = true;
      console.log(
        `${side.name}: ${seconds.toFixed(2)} CPU s, ${same ? 'result identical' : 'result DIFFERS'}`,
      );
    }
  }
  if (revision) console.log(`${revision} / current CPU ratio ${(cpu[revision]! / cpu.current!).toFixed(2)}×`);
} finally {
  if (extracted) rmSync(extracted, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
