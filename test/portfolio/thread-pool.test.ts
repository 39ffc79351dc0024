import { afterAll, describe, expect, it } from 'vitest';
import { closeEngineThreads, runOnThread } from '../../portfolio/thread-pool.ts';

const timedJob = new URL('./fixtures/timed-job.ts', import.meta.url);
const declared = process.env.MLFOLIO_THREADS;
afterAll(async () => {
  await closeEngineThreads();
  if (declared === undefined) delete process.env.MLFOLIO_THREADS;
  else process.env.MLFOLIO_THREADS = declared;
});

interface Started {
  id: string;
  startedAt: number;
}

describe('the engine thread pool', () => {
  it('starts waiting jobs urgent first, then largest first, in the order they were sent among equals', async () => {
    process.env.MLFOLIO_THREADS = '1';
    // The first job holds the only thread while the others are sent, so they all wait.
    const holding = runOnThread<{ id: string; holdMs: number }, Started>(timedJob, {
      id: 'first',
      holdMs: 300,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waiting = [
      ['small', 1],
      ['large', 50_000],
      ['middle', 6_000],
      ['large too', 50_000],
      ['unsized', undefined],
      ['urgent small', 10, true],
      ['urgent large', 900, true],
    ] as const;
    const sent = waiting.map(([id, size, urgent]) =>
      runOnThread<{ id: string; holdMs: number }, Started>(
        timedJob,
        { id, holdMs: 20 },
        { ...(size === undefined ? {} : { size }), ...(urgent ? { urgent } : {}) },
      ),
    );
    const started = await Promise.all([holding, ...sent]);
    const order = [...started].sort((a, b) => a.startedAt - b.startedAt).map((job) => job.id);
    expect(order).toEqual([
      'first',
      'urgent large',
      'urgent small',
      'large',
      'large too',
      'middle',
      'small',
      'unsized',
    ]);
  }, 60_000);
});
