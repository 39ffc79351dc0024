import { z } from 'zod';

/**
 * How politely and how defensively one host is fetched. Every field has a conservative default;
 * site profiles and source files override single fields. Validated wherever it is read from a file.
 */
export const fetchPolicySchema = z.strictObject({
  /** Requests started per minute per host; 0 turns the limit off (benchmarks, local servers). */
  requestsPerMinute: z.number().nonnegative().default(30),
  /** Milliseconds to wait for response headers; the whole exchange may take twice that. */
  timeoutMs: z.number().int().positive().default(30_000),
  /** Largest response body accepted, in bytes (after decompression). */
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  maxRedirects: z.number().int().nonnegative().default(5),
  /** Retries after a transient failure (5xx, 429, reset, timeout, cut-off body). */
  maxRetries: z.number().int().nonnegative().default(3),
  backoffBaseMs: z.number().int().nonnegative().default(2_000),
  backoffMaxMs: z.number().int().nonnegative().default(60_000),
  /**
   * Longest pause a Retry-After may impose on a host within one run. A server asking for more
   * stops the host for the rest of the run; the URLs stay queued for the next run.
   */
  maxCoolDownMs: z
    .number()
    .int()
    .nonnegative()
    .default(15 * 60_000),
  /** Obey robots.txt (including Crawl-delay). Only ever off for the loopback benchmark. */
  obeyRobots: z.boolean().default(true),
});
export type FetchPolicy = z.output<typeof fetchPolicySchema>;
export type FetchPolicySpec = z.input<typeof fetchPolicySchema>;

export const defaultFetchPolicy: FetchPolicy = fetchPolicySchema.parse({});

export function fetchPolicy(spec: FetchPolicySpec = {}): FetchPolicy {
  return fetchPolicySchema.parse(spec);
}

/** Minimum milliseconds between two request starts under `policy`. */
export function intervalOf(policy: FetchPolicy): number {
  return policy.requestsPerMinute > 0 ? Math.ceil(60_000 / policy.requestsPerMinute) : 0;
}

/** A source file's `fetch:` block: any subset of the policy, without defaults (the profile's apply). */
export const fetchOverridesSchema = z.strictObject({
  requestsPerMinute: z.number().nonnegative().optional(),
  timeoutMs: z.number().int().positive().optional(),
  maxBytes: z.number().int().positive().optional(),
  maxRedirects: z.number().int().nonnegative().optional(),
  maxRetries: z.number().int().nonnegative().optional(),
  backoffBaseMs: z.number().int().nonnegative().optional(),
  backoffMaxMs: z.number().int().nonnegative().optional(),
  maxCoolDownMs: z.number().int().nonnegative().optional(),
});
