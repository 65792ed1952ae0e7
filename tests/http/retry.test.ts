import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY, parseRateLimit, parseRetryAfter, serverRequestedDelay } from '../../src/http/retry.js';

describe('src/http/retry', () => {
  it('backs off exponentially with equal jitter, capped', () => {
    const opts = { ...DEFAULT_RETRY, baseDelayMs: 500, maxDelayMs: 4000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, opts, () => 0))).toEqual([250, 500, 1000, 2000, 2000]);
    expect([1, 2, 3].map((a) => backoffDelay(a, opts, () => 1))).toEqual([500, 1000, 2000]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2024-07-20T12:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Sat, 20 Jul 2024 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("reads the Hub's RateLimit header and waits t+1 s when nothing remains", () => {
    expect(parseRateLimit('"api";r=0;t=55')).toEqual({ remaining: 0, resetMs: 55_000 });
    expect(serverRequestedDelay({ ratelimit: '"api";r=0;t=55', 'retry-after': '3' }, 0)).toBe(56_000);
    // Requests left: the header is not a reason to wait; Retry-After still is.
    expect(serverRequestedDelay({ ratelimit: '"api";r=12;t=55', 'retry-after': '3' }, 0)).toBe(3000);
    expect(serverRequestedDelay({}, 0)).toBeUndefined();
  });
});
