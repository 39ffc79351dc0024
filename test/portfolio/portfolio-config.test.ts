import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPortfolioConfig } from '../../portfolio/portfolio-config.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

async function workspaceWith(portfolioYaml: string | undefined) {
  const root = await mkdtemp(join(tmpdir(), 'mlfolio-config-'));
  roots.push(root);
  await mkdir(join(root, 'content'), { recursive: true });
  if (portfolioYaml !== undefined) await writeFile(join(root, 'content/portfolio.yaml'), portfolioYaml);
  return workspaceAt(root);
}

describe('the portfolio file', () => {
  it('is reported missing with what to put in it', async () => {
    await expect(loadPortfolioConfig(await workspaceWith(undefined))).rejects.toMatchObject({
      code: 'E_PORTFOLIO_FILE_MISSING',
      hint: expect.stringContaining('name, headline and about'),
    });
  });

  it('names the file for a YAML syntax error instead of failing as a bug', async () => {
    await expect(loadPortfolioConfig(await workspaceWith('builder: [unclosed\n'))).rejects.toMatchObject({
      code: 'E_PORTFOLIO_FILE_INVALID',
      message: expect.stringMatching(/portfolio\.yaml is not valid YAML/),
    });
  });

  it('names a misspelt field with the nearest valid one', async () => {
    const yaml = 'builder:\n  name: A\n  headlin: B\n  about: C\n';
    await expect(loadPortfolioConfig(await workspaceWith(yaml))).rejects.toMatchObject({
      code: 'E_PORTFOLIO_FILE_INVALID',
      message: expect.stringMatching(/builder\.headlin: unknown field\. Did you mean "headline"\?/),
    });
  });
});
