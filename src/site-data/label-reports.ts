import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabelReport } from '../../labelling/label-report.ts';
import { projectPaths, type Workspace } from '../../portfolio/workspace.ts';
import { siteError } from './site-error.ts';

/**
 * The label reports of a project (`labels/<task>.report.json`, written by `mlfolio label <project>
 * <task> --report`), by task name. A report that does not parse, or of another schema version, is
 * a build error naming the file.
 */
export async function readLabelReports(workspace: Workspace, slug: string): Promise<LabelReport[]> {
  const dir = join(projectPaths(workspace, slug).dir, 'labels');
  const files = (await readdir(dir).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.report.json'))
    .sort();
  const reports: LabelReport[] = [];
  for (const file of files) {
    const path = `content/projects/${slug}/labels/${file}`;
    let report: LabelReport;
    try {
      report = JSON.parse(await readFile(join(dir, file), 'utf8')) as LabelReport;
    } catch (error) {
      throw siteError({
        code: 'E_SITE_LABEL_REPORT',
        message: `${path} is not valid JSON: ${(error as Error).message}`,
        hint: `Rerun \`mlfolio label ${slug} --report\` to write it again.`,
      });
    }
    if (report?.schemaVersion !== 1 || !Array.isArray(report.annotators) || !report.learningCurve) {
      throw siteError({
        code: 'E_SITE_LABEL_REPORT',
        message: `${path} is not a label report this site reads (schemaVersion ${JSON.stringify(report?.schemaVersion)}).`,
        hint: `Rerun \`mlfolio label ${slug} --report\` to write it again.`,
      });
    }
    reports.push(report);
  }
  return reports;
}
