import { DuckDBConnection, DuckDBResult } from '@duckdb/node-api';
const proto = DuckDBConnection.prototype as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
const t0 = performance.now();
for (const name of ['run', 'runAndReadAll', 'stream']) {
  const orig = proto[name]!;
  proto[name] = async function (this: unknown, ...args: unknown[]) {
    const t = performance.now();
    const r = await orig.apply(this, args);
    console.log(`${((t - t0) / 1000).toFixed(2)} +${((performance.now() - t) / 1000).toFixed(2)}`, name, String(args[0]).replace(/\s+/g, ' ').slice(0, 60));
    return r;
  };
}
const fp = DuckDBResult.prototype as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
const of = fp.fetchChunk!;
let fetchMs = 0;
fp.fetchChunk = async function (this: unknown, ...a: unknown[]) { const t = performance.now(); const r = await of.apply(this, a); fetchMs += performance.now() - t; return r; };
process.on('beforeExit', () => console.log('fetch ms', fetchMs.toFixed(0)));
await import('./features.ts');
