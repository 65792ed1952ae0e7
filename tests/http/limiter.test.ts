import { describe, expect, it } from 'vitest';
import { createHostLimiter, type Clock } from '../../src/http/limiter.js';

/** A clock whose sleeps advance virtual time instantly. */
function virtualClock(): Clock & { time: number } {
  const clock = {
    time: 0,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += ms;
      await Promise.resolve();
    },
  };
  return clock;
}

describe('src/http/limiter', () => {
  it('spaces request starts and never puts more than the budget in one window', async () => {
    const clock = virtualClock();
    const limiter = createHostLimiter({ maxRequests: 3, windowMs: 1000, concurrency: 6, minSpacingMs: 350 }, clock);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => limiter.schedule(async () => starts.push(clock.now()))));
    expect(starts).toHaveLength(12);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(350);
    for (const s of starts) expect(starts.filter((t) => t >= s && t < s + 1000).length).toBeLessThanOrEqual(3);
    // Flowing at the limit, not slower: 12 starts at 350 ms take 11 gaps.
    expect(starts.at(-1)).toBe(11 * 350);
  });

  it('lets a burst through up to the window budget when no spacing is asked', async () => {
    const clock = virtualClock();
    const limiter = createHostLimiter({ maxRequests: 5, windowMs: 1000, concurrency: 10, minSpacingMs: 0 }, clock);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 7 }, () => limiter.schedule(async () => starts.push(clock.now()))));
    expect(starts).toEqual([0, 0, 0, 0, 0, 1000, 1000]);
  });

  it('keeps several requests in flight up to the concurrency limit', async () => {
    const limiter = createHostLimiter({ maxRequests: 100, windowMs: 1000, concurrency: 3, minSpacingMs: 0 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 9 }, () =>
        limiter.schedule(async () => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((r) => setTimeout(r, 20));
          inFlight--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('holds every request to the host after a pause (a 429 seen by one request)', async () => {
    const clock = virtualClock();
    const limiter = createHostLimiter({ maxRequests: 10, windowMs: 1000, concurrency: 4, minSpacingMs: 0 }, clock);
    limiter.pauseUntil(5000);
    const starts: number[] = [];
    await Promise.all([1, 2].map(() => limiter.schedule(async () => starts.push(clock.now()))));
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(5000);
  });

  it('paces each host on its own: a slow host does not slow another', async () => {
    const slow = createHostLimiter({ maxRequests: 1, windowMs: 200, concurrency: 1 });
    const fast = createHostLimiter({ maxRequests: 100, windowMs: 200, concurrency: 4, minSpacingMs: 0 });
    const t0 = Date.now();
    const fastDone = Promise.all(Array.from({ length: 4 }, () => fast.schedule(async () => Date.now() - t0)));
    const slowDone = Promise.all(Array.from({ length: 3 }, () => slow.schedule(async () => Date.now() - t0)));
    const [fastTimes, slowTimes] = await Promise.all([fastDone, slowDone]);
    expect(Math.max(...fastTimes)).toBeLessThan(100);
    expect(slowTimes[2]! - slowTimes[0]!).toBeGreaterThanOrEqual(390);
  });

  it('never starts a task whose signal is aborted, even one waiting out a pause', async () => {
    const limiter = createHostLimiter({ maxRequests: 10, windowMs: 1000, concurrency: 4, minSpacingMs: 0 });
    limiter.pauseUntil(Date.now() + 60_000);
    const controller = new AbortController();
    let ran = 0;
    const waiting = limiter.schedule(async () => ran++, controller.signal).catch((e: unknown) => e);
    const started = Date.now();
    controller.abort(new Error('stopped'));
    expect(((await waiting) as Error).message).toBe('stopped');
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(limiter.schedule(async () => ran++, controller.signal)).rejects.toThrow('stopped');
    expect(ran).toBe(0);
  });
});
