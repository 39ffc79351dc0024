import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ExitCode, MlfolioError } from '../portfolio/errors.ts';
import { pathExists } from '../portfolio/files.ts';
import { parseProjectText } from '../portfolio/project-file/load.ts';
import { slugPattern } from '../portfolio/project-folders.ts';
import { didYouMean } from '../portfolio/suggest.ts';
import { parseWith } from '../portfolio/validate.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';
import { sourceFileSchema } from '../scrapers/source-file.ts';
import { focusAreas } from './project-ideas.ts';
import {
  bundledDataTemplates,
  type TemplateKind,
  templateExampleSport,
  templateKinds,
} from './template-kinds.ts';

const templateFiles: Record<TemplateKind, readonly string[]> = {
  'match-outcome': ['project.yaml', 'writeup.mdx', 'walkthrough.mdx'],
  'international-match': ['project.yaml', 'writeup.mdx', 'walkthrough.mdx'],
  'team-season': ['project.yaml', 'writeup.mdx', 'walkthrough.mdx'],
  'stats-table': ['project.yaml', 'source.yaml', 'writeup.mdx', 'walkthrough.mdx'],
};

export interface Scaffold {
  slug: string;
  template: TemplateKind;
  /** The sport the project is about, as its tags say. */
  sport: string;
  /** False when the template has no example source for the sport and placeholders were written instead. */
  exampleSource: boolean;
  dir: string;
  files: string[];
}

