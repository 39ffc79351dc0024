/**
 * A profiling aid for the version 2 serving path (not a benchmark: `npm run bench:serve` measures):
 * loads the football example's deployed predictor and server in this process and answers N
 * requests through `app.inject`, so `node --cpu-prof bench/serve-profile.ts` profiles one request
 * path without a load generator sharing the process. PROFILE_REQUESTS (default 1,000),
 * PROFILE_BATCH (events per request, default 1), PROFILE_EXPLAIN=1 for contributions,
 * BENCH_PROJECT (default football-match-outcomes; a date-timed project with two roles).
 */
import { workspaceAt } from '../portfolio/workspace.ts';
import { loadDeclaredPredictor } from '../serving/declared/declared-predictor.ts';
import { buildTaskServer } from '../serving/declared/task-server.ts';

const slug = process.env.BENCH_PROJECT ?? 'football-match-outcomes';
const requests = Number(process.env.PROFILE_REQUESTS ?? 1000);
const batch = Number(process.env.PROFILE_BATCH ?? 1);
const explain = process.env.PROFILE_EXPLAIN === '1';

const predictor = await loadDeclaredPredictor(workspaceAt(), slug);
const app = await buildTaskServer({ predictor, logger: false });
const roles = Object.entries(predictor.request.roles);
const time = new Date(Date.parse(predictor.dataEnd) + 90 * 86_400_000).toISOString().slice(0, 10);
const season = predictor.request.seasonColumn ? { season: predictor.testPeriod.seasons.at(-1)! } : {};
const event = (i: number) => ({
  time,
  ...season,
  entities: Object.fromEntries(
    roles.map(([role, { entity }], r) => {
      const keys = predictor.entities[entity]!;
      return [role, keys[(i + r) % keys.length]!];
    }),
  ),
});
const started = performance.now();
for (let i = 0; i < requests; i++) {
  const response =
    batch === 1
      ? await app.inject({ method: 'POST', url: '/v1/predictions', payload: { event: event(i), explain } })
      : await app.inject({
          method: 'POST',
          url: '/v1/predictions/batch',
          payload: { items: Array.from({ length: batch }, (_, j) => ({ event: event(i + j) })), explain },
        });
  if (response.statusCode !== 200)
    throw new Error(`Request ${i} got ${response.statusCode}: ${response.body}`);
}
const ms = performance.now() - started;
console.log(
  `${requests} requests of ${batch} event(s)${explain ? ' with contributions' : ''}: ${(ms / requests).toFixed(3)} ms per request, ${Math.round(((requests * batch) / ms) * 1000)} predictions/s (in process, no HTTP)`,
);
await app.close();
