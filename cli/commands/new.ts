import { relative } from 'node:path';
import { defineCommand } from 'citty';
import { clockToday } from '../../learning/path/build-plan.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { scaffoldProject } from '../../templates/scaffold-project.ts';
import { templateExampleSport, templateKinds } from '../../templates/template-kinds.ts';

export const newCommand = defineCommand({
  meta: {
    name: 'new',
    description: `Scaffold a project in content/projects/<slug>/ from a template (${templateKinds.join(', ')}): project file, writeup and interview walkthrough. Never overwrites.`,
  },
  args: {
    slug: {
      type: 'positional',
      description: 'Folder name of the new project, such as nba-team-wins.',
      required: true,
    },
    template: {
      type: 'string',
      description: `Project kind: ${templateKinds.join(', ')}. All run end to end: the first three offline on the data mlfolio ships, stats-table on the season pages you scrape.`,
      default: 'match-outcome',
    },
    sport: {
      type: 'string',
      description: `The sport the project is about (its tags). Default: the template's example (${Object.entries(
        templateExampleSport,
      )
        .map(([kind, sport]) => `${sport} for ${kind}`)
        .join(', ')}); a stats-table project in another sport gets placeholder pages to replace.`,
    },
  },
  async run({ args }) {
    const workspace = workspaceAt();
    const scaffold = await scaffoldProject(
      workspace,
      args.slug,
      args.template,
      clockToday(),
      args.sport === undefined ? {} : { sport: args.sport },
    );
    const shown = (path: string) => relative(process.cwd(), path) || path;
    console.log(`Created ${shown(scaffold.dir)}/ from the ${scaffold.template} template:`);
    for (const file of scaffold.files) console.log(`  ${shown(file)}`);
    console.log(
      scaffold.template !== 'stats-table'
        ? `\nNext: \`mlfolio run ${scaffold.slug}\` (it runs offline now), then \`mlfolio audit ${scaffold.slug}\` to see what is missing.`
        : scaffold.exampleSource
          ? `\nNext: check the example pages in source.yaml (NBA team advanced stats from basketball-reference.com, one page per season; for another sport, \`mlfolio new <slug> --template stats-table --sport <sport>\`) and set the licence, then \`mlfolio scrape ${scaffold.slug}\` and \`mlfolio run ${scaffold.slug}\`. Until its pages are collected \`npm start\` skips it; \`mlfolio audit ${scaffold.slug}\` lists what is missing.`
          : `\nNext: mlfolio has no example pages for ${scaffold.sport}: in source.yaml, replace every value marked TODO — pages.url (one public ${scaffold.sport} table per season, {season} where the season goes) and pages.seasons, table.ids, each column's header (\`mlfolio inspect <url>\` lists them) — and the licence; then \`mlfolio scrape ${scaffold.slug}\` and \`mlfolio run ${scaffold.slug}\`. Until then both refuse, naming each placeholder.`,
    );
  },
});
