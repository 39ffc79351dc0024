import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * The version 2 demo's script is every module its entry imports, bundled for the browser: a value
 * import of a model file pulls in zod (the artifact schemas run when the module loads), a feature
 * store module DuckDB, a pipeline module Node built-ins. This walks the entry's import graph as the
 * bundler does — `import type` is erased, every other import and re-export kept — so such an import
 * fails here in a second, before a site build would show the bundle's weight (test/site/
 * declared-demo.test.ts checks the built size against its budget).
 */
const repoRoot = resolve(import.meta.dirname, '..', '..');
const entry = join(repoRoot, 'src', 'demo', 'declared-demo-page.ts');

// `import type …` and `export type …` are erased; `import { type A }` keeps the module under
// verbatimModuleSyntax, so it counts.
const moduleSpecifiers =
  /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

interface ImportGraph {
  /** Repository files, relative to the root, in the order first reached. */
  files: string[];
  /** Bare specifiers (packages and `node:` built-ins) with the file that imports each. */
  packages: Map<string, string>;
}

async function importGraph(start: string): Promise<ImportGraph> {
  const files: string[] = [];
  const packages = new Map<string, string>();
  const pending = [start];
  const seen = new Set<string>();
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    files.push(relative(repoRoot, file));
    const source = await readFile(file, 'utf8');
    for (const match of source.matchAll(moduleSpecifiers)) {
      const specifier = (match[1] ?? match[2])!;
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else if (!packages.has(specifier)) packages.set(specifier, relative(repoRoot, file));
    }
  }
  return { files, packages };
}

describe("the version 2 demo's import graph", () => {
  test('reaches the forecast and serving code it runs', async () => {
    const { files } = await importGraph(entry);
    expect(files).toEqual(
      expect.arrayContaining([
        'src/demo/declared-demo.ts',
        'pipelines/tasks/models/forecast.ts',
        'pipelines/tasks/models/linear-forecast.ts',
        'pipelines/tasks/models/baseline-forecast.ts',
        'pipelines/tasks/models/gradient-boosting-forecast.ts',
        'pipelines/tasks/models/mlp-forecast.ts',
        'pipelines/feature-store/online-serving.ts',
        'pipelines/feature-store/formula-expression.ts',
        'pipelines/feature-store/formula-parser.ts',
      ]),
    );
  });

  test('holds no package at all: no zod, DuckDB, TensorFlow, Node built-in or parser library', async () => {
    const { packages } = await importGraph(entry);
    expect(Object.fromEntries(packages)).toEqual({});
  });

  test('counts a value import of a model file, which would bundle its zod schemas', async () => {
    const { packages } = await importGraph(join(repoRoot, 'pipelines', 'tasks', 'models', 'baselines.ts'));
    expect(packages.get('zod')).toBe('pipelines/tasks/models/baselines.ts');
  });
});
