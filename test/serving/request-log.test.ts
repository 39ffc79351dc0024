import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import got from 'got';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mlfolio } from '../e2e/workspace.ts';
import { declaredWorkspace } from '../helpers/declared-workspace.ts';

const slug = 'international-match-outcomes';
let fixture: Awaited<ReturnType<typeof declaredWorkspace>>;
const event = (neutral: unknown) => ({
  event: { time: '2026-08-01', entities: { home: 'Brazil', away: 'Argentina' }, columns: { neutral } },
});
const valid = event(false);
const invalid = event('no');

beforeAll(async () => {
  fixture = await declaredWorkspace();
}, 600_000);

afterAll(async () => {
  await fixture?.dispose();
});

/** Runs `mlfolio serve` with `args`, sends a valid and an invalid prediction, stops it with SIGTERM. */
async function serveAndRequest(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, '..', '..', 'cli', 'bin.ts'), 'serve', slug, '--port', '0', ...args],
    { env: { ...process.env, MLFOLIO_ROOT: fixture.workspace.root }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${stderr}`)));
  });
  const client = got.extend({ prefixUrl: url, throwHttpErrors: false, retry: { limit: 0 } });
  expect((await client.post('v1/predictions', { json: valid })).statusCode).toBe(200);
  expect((await client.post('v1/predictions', { json: invalid })).statusCode).toBe(400);
  child.kill('SIGTERM');
  return { code: await exited, stdout, stderr };
}

const jsonLines = (text: string) => text.split('\n').filter((line) => line.startsWith('{'));

describe('the request log of `mlfolio serve`', () => {
  test('by default stdout holds only the "Listening on" line, and routine requests log nothing', async () => {
    const { code, stdout, stderr } = await serveAndRequest([]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([expect.stringMatching(/^Listening on http:/)]);
    expect(jsonLines(stderr)).toEqual([]);
    expect(stderr).toMatch(/Log: warnings and errors only, as JSON lines on stderr \(--log-level info/);
  });

  test('--log-file appends one JSON line per request to the file, and nothing to stdout or stderr', async () => {
    const file = join(fixture.workspace.root, 'requests.log');
    const { code, stdout, stderr } = await serveAndRequest(['--log-file', file]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(jsonLines(stderr)).toEqual([]);
    expect(stderr).toContain(`appended to ${file}`);
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const completed = lines.filter((line) => line.msg === 'request completed');
    expect(completed.map((line) => line.res.statusCode)).toEqual([200, 400]);
    expect(lines.filter((line) => line.msg === 'incoming request').map((line) => line.req.url)).toEqual([
      '/v1/predictions',
      '/v1/predictions',
    ]);

    // A second server appends rather than overwrites.
    await serveAndRequest(['--log-file', file]);
    const again = (await readFile(file, 'utf8')).trim().split('\n');
    expect(again.length).toBe(lines.length * 2);
  });

  test('--log-level info logs every request as JSON on stderr, never on stdout', async () => {
    const { code, stdout, stderr } = await serveAndRequest(['--log-level', 'info']);
    expect(code).toBe(0);
    expect(jsonLines(stdout)).toEqual([]);
    expect(jsonLines(stderr).filter((line) => line.includes('"request completed"'))).toHaveLength(2);
  });

  test.each([
    {
      args: ['--log-level', 'infoo'],
      message: /--log-level must be one of .*received "infoo"[\s\S]*Did you mean "info"/,
    },
    { args: ['--quiet', '--log-level', 'info'], message: /E_OPTION_CONFLICT/ },
    { args: ['--log-file', '/nonexistent-folder/requests.log'], message: /E_LOG_FILE_UNWRITABLE: .*ENOENT/ },
  ])('$args is a usage error naming the problem', async ({ args, message }) => {
    const result = await mlfolio(fixture.workspace.root, ['serve', slug, '--port', '0', ...args]);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
  });
});
