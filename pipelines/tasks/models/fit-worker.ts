/** A thread of the fit pool (`fit-threads.ts`): fits one model per call with the registry's code. */
import { threadErrorOf } from '../../../portfolio/thread-errors.ts';
import { type FitJob, type FitReply, trainingSetOf } from './fit-job.ts';
import { modelKinds } from './registry.ts';

export default async function fit(job: FitJob): Promise<FitReply> {
  try {
    const data = trainingSetOf(job);
    const t0 = performance.now();
    const artifact = await modelKinds[job.kind]!.fit(job.task, data, job.params, job.seed);
    return { result: { artifact, trainMs: performance.now() - t0 } };
  } catch (caught) {
    return { error: threadErrorOf(caught) };
  }
}
