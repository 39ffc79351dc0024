import { isIP } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { ExitCode, isMlfolioError, MlfolioError } from '../portfolio/errors.ts';
import type { SuggestionShown } from './label-log.ts';
import { dawidSkene, majorityVote, suggestionOf } from './label-model.ts';
import { labelPage, pageSecurityPolicy } from './label-page.ts';
import { LabelStore, type LabelStoreOptions } from './label-store.ts';
import { applyLabellingFunctions } from './labelling-functions.ts';
import { LabellingSession } from './labelling-session.ts';
import type { Task } from './load-task.ts';

export interface LabelServerOptions {
  task: Task;
  /** The label log (JSONL). */
  storePath: string;
  annotator: string;
  /** A loopback address; anything else is refused (the page has no authentication). */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  durability?: LabelStoreOptions['durability'];
  /** Class probabilities per item (a model's); without them, the task's labelling functions give them. */
  probabilities?: ReadonlyMap<string, readonly number[]>;
  /** Items settled elsewhere (by labelling functions), left out of the queue except gold items. */
  settled?: ReadonlySet<string>;
  /** Where the probabilities came from, shown with each suggestion. */
  probabilitySource?: string;
  logger?: boolean;
}

export interface LabelServer {
  app: FastifyInstance;
  store: LabelStore;
  session: LabellingSession;
  /** `http://host:port` */
  url: string;
  /** Stops serving, then closes the log and releases its lock. */
  close(): Promise<void>;
}

/** Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Starts the labelling page and its JSON API on a loopback address. Opens the store first, so a
 * second server on the same store fails with `E_LABEL_STORE_LOCKED` naming the first one's pid
 * before anything listens. Every label is in the log before its request is answered.
 */