/** Which sport to scaffold for; default: the template's example sport (see `templateExampleSport`). */
export interface ScaffoldOptions {
  sport?: string;
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
  options: ScaffoldOptions = {},
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
  const sport = sportOf(options.sport, kind);
  const exampleSource = sport === templateExampleSport[kind];
  const { dir } = projectPaths(workspace, slug);
  if (await pathExists(dir)) {
    throw new MlfolioError({
      code: 'E_PROJECT_EXISTS',
      message: `A project "${slug}" already exists at ${dir}; \`mlfolio new\` never overwrites one.`,
      hint: 'Choose another slug, or delete that folder yourself if you really mean to start again.',
      exitCode: ExitCode.usage,
    });
  }
  const values = {
    slug,
    title: titleFromSlug(slug),
    today: today.toISOString().slice(0, 10),
    sport,
    ...statsTableSource(kind, sport, exampleSource),
  };
  const rendered = await Promise.all(
    templateFiles[kind].map(async (name) => ({
      name,
      text: render(await readFile(join(import.meta.dirname, kind, name), 'utf8'), values),
    })),
  );
  // A template that renders to an invalid file is a bug in mlfolio, caught here rather than by the builder.
  const text = (name: string) => rendered.find((file) => file.name === name)!.text;
  // Every template is a version 2 project file; a stats-table template also has its scrape source.
  parseProjectText(slug, text('project.yaml'), `template ${kind}/project.yaml`);
  if (templateFiles[kind].includes('source.yaml')) {
    parseWith(
      sourceFileSchema,
      parseYaml(text('source.yaml')),
      `template ${kind}/source.yaml`,
      'E_TEMPLATE_INVALID',
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
  return {
    slug,
    template: kind,
    sport,
    exampleSource,
    dir,
    files: rendered.map((file) => join(dir, file.name)),
  };
}

function sportOf(requested: string | undefined, kind: TemplateKind): string {
  const sport = (requested ?? templateExampleSport[kind]).trim().toLowerCase();
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(sport)) {
    throw new MlfolioError({
      code: 'E_USAGE',
      message: `--sport "${requested}" is not a sport name mlfolio can use as a tag: use lower-case letters and digits, words joined by hyphens.`,
      hint: 'For example: `--sport tennis` or `--sport ice-hockey`.',
      exitCode: ExitCode.usage,
    });
  }
  if (bundledDataTemplates.includes(kind) && sport !== templateExampleSport[kind]) {
    throw new MlfolioError({
      code: 'E_TEMPLATE_SPORT',
      message: `The ${kind} template runs on its bundled ${templateExampleSport[kind]} data only; it has no ${sport} data.`,
      hint: `Use \`--template stats-table --sport ${sport}\`: it scrapes the ${sport} tables you choose.`,
      exitCode: ExitCode.usage,
    });
  }
  return sport;
}

/** The seasons the stats-table template's example pages cover: one page each. */
const exampleSeasons = { from: 2005, to: 2024 };

/**
 * The parts of a stats-table scaffold that depend on the sport: the template's example pages for
 * its example sport; for any other, placeholders marked TODO (pages on example.invalid, a name
 * reserved never to resolve, so nothing is fetched by mistake), which `mlfolio scrape` and
 * `mlfolio run` refuse, naming each. The split and backtest are sized to the seasons listed.
 */
function statsTableSource(kind: TemplateKind, sport: string, exampleSource: boolean): Record<string, string> {
  if (kind !== 'stats-table') return {};
  const seasons = exampleSeasons.to - exampleSeasons.from + 1;
  const sized = sizeForSeasons(seasons);
  const common = {
    firstSeason: String(exampleSeasons.from),
    lastSeason: String(exampleSeasons.to),
    seasonCount: String(seasons),
    testSeasons: String(sized.testSeasons),
    minTrainSeasons: String(sized.minTrainSeasons),
    maxFolds: String(sized.maxFolds),
  };
  if (exampleSource) {
    return {
      ...common,
      pagesNote:
        'The pages are the example: NBA team advanced stats from basketball-reference.com (scored and allowed are offensive and defensive ratings, points per 100 possessions).',
      sourceNote: `The pages below are the template's example: NBA team advanced stats from basketball-reference.com, ${exampleSeasons.from} to ${exampleSeasons.to}.`,
      urlPattern: 'https://www.basketball-reference.com/leagues/NBA_{season}.html',
      // Renamed around 2018: the pages before call the same table misc_stats.
      tableIds: '"advanced-team", "misc_stats"',
      teamFrom: '[Team, team]',
      winsFrom: '[W, wins]',
      lossesFrom: '[L, losses]',
      scoredFrom: '[ORtg, off_rtg]',
      allowedFrom: '[DRtg, def_rtg]',
      minRows: '20',
      attribution: 'Sports Reference LLC (basketball-reference.com)',
    };
  }
  return {
    ...common,
    pagesNote: `TODO: mlfolio has no example pages for ${sport}: replace the placeholders marked TODO in source.yaml first.`,
    sourceNote: [
      `TODO: mlfolio has no example pages for ${sport}. Replace every value marked TODO below: pages.url (one public`,
      `# ${sport} table per season, {season} where the season goes) and pages.seasons, table.ids, and each column's`,
      "# header (`mlfolio inspect <url>` lists a page's tables and headers). Until then scrape and run refuse, naming each.",
    ].join('\n'),
    urlPattern: `https://${sport}-stats.example.invalid/TODO-page-of-season-{season}.html`,
    tableIds: '"TODO-table-id"',
    teamFrom: 'TODO-team-column',
    winsFrom: 'TODO-wins-column',
    lossesFrom: 'TODO-losses-column',
    scoredFrom: 'TODO-points-scored-column',
    allowedFrom: 'TODO-points-allowed-column',
    minRows: '2',
    attribution: 'TODO: who publishes the tables',
  };
}

/**
 * A split and rolling-origin backtest for `pages` seasons of pages: the last season has no
 * next-season target and each team's first has no history, so `pages - 2` seasons are usable; the
 * backtest keeps up to 5 folds, and two test seasons once there are 12 or more.
 */
export function sizeForSeasons(pages: number): {
  testSeasons: number;
  minTrainSeasons: number;
  maxFolds: number;
} {
  const usable = Math.max(0, pages - 2);
  const maxFolds = Math.max(1, Math.min(5, usable - 3));
  return {
    testSeasons: usable >= 12 ? 2 : 1,
    minTrainSeasons: Math.max(1, usable - maxFolds),
    maxFolds,
  };
}

/**
 * "nba-team-wins" → "NBA team wins": a starting title the builder is expected to edit. A word
 * without a vowel (nfl, mls) or one the learning path knows as a league's short name (nba, ncaa)
 * is read as an abbreviation and upper-cased.
 */
export function titleFromSlug(slug: string): string {
  const words = slug
    .split('-')
    .map((word) =>
      /^[^aeiouy\d]+$/.test(word) || leagueAbbreviations.has(word) ? word.toUpperCase() : word,
    );
  const title = words.join(' ');
  return title.charAt(0).toUpperCase() + title.slice(1);
}

const leagueAbbreviations = new Set(
  focusAreas.flatMap((area) => area.aliases).filter((alias) => /^[a-z]{2,4}$/.test(alias)),
);

/**
 * Fills `{{key}}` with its value. `"{{raw:key}}"`, quotes included, is replaced by the bare value,
 * so a template stays valid YAML (and keeps its formatting) where the value is a number or a list.
 */
function render(text: string, values: Record<string, string>): string {
  return text
    .replace(/"\{\{raw:(\w+)\}\}"/g, (match, key: string) => values[key] ?? match)
    .replace(/\{\{(\w+)\}\}/g, (match, key: string) => values[key] ?? match);
}
