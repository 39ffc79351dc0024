import { join } from 'node:path';
import { type ModelResult, type RunRecord, readLatestRun } from '../../pipelines/runs/run-record.ts';
import { loadPortfolioConfig, type PortfolioConfig } from '../../portfolio/portfolio-config.ts';
import { type AnyProject, loadAnyProject } from '../../portfolio/project-file/any-project.ts';
import { listProjects } from '../../portfolio/project-folders.ts';
import { projectPaths, workspaceAt } from '../../portfolio/workspace.ts';
import { draftReason } from '../../templates/draft-project.ts';
import { siteError } from './site-error.ts';

export type SiteProject = AnyProject & {
  /** The latest recorded run, if the pipeline has run. */
  run: RunRecord | undefined;
  runDir: string | undefined;
};

export interface SiteData {
  config: PortfolioConfig;
  projects: SiteProject[];
}

let cached: Promise<SiteData> | undefined;

/** Everything the pages render, loaded and validated once per build. */
export function siteData(): Promise<SiteData> {
  cached ??= load();
  return cached;
}

async function load(): Promise<SiteData> {
  const workspace = workspaceAt();
  const config = await loadPortfolioConfig(workspace);
  // Drafts (a scaffold whose task the pipeline cannot run yet) are listed by the readiness panels.
  const runnable = [];
  for (const slug of await listProjects(workspace))
    if (!(await draftReason(workspace, slug))) runnable.push(slug);
  const projects = await Promise.all(
    runnable.map(async (slug) => {
      const project = await loadAnyProject(workspace, slug);
      const { runsDir } = projectPaths(workspace, slug);
      const run = await readLatestRun(runsDir);
      return { ...project, run, runDir: run ? join(runsDir, run.runId) : undefined };
    }),
  );
  return { config, projects };
}

export async function siteProject(slug: string): Promise<SiteProject> {
  const project = (await siteData()).projects.find((p) => p.slug === slug);
  if (!project) {
    throw siteError({ code: 'E_SITE_PROJECT_UNKNOWN', message: `No project "${slug}" to render.` });
  }
  return project;
}

/** The project's latest run, or a build error naming the page that needs it. */
export function requireRun(project: SiteProject, where: string): RunRecord {
  if (!project.run) {
    throw siteError({
      code: 'E_SITE_RUN_MISSING',
      message: `${where} needs a run of project "${project.slug}", but none is recorded in content/projects/${project.slug}/runs/.`,
      hint: `Run \`npm start\` (or \`npm run mlfolio -- run ${project.slug}\`) first.`,
    });
  }
  return project.run;
}

export function requireModel(run: RunRecord, id: string, where: string): ModelResult {
  const model = run.models.find((m) => m.id === id);
  if (!model) {
    throw siteError({
      code: 'E_SITE_MODEL_UNKNOWN',
      message: `${where} refers to model "${id}", which run ${run.runId} of "${run.project}" does not have.`,
      hint: `Models in that run: ${run.models.map((m) => m.id).join(', ')}.`,
    });
  }
  return model;
}
