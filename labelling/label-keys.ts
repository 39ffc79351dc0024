import { MlfolioError } from '../portfolio/errors.ts';
import type { LabellingTaskDeclaration } from './task-spec.ts';

/** Keys the page keeps for itself: Enter accepts the suggestion, Backspace undoes, arrows move. */
export const reservedKeys = [
  'Enter',
  'Backspace',
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
] as const;

/** The classes a task's labels may take, in declared order. */
export function classNames(labels: LabellingTaskDeclaration['labels']): string[] {
  return labels.kind === 'pairwise' ? ['match', 'no-match', 'unsure'] : labels.classes.map((c) => c.name);
}

/**
 * The key of each class (remapped keys first, then 1–9 and 0 for the rest). Throws
 * `E_LABEL_KEY_CLASH` naming both labels when two share a key, and `E_LABEL_KEY_RESERVED` when a
 * label takes a key the page keeps for itself. Keys compare case-sensitively, as the browser reports them.
 */
export function resolveLabelKeys(
  labels: LabellingTaskDeclaration['labels'],
  source: string,
): Map<string, string> {
  const names = classNames(labels);
  const declared = new Map<string, string | undefined>();
  if (labels.kind === 'pairwise') {
    const defaults = { match: 'm', 'no-match': 'n', unsure: 'u' } as const;
    for (const name of names)
      declared.set(
        name,
        labels.keys[name as keyof typeof defaults] ?? defaults[name as keyof typeof defaults],
      );
  } else {
    for (const c of labels.classes) declared.set(c.name, c.key);
  }
  const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
  if (duplicates.length) {
    throw new MlfolioError({
      code: 'E_LABEL_CLASS_DUPLICATE',
      message: `${source}: the class "${duplicates[0]}" is declared twice in labels.classes.`,
      hint: 'Give each class a distinct name.',
    });
  }
  const defaults = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'].filter(
    (k) => ![...declared.values()].includes(k),
  );
  const byKey = new Map<string, string>();
  const keyOf = new Map<string, string>();
  for (const name of names) {
    const key = declared.get(name) ?? defaults.shift();
    if (key === undefined) {
      throw new MlfolioError({
        code: 'E_LABEL_KEY_MISSING',
        message: `${source}: the class "${name}" has no key and the default keys 1–9, 0 are all taken.`,
        hint: `Give "${name}" a key of its own in labels.classes.`,
      });
    }
    if ((reservedKeys as readonly string[]).includes(key)) {
      throw new MlfolioError({
        code: 'E_LABEL_KEY_RESERVED',
        message: `${source}: the label "${name}" uses the key "${key}", which the page keeps for itself.`,
        hint: `Choose another key for "${name}": ${reservedKeys.join(', ')} are reserved (Enter accepts the suggestion, Backspace undoes, arrows move).`,
      });
    }
    const holder = byKey.get(key);
    if (holder !== undefined) {
      throw new MlfolioError({
        code: 'E_LABEL_KEY_CLASH',
        message: `${source}: the labels "${holder}" and "${name}" both use the key "${key}".`,
        hint: `Give "${holder}" or "${name}" another key in labels.classes.`,
      });
    }
    byKey.set(key, name);
    keyOf.set(name, key);
  }
  return keyOf;
}
