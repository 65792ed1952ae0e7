import pLimit from 'p-limit';
import type { RateLimitPolicy } from './types.js';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface HostLimiter {
  /** Run `task` when a concurrency slot and a rate slot are free. */
  schedule<T>(task: () => Promise<T>): Promise<T>;
  /** Hold every request to this host until `untilMs` (after a 429 the whole host backs off, not one request). */
  pauseUntil(untilMs: number): void;
  readonly activeCount: number;
  readonly pendingCount: number;
}

/**
 * Keeps requests flowing concurrently up to the host's budget instead of one at a time: p-limit bounds the
 * requests in flight, and each start waits for (a) the minimum spacing since the previous start and (b) a
 * free place in the sliding window of `maxRequests` per `windowMs`. Start times are taken when the slot is
 * granted, so the gaps the server sees are never shorter than the spacing.
 */
export function createHostLimiter(policy: RateLimitPolicy, clock: Clock = realClock): HostLimiter {
  const limit = pLimit(policy.concurrency);
  const spacing = policy.minSpacingMs ?? policy.windowMs / policy.maxRequests;
  const starts: number[] = [];
  let pausedUntil = 0;
  let queue: Promise<void> = Promise.resolve();

  async function takeSlot(): Promise<void> {
    for (;;) {
      const now = clock.now();
      while (starts.length > 0 && starts[0]! <= now - policy.windowMs) starts.shift();
      const last = starts.at(-1);
      const waits = [pausedUntil - now, last === undefined ? 0 : last + spacing - now];
      if (starts.length >= policy.maxRequests) waits.push(starts[starts.length - policy.maxRequests]! + policy.windowMs - now);
      const wait = Math.max(...waits);
      if (wait <= 0) {
        starts.push(now);
        return;
      }
      await clock.sleep(Math.ceil(wait));
    }
  }

  // Slots are granted one after another, in arrival order.
  function nextSlot(): Promise<void> {
    const granted = queue.then(takeSlot);
    queue = granted.catch(() => undefined);
    return granted;
  }

  return {
    schedule: (task) =>
      limit(async () => {
        await nextSlot();
        return task();
      }),
    pauseUntil(untilMs) {
      pausedUntil = Math.max(pausedUntil, untilMs);
    },
    get activeCount() {
      return limit.activeCount;
    },
    get pendingCount() {
      return limit.pendingCount;
    },
  };
}
