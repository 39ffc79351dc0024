import { basename, dirname, join } from 'node:path';
import { removeAbandonedScratch, scratchName } from '../portfolio/scratch-space.ts';

/** The folders one site build writes besides `dist/`, each named for the building process. */
export interface SiteScratch {
  /** Astro's output, inside the site's code (see build-site.ts for why). */
  scratch: string;
  /** The finished site beside `dist/`, before it is swapped in. */
  temporary: string;
  /** The previous `dist/`, moved aside during the swap. */
  previous: string;
}

/**
 * Names the scratch folders of a build, after removing those of builds that were killed (their
 * process has exited): a killed `mlfolio publish` leaves nothing behind past the next one. Folders
 * of the previous naming (`<pid>-<ms>`, `dist.tmp-<pid>`, `dist.old-<pid>`) are removed the same way.
 */
export async function siteScratch(cacheDir: string, distDir: string): Promise<SiteScratch> {
  const parent = dirname(distDir);
  const name = basename(distDir);
  const temporary = `${name}.tmp-`;
  const previous = `${name}.old-`;
  await removeAbandonedScratch(cacheDir, 'build-', /^(\d+)-\d+$/);
  await removeAbandonedScratch(parent, temporary, new RegExp(`^${escapeRegExp(temporary)}(\\d+)$`));
  await removeAbandonedScratch(parent, previous, new RegExp(`^${escapeRegExp(previous)}(\\d+)$`));
  return {
    scratch: join(cacheDir, scratchName('build-')),
    temporary: join(parent, scratchName(temporary)),
    previous: join(parent, scratchName(previous)),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
