import { DuckDBConnection } from '@duckdb/node-api';
const times: [number, string][] = [];
for (const m of ['run', 'runAndReadAll', 'stream'] as const) {
  const orig = (DuckDBConnection.prototype as any)[m];
  (DuckDBConnection.prototype as any)[m] = async function (sql: string, ...rest: unknown[]) {
    const t = performance.now();
    const r = await orig.call(this, sql, ...rest);
    times.push([performance.now() - t, `${m}: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`]);
    return r;
  };
}
process.on('exit', () => { times.sort((a, b) => b[0] - a[0]); for (const [t, s] of times.slice(0, 25)) console.log(t.toFixed(0), s); console.log('total', times.reduce((s, [t]) => s + t, 0).toFixed(0), 'n', times.length); });
