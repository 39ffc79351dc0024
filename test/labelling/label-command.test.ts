import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readLabelLog } from '../../labelling/label-log.ts';
import { writeCompetitionTask } from './task-fixture.ts';

const bin = join(import.meta.dirname, '..', '..', 'cli', 'bin.ts');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, 'label', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('mlfolio label', () => {
  it('refuses a task with two labels on one key, naming both, with exit status 3', async () => {
    const dir = await writeCompetitionTask(5, {
      labels: {
        kind: 'classes',
        classes: [
          { name: 'world-cup', key: 'w' },
          { name: 'friendly', key: 'w' },
        ],
      },
    });
    const result = run(dir);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('E_LABEL_KEY_CLASH');
    expect(result.stderr).toContain('"world-cup" and "friendly" both use the key "w"');
  });

  it('refuses a task with no items and a host that is not loopback', async () => {
    const empty = await writeCompetitionTask(0, {}, []);
    expect(run(empty).stderr).toContain('E_LABEL_TASK_EMPTY');
    const dir = await writeCompetitionTask(3);
    const remote = run(dir, '--host', '0.0.0.0');
    expect(remote.status).toBe(2);
    expect(remote.stderr).toContain('E_LABEL_HOST_NOT_LOOPBACK');
  });

  it('refuses a second server on the same store with exit status 4, naming the first pid, and the first keeps its labels', async () => {
    const dir = await writeCompetitionTask(10);
    const first = spawn(process.execPath, [bin, 'label', dir, '--port', '0', '--annotator', 'ana'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => {
      if (first.exitCode === null && first.signalCode === null) first.kill('SIGKILL');
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      first.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /at (http:\/\/\S+) —/.exec(out)?.[1];
        if (found) resolve(found);
      });
      first.on('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const post = (item: string) =>
      fetch(`${url}/api/labels`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ item, label: 'other' }),
      });
    expect((await post('m0001')).status).toBe(200);

    const second = run(dir, '--port', '0');
    expect(second.status).toBe(4);
    expect(second.stderr).toContain('E_LABEL_STORE_LOCKED');
    expect(second.stderr).toContain(`pid ${first.pid}`);

    expect((await post('m0002')).status).toBe(200);
    await new Promise((resolve) => {
      first.on('exit', resolve);
      first.kill('SIGTERM');
    });
    const log = readLabelLog(join(dir, 'labels', 'competition-importance.labels.jsonl'));
    expect(log.records.map((r) => r.item)).toEqual(['m0001', 'm0002']);
  });
});
