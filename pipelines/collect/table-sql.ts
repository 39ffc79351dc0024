import { type DuckDBAppender, type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { MlfolioError } from '../../portfolio/errors.ts';
import type { ColumnType } from '../../portfolio/project-file/data-spec.ts';
import type { Cell, Row } from './typed-rows.ts';

const sqlTypes: Record<ColumnType, string> = {
  number: 'DOUBLE',
  integer: 'BIGINT',
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
  date: 'VARCHAR',
};

export const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The column holding each row's position in the table DuckDB holds, so only derived values need
 * reading back: a name none of the table's columns has.
 */
function rowColumnBeside(names: readonly string[]): string {
  let name = '__mlfolio_row';
  while (names.includes(name)) name = `_${name}`;
  return name;
}

/**
 * Adds derived columns and applies a row condition, both SQL expressions over the row's columns
 * (DuckDB's dialect, which ports to Spark SQL and Trino for the expressions a project needs). An
 * expression that does not compile fails naming the field that holds it. Each row kept is the
 * given row with its derived values added.
 */
export async function deriveAndFilter(
  rows: readonly Row[],
  columns: Readonly<Record<string, ColumnType>>,
  options: {
    derive: Readonly<Record<string, string>>;
    where?: string | undefined;
    field: string;
    file: string;
  },
): Promise<{ rows: Row[]; derivedTypes: Record<string, ColumnType>; filteredOut: number }> {
  if (Object.keys(options.derive).length === 0 && !options.where) {
    return { rows: [...rows], derivedTypes: {}, filteredOut: 0 };
  }
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const names = Object.keys(columns);
    const rowColumn = rowColumnBeside([...names, ...Object.keys(options.derive)]);
    await connection.run(
      `CREATE TABLE t (${[...names.map((n) => `${quoteIdentifier(n)} ${sqlTypes[columns[n]!]}`), `${rowColumn} INTEGER`].join(', ')})`,
    );
    const appender = await connection.createAppender('t');
    rows.forEach((row, index) => {
      for (const name of names) append(appender, row[name] ?? null, columns[name]!);
      appender.appendInteger(index);
      appender.endRow();
    });
    appender.closeSync();
    const derived = Object.entries(options.derive);
    // Each derived column may use the ones declared before it.
    for (const [name, expression] of derived) {
      await compile(
        connection,
        `ALTER TABLE t ADD COLUMN ${quoteIdentifier(name)} AS (${expression})`,
        `${options.field}.derive.${name}`,
        expression,
        options.file,
      ).catch(async (error: unknown) => {
        if (!(error instanceof MlfolioError)) throw error;
        // Generated columns cannot hold every expression; materialise instead.
        await compile(
          connection,
          `CREATE OR REPLACE TABLE t AS SELECT *, (${expression}) AS ${quoteIdentifier(name)} FROM t`,
          `${options.field}.derive.${name}`,
          expression,
          options.file,
        );
      });
    }
    const where = options.where ? ` WHERE ${options.where}` : '';
    // The declared columns come back as they went in (a BIGINT -0 as 0, see keptRow), so only the
    // row positions and derived values are read: reading every column back as objects cost more
    // than the SQL.
    const reader = await compile(
      connection,
      `SELECT *${names.length ? ` EXCLUDE (${names.map(quoteIdentifier).join(', ')})` : ''} FROM t${where}`,
      `${options.field}.where`,
      options.where ?? '',
      options.file,
    );
    const out = reader.getRowObjectsJS() as Record<string, unknown>[];
    const derivedTypes: Record<string, ColumnType> = {};
    const types = reader.columnTypes();
    reader.columnNames().forEach((name, i) => {
      if (name === rowColumn) return;
      const type = String(types[i]);
      derivedTypes[name] =
        type === 'BOOLEAN'
          ? 'boolean'
          : /INT/.test(type)
            ? 'integer'
            : /DOUBLE|FLOAT|DECIMAL/.test(type)
              ? 'number'
              : 'string';
    });
    const integers = names.filter((name) => columns[name] === 'integer');
    return {
      rows: out.map((row) => keptRow(rows[Number(row[rowColumn])]!, row, integers, rowColumn)),
      derivedTypes,
      filteredOut: rows.length - out.length,
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function compile(
  connection: DuckDBConnection,
  sql: string,
  field: string,
  expression: string,
  file: string,
) {
  try {
    return await connection.runAndReadAll(sql);
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_PROJECT_EXPRESSION_INVALID',
        message: `${file}: ${field} (${JSON.stringify(expression)}) is not a valid SQL expression over the table's columns: ${(error as Error).message.split('\n')[0]}`,
        hint: 'Write a DuckDB SQL expression over the declared columns (quote names with capitals as "yearID").',
      },
      { cause: error },
    );
  }
}

function append(appender: DuckDBAppender, value: Cell, type: ColumnType) {
  if (value === null) return appender.appendNull();
  switch (type) {
    case 'number':
      return appender.appendDouble(Number(value));
    case 'integer':
      return appender.appendBigInt(BigInt(value as number));
    case 'boolean':
      return appender.appendBoolean(Boolean(value));
    default:
      return appender.appendVarchar(String(value));
  }
}

/** A kept row: its declared values, integers as DuckDB returns them, then its derived values. */
function keptRow(
  row: Row,
  derived: Record<string, unknown>,
  integers: readonly string[],
  rowColumn: string,
): Row {
  const out: Row = { ...row };
  // A BIGINT has no negative zero.
  for (const name of integers) if (out[name] === 0) out[name] = 0;
  for (const [key, value] of Object.entries(derived)) {
    if (key === rowColumn) continue;
    out[key] =
      typeof value === 'bigint'
        ? Number(value)
        : value === null ||
            typeof value === 'number' ||
            typeof value === 'string' ||
            typeof value === 'boolean'
          ? value
          : String(value);
  }
  return out;
}
