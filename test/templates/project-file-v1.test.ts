import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMlfolioError } from '../../portfolio/errors.ts';
import { loadProjectFile } from '../../portfolio/project-file/load.ts';
import { parseWith } from '../../portfolio/validate.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { parseYamlText } from '../../portfolio/yaml-file.ts';
import { projectSpecSchema } from '../../templates/match-outcome/project-file-v1.ts';

const example = await readFile(
  join(import.meta.dirname, '../engine/fixtures/v1-football/project.yaml'),
  'utf8',
);

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

async function workspaceWith(projectYaml: string) {
  const root = await mkdtemp(join(tmpdir(), 'mlfolio-spec-'));
  roots.push(root);
  await mkdir(join(root, 'content/projects/demo'), { recursive: true });
  await writeFile(join(root, 'content/projects/demo/project.yaml'), projectYaml);
  return workspaceAt(root);
}

async function loadError(projectYaml: string, slug = 'demo') {
  const workspace = await workspaceWith(projectYaml);
  // Through the loader every command uses: a version 1 file is validated as version 1 before its upgrade.
  const error = await loadProjectFile(workspace, slug).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isMlfolioError(error)) throw new Error(`Expected an MlfolioError, but got ${String(error)}`);
  return error;
}

describe('project files', () => {
  it('load the example project with its defaults filled in', () => {
    const project = {
      spec: parseWith(
        projectSpecSchema,
        parseYamlText(example, 'project.yaml', 'E_PROJECT_FILE_INVALID'),
        'project.yaml',
        'E_PROJECT_FILE_INVALID',
      ),
    };
    expect(project.spec.models.map((m) => m.kind)).toEqual([
      'prior',
      'elo',
      'logistic-regression',
      'mlp',
      'gradient-boosting',
    ]);
    expect(project.spec.split.testSeasons).toBe(1);
    expect(project.spec.impact).toMatchObject({
      statusQuo: 'always-home',
      unit: 'points',
      compareWith: ['elo'],
    });
    expect(project.spec.backtest).toEqual({ enabled: true, minTrainSeasons: 1 });
  });

  it.each([
    [
      'a misspelt top-level field',
      example.replace('features:', 'featurs:'),
      /featurs: unknown field\. Did you mean "features"\?/,
    ],
    [
      'a misspelt feature name',
      example.replace('  - elo_diff', '  - elo_dif'),
      /features\[0\]: received "elo_dif"\. Did you mean "elo_diff"\?/,
    ],
    [
      'a misspelt model parameter',
      example.replace('l2: 0.001, epochs: 300', 'l2: 0.001, epoch: 300'),
      /models\[2\]\.params\.epoch: unknown field\. Did you mean "epochs"\?/,
    ],
    [
      'an impact comparison with an unknown model',
      example.replace('compareWith: [elo]', 'compareWith: [elo2]'),
      /impact\.compareWith\[0\]: no model has id "elo2"\. Did you mean "elo"\?/,
    ],
    [
      'a misspelt impact field',
      example.replace('statusQuo: always-home', 'statusquo: always-home'),
      /impact\.statusquo: unknown field\. Did you mean "statusQuo"\?/,
    ],
    [
      'a wrong type',
      example.replace('seed: 42', 'seed: forty-two'),
      /seed: expected number, received "forty-two"/,
    ],
    [
      'no baseline model',
      example.replace(/ {2}- id: prior\n {4}kind: prior\n {2}- id: elo\n {4}kind: elo\n/, ''),
      /at least one baseline model/,
    ],
  ])('name the file and field for %s', async (_case, yaml, message) => {
    const error = await loadError(yaml);
    expect(error.code).toBe('E_PROJECT_FILE_INVALID');
    expect(error.message).toContain(join('content', 'projects', 'demo', 'project.yaml'));
    expect(error.message).toMatch(message);
    expect(error.exitCode).toBe(3);
  });

  it.each([
    ['gradient-boost', /models\[4\]\.kind: received "gradient-boost"\. Did you mean "gradient-boosting"\?/],
    [
      'xgboost',
      /models\[4\]\.kind: received "xgboost"\. Valid values: "prior", "elo", "logistic-regression", "mlp", "gradient-boosting"\./,
    ],
  ])('name the nearest model kind, or every kind, for the misspelt kind %s', async (kind, message) => {
    const error = await loadError(example.replace('kind: gradient-boosting', `kind: ${kind}`));
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/discriminator|"params"/);
  });

  it('report a cross-field problem in one short line, without the parsed file', async () => {
    const error = await loadError(example.replace('id: mlp', 'id: logreg'));
    const problems = error.message.split('\n').slice(1);
    expect(problems).toEqual(['  - models[3].id: duplicate model id "logreg".']);
  });

  it('say once that the baseline is missing, not suggest another model for the ids that named it', async () => {
    const error = await loadError(
      example.replace(/ {2}- id: prior\n {4}kind: prior\n {2}- id: elo\n {4}kind: elo\n/, ''),
    );
    const problems = error.message.split('\n').slice(1);
    expect(problems).toEqual([
      '  - models: declare at least one baseline model (kind "prior" or "elo") so results can be compared (impact.compareWith names "elo", not declared either).',
    ]);
  });

  it('report an over-indented line at its own line, not at the line before it', async () => {
    const lines = example.split('\n');
    const index = lines.indexOf('models:');
    lines[index] = '   models:';
    const error = await loadError(lines.join('\n'));
    expect(error.message).toMatch(new RegExp(`not valid YAML at line ${index + 1}: it is indented further`));
    expect(error.hint).toContain(`Indent line ${index + 1}`);
  });

  it.each([
    ['empty', ''],
    ['only comments', '# a project, one day\n'],
  ])('say that a project file that is %s is empty, and which fields it needs', async (_case, yaml) => {
    const error = await loadError(yaml);
    expect(error.code).toBe('E_PROJECT_FILE_INVALID');
    expect(error.message).toMatch(
      /project\.yaml is empty; it needs at least the fields title, summary, question, whyItMatters, source, features, models\./,
    );
    expect(error.message).not.toContain('null');
  });

  it('report YAML syntax errors with the file', async () => {
    const error = await loadError('title: [unclosed\n');
    expect(error.code).toBe('E_PROJECT_FILE_INVALID');
    expect(error.message).toMatch(/project\.yaml is not valid YAML/);
  });

  it('suggest the nearest project for an unknown slug', async () => {
    const error = await loadError(example, 'dmeo');
    expect(error.code).toBe('E_PROJECT_UNKNOWN');
    expect(error.hint).toMatch(/Did you mean "demo"\?/);
    expect(error.exitCode).toBe(2);
  });
});
