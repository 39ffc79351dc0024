import { hashValue } from '../../portfolio/hash.ts';
import type { ProjectSpec } from '../../portfolio/project-spec.ts';

/**
 * sha256 of a project as the pipeline reads it: validated, with defaults filled in, key order and
 * comments gone. A comment, a reordered field or a default written out (`seed: 42`) leaves it as it
 * is; any change that could change a run, or what a run records, changes it.
 */
export function specHash(spec: ProjectSpec): string {
  return hashValue(spec);
}
