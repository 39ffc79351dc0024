import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '../..');

type Version = [number, number, number];

/**
 * Whether `version` satisfies the npm `engines` range `range`, for the forms package-lock.json
 * holds (`>=22.12.0`, `^20.19.0 || >=22.12.0`, `20 || >=22`, `10.*`, `14 >=14.17`, `*`). Anything
 * else throws, so a new form fails this test instead of being misread.
 */
function satisfies(version: Version, range: string): boolean {
  return range.split('||').some((alternative) => {
    const tokens = alternative
      .trim()
      .replace(/(>=|<=|>|<|=)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    return tokens.every((token) => comparator(version, token));
  });
}

function comparator(version: Version, token: string): boolean {
  const match = /^(>=|<=|>|<|=|\^)?v?(\*|x|\d+)(?:\.(\*|x|\d+))?(?:\.(\*|x|\d+))?$/.exec(token);
  if (!match) throw new Error(`Unsupported engines range "${token}"`);
  const [, op = '', ...raw] = match;
  const parts = raw.map((part) =>
    part === undefined || part === '*' || part === 'x' ? undefined : Number(part),
  );
  const bound: Version = [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
  const cmp = compare(version, bound);
  switch (op) {
    case '>=':
      return cmp >= 0;
    case '>':
      return cmp > 0;
    case '<=':
      return cmp <= 0;
    case '<':
      return cmp < 0;
    case '^':
      return cmp >= 0 && version[0] === bound[0];
    default: {
      // A bare or wildcard version matches every release it leaves open: `20`, `10.*`, `*`.
      const fixed = parts.indexOf(undefined);
      const length = fixed === -1 ? 3 : fixed;
      return version.slice(0, length).every((part, i) => part === bound[i]);
    }
  }
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** The packages `npm install` warns about (EBADENGINE) under Node `version` on Linux x64. */
async function badEngines(version: Version): Promise<string[]> {
  const lock = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { engines?: unknown; os?: string[]; cpu?: string[]; libc?: string[] }>;
  };
  const installed = (list: string[] | undefined, value: string) =>
    !list ||
    list.includes(value) ||
    (list.every((item) => item.startsWith('!')) && !list.includes(`!${value}`));
  return Object.entries(lock.packages)
    .filter(
      ([path, pkg]) =>
        path && installed(pkg.os, 'linux') && installed(pkg.cpu, 'x64') && installed(pkg.libc, 'glibc'),
    )
    .filter(([, pkg]) => {
      const node = (pkg.engines as { node?: unknown } | undefined)?.node;
      return typeof node === 'string' && !satisfies(version, node);
    })
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
}

describe("the README's account of Node 20's EBADENGINE warnings", () => {
  it('reads the engines ranges of the lockfile the way npm does', () => {
    expect(satisfies([20, 20, 2], '>=20.19.0 <22.0.0 || >=22.12.0')).toBe(true);
    expect(satisfies([22, 5, 0], '>=20.19.0 <22.0.0 || >=22.12.0')).toBe(false);
    expect(satisfies([20, 20, 2], '^22.12.0 || ^24.0.0 || >=26.0.0')).toBe(false);
    expect(satisfies([24, 1, 0], '^22.12.0 || ^24.0.0 || >=26.0.0')).toBe(true);
    expect(satisfies([20, 1, 0], '20 || >=22')).toBe(true);
    expect(satisfies([14, 16, 0], '>=16 || 14 >=14.17')).toBe(false);
    expect(satisfies([10, 3, 0], '10.* || >= 12.*')).toBe(true);
    expect(() => satisfies([20, 0, 0], '~20.1')).toThrow(/Unsupported/);
  });

  it('gives the number of warnings on Node 20.20 and names the packages behind them', async () => {
    const warned = await badEngines([20, 20, 0]);
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
    const stated = /`npm warn EBADENGINE` lines \((\d+) on Node 20\.20/.exec(readme);
    expect(stated, 'the README states how many warnings Node 20.20 prints').not.toBeNull();
    expect(warned).toHaveLength(Number(stated![1]));
    for (const name of ['astro', 'vitest', 'got', 'undici', 'vega-lite', 'lighthouse', 'puppeteer-core']) {
      expect(warned).toContain(name);
    }
  });

  it('says truly that Node 22.19 prints none', async () => {
    expect(await badEngines([22, 19, 0])).toEqual([]);
    expect(await readFile(join(repoRoot, 'README.md'), 'utf8')).toContain(
      'Node 22.19 or newer there are none',
    );
  });
});
