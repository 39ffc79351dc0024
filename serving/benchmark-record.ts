import { join } from 'node:path';
import { z } from 'zod';
import { readJsonRecord } from '../operations/record-files.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';

const scenarioSchema = z.strictObject({
  id: z.string(),
  label: z.string(),
  /** Predictions per request: 1 for single requests, the batch size otherwise. */
  predictionsPerRequest: z.number().int().positive(),
  explain: z.boolean(),
  connections: z.number().int().positive(),
  durationSeconds: z.number(),
  requests: z.number().int(),
  requestsPerSecond: z.number(),
  predictionsPerSecond: z.number(),
  latencyMs: z.strictObject({ p50: z.number(), p90: z.number(), p99: z.number(), max: z.number() }),
  /** Responses other than 200, and connection errors or timeouts: both should be 0. */
  non2xx: z.number().int(),
  errors: z.number().int(),
  /** Server resident memory at the end of the scenario: a steady climb across scenarios would be a leak. */
  memoryMiBAtEnd: z.number(),
});

/**
 * The serving load test's figures (`npm run bench:serve`), written to
 * `content/projects/<slug>/serving-benchmark.json` for the README and the site's "how would you
 * serve it?" answer. Measured on the machine named in `machine`; the command reproduces them.
 */
export const servingBenchmarkSchema = z.strictObject({
  schemaVersion: z.literal(1),
  project: z.string(),
  measuredAt: z.string(),
  command: z.string(),
  machine: z.string(),
  /** 1-minute load average when the benchmark started: above the core count, other work competed for the CPU. */
  loadAverage: z.number(),
  model: z.strictObject({ runId: z.string(), modelId: z.string(), kind: z.string(), label: z.string() }),
  /** The load generator (autocannon) runs in this process; the server in a child process, on loopback. */
  setup: z.string(),
  scenarios: z.array(scenarioSchema),
  /** Resident memory of the server process, sampled every 250 ms. */
  memoryMiB: z.strictObject({ idle: z.number(), peak: z.number(), afterLoad: z.number() }),
});
export type ServingBenchmark = z.output<typeof servingBenchmarkSchema>;

export const servingBenchmarkFile = (workspace: Workspace, slug: string) =>
  join(projectPaths(workspace, slug).dir, 'serving-benchmark.json');

/** The project's recorded serving benchmark, if `npm run bench:serve` has been run. */
export function readServingBenchmark(
  workspace: Workspace,
  slug: string,
): Promise<ServingBenchmark | undefined> {
  return readJsonRecord(servingBenchmarkSchema, servingBenchmarkFile(workspace, slug), 'E_BENCHMARK_CORRUPT');
}
