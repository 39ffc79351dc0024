import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import { copyExampleContent, exampleSlug, runCli, workspacesRoot } from './workspaces.ts';

/** A copy of the example workspace with its runs, whose `file` gets `insert` appended. */
async function brokenWorkspace(name: string, file: string, insert: string): Promise<string> {
  const root = join(workspacesRoot, name);
  await copyExampleContent(root, { withRunsFrom: inject('exampleRoot') });
  const path = join(root, 'content', 'projects', exampleSlug, file);
  await writeFile(path, `${await readFile(path, 'utf8')}\n${insert}\n`);
  return root;
}

describe('a writeup that refers to something the run did not record', () => {
  test('fails the build, naming the file, the model and the models that exist', async () => {
    const root = await brokenWorkspace(
      'missing-model',
      'writeup.mdx',
      'XGBoost scored <Metric model="xgboost" name="rps" />.',
    );
    const result = await runCli(['publish', '--force'], root);
    expect(result.code).not.toBe(0);
    const output = result.stderr + result.stdout;
    expect(output).toContain('E_SITE_MODEL_UNKNOWN');
    expect(output).toContain(`content/projects/${exampleSlug}/writeup.mdx`);
    expect(output).toContain('model "xgboost"');
    expect(output).toMatch(/Models in that run: prior, elo, logreg, ordinal, boosting, mlp/);
  });

  test('fails the build when a walkthrough names a metric or value the run lacks', async () => {
    const root = await brokenWorkspace(
      'missing-metric',
      'walkthrough.mdx',
      'AUC was <Metric model="best" name="auc" />.',
    );
    const result = await runCli(['publish', '--force'], root);
    expect(result.code).not.toBe(0);
    const output = result.stderr + result.stdout;
    expect(output).toContain('E_SITE_METRIC_UNKNOWN');
    expect(output).toContain(`content/projects/${exampleSlug}/walkthrough.mdx`);
    expect(output).toContain('metric "auc"');
  });
});
