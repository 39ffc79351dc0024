import { relative } from 'node:path';
import { defineCommand } from 'citty';
import { clockToday } from '../../learning/path/build-plan.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { scaffoldProject } from '../../templates/scaffold-project.ts';
import { bundledDataTemplates, templateExampleSport, templateKinds } from '../../templates/template-kinds.ts';

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
      description: `Project kind: ${bundledDataTemplates.join(', ')} (run offline right away, on data mlfolio ships) or ${templateKinds.filter((kind) => !bundledDataTemplates.includes(kind)).join(', ')} (scrapes a sports-reference-style table).`,
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
      bundledDataTemplates.includes(scaffold.template)
        ? `\nNext: \`mlfolio run ${scaffold.slug}\` (it runs offline now), then \`mlfolio audit ${scaffold.slug}\` to see what is missing.`
        : `\nNext: in source.yaml, ${scaffold.exampleSource ? `check the example pages (NBA team stats from basketball-reference.com; for another sport, \`mlfolio new <slug> --template stats-table --sport <sport>\`)` : `replace the placeholder pages: mlfolio has no example source for ${scaffold.sport}, so point urls at one public ${scaffold.sport} table per season`}, the table and its columns (\`mlfolio inspect <url>\` lists a page's tables) and the licence; in project.yaml, the seasons (one per URL), the target and the features. Until its data is collected the project is a draft that \`npm start\` skips; \`mlfolio audit ${scaffold.slug}\` lists what is missing.`,
    );
  },
});
