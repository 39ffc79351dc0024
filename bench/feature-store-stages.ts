/**
 * `npm run bench:feature-store -- --root <portfolio> [--baseline <checkout>] [--candidate <checkout>] [--projects a,b] [--repeat N]`:
 * CPU seconds (user + system, every thread of the process: DuckDB's and the guard's worker
 * included) of the engine's `features`, `online-store` and `leakage-guard` stages on a portfolio's
 * collected projects, run one after the other as the engine runs them (same store session, the
 * guard on its worker thread with the training set as reference). With `--baseline`, the same
 * stages of another checkout of this repository (say, `git archive` of the previous commit) run in
 * the same process, alternating with this one, and the ratio is printed; both must produce the
 * same training set and guard report.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { collectEvents } from '../pipelines/engine/collect-events.ts';
import { featureStoreSpecOf } from '../pipelines/engine/feature-store-spec.ts';
import type { TrainingSet } from '../pipelines/feature-store/training-set.ts';
import { loadAnyProject } from '../portfolio/project-file/any-project.ts';
import { workspaceAt } from '../portfolio/workspace.ts';
import { machineLine } from './machine.ts';

const { values: args } = parseArgs({
  options: {
    root: { type: 'string' },
    baseline: { type: 'string' },
    candidate: { type: 'string', default: '.' },
    projects: { type: 'string', default: 'football-match-outcomes,international-match-outcomes' },
    repeat: { type: 'string', default: '1' },
  },
});
if (!args.root) {
  console.error(
    'Usage: node bench/feature-store-stages.ts --root <portfolio> [--baseline <checkout>] [--projects a,b] [--repeat N]',
  );
  process.exit(2);
}

interface Code {
  label: string;
  openFeatureStore: typeof import('../pipelines/feature-store/feature-store-session.ts').openFeatureStore;
  materializeOnlineStore: typeof import('../pipelines/feature-store/online-store.ts').materializeOnlineStore;
  checkTrainingServingSkew: typeof import('../pipelines/feature-store/skew-check.ts').checkTrainingServingSkew;
  checkFeatureLeakageOnThread: typeof import('../pipelines/feature-store/leakage-guard-thread.ts').checkFeatureLeakageOnThread;
  buildEngineRows: typeof import('../pipelines/engine/run-engine.ts').buildEngineRows;
}

async function codeAt(label: string, checkout: string): Promise<Code> {
  const load = (path: string) => import(pathToFileURL(join(checkout, path)).href);
  return {
    label,
    ...(await load('pipelines/feature-store/feature-store-session.ts')),
    ...(await load('pipelines/feature-store/online-store.ts')),
    ...(await load('pipelines/feature-store/skew-check.ts')),
    ...(await load('pipelines/feature-store/leakage-guard-thread.ts')),
    ...(await load('pipelines/engine/run-engine.ts')),
  };
}

const cpuSeconds = async (work: () => Promise<unknown>): Promise<number> => {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
};

/** The engine's probe candidates: the times of the test period (see `testPeriodTimes`). */
function testTimes(
  times: readonly string[],
  seasons: readonly string[],
  split: Record<string, unknown>,
): string[] {
  const testFrom = split.testFrom as string | undefined;
  if (split.by === 'date' && testFrom) return times.filter((t) => t >= testFrom);
  const held = new Set(
    [...new Set(seasons)]
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .slice(-Number(split.testSeasons)),
  );
  return times.filter((_, i) => held.has(seasons[i]!));
}

const workspace = workspaceAt(resolve(args.root));
const codes = [await codeAt('this checkout', resolve(args.candidate!))];
if (args.baseline) codes.unshift(await codeAt('baseline', resolve(args.baseline)));
console.log(machineLine());
for (const slug of args.projects!.split(',')) {
  const project = (await loadAnyProject(workspace, slug)).declared;
  const { rows } = await collectEvents(workspace, project);
  const spec = featureStoreSpecOf(project.file);
  const totals = new Map<string, number[]>();
  const fingerprints = new Map<number, string>();
  for (let r = 0; r < Number(args.repeat); r++) {
    // Alternate which checkout runs first: the first warms the JIT and the allocator for the second.
    for (const code of r % 2 ? [...codes].reverse() : codes) {
      let session!: Awaited<ReturnType<Code['openFeatureStore']>>;
      let set: TrainingSet | undefined;
      let engineRows: Awaited<ReturnType<Code['buildEngineRows']>> | undefined;
      // The engine opens the store in whichever stage runs first: `features`.
      const features = await cpuSeconds(async () => {
        session = await code.openFeatureStore(spec, { rows }, `${slug} (features)`);
        set = await session.trainingSet();
        engineRows = await code.buildEngineRows(project, spec, rows, set);
      });
      let onlineHash = '';
      const online = await cpuSeconds(async () => {
        const store = await code.materializeOnlineStore(session);
        const skew = await code.checkTrainingServingSkew(session, set!, {
          sample: 50,
          seed: project.file.seed,
        });
        onlineHash = createHash('sha256')
          .update(JSON.stringify([store, skew]))
          .digest('hex');
      });
      session.close();
      let report = '';
      const guard = await cpuSeconds(async () => {
        const result = await code.checkFeatureLeakageOnThread({
          spec,
          rows,
          options: {
            probes: project.file.leakageGuard.probes,
            times: testTimes(engineRows!.times, engineRows!.seasons, project.file.split),
            reference: set!,
          },
          source: `${slug} (features)`,
        });
        report = JSON.stringify(result);
      });
      const fingerprint = `${report} ${onlineHash} ${set!.columns.map((c) => set!.values[c]!.join()).join()}`;
      const previous = fingerprints.get(r);
      if (previous !== undefined && previous !== fingerprint)
        console.log(`  ! ${code.label}: results differ from the other checkout's`);
      fingerprints.set(r, fingerprint);
      const line = [features, online, guard];
      const sum = totals.get(code.label) ?? [0, 0, 0];
      totals.set(
        code.label,
        sum.map((v, i) => v + line[i]!),
      );
      console.log(
        `${slug} ${code.label}: features ${features.toFixed(2)} s, online-store ${online.toFixed(2)} s, leakage-guard ${guard.toFixed(2)} s CPU`,
      );
    }
  }
  if (codes.length === 2) {
    const [before, after] = codes.map((c) => totals.get(c.label)!);
    const names = ['features', 'online-store', 'leakage-guard'];
    console.log(
      `${slug} baseline/this (CPU s, ${args.repeat} run(s)): ${names.map((n, i) => `${n} ${before![i]!.toFixed(2)}→${after![i]!.toFixed(2)} (×${(before![i]! / after![i]!).toFixed(2)})`).join(', ')}`,
    );
  }
}
