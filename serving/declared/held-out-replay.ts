import got from 'got';
import type { LoadedTaskModel } from '../../operations/deployed-task-model.ts';
import type { Cell } from '../../pipelines/collect/typed-rows.ts';
import { collectEvents } from '../../pipelines/engine/collect-events.ts';
import { eventsSpecOf, featureStoreSpecOf } from '../../pipelines/engine/feature-store-spec.ts';
import { buildEngineRows } from '../../pipelines/engine/run-engine.ts';
import { splitByTime } from '../../pipelines/split/time-split.ts';
import { forecastWith } from '../../pipelines/tasks/models/forecast.ts';
import type { Forecast } from '../../pipelines/tasks/task.ts';
import { ExitCode, MlfolioError } from '../../portfolio/errors.ts';
import type { LoadedProject } from '../../portfolio/project-file/load.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import type { ModelVersion } from '../model-version.ts';
import type { ServedEvent } from './request-schema.ts';

/** One held-out event of a run, as a request and with the run's offline forecast for it. */
export interface HeldOutEvent {
  /** The event's id in the feature store (its row in the collected table). */
  id: string;
  event: ServedEvent;
  /** The forecast the offline path gives: the training set's row through the same artifact. */
  offline: Forecast;
}

/**
 * The test-period events of a model's run, rebuilt as the run built them: the events table
 * collected again (it must hash as the run recorded it), the point-in-time training set, the
 * run's split. Each becomes a request (time, season, entity key per role, the columns the
 * `column` views read) paired with the offline forecast of the same model for it.
 */
export async function heldOutEvents(
  workspace: Workspace,
  project: LoadedProject,
  loaded: LoadedTaskModel,
): Promise<HeldOutEvent[]> {
  const spec = project.file;
  const { run, artifact } = loaded;
  const tableSpec = eventsSpecOf(spec);
  const {
    name: eventsName,
    table,
    rows: kept,
  } = await collectEvents(workspace, project, {
    dataUntil: run.dataUntil,
  });
  if (table.provenance.sha256 !== run.inputs.dataset.sha256) {
    throw new MlfolioError({
      code: 'E_REPLAY_DATA_CHANGED',
      message: `Project "${project.slug}": table "${eventsName}" no longer hashes as run ${run.runId} recorded it, so its held-out events cannot be rebuilt.`,
      hint: `Rerun the project with \`mlfolio run ${project.slug}\`, then replay the new run.`,
    });
  }
  const rows = await buildEngineRows(project, featureStoreSpecOf(spec), kept);
  const timed = rows.times.map((time, i) => ({ time, season: rows.seasons[i]! }));
  const split = splitByTime(project.slug, timed, spec.split, project.specFile);
  if (split.test.length !== run.split.test.rows) {
    throw new MlfolioError({
      code: 'E_REPLAY_DATA_CHANGED',
      message: `Project "${project.slug}": the held-out period now has ${split.test.length} events, but run ${run.runId} tested on ${run.split.test.rows}.`,
      hint: `The project file changed since the run; rerun it with \`mlfolio run ${project.slug}\`.`,
    });
  }
  const columns = [
    ...new Set(spec.features.flatMap((view) => (view.kind === 'column' ? [view.column] : []))),
  ];
  const featureIndex = artifact.featureNames.map((name) => rows.featureNames.indexOf(name));
  return split.test.map((i) => {
    const row = kept[Number(rows.ids[i])]!;
    if (String(row[tableSpec.time.column]) !== rows.times[i]) {
      throw new Error(`Event ${rows.ids[i]} is not row ${rows.ids[i]} of the kept events`);
    }
    const event: ServedEvent = {
      time: rows.times[i]!,
      ...(tableSpec.time.kind === 'date' && tableSpec.season
        ? { season: String(row[tableSpec.season]) }
        : {}),
      entities: Object.fromEntries(
        Object.entries(spec.data.roles).map(([role, declared]) => [role, String(row[declared.key])]),
      ),
      columns: Object.fromEntries(columns.map((column) => [column, requestValue(row[column] ?? null)])),
    };
    return {
      id: rows.ids[i]!,
      event,
      offline: forecastWith(
        artifact,
        featureIndex.map((j) => rows.x[i]![j]!),
      ),
    };
  });
}

function requestValue(cell: Cell): number | boolean {
  if (typeof cell === 'boolean' || typeof cell === 'number') return cell;
  return Number(cell);
}

export interface ReplayReport {
  url: string;
  model: ModelVersion;
  events: number;
  requests: number;
  /** The largest absolute difference between a served and an offline forecast number. */
  largestDifference: number;
  /** The event where it occurred. */
  largestAt: { id: string; time: string } | undefined;
  /** Events whose served forecast differs from the offline one by more than the tolerance. */
  mismatches: { id: string; time: string; entities: Record<string, string>; difference: number }[];
  stale: number;
  unknownEntities: number;
  elapsedMs: number;
}

/** Events per replay request by default. */
export const replayBatch = 32;

/** A point-in-time server's request timeout: a batch materialises the store once per event time. */
export const pointInTimeRequestTimeoutMs = 120_000;

/** Served and offline forecasts must agree to this (absolute, on probabilities and means). */
export const replayTolerance = 1e-9;

/**
 * Sends the events to a running version 2 server as traffic (batches of `batch` over HTTP,
 * keep-alive) and compares every served forecast with its offline one. The server must serve the
 * events' model, point in time (`mlfolio serve --point-in-time`): otherwise a clear error.
 */
