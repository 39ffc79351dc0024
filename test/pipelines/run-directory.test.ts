import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolveDeployedTaskModel } from '../../operations/deployed-task-model.ts';
import { runEngine } from '../../pipelines/engine/run-engine.ts';
import { writeRunDirectory } from '../../pipelines/runs/run-directory.ts';
import {
  listRunFolders,
  listRunIds,
  type RunRecord,
  readLatestRun,
  readRunRecord,
  runFileName,
} from '../../pipelines/runs/run-record.ts';
import { projectPaths } from '../../portfolio/workspace.ts';
import { mlfolio } from '../e2e/workspace.ts';
import { exampleWorkspace } from '../helpers/example-workspace.ts';

let fixture: Awaited<ReturnType<typeof exampleWorkspace>>;
let runsDir: string;
let first: RunRecord;
let second: RunRecord;
/** A runs folder of its own for the writer's tests, holding a copy of the first run. */
let writerRuns: string;

beforeAll(async () => {
  fixture = await exampleWorkspace();
  runsDir = projectPaths(fixture.workspace, fixture.project.slug).runsDir;
  ({ record: first } = await runEngine(fixture.workspace, fixture.project, {
    now: () => new Date('2026-01-01T10:00:00Z'),
  }));
  ({ record: second } = await runEngine(fixture.workspace, fixture.project, {
    force: true,
    now: () => new Date('2026-01-02T10:00:00Z'),
  }));
  writerRuns = join(fixture.workspace.root, 'writer-runs');
  await cp(join(runsDir, first.runId), join(writerRuns, first.runId), { recursive: true });
}, 180_000);

afterAll(async () => {
  await fixture?.dispose();
});

const visible = async () => (await readdir(writerRuns)).filter((name) => !name.startsWith('.')).sort();
const hidden = async () => (await readdir(writerRuns)).filter((name) => name.startsWith('.'));

