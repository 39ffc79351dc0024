import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { defineCommand } from 'citty';
import { collectProjectTables } from '../../pipelines/collect/collect-project.ts';
import { writeJsonAtomic } from '../../portfolio/atomic-write.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { loadProjectFile } from '../../portfolio/project-file/load.ts';
import { listProjects } from '../../portfolio/project-folders.ts';
import { didYouMean } from '../../portfolio/suggest.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { type CrawlFailure, formatSummary } from '../../scrapers/crawl/crawl.ts';
import { ScrapeError } from '../../scrapers/scrape-error.ts';
import { runScrape } from '../../scrapers/scrape-plan.ts';
import { type PlannedScrape, sourceFilePlan } from '../../scrapers/source-file-plan.ts';
import { scrapedSourceOf } from '../../scrapers/sources/html-stats-table/project-source.ts';
import { internationalResultsPlan } from '../../scrapers/sources/international-results/index.ts';
import { tableSourceFor } from '../../scrapers/table-sources.ts';
import { terminalProgress } from '../terminal-progress.ts';
import { cacheModeOf, type FetchArgValues, fetchArgs, fetcherFrom } from './fetch-args.ts';

const builtInSources = ['international-results'] as const;

type ResolvedTarget = PlannedScrape;

export const scrapeCommand = defineCommand({
  meta: {
    name: 'scrape',
    description:
      'Collect a dataset politely: a project (its source), a built-in source (international-results) or a source file (.yaml). Resumable; shows progress and a summary.',
  },
  args: {
    target: {
      type: 'positional',
      description: 'A project slug, "international-results", or the path of a source .yaml file.',
      required: true,
    },
    out: {
      type: 'string',
      description: 'Where to write the dataset (default: .mlfolio/data/<name>/dataset.json).',
    },
    concurrency: {
      type: 'string',
      description: 'Requests in flight across hosts (default 2; each host keeps its own rate).',
    },
    ...fetchArgs,
  },
  async run({ args }) {
    const workspace = workspaceAt();
    const progress = terminalProgress();
    const cache = cacheModeOf(args as FetchArgValues);
    const target = await resolveTarget(args.target);
    if (!target) {
      // A project on the bundled offline dataset: nothing to fetch, its tables are collected as they are.
      const project = await loadProjectFile(workspace, args.target);
      for (const { table, file } of await collectProjectTables(workspace, project)) {
        console.log(
          `${args.target}: table ${table.name}: transport "offline" reads the bundled dataset, no requests made — ${table.provenance.rows} rows → ${file}`,
        );
      }
      return;
    }
    const { plan } = target;
    const fetcher = fetcherFrom(args as FetchArgValues, {
      progress,
      ...(target.policy ? { policy: target.policy } : {}),
      ...(target.profile ? { profile: target.profile } : {}),
    });
    const frontierFile = join(workspace.stateDir, 'crawls', plan.name, 'frontier.jsonl');
    if (cache === 'revalidate') await startOver(frontierFile);
    progress.stage(`scrape ${plan.name}`, `${plan.seeds.length} start URL(s); store ${fetcher.store?.root}`);
    const concurrency = args.concurrency ? Number(args.concurrency) : (target.concurrency ?? 2);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
      throw new MlfolioError({
        code: 'E_INVALID_OPTION',
        message: `--concurrency "${args.concurrency}" is not a whole number from 1 to 16.`,
        hint: 'Politeness is per host either way; 2 to 4 is plenty.',
        exitCode: 2,
      });
    }
    const outcome = await runScrape(plan, { fetcher, frontierFile, concurrency, progress });
    console.log(`${plan.name}: ${formatSummary(outcome.crawl.summary)}`);
    if (!outcome.dataset)
      throw failureError(plan.name, outcome.crawl.failures, outcome.crawl.summary.remaining);
    const file = args.out ?? join(workspace.stateDir, 'data', plan.name, 'dataset.json');
    await writeJsonAtomic(file, outcome.dataset);
    const { provenance, excluded } = outcome.dataset;
    console.log(
      `${plan.name}: ${provenance.rows} records, ${provenance.excludedRows} left out; sha256 ${provenance.sha256.slice(0, 12)} → ${file}`,
    );
    for (const entry of excluded.slice(0, 10)) console.log(`  left out ${entry.location}: ${entry.reason}`);
    if (excluded.length > 10) console.log(`  … and ${excluded.length - 10} more (see ${file})`);
  },
});

