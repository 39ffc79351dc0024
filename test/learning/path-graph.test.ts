import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { buildPlan } from '../../learning/path/build-plan.ts';
import { loadProfile, profileFile } from '../../learning/path/profile.ts';
import { layeredLayout } from '../../learning/site/layered-layout.ts';
import { pathGraphSvg } from '../../learning/site/path-graph-svg.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { disposableWorkspaces } from './temp-workspace.ts';

const today = new Date('2026-11-22T09:00:00Z');
const workspace = disposableWorkspaces();
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('the layered layout', () => {
  it('puts every node right of its prerequisites and routes long edges through every column between', () => {
    const layout = layeredLayout({
      nodes: ['a', 'b', 'c', 'd'],
      edges: [
        ['a', 'b'],
        ['b', 'c'],
        ['a', 'c'],
        ['d', 'c'],
      ],
    });
    const column = (id: string) => layout.positions.get(id)!.column;
    expect([column('a'), column('b'), column('c'), column('d')]).toEqual([0, 1, 2, 0]);
    const long = layout.routes.find((r) => r.from === 'a' && r.to === 'c')!;
    expect(long.cells.map((cell) => cell.column)).toEqual([0, 1, 2]);
    // The waypoint of a → c never shares a cell with b.
    expect(long.cells[1]!.row).not.toBe(layout.positions.get('b')!.row);
  });
});

describe('the learning-path SVG', () => {
  it('draws one box per skill, one arrow per prerequisite, and marks the next step, without script', async () => {
    const { plan } = await buildPlan(await workspace(), { today });
    const svg = pathGraphSvg(plan);
    expect(svg.match(/<g class="skill /g)).toHaveLength(plan.milestones.length);
    const prerequisites = plan.milestones.reduce((sum, m) => sum + m.skill.prerequisites.length, 0);
    expect(svg.match(/<path class="edge/g)).toHaveLength(prerequisites);
    expect(svg.match(/class="skill [a-z-]+ next"/g)).toHaveLength(1);
    expect(svg).toContain('role="img"');
    expect(svg).not.toMatch(/<script|on[a-z]+=/i);
  });
});

describe('mlfolio path', () => {
  it('prints the plan and the status with the next step, from the injected day', async () => {
    const ws = await workspace();
    vi.stubEnv('MLFOLIO_ROOT', ws.root);
    vi.stubEnv('MLFOLIO_TODAY', '2026-11-22');
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await main(['path'])).toBe(0);
    expect(String(out.mock.calls[0]![0])).toContain(
      'Learning path for a software engineer aiming at an ML engineer role',
    );
    expect(String(out.mock.calls[0]![0])).toContain('1. Collecting data');
    expect(await main(['path', 'status'])).toBe(0);
    expect(String(out.mock.calls[1]![0])).toContain('Progress: 0 of 11 milestones shown by audit evidence');
    expect(String(out.mock.calls[1]![0])).toContain(
      'Next step (milestone 1): Start "Match outcome forecasts"',
    );
  });

  it('rejects an unknown view with the nearest one, and a profile field with its path', async () => {
    const ws = await workspace();
    vi.stubEnv('MLFOLIO_ROOT', ws.root);
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await main(['path', 'stauts'])).toBe(2);
    expect(String(err.mock.calls.at(-1)![0])).toContain('Did you mean "status"?');

    await writeFile(
      profileFile(ws),
      'background: software-enginer\ninterests: [football]\nhoursPerWeek: 0\n',
    );
    const error = (await loadProfile(ws).catch((e: unknown) => e)) as MlfolioError;
    expect(error).toBeInstanceOf(MlfolioError);
    expect(error.code).toBe('E_PROFILE_INVALID');
    expect(error.message).toContain(join(ws.contentDir, 'profile.yaml'));
    expect(error.message).toContain(
      'background: received "software-enginer". Did you mean "software-engineer"?',
    );
    expect(error.message).toContain('hoursPerWeek');
    expect(await main(['path'])).toBe(3);
  });
});
