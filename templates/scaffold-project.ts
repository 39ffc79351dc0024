import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ExitCode, MlfolioError } from '../portfolio/errors.ts';
import { pathExists } from '../portfolio/files.ts';
import { projectSpecSchema, slugPattern } from '../portfolio/project-spec.ts';
import { didYouMean } from '../portfolio/suggest.ts';
import { parseWith } from '../portfolio/validate.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';
import { validateStatsTableProject } from './stats-table/stats-table-spec.ts';
import { type TemplateKind, templateKinds } from './template-kinds.ts';

const templateFiles: Record<TemplateKind, readonly string[]> = {
  'match-outcome': ['project.yaml', 'writeup.mdx', 'walkthrough.mdx'],
  'stats-table': ['project.yaml', 'source.yaml', 'writeup.mdx', 'walkthrough.mdx'],
};

export interface Scaffold {
  slug: string;
  template: TemplateKind;
  dir: string;
  files: string[];
}

/**
 * Creates `content/projects/<slug>/` from a template: a project file that validates, and writeup
 * and walkthrough skeletons whose TODOs the audit reports. Never overwrites: an existing folder is
 * an error. The folder appears whole or not at all (written beside it, then renamed into place).
 */
export async function scaffoldProject(
  workspace: Workspace,
  slug: string,
  template: string,
  today: Date,
): Promise<Scaffold> {
  if (!slugPattern.test(slug)) {
    const suggestion = slug
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    throw new MlfolioError({
      code: 'E_SLUG_INVALID',
      message: `"${slug}" is not a valid project slug: use lower-case letters and digits in words joined by single hyphens.`,
      hint: suggestion
        ? `Try \`mlfolio new ${suggestion} --template ${template}\`.`
        : 'For example: `nba-team-wins`.',
      exitCode: ExitCode.usage,
    });
  }
  if (!(templateKinds as readonly string[]).includes(template)) {
    throw new MlfolioError({
      code: 'E_TEMPLATE_UNKNOWN',
      message: `There is no project template "${template}".`,
      hint: `${didYouMean(template, templateKinds)} Templates: ${templateKinds.join(', ')}.`,
      exitCode: ExitCode.usage,
    });
  }
  const kind = template as TemplateKind;
  const { dir } = projectPaths(workspace, slug);
  if (await pathExists(dir)) {
    throw new MlfolioError({
      code: 'E_PROJECT_EXISTS',
      message: `A project "${slug}" already exists at ${dir}; \`mlfolio new\` never overwrites one.`,
      hint: 'Choose another slug, or delete that folder yourself if you really mean to start again.',
      exitCode: ExitCode.usage,
    });
  }
  const values = { slug, title: titleFromSlug(slug), today: today.toISOString().slice(0, 10) };
  const rendered = await Promise.all(
    templateFiles[kind].map(async (name) => ({
      name,
      text: render(await readFile(join(import.meta.dirname, kind, name), 'utf8'), values),
    })),
  );
  // A template that renders to an invalid file is a bug in mlfolio, caught here rather than by the builder.
  const text = (name: string) => rendered.find((file) => file.name === name)!.text;
  if (kind === 'match-outcome') {
    parseWith(
      projectSpecSchema,
      parseYaml(text('project.yaml')),
      `template ${kind}/project.yaml`,
      'E_TEMPLATE_INVALID',
    );
  } else {
    await validateStatsTableProject(
      text('project.yaml'),
      join(import.meta.dirname, kind, 'project.yaml'),
      async (file) => text(basename(file)),
    );
  }

  const staging = join(workspace.projectsDir, `.${slug}.${process.pid}.tmp`);
  await mkdir(staging, { recursive: true });
  try {
    for (const file of rendered) await writeFile(join(staging, file.name), file.text);
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return { slug, template: kind, dir, files: rendered.map((file) => join(dir, file.name)) };
}

/** "nba-team-wins" → "Nba team wins": a starting title the builder is expected to edit. */
export function titleFromSlug(slug: string): string {
  const words = slug.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function render(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (match, key: string) => values[key] ?? match);
}
