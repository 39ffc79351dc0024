import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestVersion2Run } from '../../experiments/project-analysis.ts';
import { latestRun } from '../../operations/deployed-model.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';

describe('the latest run of a project without runs', () => {
  it('says what an experiment cannot do without one, through the shared lookup', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mlfolio-latest-run-'));
    await mkdir(join(root, 'content', 'projects', 'toy', 'runs'), { recursive: true });
    const workspace = workspaceAt(root);
    const runsDir = join(root, 'content', 'projects', 'toy', 'runs');
    await expect(latestVersion2Run(workspace, 'toy')).rejects.toMatchObject({
      code: 'E_NO_RUN',
      message: `Project "toy" has no run in ${runsDir}, so there are no models to experiment with and no outcomes to join.`,
      hint: 'Run `mlfolio run toy` first.',
    });
    await expect(latestRun(workspace, 'toy')).rejects.toMatchObject({
      code: 'E_NO_RUN',
      message: `Project "toy" has no run in ${runsDir}, so there is no model to serve or deploy.`,
    });
  });
});
