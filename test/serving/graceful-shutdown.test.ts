import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import got from 'got';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDeclaredPredictor } from '../../serving/declared/declared-predictor.ts';
import type { TaskPredictor } from '../../serving/declared/task-predictor.ts';
import { buildTaskServer, serveDeclaredProject } from '../../serving/declared/task-server.ts';
import { listenOn } from '../../serving/server-lifecycle.ts';
import { defaultServerOptions } from '../../serving/server-options.ts';
import { mlfolio } from '../e2e/workspace.ts';
import { declaredWorkspace } from '../helpers/declared-workspace.ts';

const slug = 'international-match-outcomes';
let fixture: Awaited<ReturnType<typeof declaredWorkspace>>;
const eventBody = {
  event: { time: '2026-08-01', entities: { home: 'Brazil', away: 'Argentina' }, columns: { neutral: false } },
};

beforeAll(async () => {
  fixture = await declaredWorkspace();
}, 600_000);

afterAll(async () => {
  await fixture?.dispose();
});

/** A latch the test opens by hand: predictions wait on it, so a request stays in flight. */
function latch() {
  let open!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const reached = new Promise<void>((resolve) => {
    entered = resolve;
  });
  return {
    open,
    reached,
    hook: async () => {
      entered();
      await gate;
    },
  };
}

describe('graceful shutdown', () => {
  test('closing finishes the in-flight prediction, then refuses new connections', async () => {
    const gate = latch();
    const predictor = await loadDeclaredPredictor(fixture.workspace, slug);
    // The served predictor waits on the latch, so the request stays in flight until the test opens it.
    const gated: TaskPredictor = {
      ...predictor,
      predict: async (item, explain) => {
        await gate.hook();
        return predictor.predict(item, explain);
      },
    };
    const settings = { ...defaultServerOptions, port: 0 };
    const app = await buildTaskServer({ predictor: gated, options: settings });
    const url = await listenOn(app, settings);
    const inFlight = got.post(`${url}/v1/predictions`, { json: eventBody, retry: { limit: 0 } }).json<{
      prediction: { probabilities: Record<string, number> };
    }>();
    await gate.reached;
    let closed = false;
    const closing = app.close().then(() => {
      closed = true;
    });
    // Closing waits for the request held in flight.
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    const refused = await got(`${url}/health`, { retry: { limit: 0 } }).then(
      () => 'answered',
      (error: { code?: string }) => error.code,
    );
    expect(refused).toBe('ECONNREFUSED');
    gate.open();
    const answer = await inFlight;
    expect(Object.keys(answer.prediction.probabilities)).toEqual(['false', 'true']);
    await closing;
    expect(closed).toBe(true);
  });

  test('a client that stalls mid-body is cut off (408 or a closed socket) instead of holding a connection', async () => {
    const { app, url } = await serveDeclaredProject(fixture.workspace, slug, {
      port: 0,
      requestTimeoutMs: 300,
    });
    const { port } = new URL(url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /v1/predictions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"event":',
        );
      });
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk.toString();
      });
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    // The socket's idle timeout usually fires before Node's request-timeout sweep, which would send 408.
    expect(reply === '' || reply.startsWith('HTTP/1.1 408')).toBe(true);
    expect(reply).not.toMatch(/^HTTP\/1\.1 200/);
    await app.close();
  });

  test('`mlfolio serve` stops on SIGTERM with exit status 0 after serving', async () => {
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, '..', '..', 'cli', 'bin.ts'), 'serve', slug, '--port', '0', '--quiet'],
      {
        env: { ...process.env, MLFOLIO_ROOT: fixture.workspace.root },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk.toString();
        const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code} before listening:\n${stderr}`)));
    });
    const health = await got(`${url}/health`).json<{ status: string }>();
    expect(health.status).toBe('ok');
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/SIGTERM: finishing in-flight requests/);
  });

  test('serving on a port in use fails with E_LISTEN_FAILED and exit status 4, not a crash', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await mlfolio(fixture.workspace.root, ['serve', slug, '--port', String(port)]);
      expect(result.stderr).toMatch(/E_LISTEN_FAILED: Cannot listen on 127\.0\.0\.1:\d+: the port is in use/);
      expect(result.code).toBe(4);
    } finally {
      blocker.close();
    }
  });
});
