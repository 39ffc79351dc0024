import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../cli/commands/index.ts';
import { helpStyleFor } from '../../cli/help-text.ts';
import { main } from '../../cli/main.ts';

const repoRoot = join(import.meta.dirname, '../..');
let root: string;
let stdout: string[];
let stderr: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mlfolio-cli-help-'));
  vi.stubEnv('MLFOLIO_ROOT', root);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation((...parts) => void stdout.push(`${parts.join(' ')}\n`));
  vi.spyOn(console, 'error').mockImplementation((...parts) => void stderr.push(`${parts.join(' ')}\n`));
});

/** The real command in a child process whose stdout is a pipe, with `env` replacing the colour settings. */
function helpThroughPipe(args: string[], env: Record<string, string | undefined>) {
  const base = { ...process.env };
  for (const key of ['TERM', 'NO_COLOR', 'FORCE_COLOR', 'CI', 'TEST', 'VITEST']) delete base[key];
  return new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'cli/bin.ts'), ...args],
      { cwd: root, env: { ...base, ...env, MLFOLIO_ROOT: root } },
      (error, out) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out }),
    );
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escape sequences
const ansi = /\x1b\[/;

describe('help written to a file or a pipe', () => {
  it.each([
    ['TERM=xterm', { TERM: 'xterm' }],
    ['TERM unset', {}],
    ['FORCE_COLOR=0', { TERM: 'xterm-256color', FORCE_COLOR: '0' }],
  ])('has no colour codes and no padded lines with %s', async (_case, env) => {
    for (const args of [['--help'], ['serve', '--help']]) {
      const result = await helpThroughPipe(args, env);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: mlfolio');
      expect(result.stdout).not.toMatch(ansi);
      const lines = result.stdout.split('\n');
      expect(lines.filter((line) => / $/.test(line))).toEqual([]);
      expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
    }
  });

  it('is coloured only on a terminal that allows colour', () => {
    const stream = (isTTY: boolean, colors: boolean, columns = 100) =>
      ({ isTTY, columns, hasColors: () => colors }) as unknown as NodeJS.WriteStream;
    expect(helpStyleFor(stream(true, true))).toEqual({ color: true, width: 100 });
    expect(helpStyleFor(stream(true, false))).toEqual({ color: false, width: 100 });
    expect(helpStyleFor(stream(false, true))).toEqual({ color: false, width: 80 });
  });
});

describe('every command’s help', () => {
  it.each(Object.keys(commands))('mlfolio %s --help spells options as they are typed', async (name) => {
    expect(await main([name, '--help'])).toBe(0);
    const text = stdout.join('');
    expect(text).toContain(`Usage: mlfolio ${name}`);
    // citty accepts --max-batch for a `maxBatch` key; help and README say it the same way.
    expect(text).not.toMatch(/--[a-z]+[A-Z]/);
    expect(text.split('\n').filter((line) => / $/.test(line))).toEqual([]);
  });

  it('lists --max-batch for serve', async () => {
    await main(['serve', '--help']);
    expect(stdout.join('')).toMatch(/^ {2}--max-batch <max-batch> +Most predictions per batch request/m);
  });

  it.each(['serve', 'monitor', 'retrain', 'replay'])(
    'shows the project of %s as required, and exits 2 naming it when it is left out',
    async (name) => {
      await main([name, '--help']);
      expect(stdout.join('')).toContain(`Usage: mlfolio ${name} <PROJECT> [options]`);
      stdout = [];
      expect(await main([name])).toBe(2);
      expect(stderr.join('')).toContain(`E_PROJECT_MISSING: \`mlfolio ${name}\` needs a project.`);
    },
  );

  it('shows an optional project as optional', async () => {
    await main(['run', '--help']);
    expect(stdout.join('')).toContain('Usage: mlfolio run [PROJECT] [options]');
  });
});

describe('usage errors', () => {
  it('suggest a misspelt option as it is typed', async () => {
    expect(await main(['run', '--forc'])).toBe(2);
    expect(stderr.join('')).toContain('Did you mean `--force`?');
  });

  it('suggest a misspelt camelCase option in its kebab-case form', async () => {
    expect(await main(['serve', 'x', '--max-bach', '3'])).toBe(2);
    expect(stderr.join('')).toContain('Did you mean `--max-batch`?');
  });

  it('name an unknown command even with --help, and exit 2 without printing help', async () => {
    // `label` has since become a command; `labl` is the unknown one now.
    expect(await main(['labl', '--help'])).toBe(2);
    expect(stderr.join('')).toMatch(/E_UNKNOWN_COMMAND: Unknown command "labl"\./);
    expect(stdout.join('')).toBe('');
  });

  it('name a missing positional argument other than a project, with what it is', async () => {
    expect(await main(['inspect'])).toBe(2);
    expect(stderr.join('')).toMatch(/E_ARGUMENT_MISSING: `mlfolio inspect` needs <[A-Z-]+>: /);
  });
});