export async function replayThroughServer(
  url: string,
  events: readonly HeldOutEvent[],
  expected: { runId: string; modelId: string },
  options: { batch?: number } = {},
): Promise<ReplayReport> {
  const client = got.extend({
    prefixUrl: url,
    retry: { limit: 0 },
    timeout: { request: 60_000 },
    throwHttpErrors: false,
    responseType: 'json',
  });
  const started = performance.now();
  const info = await client.get('v1/model').catch((error: unknown) => {
    throw new MlfolioError(
      {
        code: 'E_REPLAY_SERVER_UNREACHABLE',
        message: `No prediction server answers at ${url}: ${(error as Error).message}.`,
        hint: 'Start one with `mlfolio serve <project> --point-in-time`, or leave --url out to start one for the replay.',
        exitCode: ExitCode.unavailable,
      },
      { cause: error },
    );
  });
  const model = info.body as { model?: ModelVersion; pointInTime?: boolean };
  if (info.statusCode !== 200 || !model.model) {
    throw new MlfolioError({
      code: 'E_REPLAY_SERVER_UNREACHABLE',
      message: `${url}/v1/model answered ${info.statusCode}, not a version 2 prediction server's model description.`,
      hint: 'Point --url at `mlfolio serve <project> --point-in-time`.',
      exitCode: ExitCode.unavailable,
    });
  }
  if (model.model.runId !== expected.runId || model.model.modelId !== expected.modelId) {
    throw new MlfolioError({
      code: 'E_REPLAY_MODEL_MISMATCH',
      message: `${url} serves model ${model.model.modelId} of run ${model.model.runId}, but the replay checks ${expected.modelId} of run ${expected.runId}.`,
      hint: 'Serve the deployed model (no --run/--model), or replay the one the server serves.',
    });
  }
  if (!model.pointInTime) {
    throw new MlfolioError({
      code: 'E_REPLAY_NOT_POINT_IN_TIME',
      message: `${url} serves only events after the end of the data; the held-out events are inside it.`,
      hint: 'Start the server with `mlfolio serve <project> --point-in-time`.',
    });
  }
  const batch = options.batch ?? replayBatch;
  const report: ReplayReport = {
    url,
    model: model.model,
    events: events.length,
    requests: 0,
    largestDifference: 0,
    largestAt: undefined,
    mismatches: [],
    stale: 0,
    unknownEntities: 0,
    elapsedMs: 0,
  };
  for (let start = 0; start < events.length; start += batch) {
    const chunk = events.slice(start, start + batch);
    const response = await client
      .post('v1/predictions/batch', {
        json: { items: chunk.map((e) => ({ event: e.event })), explain: false },
      })
      .catch((error: unknown) => {
        throw new MlfolioError(
          {
            code: 'E_REPLAY_REQUEST_FAILED',
            message: `The request for events ${chunk[0]!.id}–${chunk.at(-1)!.id} (${chunk[0]!.event.time}) to ${url} failed: ${(error as Error).message}.`,
            hint: 'A point-in-time server materialises the store per event time: send smaller batches (--batch), or give the server a longer request timeout.',
            exitCode: ExitCode.unavailable,
            retryable: true,
          },
          { cause: error },
        );
      });
    report.requests++;
    const body = response.body as {
      predictions?: { forecast: Forecast; stale: unknown[]; unknownEntities: unknown[] }[];
      error?: { code: string; message: string };
    };
    if (response.statusCode !== 200 || !body.predictions) {
      throw new MlfolioError({
        code: 'E_REPLAY_REQUEST_FAILED',
        message: `The server answered ${response.statusCode} to events ${chunk[0]!.id}–${chunk.at(-1)!.id} (${chunk[0]!.event.time}): ${body.error ? `${body.error.code}: ${body.error.message}` : JSON.stringify(body).slice(0, 300)}`,
        hint: 'A served event must be answered; see the server’s log.',
      });
    }
    body.predictions.forEach((prediction, k) => {
      const held = chunk[k]!;
      const difference = forecastDifference(prediction.forecast, held.offline);
      report.stale += prediction.stale.length ? 1 : 0;
      report.unknownEntities += prediction.unknownEntities.length ? 1 : 0;
      if (difference > report.largestDifference || report.largestAt === undefined) {
        report.largestDifference = difference;
        report.largestAt = { id: held.id, time: held.event.time };
      }
      if (!(difference <= replayTolerance)) {
        report.mismatches.push({
          id: held.id,
          time: held.event.time,
          entities: held.event.entities,
          difference,
        });
      }
    });
  }
  report.elapsedMs = performance.now() - started;
  return report;
}

/** Largest absolute difference between two forecasts' numbers; Infinity when their kinds differ. */
export function forecastDifference(a: Forecast, b: Forecast): number {
  if (a.kind === 'probabilities' && b.kind === 'probabilities') {
    if (a.p.length !== b.p.length) return Number.POSITIVE_INFINITY;
    return Math.max(...a.p.map((p, k) => Math.abs(p - b.p[k]!)));
  }
  if (a.kind === 'gaussian' && b.kind === 'gaussian') {
    return Math.max(Math.abs(a.mean - b.mean), Math.abs(a.sd - b.sd));
  }
  if (a.kind === 'poisson' && b.kind === 'poisson') return Math.abs(a.mean - b.mean);
  return Number.POSITIVE_INFINITY;
}
