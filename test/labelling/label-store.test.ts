import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it, onTestFinished } from 'vitest';
import { labelsToCsv, labelsToJsonl } from '../../labelling/label-export.ts';
import { readLabelLog } from '../../labelling/label-log.ts';
import { LabelStore, snapshotId } from '../../labelling/label-store.ts';
import { fromLabelStudio, toLabelStudio } from '../../labelling/label-studio.ts';
import { loadTaskFile } from '../../labelling/load-task.ts';
import { writeCompetitionTask } from './task-fixture.ts';

const fixedClock = () => new Date('2026-01-02T03:04:05.000Z');

async function openStore(items = 20) {
  const dir = await writeCompetitionTask(items);
  const task = await loadTaskFile(dir);
  const path = join(dir, 'labels', 'competition-importance.jsonl');
  return { dir, task, path, store: await LabelStore.open(task, path, { now: fixedClock }) };
}

describe('the label store', () => {
  it('replays the log into current labels; undo withdraws the latest and brings a relabel back', async () => {
    const { task, path, store } = await openStore();
    store.submit({ item: 'm0001', label: 'friendly', annotator: 'ana', timeMs: 1200 });
    store.submit({ item: 'm0002', label: 'qualifier', annotator: 'ana', timeMs: 800 });
    store.submit({ item: 'm0001', label: 'world-cup', annotator: 'ana', round: 'relabel' });
    store.submit({ item: 'm0001', label: 'other', annotator: 'ben' });
    expect(store.undoLast('ana')?.undone.label).toBe('world-cup');
    store.close();

    const reopened = await LabelStore.open(task, path, { now: fixedClock });
    const current = reopened.state.current().map((l) => [l.item, l.annotator, l.label]);
    expect(current).toEqual([
      ['m0001', 'ana', 'friendly'],
      ['m0002', 'ana', 'qualifier'],
      ['m0001', 'ben', 'other'],
    ]);
    const first = reopened.state.labelOf('ana', 'm0001')!;
    expect(first).toMatchObject({
      timeMs: 1200,
      guidelineVersion: 'v1',
      at: '2026-01-02T03:04:05.000Z',
      round: 'queue',
    });
    reopened.close();
  });

  it('rejects a label for an item that does not exist, naming it, and keeps what was recorded', async () => {
    const { path, store } = await openStore();
    store.submit({ item: 'm0003', label: 'friendly', annotator: 'ana' });
    expect(() => store.submit({ item: 'm0404', label: 'friendly', annotator: 'ana' })).toThrow(
      expect.objectContaining({ code: 'E_LABEL_UNKNOWN_ITEM', message: expect.stringContaining('"m0404"') }),
    );
    expect(() => store.submit({ item: 'm0004', label: 'semi-final', annotator: 'ana' })).toThrow(
      expect.objectContaining({
        code: 'E_LABEL_UNKNOWN_CLASS',
        message: expect.stringContaining('"semi-final"'),
      }),
    );
    store.close();
    expect(readLabelLog(path).records.map((r) => r.item)).toEqual(['m0003']);
  });

  it('refuses a second store on the same log, naming the holder pid, and takes over a dead holder’s lock', async () => {
    const { task, path, store } = await openStore();
    await expect(LabelStore.open(task, path)).rejects.toMatchObject({
      code: 'E_LABEL_STORE_LOCKED',
      message: expect.stringContaining(`pid ${process.pid}`),
    });
    store.submit({ item: 'm0001', label: 'friendly', annotator: 'ana' });
    store.close();

    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = child.pid!;
    await new Promise((resolve) => child.on('exit', resolve));
    writeFileSync(
      `${path}.lock`,
      JSON.stringify({ pid: deadPid, host: (await import('node:os')).hostname(), startedAt: 'x' }),
    );
    const again = await LabelStore.open(task, path);
    expect(again.state.current()).toHaveLength(1);
    again.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('tolerates and reports a torn last line, keeps every earlier line, and appends cleanly after it', async () => {
    const { task, path, store } = await openStore();
    store.submit({ item: 'm0001', label: 'friendly', annotator: 'ana' });
    store.submit({ item: 'm0002', label: 'friendly', annotator: 'ana' });
    store.close();
    appendFileSync(path, '{"type":"label","seq":3,"item":"m00');
    expect(readLabelLog(path)).toMatchObject({ records: [{ seq: 1 }, { seq: 2 }], torn: { line: 3 } });

    const reopened = await LabelStore.open(task, path);
    expect(reopened.opened.torn?.text).toContain('"seq":3');
    reopened.submit({ item: 'm0003', label: 'other', annotator: 'ana' });
    reopened.close();
    expect(readLabelLog(path).records.map((r) => [r.seq, r.item])).toEqual([
      [1, 'm0001'],
      [2, 'm0002'],
      [3, 'm0003'],
    ]);
    expect(readFileSync(`${path}.torn`, 'utf8')).toContain('"item":"m00');
  });

  it('refuses a log corrupted before its last line, naming the line', async () => {
    const { path, store } = await openStore();
    store.submit({ item: 'm0001', label: 'friendly', annotator: 'ana' });
    store.close();
    appendFileSync(path, 'garbage\n{"type":"label","seq":3}\n');
    expect(() => readLabelLog(path)).toThrow(
      expect.objectContaining({ code: 'E_LABEL_LOG_CORRUPT', message: expect.stringContaining('line 2') }),
    );
  });

  it('keeps every acknowledged label of a writer process killed with SIGKILL', async () => {
    const { dir, path, store } = await openStore(40);
    store.close();
    const child = spawn(process.execPath, [
      join(import.meta.dirname, 'processes', 'label-writer.ts'),
      dir,
      path,
      'write',
    ]);
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const acknowledged: string[] = [];
    let buffer = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        acknowledged.push(...lines);
        if (acknowledged.length >= 300 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const { records } = readLabelLog(path);
    expect(records.length).toBeGreaterThanOrEqual(acknowledged.length);
    for (const line of acknowledged) {
      const [item, i] = line.split(' ');
      expect(records[Number(i)]).toMatchObject({ item, timeMs: Number(i) });
    }
    // The dead writer's lock is taken over.
    const task = await loadTaskFile(dir);
    (await LabelStore.open(task, path)).close();
  });

  it('identifies snapshots by content: same labels, same id, whatever the time or order', async () => {
    const { store } = await openStore();
    store.submit({ item: 'm0001', label: 'friendly', annotator: 'ana' });
    store.submit({ item: 'm0002', label: 'other', annotator: 'ana' });
    const snapshot = await store.writeSnapshot();
    const labels = store.state.current();
    expect(snapshotId([...labels].reverse().map((l) => ({ ...l, at: 'later', seq: l.seq + 10 })))).toBe(
      snapshot.id,
    );
    expect(snapshotId(labels.slice(0, 1))).not.toBe(snapshot.id);
    expect(readFileSync(snapshot.path, 'utf8').trim().split('\n')).toHaveLength(2);
    store.close();
  });

  it('exports JSONL and CSV, one row per current label', async () => {
    const { store } = await openStore();
    store.submit({
      item: 'm0001',
      label: 'friendly',
      annotator: 'ana, "the first"',
      timeMs: 950,
      suggestion: { label: 'friendly', confidence: 0.875, source: 'label-model' },
    });
    store.submit({ item: 'm0002', label: 'other', annotator: 'ben' });
    const labels = store.state.current();
    expect(
      labelsToJsonl(labels)
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).item),
    ).toEqual(['m0001', 'm0002']);
    expect(labelsToCsv(labels).split('\n').slice(0, 2)).toEqual([
      'item,label,annotator,at,time_ms,guideline_version,round,suggestion,suggestion_confidence,suggestion_source',
      'm0001,friendly,"ana, ""the first""",2026-01-02T03:04:05.000Z,950,v1,queue,friendly,0.875,label-model',
    ]);
    store.submit({ item: 'm0003', label: 'other', annotator: 'line\nbreak, "quoted"' });
    const parsed = parseCsv(labelsToCsv(store.state.current()), { columns: true }) as Record<
      string,
      string
    >[];
    expect(parsed.map((r) => [r.item, r.annotator, r.suggestion_confidence])).toEqual([
      ['m0001', 'ana, "the first"', '0.875'],
      ['m0002', 'ben', ''],
      ['m0003', 'line\nbreak, "quoted"', ''],
    ]);
    store.close();
  });
});

describe('Label Studio JSON', () => {
  it('exports labels that, imported back into an empty store, give the same labels', async () => {
    const { task, store, dir } = await openStore();
    store.submit({ item: 'm0001', label: 'friendly', annotator: 'ana', timeMs: 1500 });
    store.submit({ item: 'm0001', label: 'qualifier', annotator: 'ben', timeMs: 700 });
    store.submit({ item: 'm0005', label: 'world-cup', annotator: 'ana', timeMs: 300 });
    const exported = JSON.parse(JSON.stringify(toLabelStudio(task, store.state.current())));
    store.close();
    expect(exported[0].data).toEqual({
      mlfolio_item: 'm0001',
      date: '2019-01-01',
      home: 'Brazil',
      away: 'France',
      tournament: 'FIFA World Cup',
    });
    expect(exported[0].annotations.map((a: { created_username: string }) => a.created_username)).toEqual([
      'ana',
      'ben',
    ]);
    expect(exported[0].annotations[0].lead_time).toBe(1.5);
    expect(exported[0].annotations[0].result).toEqual([
      { from_name: 'label', to_name: 'item', type: 'choices', value: { choices: ['friendly'] } },
    ]);

    const fresh = await LabelStore.open(task, join(dir, 'imported.jsonl'));
    fresh.submitMany(fromLabelStudio(task, exported, 'export.json'), 'export.json');
    const view = (s: LabelStore) => s.state.current().map((l) => [l.item, l.annotator, l.label, l.timeMs]);
    expect(view(fresh)).toEqual([
      ['m0001', 'ana', 'friendly', 1500],
      ['m0001', 'ben', 'qualifier', 700],
      ['m0005', 'ana', 'world-cup', 300],
    ]);
    fresh.close();
  });

  it('rejects an import with an unknown class or an unknown item, naming it, and records nothing', async () => {
    const { task, store, path } = await openStore();
    store.submit({ item: 'm0002', label: 'other', annotator: 'ana' });
    const annotation = (choice: string) => ({
      id: 1,
      completed_by: 3,
      result: [{ from_name: 'label', to_name: 'item', type: 'choices', value: { choices: [choice] } }],
    });
    const unknownClass = [
      { id: 1, data: { match_id: 'm0001' }, annotations: [annotation('friendly')] },
      { id: 2, data: { match_id: 'm0003' }, annotations: [annotation('Semi-final')] },
    ];
    expect(() => fromLabelStudio(task, unknownClass, 'ls.json')).toThrow(
      expect.objectContaining({
        code: 'E_LABEL_UNKNOWN_CLASS',
        message: expect.stringContaining('ls.json task [1] annotation [0]: the class "Semi-final"'),
      }),
    );
    const unknownItem = [{ id: 9, data: { match_id: 'm0999' }, annotations: [annotation('friendly')] }];
    expect(() => fromLabelStudio(task, unknownItem, 'ls.json')).toThrow(
      expect.objectContaining({ code: 'E_LABEL_UNKNOWN_ITEM', message: expect.stringContaining('"m0999"') }),
    );
    expect(fromLabelStudio(task, [unknownClass[0]], 'ls.json')).toEqual([
      { item: 'm0001', label: 'friendly', annotator: 'label-studio-user-3', timeMs: 0, round: 'import' },
    ]);
    const malformed: [unknown, string][] = [
      [{ tasks: [] }, 'ls.json is not a Label Studio JSON export: expected a list of tasks, received object'],
      [[null], 'ls.json task [0]: expected a task object, received null'],
      [[{ id: 1, data: 'm0001' }], 'ls.json task [0] data: expected an object, received "m0001"'],
      [
        [{ id: 1, data: { match_id: 'm0001' }, annotations: {} }],
        'ls.json task [0] annotations: expected a list',
      ],
      [
        [
          {
            id: 1,
            data: { match_id: 'm0001' },
            annotations: [{ id: 1, completed_by: 3, result: 'friendly' }],
          },
        ],
        'ls.json task [0] annotation [0] result: expected a list, received "friendly"',
      ],
      [
        [
          {
            id: 1,
            data: { match_id: 'm0001' },
            annotations: [
              { id: 1, completed_by: 3, result: [{ type: 'choices', value: { choices: 'friendly' } }] },
            ],
          },
        ],
        'ls.json task [0] annotation [0] result [0] value.choices: expected a list, received "friendly"',
      ],
    ];
    for (const [data, message] of malformed)
      expect(() => fromLabelStudio(task, data, 'ls.json')).toThrow(
        expect.objectContaining({
          code: 'E_LABEL_IMPORT_INVALID',
          message: expect.stringContaining(message),
        }),
      );
    store.close();
    expect(readLabelLog(path).records).toHaveLength(1);
  });
});

describe('multi-label tasks', () => {
  it('store a set of classes (sorted, without repeats) and refuse a single class', async () => {
    const dir = await writeCompetitionTask(5, {
      labels: {
        kind: 'multi-label',
        classes: [{ name: 'derby' }, { name: 'final' }, { name: 'neutral-venue' }],
      },
    });
    const task = await loadTaskFile(dir);
    const store = await LabelStore.open(task, join(dir, 'labels.jsonl'));
    expect(
      store.submit({ item: 'm0001', label: ['neutral-venue', 'derby', 'derby'], annotator: 'ana' }).label,
    ).toEqual(['derby', 'neutral-venue']);
    expect(() => store.submit({ item: 'm0002', label: 'final', annotator: 'ana' })).toThrow(
      expect.objectContaining({ code: 'E_LABEL_SHAPE' }),
    );
    expect(labelsToCsv(store.state.current()).split('\n')[1]).toMatch(/^m0001,derby\|neutral-venue,ana,/);
    store.close();
  });
});
