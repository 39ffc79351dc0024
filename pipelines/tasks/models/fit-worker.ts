/** A job of the engine's thread pool (`fitModel`): fits one model with the registry's code. */
import { threadErrorOf } from '../../../portfolio/thread-errors.ts';
import type { ThreadReply } from '../../../portfolio/thread-pool.ts';
import { type FitJob, type FitResult, trainingSetOf } from './fit-job.ts';
import { modelKinds } from './registry.ts';

export default async function fit(job: FitJob): Promise<ThreadReply<FitResult>> {
  try {
    const data = trainingSetOf(job);
    const t0 = performance.now();
    const artifact = await modelKinds[job.kind]!.fit(job.task, data, job.params, job.seed);
    return { result: { artifact, trainMs: performance.now() - t0 } };
  } catch (caught) {
    return { error: threadErrorOf(caught) };
  }
}
