/**
 * A multinomial naive Bayes classifier over the word tokens of an item's text (Laplace smoothing):
 * the simple item model the label report uses for learning curves and out-of-fold probabilities.
 * Deterministic; no parameter is fitted beyond token counts.
 */
export interface TokenClassifier {
  probabilities(text: string): number[];
}

/** Lower-case word tokens (letters and digits, accents kept). */
export function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function fitTokenClassifier(
  texts: readonly string[],
  labels: readonly number[],
  classes: number,
  alpha = 1,
): TokenClassifier {
  const classCounts = new Float64Array(classes);
  const tokenCounts = Array.from({ length: classes }, () => new Map<string, number>());
  const totals = new Float64Array(classes);
  const vocabulary = new Set<string>();
  texts.forEach((text, i) => {
    const y = labels[i]!;
    classCounts[y]!++;
    for (const token of tokens(text)) {
      vocabulary.add(token);
      tokenCounts[y]!.set(token, (tokenCounts[y]!.get(token) ?? 0) + 1);
      totals[y]!++;
    }
  });
  const n = texts.length;
  const v = Math.max(1, vocabulary.size);
  return {
    probabilities(text: string): number[] {
      const words = tokens(text).filter((t) => vocabulary.has(t));
      const logs = Array.from({ length: classes }, (_, k) => {
        let log = Math.log((classCounts[k]! + alpha) / (n + alpha * classes));
        for (const word of words)
          log += Math.log(((tokenCounts[k]!.get(word) ?? 0) + alpha) / (totals[k]! + alpha * v));
        return log;
      });
      const max = Math.max(...logs);
      const exps = logs.map((l) => Math.exp(l - max));
      const sum = exps.reduce((a, b) => a + b, 0);
      return exps.map((e) => e / sum);
    },
  };
}
