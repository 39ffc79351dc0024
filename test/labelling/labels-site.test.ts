import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabelReport } from '../../labelling/label-report.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { learningCurveSpec } from '../../src/charts/learning-curve.ts';
import { renderSvg } from '../../src/charts/render-svg.ts';
import { readLabelReports } from '../../src/site-data/label-reports.ts';

const repo = join(import.meta.dirname, '..', '..');
const shipped = join(
  repo,
  'content/projects/international-match-outcomes/labels/competition-importance.report.json',
);
const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe("the site's labels card data", () => {
  it('reads the shipped report and draws its learning curve as an SVG with both samplers', async () => {
    const [report] = await readLabelReports(workspaceAt(repo), 'international-match-outcomes');
    expect(report!.task).toBe('competition-importance');
    expect(report!.annotators.some((a) => a.id === 'ai-agent:claude' && a.kind === 'ai-agent')).toBe(true);
    const spec = learningCurveSpec(report!)!;
    const svg = await renderSvg(spec);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('least-confidence (active)');
    expect(svg).toContain(`Accuracy on the ${report!.learningCurve.evaluationItems} evaluation items`);
  });

  it('refuses a report that does not parse or is of another version, naming the file', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mlfolio-label-reports-'));
    roots.push(root);
    const dir = join(root, 'content', 'projects', 'p', 'labels');
    await mkdir(dir, { recursive: true });
    expect(await readLabelReports(workspaceAt(root), 'p')).toEqual([]);
    await writeFile(join(dir, 't.report.json'), '{ not json');
    await expect(readLabelReports(workspaceAt(root), 'p')).rejects.toMatchObject({
      code: 'E_SITE_LABEL_REPORT',
      message: expect.stringContaining('content/projects/p/labels/t.report.json is not valid JSON'),
    });
    const report = JSON.parse(await readFile(shipped, 'utf8')) as LabelReport;
    await writeFile(join(dir, 't.report.json'), JSON.stringify({ ...report, schemaVersion: 2 }));
    await expect(readLabelReports(workspaceAt(root), 'p')).rejects.toMatchObject({
      message: expect.stringContaining('schemaVersion 2'),
    });
  });
});
