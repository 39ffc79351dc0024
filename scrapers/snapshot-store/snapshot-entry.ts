import { z } from 'zod';

/** Response headers worth keeping: what decoding, revalidation and provenance need. */
export const keptHeaders = [
  'content-type',
  'content-length',
  'content-encoding',
  'etag',
  'last-modified',
  'date',
  'cache-control',
  'expires',
] as const;

/** One manifest entry: a stored response and where it came from. Read back with validation. */
export const snapshotEntrySchema = z.strictObject({
  version: z.literal(1),
  method: z.string(),
  /** The URL asked for (fragment removed). */
  url: z.url(),
  /** The URL that answered, after redirects. */
  finalUrl: z.url(),
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()),
  /** When the bytes were downloaded (ISO 8601). */
  fetchedAt: z.iso.datetime(),
  /** When a conditional request last confirmed the bytes unchanged (304), if ever. */
  validatedAt: z.iso.datetime().optional(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type SnapshotEntry = z.output<typeof snapshotEntrySchema>;

/** A stored response with its body. */
export interface Snapshot {
  entry: SnapshotEntry;
  body: Buffer;
}

export function selectHeaders(headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of keptHeaders) {
    const value = headers[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

/** The key a URL is stored under: the fragment never reaches the server, so it is dropped. */
export function canonicalUrl(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.href;
}
