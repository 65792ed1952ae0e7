import pLimit from 'p-limit';
import type { RateLimitPolicy } from './types.js';

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason as soon as it is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface HostLimiter {
  /**
   * Run `task` when a concurrency slot and a rate slot are free. Once `signal` is aborted the task never
   * starts: the call rejects with the signal's reason as soon as it is its turn, or at once while waiting
   * for a rate slot.
   */
  schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
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

  async function takeSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
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
      await clock.sleep(Math.ceil(wait), signal);
    }
  }

  // Slots are granted one after another, in arrival order.
  function nextSlot(signal?: AbortSignal): Promise<void> {
    const granted = queue.then(() => takeSlot(signal));
    queue = granted.catch(() => undefined);
    return granted;
  }

  return {
    schedule: (task, signal) =>
      limit(async () => {
        signal?.throwIfAborted();
        await nextSlot(signal);
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
