import type { Clock } from './clock.ts';

interface HostState {
  /** Earliest time the next request to this host may start. */
  nextSlot: number;
  /** While the host is cooling down (after a 429/503 with Retry-After), no request starts. */
  coolDownUntil: number;
  intervalMs: number;
}

/**
 * Spaces the start of requests to each host by at least its interval, and pauses a host (not a
 * socket) while it cools down. Requests to different hosts never wait for each other. Slots are
 * handed out in call order, so concurrent callers for one host queue fairly.
 */
export class HostRateLimiter {
  readonly #clock: Clock;
  readonly #hosts = new Map<string, HostState>();
  readonly #intervalFor: (host: string) => number;

  /** `intervalFor(host)` is the minimum milliseconds between two request starts; 0 means no limit. */
  constructor(clock: Clock, intervalFor: (host: string) => number) {
    this.#clock = clock;
    this.#intervalFor = intervalFor;
  }

  /** Raises a host's interval (e.g. to honour robots.txt Crawl-delay); never lowers it. */
  slowDown(host: string, intervalMs: number): void {
    const state = this.#state(host);
    state.intervalMs = Math.max(state.intervalMs, intervalMs);
  }

  intervalOf(host: string): number {
    return this.#state(host).intervalMs;
  }

  /** Pauses `host` until `until` (epoch ms). A later call can only extend the pause. */
  coolDown(host: string, until: number): void {
    const state = this.#state(host);
    state.coolDownUntil = Math.max(state.coolDownUntil, until);
  }

  coolingDownUntil(host: string): number | undefined {
    const until = this.#state(host).coolDownUntil;
    return until > this.#clock.now() ? until : undefined;
  }

  /** Resolves when a request to `host` may start, and books that slot. */
  async acquire(host: string, signal?: AbortSignal): Promise<void> {
    const state = this.#state(host);
    for (;;) {
      const now = this.#clock.now();
      const start = Math.max(now, state.nextSlot, state.coolDownUntil);
      state.nextSlot = start + state.intervalMs;
      if (start <= now) return;
      await this.#clock.sleep(start - now, signal);
      // A cool-down may have begun while we slept; our booked slot is then void.
      if (state.coolDownUntil <= this.#clock.now()) return;
    }
  }

  #state(host: string): HostState {
    let state = this.#hosts.get(host);
    if (!state) {
      state = { nextSlot: 0, coolDownUntil: 0, intervalMs: this.#intervalFor(host) };
      this.#hosts.set(host, state);
    }
    return state;
  }
}
