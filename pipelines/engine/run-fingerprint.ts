import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../portfolio/atomic-write.ts';
import { hashTree, hashValue } from '../../portfolio/hash.ts';
import type { LoadedProject } from '../../portfolio/project-file/load.ts';
import { projectPaths, type Workspace } from '../../portfolio/workspace.ts';
import { tableFingerprint } from '../collect/table-fingerprint.ts';
import { type RunRecord, readLatestRun } from '../runs/run-record.ts';
import { eventsSpecOf } from './feature-store-spec.ts';
import { readJoinLabels } from './label-join.ts';

/**
 * Everything an engine run is a function of, besides the stage outputs it derives from them: the
 * normalised project, each table's source fingerprint, each label join's snapshot, `dataUntil`,
 * and the code of the engine with its dependencies' lock file. Coarser than the stage keys (a
 * change anywhere in this code changes it), so equal fingerprints mean an identical run.
 */
const engineCode = ['pipelines', 'scrapers', 'labelling', 'portfolio', 'package-lock.json'];
const codeRoot = join(import.meta.dirname, '..', '..');
const fileName = 'run-fingerprint.json';

let codeHash: Promise<string> | undefined;

export async function engineRunFingerprint(
  workspace: Workspace,
  project: LoadedProject,
  options: { dataUntil?: string } = {},
): Promise<string> {
  // The code cannot change under a running process, so it is hashed once per process.
  codeHash ??= hashTree(codeRoot, engineCode, /node_modules/);
  const spec = project.file;
  const tables: Record<string, string> = {};
  for (const [name, table] of Object.entries(spec.data.tables)) {
    tables[name] = await tableFingerprint(workspace, project.slug, table, name, project.specFile);
  }
  const labels = eventsSpecOf(spec).labels.map((join) => {
    const read = readJoinLabels(workspace, project.slug, join);
    return { join, snapshot: read.snapshot, resolved: read.resolvedSha256 };
  });
  return hashValue({
    project: project.normalisedSha256,
    tables,
    labels,
    dataUntil: options.dataUntil ?? null,
    code: await codeHash,
  });
}

/**
 * The latest run when it was made (or confirmed unchanged) from exactly `fingerprint`: an
 * unchanged rerun reads one small file and the run record instead of every stage's cached output.
 */
export async function runWithFingerprint(
  workspace: Workspace,
  slug: string,
  fingerprint: string,
): Promise<{ record: RunRecord; runDir: string } | undefined> {
  const paths = projectPaths(workspace, slug);
  let stored: { fingerprint?: unknown; runId?: unknown };
  try {
    stored = JSON.parse(await readFile(join(paths.cacheDir, fileName), 'utf8'));
  } catch {
    return undefined;
  }
  if (stored.fingerprint !== fingerprint) return undefined;
  const latest = await readLatestRun(paths.runsDir).catch(() => undefined);
  // A run made since (a replay's `dataUntil`, another fingerprint) is the latest: not this one.
  if (!latest || latest.runId !== stored.runId) return undefined;
  return { record: latest, runDir: join(paths.runsDir, latest.runId) };
}

/** Records that the run `runId` is what `fingerprint` produces. */
export async function recordRunFingerprint(
  workspace: Workspace,
  slug: string,
  fingerprint: string,
  runId: string,
): Promise<void> {
  await writeJsonAtomic(join(projectPaths(workspace, slug).cacheDir, fileName), { fingerprint, runId });
}
