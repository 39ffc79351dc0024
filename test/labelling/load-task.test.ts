import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTaskFile } from '../../labelling/load-task.ts';
import { bigramSimilarity, namePairItems, normaliseName } from '../../labelling/name-pairs.ts';
import { competitionRows, writeCompetitionTask } from './task-fixture.ts';

describe('loading a labelling task', () => {
  it('reads a table task from its folder with default keys 1..5 and every row an item', async () => {
    const task = await loadTaskFile(await writeCompetitionTask(12));
    expect(task.items).toHaveLength(12);
    expect(task.items[0]).toEqual({
      id: 'm0001',
      context: { date: '2019-01-01', home: 'Brazil', away: 'France', tournament: 'FIFA World Cup' },
    });
    expect([...task.keys.entries()]).toEqual([
      ['world-cup', '1'],
      ['continental', '2'],
      ['qualifier', '3'],
      ['friendly', '4'],
      ['other', '5'],
    ]);
  });

  it('rejects two labels on one key, naming both labels', async () => {
    const dir = await writeCompetitionTask(5, {
      labels: {
        kind: 'classes',
        classes: [
          { name: 'world-cup', key: 'w' },
          { name: 'friendly', key: 'w' },
        ],
      },
    });
    await expect(loadTaskFile(dir)).rejects.toMatchObject({
      code: 'E_LABEL_KEY_CLASH',
      message: expect.stringContaining('"world-cup" and "friendly" both use the key "w"'),
    });
  });

  it('rejects a label on a key the page keeps (Enter, Backspace, arrows)', async () => {
    const dir = await writeCompetitionTask(5, {
      labels: { kind: 'classes', classes: [{ name: 'world-cup', key: 'Enter' }, { name: 'friendly' }] },
    });
    await expect(loadTaskFile(dir)).rejects.toMatchObject({
      code: 'E_LABEL_KEY_RESERVED',
      message: expect.stringContaining('"world-cup" uses the key "Enter"'),
    });
  });

  it('rejects a remapped key that clashes with a default key', async () => {
    const dir = await writeCompetitionTask(5, {
      labels: { kind: 'classes', classes: [{ name: 'a' }, { name: 'b' }, { name: 'c', key: '1' }] },
    });
    // "c" takes 1 explicitly, so "a" and "b" get 2 and 3: no clash.
    const task = await loadTaskFile(dir);
    expect([...task.keys.values()]).toEqual(['2', '3', '1']);
  });

  it('rejects a task with no items, saying which file is empty', async () => {
    const dir = await writeCompetitionTask(0, {}, []);
    await expect(loadTaskFile(dir)).rejects.toMatchObject({
      code: 'E_LABEL_TASK_EMPTY',
      message: expect.stringContaining('has no items'),
    });
  });

  it('rejects a gold item that does not exist, naming it', async () => {
    const dir = await writeCompetitionTask(5, { gold: [{ item: 'm9999', label: 'friendly' }] });
    await expect(loadTaskFile(dir)).rejects.toMatchObject({
      code: 'E_LABEL_UNKNOWN_ITEM',
      message: expect.stringContaining('"m9999"'),
    });
  });

  it('rejects duplicate item ids, naming the id and the row', async () => {
    const rows = competitionRows(3);
    rows[2]!.match_id = 'm0001';
    const dir = await writeCompetitionTask(3, {}, rows);
    await expect(loadTaskFile(dir)).rejects.toMatchObject({
      code: 'E_LABEL_ITEM_ID_DUPLICATE',
      message: expect.stringContaining('"m0001"'),
    });
  });

  it('rejects an unknown field with the list of fields the file has', async () => {
    const dir = await writeCompetitionTask(3, {
      items: { source: 'table', path: 'matches.csv', idField: 'id', contextFields: ['home'] },
    });
    await expect(loadTaskFile(dir)).rejects.toMatchObject({
      code: 'E_LABEL_ITEMS_FIELD',
      message: expect.stringContaining('no field "id"; its fields are match_id, date'),
    });
  });
});

describe('name-pair candidates for entity resolution', () => {
  const stop = ['FC', 'AFC'];
  it('normalises accents, punctuation, case and stop words', () => {
    expect(normaliseName('Atlético  Madrid F.C.', new Set(['f', 'c', 'fc']))).toBe('atletico madrid');
  });

  it('scores identical names 1 and unrelated names near 0', () => {
    expect(bigramSimilarity('arsenal', 'arsenal')).toBe(1);
    expect(bigramSimilarity('arsenal', 'everton')).toBeLessThan(0.2);
  });

  it('blocks by shared token and first letters, most similar first, with the score as context', () => {
    const items = namePairItems(
      ['Man United', 'Manchester City', 'Wolves', 'Nottingham Forest'],
      ['Manchester United FC', 'Manchester City FC', 'Wolverhampton Wanderers FC', "Nott'm Forest"],
      { blocking: ['token-overlap', 'first-letters'], prefixLength: 3, stopWords: stop, minSimilarity: 0 },
    );
    const pairs = items.map((i) => `${i.context.left} | ${i.context.right}`);
    expect(pairs[0]).toBe('Manchester City | Manchester City FC');
    expect(pairs).toContain('Man United | Manchester United FC');
    expect(pairs).toContain('Wolves | Wolverhampton Wanderers FC');
    expect(pairs).toContain("Nottingham Forest | Nott'm Forest");
    expect(pairs).not.toContain('Wolves | Manchester City FC');
    for (const item of items) expect(item.context.similarity).toBeGreaterThan(0);
  });

  it('loads a name-pair task whose lists come from files and inline names', async () => {
    const dir = await writeCompetitionTask(3, {
      items: {
        source: 'name-pairs',
        left: { path: 'matches.csv', field: 'home' },
        right: { names: ['Brasil', 'France national team', 'Peru'] },
        blocking: ['first-letters'],
      },
      labels: { kind: 'pairwise' },
    });
    const task = await loadTaskFile(dir);
    expect(task.classes).toEqual(['match', 'no-match', 'unsure']);
    expect(task.keys.get('match')).toBe('m');
    expect(task.items.map((i) => i.id)).toContain('Brazil\u241fBrasil');
  });

  it('rejects a pairwise task with no candidate pair as a task with no items', async () => {
    const dir = await writeCompetitionTask(1, {
      items: {
        source: 'name-pairs',
        left: { names: ['Arsenal'] },
        right: { names: ['Zenit'] },
        blocking: ['normalised-key'],
      },
      labels: { kind: 'pairwise' },
    });
    await expect(loadTaskFile(dir)).rejects.toMatchObject({ code: 'E_LABEL_TASK_EMPTY' });
    await writeFile(join(dir, 'unused'), '');
  });
});
