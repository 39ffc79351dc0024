/** A column's values, or (every value a string) each row's index into the distinct strings. */
export type TransferColumn = { values: unknown[] } | { codes: Int32Array; text: string[] };

/** `values` as a `TransferColumn`. */
export function transferColumn(values: unknown[]): TransferColumn {
  if (!values.every((value) => typeof value === 'string')) return { values };
  const index = new Map<string, number>();
  const text: string[] = [];
  const codes = new Int32Array(values.length);
  values.forEach((value, i) => {
    let code = index.get(value as string);
    if (code === undefined) {
      code = text.push(value as string) - 1;
      index.set(value as string, code);
    }
    codes[i] = code;
  });
  return { codes, text };
}

/** Row `i`'s value of a `TransferColumn`. */
export function transferredValue(column: TransferColumn, i: number): unknown {
  return 'values' in column ? column.values[i] : column.text[column.codes[i]!];
}
