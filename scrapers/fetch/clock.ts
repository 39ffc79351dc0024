import { setTimeout as delay } from 'node:timers/promises';

/**
 * Time as the fetcher sees it. Injected so tests can run rate limits, cool-downs and backoff
 * without real waiting: a fake clock's `sleep` advances `now` and resolves at once.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds (at once for `ms <= 0`); rejects if `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    if (ms > 0) await delay(ms, undefined, signal ? { signal } : undefined);
  },
};

/** A clock that only moves when something sleeps on it. Records every sleep for assertions. */
export function manualClock(start = Date.UTC(2026, 0, 1)): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      if (ms > 0) now += ms;
    },
  };
}
