import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';

const codeRoot = join(import.meta.dirname, '..', '..');

/**
 * The versions a run record names: mlfolio's own, Node's, each of `packages` (recorded name →
 * package name) as installed or "not installed", the platform and the CPU, so two runs can be
 * compared on what ran them.
 */
export async function recordedVersions(
  packages: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const read = async (name: string) => {
    try {
      return (
        JSON.parse(await readFile(join(codeRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
    } catch {
      return 'not installed';
    }
  };
  const own = JSON.parse(await readFile(join(codeRoot, 'package.json'), 'utf8')) as { version: string };
  const versions: Record<string, string> = { mlfolio: own.version, node: process.version };
  for (const [label, name] of Object.entries(packages)) versions[label] = await read(name);
  return {
    ...versions,
    platform: `${process.platform}-${process.arch}`,
    cpu: `${cpus().length}× ${cpus()[0]?.model ?? 'unknown'}`,
  };
}
