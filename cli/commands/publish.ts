import { relative } from 'node:path';
import { defineCommand } from 'citty';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { buildSite } from '../../publish/build-site.ts';
import { terminalProgress } from '../terminal-progress.ts';

export const publishCommand = defineCommand({
  meta: {
    name: 'publish',
    description: 'Build the static site into dist/ from the content and the latest runs.',
  },
  args: { force: { type: 'boolean', description: 'Rebuild even if nothing changed.', default: false } },
  async run({ args }) {
    const workspace = workspaceAt();
    const site = await buildSite(workspace, { force: args.force, progress: terminalProgress() });
    console.log(
      `Site ${site.skipped ? 'unchanged' : 'built'} in ${relative(process.cwd(), site.outDir) || '.'}/ — open it with \`npm run preview\`.`,
    );
  },
});
