import { spawn, spawnSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { readLabelLog } from '../../labelling/label-log.ts';
import { fixtureWorkspace } from './project-fixture.ts';
import { writeCompetitionTask } from './task-fixture.ts';

const bin = join(import.meta.dirname, '..', '..', 'cli', 'bin.ts');
const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

async function portfolio() {
  const made = await fixtureWorkspace('labelled');
  roots.push(made.root);
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bin, 'label', ...args], {
      encoding: 'utf8',
      timeout: 120_000,
      cwd: made.root,
      env: { ...process.env, MLFOLIO_ROOT: made.root },
    });
  return { ...made, run };
}

describe('mlfolio label <project>', () => {
  it("records the labelling functions' labels once, then serves only the items they left, gold items included", async () => {
    const { root, dir, run } = await portfolio();
    const log = join(dir, 'labels', 'importance.labels.jsonl');
    const first = run('labelled', '--functions');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('3 label(s) by 2 labelling function(s) on 3 item(s)');
    expect(run('labelled', 'importance', '--functions').stdout).toContain('0 label(s)');
    expect(
      readLabelLog(log)
        .records.map((r) => (r.type === 'label' ? r.annotator : r.type))
        .sort(),
    ).toEqual([
      'labelling-function:friendly',
      'labelling-function:qualification',
      'labelling-function:qualification',
    ]);

    const server = spawn(
      process.execPath,
      [bin, 'label', 'labelled', '--port', '0', '--annotator', 'ai-agent:test', '--no-fsync'],
      { cwd: root, env: { ...process.env, MLFOLIO_ROOT: root }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    onTestFinished(() => {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /at (http:\/\/\S+) —/.exec(out)?.[1];
        if (found) resolve(found);
      });
      server.on('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const seen: string[] = [];
    let next = (await (await fetch(`${url}/api/next`)).json()) as {
      done?: boolean;
      item: { id: string };
      round: string;
      progress: { total: number };
    };
    // seven tournaments, three settled by the functions, but "Friendly" is a gold item: five in the queue
    expect(next.progress.total).toBe(5);
    while (!next.done) {
      if (next.round !== 'self-overlap') seen.push(next.item.id);
      const answer = (await (
        await fetch(`${url}/api/labels`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ item: next.item.id, label: 'other', round: next.round }),
        })
      ).json()) as { next: typeof next };
      next = answer.next;
    }
    expect(seen.sort()).toEqual([
      'Continental Cup',
      'Friendly',
      'Invitational Trophy',
      'Regional Games',
      'World Cup',
    ]);
    await new Promise((resolve) => {
      server.on('exit', resolve);
      server.kill('SIGTERM');
    });
    const agent = readLabelLog(log).records.filter(
      (r) => r.type === 'label' && r.annotator === 'ai-agent:test',
    );
    expect([...new Set(agent.map((r) => r.item))].sort()).toEqual(seen);
    expect(agent.some((r) => r.type === 'label' && r.round === 'gold' && r.item === 'Friendly')).toBe(true);
  }, 180_000);

  it('writes the label report with --report, and refuses a task name or --report for a task file', async () => {
    const { dir, run } = await portfolio();
    expect(run('labelled', 'importance', '--functions').status).toBe(0);
    const result = run('labelled', 'importance', '--report');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('importance (guidelines v1), snapshot sha256:');
    expect(result.stdout).toMatch(/Effect on elo \(log_loss, \d+ test rows/);
    const report = JSON.parse(await readFile(join(dir, 'labels', 'importance.report.json'), 'utf8'));
    expect(report).toMatchObject({ schemaVersion: 1, project: 'labelled', task: 'importance' });
    expect(run('labelled', 'importanse').stderr).toContain('Did you mean "importance"?');

    const taskDir = await writeCompetitionTask(3);
    const misuse = run(taskDir, '--report');
    expect(misuse.status).toBe(2);
    expect(misuse.stderr).toContain('E_USAGE');
  }, 180_000);
});
