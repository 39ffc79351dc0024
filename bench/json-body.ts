/**
 * `npm run bench:json-body`: the cost of the prediction API's JSON body parser (serving/json-body.ts:
 * a depth scan before parsing, then a walk for `__proto__` keys and non-finite numbers) against
 * Fastify's default parser with prototype- and constructor-poisoning checks (what the server used
 * before), side by side in the same run, through `inject` on two otherwise identical servers.
 * `BENCH_ROUNDS` (default 7) alternating rounds; medians are reported.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { parseJsonBody } from '../serving/json-body.ts';
import { machineLine } from './machine.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);

async function server(ours: boolean): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: 256 * 1024, onProtoPoisoning: 'error', onConstructorPoisoning: 'error' });
  if (ours) {
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, parseJsonBody(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  }
  app.post('/', async (request) => ({ keys: Object.keys(request.body as object).length }));
  await app.ready();
  return app;
}

const features = (i: number) => ({
  elo_diff: 35.5 + i,
  elo_home: 1535.5 + i,
  elo_away: 1500,
  form_home: 1.8,
  form_away: 1.2,
  goals_for_home: 1.6,
  goals_against_home: 0.9,
  goals_for_away: 1.1,
  goals_against_away: 1.4,
  rest_days_home: 7,
  rest_days_away: 4,
});
const cases = [
  { name: 'one prediction (features)', body: JSON.stringify({ features: features(0) }), requests: 2000 },
  {
    name: 'batch of 256 (features)',
    body: JSON.stringify({
      items: Array.from({ length: 256 }, (_, i) => ({ features: features(i) })),
      explain: false,
    }),
    requests: 100,
  },
];

const defaultApp = await server(false);
const oursApp = await server(true);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timeRound(app: FastifyInstance, body: string, requests: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < requests; i++) {
    const response = await app.inject({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/json' },
      body,
    });
    if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}: ${response.body}`);
  }
  return ((performance.now() - started) * 1000) / requests;
}

console.log(`JSON body parsing through Fastify inject — ${machineLine()}`);
console.log('| body | bytes | Fastify default (µs/request) | serving/json-body.ts (µs/request) | ratio |');
console.log('|---|---|---|---|---|');
for (const { name, body, requests } of cases) {
  await timeRound(defaultApp, body, requests);
  await timeRound(oursApp, body, requests);
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < rounds; round++) {
    a.push(await timeRound(defaultApp, body, requests));
    b.push(await timeRound(oursApp, body, requests));
  }
  const [ma, mb] = [median(a), median(b)];
  console.log(
    `| ${name} | ${body.length.toLocaleString('en')} | ${ma.toFixed(1)} | ${mb.toFixed(1)} | ${(mb / ma).toFixed(2)}× |`,
  );
}
await defaultApp.close();
await oursApp.close();
