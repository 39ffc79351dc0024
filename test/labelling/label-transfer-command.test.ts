import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvColumns } from '../../labelling/label-export.ts';
import type { LabelRecord } from '../../labelling/label-log.ts';
import { readLabelSnapshot } from '../../labelling/project-task.ts';
import { mlfolio } from '../e2e/workspace.ts';
import { fixtureWorkspace } from './project-fixture.ts';
import { writeCompetitionTask } from './task-fixture.ts';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

/** A Label Studio task as Label Studio exports it: item in `data`, one annotation per entry. */
function lsTask(item: string, annotations: { user?: string; choices: string[] }[]) {
  return {
    id: 1,
    data: { mlfolio_item: item, text: item },
    annotations: annotations.map((a, i) => ({
      id: i + 1,
      completed_by: 7,
      ...(a.user ? { created_username: a.user } : {}),
      lead_time: 2.5,
      was_cancelled: false,
      result: [{ from_name: 'label', to_name: 'item', type: 'choices', value: { choices: a.choices } }],
    })),
  };
}

const triple = (l: LabelRecord) => [l.item, l.annotator, JSON.stringify(l.label)].join(' | ');

describe('mlfolio label --export / --import', () => {
  it('exports the current labels in each format, and a Label Studio export imported into a fresh store gives the same labels', async () => {
    const { root, dir } = await fixtureWorkspace('labelled');
    roots.push(root);
    const log = join(dir, 'labels', 'importance.labels.jsonl');
    expect((await mlfolio(root, ['label', 'labelled', '--functions'])).code).toBe(0);

    const agent = join(root, 'agent.json');
    await writeFile(
      agent,
      JSON.stringify([
        lsTask('World Cup', [{ user: 'ai-agent:test', choices: ['major'] }]),
        lsTask('Continental Cup', [{ user: 'ai-agent:test', choices: ['other'] }, { choices: ['major'] }]),
      ]),
    );
    const imported = await mlfolio(root, ['label', 'labelled', '--import', agent]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain(
      '3 label(s) added to ' +
        log +
        ` from ${agent} (annotator(s): ai-agent:test, label-studio-user-7); 0 already current.`,
    );
    // The same file again adds nothing; a relabel in a new file adds only the change.
    expect((await mlfolio(root, ['label', 'labelled', '--import', agent])).stdout).toContain(
      '0 label(s) added',
    );
    await writeFile(
      agent,
      JSON.stringify([
        lsTask('World Cup', [{ user: 'ai-agent:test', choices: ['major'] }]),
        lsTask('Continental Cup', [{ user: 'ai-agent:test', choices: ['major'] }]),
      ]),
    );
    expect((await mlfolio(root, ['label', 'labelled', '--import', agent])).stdout).toContain(
      '1 label(s) added to ',
    );
    const store = readLabelSnapshot(log);
    // 3 by functions, 2 by the agent (Continental Cup relabelled), 1 by Label Studio user 7
    expect(store.current).toHaveLength(6);
    expect(store.standing).toHaveLength(7);
    expect(
      store.current.find((l) => l.item === 'Continental Cup' && l.annotator === 'ai-agent:test'),
    ).toMatchObject({ label: 'major', round: 'import', timeMs: 2500 });

    const jsonl = join(root, 'out', 'labels.jsonl');
    const csv = join(root, 'out', 'labels.csv');
    const studio = join(root, 'out', 'labels.json');
    const forced = join(root, 'out', 'labels.txt');
    const exports = [
      { file: jsonl, format: 'jsonl', given: false },
      { file: csv, format: 'csv', given: false },
      { file: studio, format: 'label-studio', given: false },
      { file: forced, format: 'csv', given: true },
    ];
    for (const { file, format, given } of exports) {
      const args = ['label', 'labelled', 'importance', '--export', file];
      const result = await mlfolio(root, given ? [...args, '--format', format] : args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        `6 current label(s) (one per item and annotator) on 5 item(s) of ${log} written to ${file} (${format}).`,
      );
    }
    const lines = (await readFile(jsonl, 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(store.current);

    const rows = (await readFile(csv, 'utf8')).trimEnd().split('\n');
    expect(rows[0]).toBe(csvColumns.join(','));
    expect(rows.slice(1).map((row) => row.split(',').slice(0, 3).join(' | '))).toEqual(
      store.current.map((l) => [l.item, l.label, l.annotator].join(' | ')),
    );
    expect(await readFile(forced, 'utf8')).toBe(await readFile(csv, 'utf8'));

    const tasks = JSON.parse(await readFile(studio, 'utf8')) as ReturnType<typeof lsTask>[];
    expect(
      tasks
        .flatMap((t) =>
          t.annotations.map((a) =>
            [t.data.mlfolio_item, a.created_username, JSON.stringify(a.result[0]!.value.choices[0])].join(
              ' | ',
            ),
          ),
        )
        .sort(),
    ).toEqual(store.current.map(triple).sort());
    // Item context rides along, as Label Studio shows it.
    expect(tasks.find((t) => t.data.mlfolio_item === 'World Cup')?.data).toMatchObject({
      tournament: 'World Cup',
    });

    const fresh = join(root, 'fresh', 'importance.labels.jsonl');
    const back = await mlfolio(root, ['label', 'labelled', '--store', fresh, '--import', studio]);
    expect(back.stdout).toContain('6 label(s) added');
    const round = readLabelSnapshot(fresh);
    expect(round.current.map(triple).sort()).toEqual(store.current.map(triple).sort());
    expect(round.id).toBe(store.id);
    const byItem = (m: typeof store.resolved) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    expect(byItem(round.resolved)).toEqual(byItem(store.resolved));
  }, 120_000);

  it('refuses an unknown class, an unknown item, a held store and a bad --format, naming them and appending nothing', async () => {
    const { root, dir } = await fixtureWorkspace('labelled');
    roots.push(root);
    const log = join(dir, 'labels', 'importance.labels.jsonl');
    expect((await mlfolio(root, ['label', 'labelled', '--functions'])).code).toBe(0);
    const before = await readFile(log, 'utf8');

    const badClass = join(root, 'bad-class.json');
    await writeFile(
      badClass,
      JSON.stringify([
        lsTask('World Cup', [{ user: 'ai-agent:test', choices: ['major'] }]),
        lsTask('Regional Games', [{ user: 'ai-agent:test', choices: ['minor'] }]),
      ]),
    );
    const refusedClass = await mlfolio(root, ['label', 'labelled', '--import', badClass]);
    expect(refusedClass.code).toBe(3);
    expect(refusedClass.stderr).toContain('E_LABEL_UNKNOWN_CLASS');
    expect(refusedClass.stderr).toContain(`${badClass} task [1] annotation [0]: the class "minor"`);

    const badItem = join(root, 'bad-item.json');
    await writeFile(
      badItem,
      JSON.stringify([
        lsTask('World Cup', [{ user: 'ai-agent:test', choices: ['major'] }]),
        lsTask('Olympic Games', [{ user: 'ai-agent:test', choices: ['major'] }]),
      ]),
    );
    const refusedItem = await mlfolio(root, ['label', 'labelled', '--import', badItem]);
    expect(refusedItem.code).toBe(3);
    expect(refusedItem.stderr).toContain('E_LABEL_UNKNOWN_ITEM');
    expect(refusedItem.stderr).toContain(`${badItem} task [1]: the item "Olympic Games" does not exist`);

    const notJson = join(root, 'export.json');
    await writeFile(notJson, '[{"id": 1,');
    const refusedJson = await mlfolio(root, ['label', 'labelled', '--import', notJson]);
    expect(refusedJson.stderr).toContain(`E_LABEL_IMPORT_INVALID: ${notJson} is not JSON`);

    // A live labelling server on this host holds the lock: this test's own process stands in for it.
    const good = join(root, 'good.json');
    await writeFile(
      good,
      JSON.stringify([lsTask('World Cup', [{ user: 'ai-agent:test', choices: ['major'] }])]),
    );
    await writeFile(
      `${log}.lock`,
      JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '2026-11-30T00:00:00.000Z' }),
    );
    const locked = await mlfolio(root, ['label', 'labelled', '--import', good]);
    expect(locked.code).toBe(4);
    expect(locked.stderr).toContain(
      `E_LABEL_STORE_LOCKED: The label store ${log} is in use by another labelling server (pid ${process.pid}`,
    );
    expect(await readFile(log, 'utf8')).toBe(before);
    await rm(`${log}.lock`);

    const format = await mlfolio(root, [
      'label',
      'labelled',
      '--export',
      join(root, 'x.json'),
      '--format',
      'xml',
    ]);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain(
      'E_USAGE: --format must be one of jsonl, csv, label-studio; received "xml".',
    );
    const extension = await mlfolio(root, ['label', 'labelled', '--export', join(root, 'labels.xlsx')]);
    expect(extension.code).toBe(2);
    expect(extension.stderr).toContain('Cannot tell the export format of');
    const both = await mlfolio(root, [
      'label',
      'labelled',
      '--export',
      join(root, 'a.csv'),
      '--import',
      good,
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--export and --import cannot be given together');
    expect(await readFile(log, 'utf8')).toBe(before);

    // Once the server is gone the same file goes in.
    expect((await mlfolio(root, ['label', 'labelled', '--import', good])).stdout).toContain(
      '1 label(s) added',
    );
  }, 120_000);

  it('exports and imports for a standalone task file too', async () => {
    const taskDir = await writeCompetitionTask(6);
    roots.push(taskDir);
    const empty = await mlfolio(taskDir, ['label', taskDir, '--export', join(taskDir, 'empty.csv')]);
    expect(empty.stdout).toContain('0 current label(s)');
    expect(empty.stderr).toContain(
      `There is no label log at ${join(taskDir, 'labels', 'competition-importance.labels.jsonl')} yet`,
    );
    expect(await readFile(join(taskDir, 'empty.csv'), 'utf8')).toBe(`${csvColumns.join(',')}\n`);
    const file = join(taskDir, 'in.json');
    await writeFile(
      file,
      JSON.stringify([
        lsTask('m0001', [{ user: 'someone', choices: ['friendly'] }]),
        lsTask('m0002', [{ user: 'someone', choices: ['qualifier'] }]),
      ]),
    );
    const imported = await mlfolio(taskDir, [
      'label',
      taskDir,
      '--import',
      file,
      '--annotator',
      'ai-agent:test',
    ]);
    expect(imported.stdout).toContain('2 label(s) added');
    expect(imported.stdout).toContain('(annotator(s): ai-agent:test)');
    const out = join(taskDir, 'out.jsonl');
    expect((await mlfolio(taskDir, ['label', taskDir, '--export', out])).code).toBe(0);
    const labels = (await readFile(out, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as LabelRecord);
    expect(labels.map(triple)).toEqual([
      'm0001 | ai-agent:test | "friendly"',
      'm0002 | ai-agent:test | "qualifier"',
    ]);
  }, 60_000);
});