export async function startLabelServer(options: LabelServerOptions): Promise<LabelServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) {
    throw new MlfolioError({
      code: 'E_LABEL_HOST_NOT_LOOPBACK',
      message: `The labelling server binds only to a loopback address; received host "${host}".`,
      hint: 'Use 127.0.0.1 (the default) or ::1. The page has no authentication and writes to your label log.',
      exitCode: ExitCode.usage,
    });
  }
  const { task } = options;
  const { probabilities, suggestions } = modelOutputs(task, options.probabilities, options.probabilitySource);
  const store = await LabelStore.open(
    task,
    options.storePath,
    options.durability ? { durability: options.durability } : {},
  );
  let session: LabellingSession;
  try {
    session = new LabellingSession(store, {
      ...(probabilities ? { probabilities } : {}),
      suggestions,
      ...(options.settled ? { settled: options.settled } : {}),
    });
  } catch (error) {
    store.close();
    throw error;
  }
  const app = Fastify({ logger: options.logger ?? false });
  app.setErrorHandler((error, _request, reply) => {
    if (isMlfolioError(error)) {
      return reply
        .code(error.code === 'E_LABEL_STORE_LOCKED' ? 409 : 400)
        .send({ code: error.code, message: error.message, hint: error.hint });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply
      .code(status)
      .send({ code: status < 500 ? 'E_BAD_REQUEST' : 'E_INTERNAL', message: (error as Error).message });
  });
  const annotatorOf = (query: unknown) => {
    const value = (query as { annotator?: unknown }).annotator;
    return typeof value === 'string' && value ? value : options.annotator;
  };
  app.get('/', (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', pageSecurityPolicy)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(labelPage(task.declaration.title ?? task.declaration.name)),
  );
  app.get('/api/task', async () => ({
    name: task.declaration.name,
    title: task.declaration.title ?? task.declaration.name,
    guidelines: task.declaration.guidelines,
    classes: task.classes.map((name) => ({ name, key: task.keys.get(name)! })),
    multiLabel: task.multiLabel,
    annotator: options.annotator,
  }));
  app.get('/api/next', async (request) => {
    const annotator = annotatorOf(request.query);
    const next = session.next(annotator);
    return { ...(next ?? { done: true }), progress: session.progress(annotator) };
  });
  app.get<{ Params: { id: string } }>('/api/items/:id', async (request) => {
    const annotator = annotatorOf(request.query);
    const id = request.params.id;
    if (!task.itemIndex.has(id)) {
      throw new MlfolioError({
        code: 'E_LABEL_UNKNOWN_ITEM',
        message: `GET /api/items: the item "${id}" does not exist in the task "${task.declaration.name}".`,
        hint: 'Ask /api/next for the next item.',
      });
    }
    return {
      ...session.describe(id, session.roundOf(id, annotator), -1, annotator),
      progress: session.progress(annotator),
    };
  });
  app.post('/api/labels', async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const round = ['queue', 'evaluation', 'self-overlap', 'gold', 'relabel'].includes(String(body.round))
      ? (body.round as 'queue')
      : 'queue';
    const record = store.submit({
      item: String(body.item),
      label: body.label,
      annotator: typeof body.annotator === 'string' && body.annotator ? body.annotator : options.annotator,
      timeMs: Number(body.timeMs) || 0,
      round,
      ...(isSuggestion(body.suggestion) ? { suggestion: body.suggestion } : {}),
    });
    session.recorded(record);
    // The next item rides on the acknowledgement, so the page needs one round trip per label.
    const progress = session.progress(record.annotator);
    return { record, progress, next: { ...(session.next(record.annotator) ?? { done: true }), progress } };
  });
  app.post('/api/undo', async (request) => {
    const annotator = annotatorOf(request.body ?? {});
    const result = store.undoLast(annotator);
    if (!result) return { undone: null, progress: session.progress(annotator) };
    session.undone(result.undone);
    const next = session.describe(result.undone.item, result.undone.round, -1, annotator);
    return {
      undone: result.undone,
      next: { ...next, progress: session.progress(annotator) },
      progress: session.progress(annotator),
    };
  });
  try {
    await app.listen({ host, port: options.port ?? 0 });
  } catch (error) {
    store.close();
    throw new MlfolioError(
      {
        code: 'E_LABEL_LISTEN',
        message: `The labelling server cannot listen on ${host}:${options.port ?? 0}: ${(error as Error).message}.`,
        hint: 'Choose another --port, or 0 for a free one.',
        exitCode: ExitCode.unavailable,
      },
      { cause: error },
    );
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
  return {
    app,
    store,
    session,
    url,
    async close() {
      await app.close();
      store.close();
    },
  };
}

/**
 * Probabilities and suggestions: a model's when given, otherwise the label model over the task's
 * labelling functions (Dawid–Skene with three or more functions, majority vote below that).
 */
function modelOutputs(
  task: Task,
  given: ReadonlyMap<string, readonly number[]> | undefined,
  source = 'model',
) {
  const suggestions = new Map<string, SuggestionShown>();
  if (given) {
    for (const [id, p] of given) {
      const suggestion = suggestionOf(Float64Array.from(p), task.classes, source);
      if (suggestion) suggestions.set(id, suggestion);
    }
    return { probabilities: given, suggestions };
  }
  const functions = task.declaration.labellingFunctions;
  if (!functions.length || task.multiLabel) return { probabilities: undefined, suggestions };
  const votes = applyLabellingFunctions(task.items, functions, task.classes);
  const useDawidSkene = functions.length >= 3;
  const posteriors = useDawidSkene
    ? dawidSkene(votes, task.classes.length).posteriors
    : majorityVote(votes, task.classes.length);
  const name = `${useDawidSkene ? 'Dawid–Skene' : 'majority vote'} over ${functions.length} labelling functions`;
  const probabilities = new Map<string, readonly number[]>();
  task.items.forEach((item, i) => {
    const p = posteriors[i];
    if (!p) return;
    probabilities.set(item.id, Array.from(p));
    const suggestion = suggestionOf(p, task.classes, name);
    if (suggestion) suggestions.set(item.id, suggestion);
  });
  return { probabilities: probabilities.size ? probabilities : undefined, suggestions };
}

function isSuggestion(value: unknown): value is SuggestionShown {
  const s = value as SuggestionShown | undefined;
  return (
    !!s &&
    typeof s === 'object' &&
    (typeof s.label === 'string' || Array.isArray(s.label)) &&
    typeof s.confidence === 'number' &&
    typeof s.source === 'string'
  );
}
