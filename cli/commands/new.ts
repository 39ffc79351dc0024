import { relative } from 'node:path';
import { defineCommand } from 'citty';
import { clockToday } from '../../learning/path/build-plan.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { scaffoldProject } from '../../templates/scaffold-project.ts';
import { templateKinds } from '../../templates/template-kinds.ts';

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
      description: `Project kind: ${templateKinds.join(' (runs offline on the bundled matches right away) or ')} (scrapes a sports-reference-style table).`,
      default: 'match-outcome',
    },
  },
  async run({ args }) {
    const workspace = workspaceAt();
    const scaffold = await scaffoldProject(workspace, args.slug, args.template, clockToday());
    const shown = (path: string) => relative(process.cwd(), path) || path;
    console.log(`Created ${shown(scaffold.dir)}/ from the ${scaffold.template} template:`);
    for (const file of scaffold.files) console.log(`  ${shown(file)}`);
    console.log(
      scaffold.template === 'match-outcome'
        ? `\nNext: \`mlfolio run ${scaffold.slug}\` (it runs offline now), then \`mlfolio audit ${scaffold.slug}\` to see what is missing.`
        : `\nNext: set the pages, table and licence in project.yaml. Until its data is collected the project is a draft that \`npm start\` skips; \`mlfolio audit ${scaffold.slug}\` lists what is missing.`,
    );
  },
});
