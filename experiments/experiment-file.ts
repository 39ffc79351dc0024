import { readFile } from 'node:fs/promises';
import { MlfolioError } from '../portfolio/errors.ts';
import { parseYamlText } from '../portfolio/yaml-file.ts';
import { type Experiment, parseExperiment } from './experiment-spec.ts';

/**
 * Reads an experiment declaration (YAML or JSON) from `path` and validates it. `modelIds` are the
 * project's models; omitted, the arms' own models are taken as given (file-only use, before the
 * project file embeds experiments).
 */
export async function readExperimentFile(
  path: string,
  project: { modelIds?: readonly string[]; metricIds?: readonly string[] } = {},
): Promise<Experiment> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_EXPERIMENT_MISSING',
        message: `No experiment file at ${path}.`,
        hint: 'Pass the path of the experiment declaration (YAML or JSON).',
      },
      { cause: error },
    );
  }
  const data = parseYamlText(text, path, 'E_EXPERIMENT_INVALID');
  const arms = (data as { arms?: { model?: unknown }[] } | null)?.arms;
  const declared = Array.isArray(arms) ? arms.map((arm) => String(arm?.model)) : [];
  return parseExperiment(data, path, {
    modelIds: project.modelIds ?? declared,
    ...(project.metricIds ? { metricIds: project.metricIds } : {}),
  });
}
