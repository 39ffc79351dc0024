import type { ModelResult } from '../../pipelines/runs/run-record.ts';
import { requireModel, requireRun, siteProject } from './portfolio.ts';
import { type RunFacts, runFacts } from './run-facts.ts';
import { siteError } from './site-error.ts';

/** What a page tells the MDX components it renders: which file they sit in. */
export interface MdxLocals {
  mdxSource?: string;
}

interface AstroLike {
  params: Record<string, string | undefined>;
  locals: object;
}

/** The project and run an MDX component reads, and where it sits for error messages. */
export async function mdxContext(astro: AstroLike, tag: string): Promise<{ where: string; facts: RunFacts }> {
  const slug = astro.params.slug as string;
  const source = (astro.locals as MdxLocals).mdxSource ?? `content/projects/${slug}/writeup.mdx`;
  const where = `${source} (${tag})`;
  const run = requireRun(await siteProject(slug), where);
  return { where, facts: runFacts(run, where) };
}

/** A model by id, or "best" / "baseline"; a build error naming the file when it does not exist. */
export function modelFor(facts: RunFacts, id: string, where: string): ModelResult {
  if (id === 'best') return facts.best;
  if (id === 'baseline') return facts.baseline;
  return requireModel(facts.run, id, where);
}

/** Reads a dotted path ("split.test.rows") from the run record; a build error when it is absent. */
export function runValueAt(facts: RunFacts, path: string, where: string): unknown {
  let value: unknown = facts.run;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !(key in value)) {
      throw siteError({
        code: 'E_SITE_VALUE_UNKNOWN',
        message: `${where} refers to "${path}", which run ${facts.run.runId} of "${facts.run.project}" did not record ("${key}" is missing).`,
        hint: `Top-level fields of that run: ${Object.keys(facts.run).join(', ')}. Fix the path, or rerun the pipeline if the field is new.`,
      });
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
