import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumInstallCommand, findChromium } from '../../publish/chromium.ts';
import { browserSuitePlan, isCi } from '../site/browser.ts';

/** A machine whose only executables are `present`. */
const machine = (present: readonly string[]) => (path: string) => present.includes(path);

describe('findChromium', () => {
  it("uses MLFOLIO_CHROMIUM when it names an executable, before Debian's Chromium", () => {
    const lookup = findChromium({
      env: { MLFOLIO_CHROMIUM: '/opt/chrome/chrome', PATH: '/usr/bin' },
      isExecutable: machine(['/opt/chrome/chrome', '/usr/bin/chromium']),
    });
    expect(lookup).toEqual({ found: true, path: '/opt/chrome/chrome', via: 'MLFOLIO_CHROMIUM' });
  });

  it('reports a MLFOLIO_CHROMIUM that names no executable, instead of quietly using another browser', () => {
    const lookup = findChromium({
      env: { MLFOLIO_CHROMIUM: '/nowhere/chromium', PATH: '/usr/bin' },
      isExecutable: machine(['/usr/bin/chromium']),
    });
    expect(lookup).toEqual({ found: false, tried: ['/nowhere/chromium'], configured: '/nowhere/chromium' });
  });

  it("finds Debian's Chromium without PATH", () => {
    expect(findChromium({ env: {}, isExecutable: machine(['/usr/bin/chromium']) })).toEqual({
      found: true,
      path: '/usr/bin/chromium',
      via: 'debian',
    });
  });

  it('finds an installed Chrome or Chromium on PATH, in the order of the names, then of PATH', () => {
    const env = { PATH: ['/home/me/bin', '/opt/google/chrome', 'relative/bin'].join(':') };
    expect(
      findChromium({
        env,
        isExecutable: machine(['/opt/google/chrome/google-chrome', '/home/me/bin/chrome']),
      }),
    ).toEqual({ found: true, path: '/opt/google/chrome/google-chrome', via: 'PATH' });
    const none = findChromium({ env, isExecutable: machine(['relative/bin/chromium']) });
    expect(none.found).toBe(false);
    expect(none.found ? [] : none.tried).not.toContain('relative/bin/chromium');
  });

  it('checks real files: a directory or a file that is not executable is no browser', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mlfolio-chromium-'));
    try {
      await mkdir(join(root, 'chromium'));
      await writeFile(join(root, 'chrome'), '#!/bin/sh\n');
      expect(findChromium({ env: { MLFOLIO_CHROMIUM: join(root, 'chromium') } }).found).toBe(false);
      expect(findChromium({ env: { MLFOLIO_CHROMIUM: join(root, 'chrome') } }).found).toBe(false);
      await chmod(join(root, 'chrome'), 0o755);
      expect(findChromium({ env: { MLFOLIO_CHROMIUM: join(root, 'chrome') } })).toMatchObject({
        found: true,
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('the browser suites', () => {
  const missing = findChromium({ env: { PATH: '/usr/bin:/bin' }, isExecutable: machine([]) });
  const found = findChromium({ env: {}, isExecutable: machine(['/usr/bin/chromium']) });

  it('run with the browser found, in CI or not', () => {
    expect(browserSuitePlan({}, found)).toEqual({ run: true, path: '/usr/bin/chromium' });
    expect(browserSuitePlan({ CI: 'true' }, found)).toEqual({ run: true, path: '/usr/bin/chromium' });
  });

  it.each([{}, { CI: '' }, { CI: 'false' }, { CI: '0' }])(
    'are skipped without a browser outside CI (%o), naming the install command',
    (env) => {
      const plan = browserSuitePlan(env, missing);
      expect(plan).toMatchObject({ run: false, fail: false });
      expect(plan.run ? '' : plan.message).toContain(`Skipping the browser tests.`);
      expect(plan.run ? '' : plan.message).toContain(chromiumInstallCommand);
    },
  );

  it.each([{ CI: 'true' }, { CI: '1' }, { CI: 'TRUE' }])('fail without a browser in CI (%o)', (env) => {
    const plan = browserSuitePlan(env, missing);
    expect(plan).toMatchObject({ run: false, fail: true });
    expect(plan.run ? '' : plan.message).toMatch(
      /does not allow skipping them\. No Chrome or Chromium found/,
    );
  });

  it('say what is wrong with MLFOLIO_CHROMIUM when it names no browser', () => {
    const plan = browserSuitePlan(
      {},
      findChromium({ env: { MLFOLIO_CHROMIUM: '/nowhere' }, isExecutable: machine([]) }),
    );
    expect(plan.run ? '' : plan.message).toContain(
      'MLFOLIO_CHROMIUM is /nowhere, which is not an executable file',
    );
  });

  it('treat CI as set only when it is not empty, 0 or false', () => {
    expect([undefined, '', '0', 'false', 'False', 'true', '1', 'yes'].map((CI) => isCi({ CI }))).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
  });
});