/** What `target` names. Undefined means a project that needs no fetching (offline transport). */
async function resolveTarget(target: string): Promise<ResolvedTarget | undefined> {
  const workspace = workspaceAt();
  const projects = await listProjects(workspace).catch(() => [] as string[]);
  if (projects.includes(target)) {
    const scraped = await scrapedSourceOf(workspace, target);
    // A project reading scraped pages collects with the source file beside it, into its data folder.
    if (scraped) return sourceFilePlan(scraped, target, { placeholders: 'refuse' });
    const { file, specFile } = await loadProjectFile(workspace, target);
    const tables = Object.entries(file.data.tables);
    // The first table whose source crawls live pages; none crawled when every source is offline.
    let crawlable = true;
    for (const [name, table] of tables) {
      const source = await tableSourceFor(table.source.kind, { specFile, table: name });
      if (!source.scrapePlan) crawlable = false;
      const plan = await source.scrapePlan?.(table.source as never, target);
      if (plan) return { plan };
    }
    if (crawlable) return undefined;
    throw new MlfolioError({
      code: 'E_UNKNOWN_SOURCE',
      message: `Project "${target}" (${specFile}) has no source that \`mlfolio scrape\` crawls: its tables read ${tables.map(([name, table]) => `${name} (${table.source.kind})`).join(', ')}.`,
      hint: `\`mlfolio collect ${target}\` or \`mlfolio run ${target}\` collects them (a URL through the polite fetcher); \`mlfolio scrape\` crawls sources that fetch live pages and html-stats-table pages.`,
      exitCode: 2,
    });
  }
  if (target === 'international-results') return { plan: internationalResultsPlan() };
  if (/\.ya?ml$/i.test(target) || (await isFile(target))) return sourceFilePlan(target);
  throw new MlfolioError({
    code: 'E_UNKNOWN_SOURCE',
    message: `"${target}" is not a project, a built-in source or a source file.`,
    hint: `${didYouMean(target, [...projects, ...builtInSources])} Projects: ${projects.join(', ') || '(none)'}; built-in: ${builtInSources.join(', ')}.`,
    exitCode: 2,
  });
}

async function isFile(path: string): Promise<boolean> {
  return stat(path)
    .then((s) => s.isFile())
    .catch(() => false);
}

/** `--refresh` revisits every page, so the finished crawl's journal is set aside. */
async function startOver(frontierFile: string): Promise<void> {
  await rm(frontierFile, { force: true });
}

/** One error for a crawl that left pages uncollected; its kind is the most pressing failure's. */
function failureError(name: string, failures: readonly CrawlFailure[], remaining: number): ScrapeError {
  for (const failure of failures.slice(0, 10)) console.error(`  ✗ ${failure.code} ${failure.message}`);
  if (failures.length > 10) console.error(`  … and ${failures.length - 10} more`);
  const order = [
    'blocked',
    'retry-later',
    'offline-miss',
    'layout-changed',
    'disallowed',
    'rejected',
    'no-data',
  ];
  const worst = [...failures].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))[0];
  const kind = worst && worst.kind !== 'internal' ? worst.kind : 'retry-later';
  const retry = kind === 'retry-later' || kind === 'blocked';
  return new ScrapeError(kind, {
    code: 'E_SCRAPE_INCOMPLETE',
    message: `${name}: ${failures.length} page(s) not collected${remaining ? ` and ${remaining} still queued` : ''}; no dataset was written.`,
    hint: retry
      ? 'Run the same command later: stored pages are kept and the crawl resumes where it stopped.'
      : (worst?.message ?? 'See the failures above.'),
  });
}
