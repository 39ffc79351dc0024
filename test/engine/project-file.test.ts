import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runEngine } from '../../pipelines/engine/run-engine.ts';
import { buildTrainingSet } from '../../pipelines/feature-store/index.ts';
import { runAnyProject } from '../../pipelines/run-any-project.ts';
import { isMlfolioError } from '../../portfolio/errors.ts';
import { loadAnyProject } from '../../portfolio/project-file/any-project.ts';
import { parseProjectText } from '../../portfolio/project-file/load.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { normaliseMatches } from '../../scrapers/sources/openfootball/normalise.ts';
import { readBundledMatches } from '../../scrapers/sources/openfootball/offline-transport.ts';
import { v1MatchFeatures, v1ProjectFile, v1Run } from '../helpers/v1-football.ts';

const repo = join(import.meta.dirname, '..', '..');
const footballFile = v1ProjectFile;
const mlbFile = join(repo, 'content', 'projects', 'mlb-team-wins', 'project.yaml');

function problemsOf(text: string): string {
  try {
    parseProjectText('p', text, 'content/projects/p/project.yaml');
  } catch (error) {
    if (isMlfolioError(error)) return error.message;
    throw error;
  }
  return '';
}

const mlb = async () =>
  (await import('yaml')).parse(await readFile(mlbFile, 'utf8')) as Record<string, unknown>;

describe('a version 1 project file', () => {
  it('is upgraded on load, with one notice, into a valid version 2 declaration', async () => {
    const notices: string[] = [];
    const project = parseProjectText(
      'football-match-outcomes',
      await readFile(footballFile, 'utf8'),
      footballFile,
      {
        notice: (message) => notices.push(message),
      },
    );
    expect(project.version).toBe(1);
    expect(notices).toHaveLength(1);
    expect(project.file.target).toMatchObject({ task: 'ordinal', classes: ['H', 'D', 'A'] });
    expect(project.file.models.map((m) => m.kind)).toEqual([
      'class-prior',
      'rating',
      'multinomial-logit',
      'mlp',
      'gradient-boosting',
    ]);
    expect(project.file.primaryMetric).toBe('rps');
  });

  it('declares views that compute the 11 match features as the version 1 pipeline did', async () => {
    const project = parseProjectText('f', await readFile(footballFile, 'utf8'), footballFile);
    const golden = await v1MatchFeatures();
    const read = await readBundledMatches();
    const { records } = normaliseMatches(read.rows, read.location);
    const sorted = [...records].sort((a, b) => a.date.localeCompare(b.date));
    expect(golden).toHaveLength(sorted.length);
    const set = await buildTrainingSet(
      {
        table: {
          name: 'events',
          time: { column: 'date', kind: 'date' },
          season: 'season',
          roles: project.file.data.roles,
        },
        views: project.file.features,
      },
      { rows: sorted as unknown as Record<string, unknown>[] },
    );
    const features = project.file.use!;
    expect([...features].sort()).toEqual(Object.keys(golden[0]!.features).sort());
    let compared = 0;
    for (let r = 0; r < set.size; r++) {
      const i = set.inputRow[r]!;
      const match = sorted[i]!;
      const expected = golden[i]!;
      expect([expected.date, expected.homeTeam, expected.awayTeam]).toEqual([
        match.date,
        match.homeTeam,
        match.awayTeam,
      ]);
      for (const name of features) {
        expect(set.values[name]![r]!, `${match.date} ${match.homeTeam} ${name}`).toBeCloseTo(
          expected.features[name]!,
          6,
        );
        compared++;
      }
    }
    expect(compared).toBe(sorted.length * features.length);
  });
});

