/**
 * The definition stored hashes were made with: a replacer that sorts every object's entries.
 * `stableStringify` (portfolio/hash.ts) must give the same bytes; the hash test holds it to this,
 * and `npm run bench:start-pieces` times it against this.
 */
export const stableStringifyDefinition = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
