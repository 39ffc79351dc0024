import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import got from 'got';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runProject } from '../../pipelines/run-project.ts';
import { serveProject } from '../../serving/serve-project.ts';
import { exampleWorkspace } from '../helpers/example-workspace.ts';

let fixture: Awaited<ReturnType<typeof exampleWorkspace>>;
const fixtureBody = { fixture: { homeTeam: 'Arsenal', awayTeam: 'Chelsea', date: '2017-08-12' } };

beforeAll(async () => {
  fixture = await exampleWorkspace();
  await runProject(fixture.workspace, fixture.project);
}, 180_000);

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
    const { app, url } = await serveProject(
      fixture.workspace,
      fixture.project.slug,
      { port: 0 },
      { beforePredict: gate.hook },
    );
    const inFlight = got.post(`${url}/v1/predictions`, { json: fixtureBody, retry: { limit: 0 } }).json<{
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
    expect(Object.keys(answer.prediction.probabilities)).toEqual(['H', 'D', 'A']);
    await closing;
    expect(closed).toBe(true);
  });

  test('a client that stalls mid-body is cut off (408 or a closed socket) instead of holding a connection', async () => {
    const { app, url } = await serveProject(fixture.workspace, fixture.project.slug, {
      port: 0,
      requestTimeoutMs: 300,
    });
    const { port } = new URL(url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /v1/predictions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"fixture":',
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
      [
        join(import.meta.dirname, '..', '..', 'cli', 'bin.ts'),
        'serve',
        fixture.project.slug,
        '--port',
        '0',
        '--quiet',
      ],
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
});