describe('the declared engine on the upgraded football project', () => {
  const roots: string[] = [];
  afterAll(async () => {
    for (const root of roots) await rm(root, { recursive: true, force: true });
  });

  it('loads a version 1 file with one notice and runs it on the engine, keeping its Elo baseline’s RPS (≤ 0.1941)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mlfolio-upgrade-'));
    roots.push(root);
    const dir = join(root, 'content', 'projects', 'football-match-outcomes');
    await mkdir(dir, { recursive: true });
    // The version 1 file with fewer models and resamples, so the run takes seconds.
    const v1 = parse(await readFile(footballFile, 'utf8')) as Record<string, unknown> & {
      models: { id: string }[];
    };
    v1.models = v1.models.filter((m) => ['prior', 'elo', 'logreg'].includes(m.id));
    v1.backtest = { enabled: false };
    v1.leakageGuard = { probes: 2 };
    v1.resamples = 200;
    await writeFile(join(dir, 'project.yaml'), stringify(v1));
    const workspace = workspaceAt(root);
    const notices: string[] = [];
    const project = await loadAnyProject(workspace, 'football-match-outcomes', {
      notice: (message) => notices.push(message),
    });
    expect(notices).toEqual([
      expect.stringMatching(/project\.yaml is a version 1 project file; read as version 2/),
    ]);
    expect(project.declared.version).toBe(1);
    const { record } = await runAnyProject(workspace, project, {});
    expect(record.schemaVersion).toBe(2);
    expect(record.stages?.map((s) => s.name)).toContain('online-store');
    const rps = (id: string) => record.models.find((m) => m.id === id)!.metrics.rps!.value;
    // The version 1 pipeline's Elo baseline, recorded before it was retired: 0.19410669…
    expect(rps('elo')).toBeCloseTo((await v1Run()).rps.value, 12);
    expect(rps('prior')).toBeGreaterThan(rps('elo'));
    expect(record.split.test.seasons).toEqual(['2016-17']);
  }, 600_000);
});

describe('version 2 project files are checked across fields', () => {
  it('names the task that fits when the target contradicts the declared one', async () => {
    const spec = await mlb();
    spec.target = { ...(spec.target as object), task: 'multiclass', classes: ['low', 'high'] };
    spec.models = [{ id: 'prior', kind: 'class-prior' }];
    spec.metrics = undefined;
    spec.primaryMetric = undefined;
    spec.impact = {
      ...(spec.impact as object),
      rule: { rule: 'pick' },
      statusQuo: { always: 'low', label: 'x' },
    };
    const root = await mkdtemp(join(tmpdir(), 'mlfolio-target-'));
    try {
      const project = parseProjectText('mlb-team-wins', stringify(spec), mlbFile);
      await expect(runEngine(workspaceAt(root), project)).rejects.toMatchObject({
        code: 'E_TARGET_INVALID',
        message: expect.stringContaining('are not among the declared classes (low, high)'),
        hint: expect.stringContaining('declare task: regression'),
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 300_000);

  it('rejects a misspelt model kind with the nearest name, and a kind the task cannot do with the kinds that can', async () => {
    const spec = await mlb();
    spec.models = [
      { id: 'last', kind: 'persistence', params: { feature: 'wins_this_season' } },
      { id: 'gbm', kind: 'gradient-boost' },
      { id: 'logit', kind: 'ordinal-logit' },
    ];
    const message = problemsOf(stringify(spec));
    expect(message).toContain(
      'models[1].kind: "gradient-boost" is not a model kind. Did you mean "gradient-boosting"?',
    );
    expect(message).toContain('models[2].kind: a ordinal-logit model cannot do a regression task');
  });

  it('requires a baseline, known model ids and metrics the task allows', async () => {
    const spec = await mlb();
    spec.models = [{ id: 'ridge', kind: 'ridge' }];
    spec.metrics = ['crps', 'rps'];
    spec.impact = { ...(spec.impact as object), compareWith: ['ridg'] };
    const message = problemsOf(stringify(spec));
    expect(message).toContain('models: declare at least one baseline');
    expect(message).toContain('impact.compareWith[0]: no model has id "ridg". Did you mean "ridge"?');
    expect(message).toContain('"rps" does not apply to a regression task');
    expect(message).toContain('impact.statusQuo.model[0]: no model has id "last-season"');
  });

  it('rejects a decision rule the task cannot take', async () => {
    const spec = await mlb();
    spec.impact = { ...(spec.impact as object), rule: { rule: 'threshold', threshold: 0.6 } };
    expect(problemsOf(stringify(spec))).toContain('impact.rule: "threshold" decides on class probabilities');
  });

  it('rejects a misspelt field with the nearest valid name', async () => {
    const spec = await mlb();
    spec.feature = spec.features;
    delete spec.features;
    expect(problemsOf(stringify(spec))).toMatch(/feature: unknown field\. Did you mean "features"\?/);
  });
});
