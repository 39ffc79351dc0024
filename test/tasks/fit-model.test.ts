import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../pipelines/random.ts';
import { fitModel } from '../../pipelines/tasks/models/fit-model.ts';
import type { Task, TrainingSet } from '../../pipelines/tasks/task.ts';
import { isMlfolioError } from '../../portfolio/errors.ts';
import { engineThreads } from '../../portfolio/thread-pool.ts';

const declared = process.env.MLFOLIO_THREADS;
afterEach(() => {
  if (declared === undefined) delete process.env.MLFOLIO_THREADS;
  else process.env.MLFOLIO_THREADS = declared;
});

/** 600 rows, 4 features, an outcome that depends on two of them. */
function trainingSet(): TrainingSet {
  const random = seededRandom(11);
  const rows = Array.from({ length: 600 }, () => Array.from({ length: 4 }, () => random() * 10 - 5));
  const outcomes = rows.map((row) => (row[0]! - 0.5 * row[2]! + random() * 4 > 2 ? 2 : row[1]! > 0 ? 1 : 0));
  return { featureNames: ['a', 'b', 'c', 'd'], rows, outcomes };
}
const task: Task = { kind: 'ordinal', classes: ['low', 'middle', 'high'] };

async function fitWith(threads: string, kind: string, params: unknown) {
  process.env.MLFOLIO_THREADS = threads;
  return fitModel(kind, task, trainingSet(), params, 5);
}

describe('fitModel on worker threads', () => {
  it.each([
    ['gradient-boosting', { rounds: 20, maxLeaves: 8 }],
    ['mlp', { hidden: [8], epochs: 4 }],
    ['ordinal-logit', {}],
    ['class-prior', {}],
  ])(
    'fits %s to the same artifact as the calling thread',
    async (kind, params) => {
      const inProcess = await fitWith('0', kind, params);
      const threaded = await fitWith('2', kind, params);
      expect(threaded.artifact).toEqual(inProcess.artifact);
      expect(JSON.stringify(threaded.artifact)).toBe(JSON.stringify(inProcess.artifact));
      expect(threaded.trainMs).toBeGreaterThan(0);
    },
    60_000,
  );

  it('gives a model that reads no feature every row', async () => {
    const { outcomes } = trainingSet();
    const noFeatures = { featureNames: [], rows: outcomes.map(() => []), outcomes };
    process.env.MLFOLIO_THREADS = '0';
    const inProcess = await fitModel('class-prior', task, noFeatures, {}, 5);
    process.env.MLFOLIO_THREADS = '2';
    const threaded = await fitModel('class-prior', task, noFeatures, {}, 5);
    expect(threaded.artifact).toEqual(inProcess.artifact);
    // Rows counted from the values (none per row) left the fit without rows, and it failed.
    expect(threaded.artifact.kind).toBe('class-prior');
  }, 60_000);

  it("rethrows a fit's MlfolioError with its code and hint", async () => {
    process.env.MLFOLIO_THREADS = '2';
    const tiny = { featureNames: ['a'], rows: [[1]], outcomes: [0] };
    const failure = await fitModel('mlp', task, tiny, {}, 1).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isMlfolioError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: 'E_TRAINING_SET_INVALID' });
    expect((failure as Error).message).toContain('at least 2');
  }, 60_000);

  it('reads MLFOLIO_THREADS, and names it when it is not a number of threads', () => {
    process.env.MLFOLIO_THREADS = '3';
    expect(engineThreads()).toBe(3);
    process.env.MLFOLIO_THREADS = 'two';
    expect(() => engineThreads()).toThrow(/MLFOLIO_THREADS is "two"/);
  });
});
