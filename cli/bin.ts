#!/usr/bin/env node
import { enableCompileCache } from 'node:module';

// DuckDB runs its queries on libuv's thread pool, which file reads and writes share: with the
// default four threads, the feature stores of concurrent projects held them all and every stage
// cache lookup waited behind a query. Read once, when the pool first starts (after this line).
process.env.UV_THREADPOOL_SIZE ??= '16';

// Node keeps compiled modules (and their TypeScript with types stripped) on disk between runs,
// in the system's temporary folder: every later command starts without recompiling mlfolio and its
// dependencies (an unchanged `npm start` spends most of its time loading modules otherwise).
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. `main` is imported after, so it is cached too.
enableCompileCache();
const { main } = await import('./main.ts');

process.exitCode = await main(process.argv.slice(2));
// Jobs still queued on the engine's threads belong to a command that has failed: drop them.
const { closeEngineThreads } = await import('../portfolio/thread-pool.ts');
await closeEngineThreads();
