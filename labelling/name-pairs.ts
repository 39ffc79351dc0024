import type { LabelItem } from './task-items.ts';

/** Options of the name-pair candidate generator (see `items.source: name-pairs` in the task). */
export interface NamePairOptions {
  blocking: readonly ('normalised-key' | 'first-letters' | 'token-overlap')[];
  prefixLength: number;
  stopWords: readonly string[];
  minSimilarity: number;
}

/** Lower case, accents and punctuation removed, stop words dropped, tokens joined by one space. */
export function normaliseName(name: string, stopWords: ReadonlySet<string>): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((token) => token && !stopWords.has(token))
    .join(' ');
}

/** Sørensen–Dice coefficient of the two strings' character bigrams (spaces removed), in [0, 1]. */
export function bigramSimilarity(a: string, b: string): number {
  const x = a.replace(/ /g, '');
  const y = b.replace(/ /g, '');
  if (x === y) return 1;
  if (x.length < 2 || y.length < 2) return 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < x.length - 1; i++) {
    const g = x.slice(i, i + 2);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i < y.length - 1; i++) {
    const g = y.slice(i, i + 2);
    const c = counts.get(g) ?? 0;
    if (c > 0) {
      shared++;
      counts.set(g, c - 1);
    }
  }
  return (2 * shared) / (x.length - 1 + y.length - 1);
}

/**
 * Candidate pairs for entity resolution: every (left, right) pair that shares a blocking key,
 * with the normalised forms and their similarity as context, most similar first. The item id is
 * `left␟right` (unit separator), stable across runs.
 */
export function namePairItems(
  left: readonly string[],
  right: readonly string[],
  options: NamePairOptions,
): LabelItem[] {
  const stop = new Set(options.stopWords.map((w) => normaliseName(w, new Set())));
  const keysOf = (normalised: string): string[] => {
    const keys: string[] = [];
    const compact = normalised.replace(/ /g, '');
    for (const blocking of options.blocking) {
      if (blocking === 'normalised-key') keys.push(`k:${compact}`);
      else if (blocking === 'first-letters') keys.push(`p:${compact.slice(0, options.prefixLength)}`);
      else for (const token of normalised.split(' ')) if (token.length > 1) keys.push(`t:${token}`);
    }
    return keys;
  };
  const index = new Map<string, number[]>();
  const rightNormal = right.map((name) => normaliseName(name, stop));
  rightNormal.forEach((normal, j) => {
    for (const key of keysOf(normal)) {
      const list = index.get(key);
      if (list) list.push(j);
      else index.set(key, [j]);
    }
  });
  const pairs: { item: LabelItem; similarity: number }[] = [];
  for (const leftName of left) {
    const normal = normaliseName(leftName, stop);
    const candidates = new Set<number>();
    for (const key of keysOf(normal)) for (const j of index.get(key) ?? []) candidates.add(j);
    for (const j of [...candidates].sort((a, b) => a - b)) {
      const similarity = bigramSimilarity(normal, rightNormal[j]!);
      if (similarity < options.minSimilarity) continue;
      const rightName = right[j]!;
      pairs.push({
        similarity,
        item: {
          id: `${leftName}\u241f${rightName}`,
          context: { left: leftName, right: rightName, similarity: Math.round(similarity * 1000) / 1000 },
          features: [similarity],
        },
      });
    }
  }
  pairs.sort((a, b) => b.similarity - a.similarity || (a.item.id < b.item.id ? -1 : 1));
  return pairs.map((p) => p.item);
}
