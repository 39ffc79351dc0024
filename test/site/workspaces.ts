import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/** The checkout under test: its `content/` is the example portfolio. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the suite's workspaces live; kept between runs so unchanged stages and sites are reused. */
export const workspacesRoot = join(repoRoot, 'test-results', 'site-workspaces');

export const exampleSlug = 'football-match-outcomes';

/** A team name and a league-free string built to break out of HTML text, attributes and script blocks. */
export const hostileNames = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'</script><script>alert(2)</script>",
];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the mlfolio CLI in a child process, as a user would, against the workspace at `root`. */
export function runCli(args: string[], root: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'cli', 'bin.ts'), ...args], {
      cwd: root,
      env: { ...process.env, MLFOLIO_ROOT: root, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export async function runCliOrThrow(
  args: string[],
  root: string,
  env: Record<string, string> = {},
): Promise<void> {
  const result = await runCli(args, root, env);
  if (result.code !== 0) {
    throw new Error(
      `mlfolio ${args.join(' ')} in ${root} exited with ${result.code}:\n${result.stderr}\n${result.stdout}`,
    );
  }
}

/**
 * A workspace holding a copy of the example portfolio's content (without runs). Runs and the
 * stage cache already in it are kept, so a rerun of the suite reuses them.
 */
export async function copyExampleContent(
  root: string,
  options: { withRunsFrom?: string } = {},
): Promise<void> {
  await mkdir(join(root, 'content', 'projects'), { recursive: true });
  await cp(join(repoRoot, 'content', 'portfolio.yaml'), join(root, 'content', 'portfolio.yaml'));
  const source = join(repoRoot, 'content', 'projects', exampleSlug);
  const target = join(root, 'content', 'projects', exampleSlug);
  await mkdir(target, { recursive: true });
  for (const entry of await readdir(source, { withFileTypes: true })) {
    if (entry.isFile()) await cp(join(source, entry.name), join(target, entry.name));
  }
  if (options.withRunsFrom) {
    await rm(join(target, 'runs'), { recursive: true, force: true });
    await cp(join(options.withRunsFrom, 'content', 'projects', exampleSlug, 'runs'), join(target, 'runs'), {
      recursive: true,
    });
  }
}

/**
 * Slims the example project for a workspace whose point is not modelling (the hostile-content
 * one): the first `models` models, no backtest, the minimum bootstrap resamples.
 */
export async function slimProject(root: string, models: number): Promise<void> {
  const file = join(root, 'content', 'projects', exampleSlug, 'project.yaml');
  const spec = parseYaml(await readFile(file, 'utf8')) as { models: unknown[] } & Record<string, unknown>;
  spec.models = spec.models.slice(0, models);
  delete spec.backtest;
  spec.resamples = 100;
  await writeFile(file, stringifyYaml(spec));
}

/**
 * A small real dataset (one league of the bundled OpenFootball data) in which two clubs are
 * renamed to hostile strings, written where the offline transport will read it.
 */
export async function writeHostileDataset(file: string): Promise<void> {
  const bundled = JSON.parse(
    await readFile(join(repoRoot, 'node_modules', 'vega-datasets', 'data', 'football.json'), 'utf8'),
  ) as { division: string; home_team: string; away_team: string }[];
  const league = bundled.filter((row) => row.division === 'Österreichische Bundesliga');
  const clubs = [...new Set(league.map((row) => row.home_team))].sort();
  const renames = new Map(clubs.slice(0, hostileNames.length).map((club, i) => [club, hostileNames[i]!]));
  const hostile = league.map((row) => ({
    ...row,
    home_team: renames.get(row.home_team) ?? row.home_team,
    away_team: renames.get(row.away_team) ?? row.away_team,
  }));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(hostile));
}

/** Every file under `dir`, relative to it. */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? listFiles(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
    ),
  );
  return nested.flat();
}

/** The folder of the latest run of the example project in the workspace at `root`. */
export async function latestExampleRunDir(root: string): Promise<string> {
  const runsDir = join(root, 'content', 'projects', exampleSlug, 'runs');
  return join(runsDir, (await readdir(runsDir)).sort().at(-1)!);
}