describe('a run directory appears whole or not at all', () => {
  test('while it is being filled, no reader sees it; once filled, it is there with every file', async () => {
    const seenWhileFilling: string[][] = [];
    const runDir = await writeRunDirectory(writerRuns, '20260103T100000Z-whole', async (directory) => {
      await writeFile(join(directory, 'online-store.json'), '{}');
      seenWhileFilling.push(await listRunIds(writerRuns), await visible());
      await writeFile(
        join(directory, runFileName),
        JSON.stringify({ ...first, runId: '20260103T100000Z-whole' }),
      );
    });
    expect(seenWhileFilling).toEqual([[first.runId], [first.runId]]);
    expect(runDir).toBe(join(writerRuns, '20260103T100000Z-whole'));
    expect((await readdir(runDir)).sort()).toEqual(['online-store.json', 'run.json']);
    expect(await hidden()).toEqual([]);
  });

  test('a fill that fails leaves no folder behind, visible or hidden', async () => {
    const before = await readdir(writerRuns);
    await expect(
      writeRunDirectory(writerRuns, '20260104T100000Z-failed', async (directory) => {
        await writeFile(join(directory, 'online-store.json'), '{}');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await readdir(writerRuns)).toEqual(before);
  });

  test('a run written again under the same id replaces the old one whole', async () => {
    const id = '20260105T100000Z-again';
    await writeRunDirectory(writerRuns, id, (directory) => writeFile(join(directory, 'old-only.txt'), 'old'));
    await writeRunDirectory(writerRuns, id, (directory) => writeFile(join(directory, 'new.txt'), 'new'));
    expect(await readdir(join(writerRuns, id))).toEqual(['new.txt']);
    expect(await hidden()).toEqual([]);
  });

  test('a process killed with SIGKILL while writing a run leaves no run folder; the next write removes its scratch', async () => {
    const before = await visible();
    const completeBefore = await listRunIds(writerRuns, () => {});
    const child = spawn(
      process.execPath,
      [
        join(import.meta.dirname, 'run-directory-child.ts'),
        writerRuns,
        '20260106T100000Z-killed',
        join(runsDir, second.runId),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('filling') && resolve());
      child.on('exit', (code) => reject(new Error(`the child exited (${code}) before filling:\n${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // Killed mid-write: the half-written run is only in the child's hidden scratch folder.
    expect(await visible()).toEqual(before);
    const [scratch] = await hidden();
    expect(scratch).toMatch(new RegExp(`^\\.partial-.*~${child.pid}~`));
    const written = await readdir(join(writerRuns, scratch!), { recursive: true });
    expect(written.length).toBeGreaterThan(0);
    expect(written).not.toContain(runFileName);
    expect(await listRunIds(writerRuns, () => {})).toEqual(completeBefore);
    expect((await readLatestRun(writerRuns, () => {}))?.runId).toBe(completeBefore.at(-1));

    await writeRunDirectory(writerRuns, '20260107T100000Z-next', (directory) =>
      writeFile(join(directory, runFileName), '{}'),
    );
    expect(await hidden()).toEqual([]);
  });
});

describe('readers skip and report a run folder left incomplete', () => {
  // The case: `kill -9` of `mlfolio run --force` under the previous writer left an empty
  // runs/<id>/, and one with its models but no run.json, both newer than every complete run.
  const empty = '20990101T000000Z-deadbeef';
  const modelsOnly = '20990102T000000Z-cafef00d';
  let complete: string[];

  beforeAll(async () => {
    complete = [first.runId, second.runId];
    await mkdir(join(runsDir, empty));
    await mkdir(join(runsDir, modelsOnly, 'models'), { recursive: true });
    await writeFile(join(runsDir, modelsOnly, 'models', 'elo.json'), '{}');
  });

  test('listing tells complete runs from incomplete folders', async () => {
    expect(await listRunFolders(runsDir)).toEqual({ complete, incomplete: [empty, modelsOnly] });
  });

  test('the run ids are the complete runs, and the incomplete folders are reported by path with what to do', async () => {
    const reports: string[] = [];
    expect(await listRunIds(runsDir, (message) => reports.push(message))).toEqual(complete);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain(join(runsDir, empty));
    expect(reports[0]).toContain(join(runsDir, modelsOnly));
    expect(reports[0]).toMatch(/no run\.json.*interrupted.*Delete them/);
  });

  test('the latest run is the latest complete one', async () => {
    expect((await readLatestRun(runsDir, () => {}))?.runId).toBe(second.runId);
  });

  test('serve and monitor resolve the deployed model from the latest complete run', async () => {
    const deployed = await resolveDeployedTaskModel(fixture.workspace, fixture.project.slug);
    expect(deployed.run.runId).toBe(second.runId);
    expect(deployed.model.id).toBe(second.bestCandidate ?? second.best);
  });

  test('`mlfolio monitor` checks the model of the latest complete run and names the incomplete folders', async () => {
    const result = await mlfolio(fixture.workspace.root, ['monitor', fixture.project.slug]);
    expect(result.stderr).toMatch(/W_RUN_INCOMPLETE.*Skipped 2 incomplete run folders/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/model health/);
  });

  test('`mlfolio runs` lists the complete runs and names the incomplete folders on stderr', async () => {
    const result = await mlfolio(fixture.workspace.root, ['runs', fixture.project.slug]);
    expect(result.stderr).toMatch(/Skipped 2 incomplete run folders/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(first.runId);
    expect(result.stdout).toContain(second.runId);
    expect(result.stdout).not.toContain(empty);
  });

  test('`mlfolio runs --compare previous` compares the two latest complete runs', async () => {
    const result = await mlfolio(fixture.workspace.root, [
      'runs',
      fixture.project.slug,
      '--compare',
      'previous',
    ]);
    expect(result.stderr).toMatch(/Skipped 2 incomplete run folders/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(first.runId);
    expect(result.stdout).toContain(second.runId);
  });
});

describe('the real `mlfolio run --force` killed with SIGKILL while it writes its run', () => {
  test('leaves every run folder whole: the new run is complete or absent, and only its hidden scratch remains', async () => {
    const before = await listRunFolders(runsDir);
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, '..', '..', 'cli', 'bin.ts'), 'run', fixture.project.slug, '--force'],
      { env: { ...process.env, MLFOLIO_ROOT: fixture.workspace.root }, stdio: 'ignore' },
    );
    // Killed the moment anything new appears in runs/: the report stage has started writing.
    const existing = new Set(await readdir(runsDir));
    const watcher = watch(runsDir, (_, name) => {
      if (name && !existing.has(String(name))) child.kill('SIGKILL');
    });
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    watcher.close();
    // On a loaded machine the kill may land after the run finished; what follows holds either way.
    expect([
      { code: null, signal: 'SIGKILL' },
      { code: 0, signal: null },
    ]).toContainEqual(exit);

    const after = await listRunFolders(runsDir);
    expect(after.incomplete).toEqual(before.incomplete);
    const added = after.complete.filter((id) => !before.complete.includes(id));
    expect(added.length).toBeLessThanOrEqual(1);
    for (const id of after.complete) await readRunRecord(join(runsDir, id, runFileName));
    for (const name of await readdir(runsDir)) {
      if (name.startsWith('.')) expect(name).toMatch(new RegExp(`^\\.partial-.*~${child.pid}~`));
    }
    const listed = await mlfolio(fixture.workspace.root, ['runs', fixture.project.slug]);
    expect(listed.code).toBe(0);
  });
});
