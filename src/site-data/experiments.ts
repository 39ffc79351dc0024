import { type ExperimentReport, readExperimentReports } from '../../experiments/project-analysis.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';

/** A project's analysed experiments (their `analysis.json`), in key order; none when there are none. */
export function projectExperimentReports(slug: string): Promise<ExperimentReport[]> {
  return readExperimentReports(workspaceAt(), slug);
}
