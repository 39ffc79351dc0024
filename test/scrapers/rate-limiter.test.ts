import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../scrapers/fetch/backoff.ts';
import { manualClock } from '../../scrapers/fetch/clock.ts';
import { HostRateLimiter } from '../../scrapers/fetch/rate-limiter.ts';
import { parseRetryAfter } from '../../scrapers/fetch/retry-after.ts';

describe('HostRateLimiter', () => {
  it('spaces request starts to one host by its interval', async () => {
    const clock = manualClock(0);
    const limiter = new HostRateLimiter(clock, () => 3_000);
    await limiter.acquire('a.test');
    await limiter.acquire('a.test');
    await limiter.acquire('a.test');
    expect(clock.sleeps).toEqual([3_000, 3_000]);
  });

  it('does not make one host wait for another', async () => {
    const clock = manualClock(0);
    const limiter = new HostRateLimiter(clock, () => 3_000);
    await limiter.acquire('a.test');
    await limiter.acquire('b.test');
    expect(clock.sleeps).toEqual([]);
  });

  it('holds every request to a cooling host until the cool-down ends', async () => {
    const clock = manualClock(0);
    const limiter = new HostRateLimiter(clock, () => 0);
    limiter.coolDown('a.test', 20_000);
    await limiter.acquire('a.test');
    expect(clock.sleeps).toEqual([20_000]);
    expect(limiter.coolingDownUntil('a.test')).toBeUndefined();
  });

  it('only ever lengthens a cool-down and only ever slows a host down', () => {
    const limiter = new HostRateLimiter(manualClock(0), () => 2_000);
    limiter.coolDown('a.test', 50_000);
    limiter.coolDown('a.test', 10_000);
    expect(limiter.coolingDownUntil('a.test')).toBe(50_000);
    limiter.slowDown('a.test', 1_000);
    expect(limiter.intervalOf('a.test')).toBe(2_000);
    limiter.slowDown('a.test', 5_000);
    expect(limiter.intervalOf('a.test')).toBe(5_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0);
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['Thu, 01 Jan 2026 00:01:30 GMT', 90_000],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined],
  ])('reads %s as %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt, caps it, and scales it by the jitter draw', () => {
    const options = { baseMs: 1_000, maxMs: 10_000, random: () => 1 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, options))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000,
    ]);
    expect(backoffDelay(3, { ...options, random: () => 0.25 })).toBe(1_000);
  });
});
