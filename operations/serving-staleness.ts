import { join } from 'node:path';
import { featureStoreSpecOf } from '../pipelines/engine/feature-store-spec.ts';
import {
  formulaLineage,
  planFeatureStore,
  readOnlineFeature,
  readOnlineStore,
} from '../pipelines/feature-store/index.ts';
import type { LoadedProject } from '../portfolio/project-file/load.ts';
import type { LoadedTaskModel } from './deployed-task-model.ts';
import { type CurrentTaskRows, servedEventOf } from './task-rows.ts';

export interface ServingStaleness {
  events: number;
  staleEvents: number;
  share: number;
  unknownEntityEvents: number;
  features: { feature: string; share: number }[];
}

/**
 * The events at `indices` as the deployed server would serve them: every per-entity feature the
 * model reads (directly or through a formula) looked up in the model's run's online store at the
 * event's time, with its view's TTL. An event is stale when any of them is older than its TTL,
 * and has an unknown entity when the store holds no value for one of its keys (the view's prior
 * is served). Column views come with the request and are never stale.
 */
export async function servingStaleness(
  project: LoadedProject,
  model: LoadedTaskModel,
  current: CurrentTaskRows,
  indices: readonly number[],
): Promise<ServingStaleness> {
  const plan = planFeatureStore(featureStoreSpecOf(project.file), `${project.specFile} (features)`);
  const store = await readOnlineStore(
    join(model.runDir, model.run.featureStore?.onlineStore ?? 'online-store.json'),
  );
  const read = formulaLineage(plan, model.artifact.featureNames);
  const outputs = plan.outputs.filter(
    (output) => output.role !== undefined && read.has(output.column) && store.views[output.view],
  );
  const staleCounts = new Map(outputs.map((output) => [output.column, 0]));
  let staleEvents = 0;
  let unknownEntityEvents = 0;
  for (const i of indices) {
    const event = servedEventOf(project, current, i);
    let stale = false;
    let unknown = false;
    for (const output of outputs) {
      const key = event.entities[output.role!]!;
      const value = readOnlineFeature(plan, store, {
        view: output.view,
        key,
        at: event.time,
        ...(event.season === undefined ? {} : { season: event.season }),
      });
      if (value.asOf === null) unknown = true;
      if (value.stale) {
        stale = true;
        staleCounts.set(output.column, staleCounts.get(output.column)! + 1);
      }
    }
    if (stale) staleEvents++;
    if (unknown) unknownEntityEvents++;
  }
  const events = indices.length;
  return {
    events,
    staleEvents,
    share: events ? staleEvents / events : 0,
    unknownEntityEvents,
    features: [...staleCounts].map(([feature, count]) => ({ feature, share: events ? count / events : 0 })),
  };
}
