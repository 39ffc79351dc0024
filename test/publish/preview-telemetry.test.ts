import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '../..');
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mlfolio-preview-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Output of `child` until `pattern` appears in it (or the child exits, or 60 s pass). */
function outputUntil(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let output = '';
    const done = () => {
      clearTimeout(timer);
      resolve(output);
    };
    const timer = setTimeout(done, 60_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) done();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('exit', done);
  });
}

describe('npm run preview', () => {
  it("serves the site without Astro's telemetry notice, and leaves telemetry off", async () => {
    const site = join(scratch, 'site');
    const home = join(scratch, 'home');
    await mkdir(site, { recursive: true });
    await mkdir(home, { recursive: true });
    await writeFile(join(site, 'index.html'), '<!doctype html><title>t</title><h1>Preview works</h1>');
    const script = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')).scripts
      .preview as string;
    const port = await freePort();
    // As npm runs a script (node_modules/.bin first on PATH), for a user who has never run Astro:
    // a fresh home, and none of the CI variables under which Astro stays quiet anyway.
    const child = spawn('sh', ['-c', `${script} --outDir "${site}" --port ${port} --host 127.0.0.1`], {
      cwd: repoRoot,
      detached: true,
      env: {
        PATH: [join(repoRoot, 'node_modules', '.bin'), process.env.PATH].join(delimiter),
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
      },
    });
    try {
      const address = `http://127.0.0.1:${port}/`;
      const output = await outputUntil(child, new RegExp(address.replaceAll('.', '\\.')));
      expect(output).toContain(address);
      const response = await fetch(address);
      expect(await response.text()).toContain('Preview works');
      expect(output).not.toMatch(/telemetry/i);
      expect(existsSync(join(home, '.config', 'astro', 'config.json'))).toBe(false);
    } finally {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
    }
  });
});
