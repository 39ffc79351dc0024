import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StageGraph } from '../../pipelines/engine/stage-graph.ts';

const repo = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function graphIn(cacheDir?: string) {
  const dir = cacheDir ?? (await mkdtemp(join(tmpdir(), 'mlfolio-graph-')));
  if (!cacheDir) dirs.push(dir);
  return { dir, graph: new StageGraph({ codeRoot: repo, cacheDir: dir }) };
}

describe('StageGraph', () => {
  it('reuses a stage whose needs, params and code are unchanged, and reruns one whose upstream changed', async () => {
    const calls: string[] = [];
    const pipeline = async (cacheDir: string | undefined, data: number) => {
      const { dir, graph } = await graphIn(cacheDir);
      const a = await graph.run({
        name: 'a',
        params: { data },
        run: async () => {
          calls.push('a');
          return data * 2;
        },
      });
      const b = await graph.run({
        name: 'b',
        needs: ['a'],
        code: ['pipelines/engine/stage-graph.ts'],
        run: async (inputs) => {
          calls.push('b');
          return (inputs.a as number) + 1;
        },
      });
      return { dir, graph, a, b };
    };
    const first = await pipeline(undefined, 5);
    expect([first.a, first.b]).toEqual([10, 11]);
    const again = await pipeline(first.dir, 5);
    expect(again.graph.stages.map((s) => s.cached)).toEqual([true, true]);
    expect(again.b).toBe(11);
    expect(again.graph.key()).toBe(first.graph.key());
    const changed = await pipeline(first.dir, 6);
    expect(changed.b).toBe(13);
    expect(changed.graph.stages.map((s) => s.cached)).toEqual([false, false]);
    expect(calls).toEqual(['a', 'b', 'a', 'b']);
  });

  it('records a stage left running in the order it started, so the key does not depend on which stage finishes first', async () => {
    const run = async (slowFirst: boolean) => {
      const { graph } = await graphIn();
      await graph.run({ name: 'features', run: async () => 1 });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const guard = graph.run({
        name: 'guard',
        needs: ['features'],
        run: async () => {
          if (slowFirst) await gate;
          return 'checked';
        },
      });
      const train = graph.run({ name: 'train', needs: ['features'], run: async () => 2 });
      if (!slowFirst) await guard;
      await train;
      release();
      expect(await guard).toBe('checked');
      return graph;
    };
    const slow = await run(true);
    const fast = await run(false);
    expect(slow.stages.map((s) => s.name)).toEqual(['features', 'guard', 'train']);
    expect(fast.stages.map((s) => s.name)).toEqual(['features', 'guard', 'train']);
    expect(slow.stages.every((s) => s.key.length === 64)).toBe(true);
    expect(slow.key()).toBe(fast.key());
  });

  it('refuses a stage name that has started already, even before it finishes', async () => {
    const { graph } = await graphIn();
    const pending = graph.run({
      name: 'a',
      run: () => new Promise<number>((resolve) => setTimeout(() => resolve(1), 20)),
    });
    await expect(graph.run({ name: 'a', run: async () => 2 })).rejects.toThrow(/"a" ran twice/);
    expect(await pending).toBe(1);
  });

  it('records each stage with the stages it read', async () => {
    const { graph } = await graphIn();
    await graph.run({ name: 'collect', run: async () => 1 });
    await graph.run({ name: 'features', needs: ['collect'], describe: 'point in time', run: async () => 2 });
    expect(graph.stages.map(({ name, needs, describe }) => ({ name, needs, describe }))).toEqual([
      { name: 'collect', needs: [], describe: undefined },
      { name: 'features', needs: ['collect'], describe: 'point in time' },
    ]);
  });

  it('shares one cache entry between stages that name it, when their inputs are equal', async () => {
    const { graph } = await graphIn();
    let fits = 0;
    const fit = async () => ++fits;
    await graph.run({ name: 'train:m', cacheName: 'train-m', params: { seasons: ['2019'] }, run: fit });
    await graph.run({
      name: 'backtest:2020:m',
      cacheName: 'train-m',
      params: { seasons: ['2019'] },
      run: fit,
    });
    await graph.run({
      name: 'backtest:2019:m',
      cacheName: 'train-m',
      params: { seasons: ['2018'] },
      run: fit,
    });
    expect(graph.stages.map((s) => s.cached)).toEqual([false, true, false]);
    expect(fits).toBe(2);
  });

  it('runs a shared cache entry once when its stages run at the same time, the later reusing it', async () => {
    const { graph } = await graphIn();
    let fits = 0;
    let finish: (value: number) => void = () => undefined;
    const fit = () => {
      fits++;
      return new Promise<number>((resolve) => {
        finish = resolve;
      });
    };
    const first = graph.run({
      name: 'train:m',
      cacheName: 'train-m',
      params: { seasons: ['2019'] },
      run: fit,
    });
    const second = graph.run({
      name: 'backtest:2020:m',
      cacheName: 'train-m',
      params: { seasons: ['2019'] },
      run: fit,
    });
    // Both started; the stage cache has nothing stored yet, so only the shared entry stops a second fit.
    await new Promise((resolve) => setTimeout(resolve, 50));
    finish(42);
    expect(await Promise.all([first, second])).toEqual([42, 42]);
    expect(fits).toBe(1);
    expect(graph.stages.map((s) => [s.name, s.cached])).toEqual([
      ['train:m', false],
      ['backtest:2020:m', true],
    ]);
    expect(graph.stages[0]!.key).toBe(graph.stages[1]!.key);
  });

  it('refuses a stage that needs one that has not run, and a name used twice', async () => {
    const { graph } = await graphIn();
    await expect(graph.run({ name: 'split', needs: ['features'], run: async () => 0 })).rejects.toThrow(
      'Stage "split" needs "features", which has not run.',
    );
    await graph.run({ name: 'x', run: async () => 0 });
    await expect(graph.run({ name: 'x', run: async () => 0 })).rejects.toThrow('"x" ran twice');
  });
});
