import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readLabelLog } from '../../labelling/label-log.ts';
import { pageSecurityPolicy } from '../../labelling/label-page.ts';
import { type LabelServer, startLabelServer } from '../../labelling/label-server.ts';
import { loadTaskFile } from '../../labelling/load-task.ts';
import { competitionRows, writeCompetitionTask } from './task-fixture.ts';

const open: LabelServer[] = [];
afterEach(async () => {
  for (const server of open.splice(0)) await server.close();
});

async function start(overrides: Record<string, unknown> = {}, rows = competitionRows(30)) {
  const dir = await writeCompetitionTask(rows.length, overrides, rows);
  const task = await loadTaskFile(dir);
  const storePath = join(dir, 'labels.jsonl');
  const server = await startLabelServer({ task, storePath, annotator: 'ana', durability: 'write' });
  open.push(server);
  return { dir, task, storePath, server };
}

async function json(server: LabelServer, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: responses of several shapes, each checked by the assertions
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('the labelling server', () => {
  it('serves the next item, records a label before answering, and undoes it', async () => {
    const { server, storePath } = await start();
    const next = await json(server, 'GET', '/api/next');
    expect(next.body.progress).toEqual({ labelled: 0, total: 30, annotator: 'ana' });
    const item = next.body.item.id as string;
    const posted = await json(server, 'POST', '/api/labels', {
      item,
      label: 'friendly',
      timeMs: 1234,
      round: next.body.round,
    });
    expect(posted.status).toBe(200);
    // The acknowledgement carries the next item, so the page needs one round trip per label.
    expect(posted.body.next.item.id).not.toBe(item);
    expect(posted.body.next.progress.labelled).toBe(1);
    expect(readLabelLog(storePath).records).toMatchObject([
      { item, label: 'friendly', annotator: 'ana', timeMs: 1234 },
    ]);
    expect((await json(server, 'GET', '/api/next')).body.item.id).not.toBe(item);
    const undone = await json(server, 'POST', '/api/undo', { annotator: 'ana' });
    expect(undone.body.undone.item).toBe(item);
    expect(undone.body.next.item.id).toBe(item);
    expect((await json(server, 'GET', '/api/next')).body.item.id).toBe(item);
  });

  it('answers a label for an item that does not exist with a clear error, and loses nothing', async () => {
    const { server, storePath } = await start();
    await json(server, 'POST', '/api/labels', { item: 'm0001', label: 'other' });
    const bad = await json(server, 'POST', '/api/labels', { item: 'm7777', label: 'other' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 'E_LABEL_UNKNOWN_ITEM',
      message: expect.stringContaining('"m7777"'),
    });
    const unknownClass = await json(server, 'POST', '/api/labels', { item: 'm0002', label: 'Final' });
    expect(unknownClass.body).toMatchObject({
      code: 'E_LABEL_UNKNOWN_CLASS',
      message: expect.stringContaining('"Final"'),
    });
    expect(readLabelLog(storePath).records.map((r) => r.item)).toEqual(['m0001']);
  });

  it('refuses a second server on the same store, naming the first one’s pid', async () => {
    const { task, storePath } = await start();
    await expect(startLabelServer({ task, storePath, annotator: 'ben' })).rejects.toMatchObject({
      code: 'E_LABEL_STORE_LOCKED',
      message: expect.stringContaining(`pid ${process.pid}`),
    });
  });

  it('refuses a host that is not loopback', async () => {
    const dir = await writeCompetitionTask(3);
    const task = await loadTaskFile(dir);
    await expect(
      startLabelServer({ task, storePath: join(dir, 'l.jsonl'), annotator: 'a', host: '0.0.0.0' }),
    ).rejects.toMatchObject({
      code: 'E_LABEL_HOST_NOT_LOOPBACK',
    });
  });

  it('serves the page with a strict content security policy and the title escaped', async () => {
    const { server } = await start({ title: '<script>alert(1)</script> & more' });
    const response = await fetch(server.url);
    const html = await response.text();
    expect(response.headers.get('content-security-policy')).toBe(pageSecurityPolicy);
    expect(pageSecurityPolicy).toContain("script-src 'sha256-");
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; more');
    expect(html).not.toContain('<script>alert(1)');
  });

  it('suggests the label model’s class from the task’s labelling functions, with its confidence', async () => {
    const { server, task } = await start({
      labellingFunctions: [
        {
          name: 'friendly',
          label: 'friendly',
          when: [{ field: 'tournament', op: 'equals', value: 'Friendly' }],
        },
        {
          name: 'qualifier',
          label: 'qualifier',
          when: [{ field: 'tournament', op: 'contains', value: 'qualification' }],
        },
      ],
    });
    const id = task.items.find((i) => i.context.tournament === 'Friendly')!.id;
    const friendly = await json(server, 'GET', `/api/items/${id}`);
    expect(friendly.body.item.context.tournament).toBe('Friendly');
    expect(friendly.body.suggestion).toEqual({
      label: 'friendly',
      confidence: 1,
      source: 'majority vote over 2 labelling functions',
    });
  });
});
