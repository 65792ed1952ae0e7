import { DEADLINE_CODE } from './errors.js';

/**
 * Pure retry policy: which failures are worth another try and how long to wait. Randomness is injected
 * so tests take no wall-clock time and see exact delays (ofetch's computeBackoffDelay pattern).
 */

/** Statuses retried (ky/undici RetryAgent defaults). */
export const RETRY_STATUS_CODES: ReadonlySet<number> = new Set([
  408, // Request Timeout
  429, // Too Many Requests (a per-second limit, or a window's budget, spent)
  500, // Internal Server Error
  502, // Bad Gateway (seen from public APIs behind load balancers)
  503, // Service Unavailable
  504, // Gateway Timeout
]);

/**
 * Failures to reach the host at all: nothing accepts the connection, or its name does not resolve. Retried
 * like any network failure; several in a row give the host up (host-health.ts).
 */
export const CONNECTION_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Network failures retried: the request may not have reached the server, or the answer was lost. */
export const RETRY_ERROR_CODES: ReadonlySet<string> = new Set([
  ...CONNECTION_ERROR_CODES,
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  DEADLINE_CODE,
]);

/** What a connection failure means, for the line that gives the host up. */
export function connectionFailure(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused (ECONNREFUSED)';
    case 'ENOTFOUND':
      return 'its name does not resolve (ENOTFOUND)';
    case 'EAI_AGAIN':
      return 'its name could not be looked up (EAI_AGAIN)';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connecting timed out (UND_ERR_CONNECT_TIMEOUT)';
    default:
      return `it cannot be reached (${code})`;
  }
}

export interface RetryOptions {
  /** Retries after the first attempt. @default 5 (the official Hub client uses 5) */
  maxRetries: number;
  /** First backoff step. @default 500 */
  baseDelayMs: number;
  /** Backoff ceiling. @default 30000 */
  maxDelayMs: number;
  /** A server asking to wait longer than this fails the request instead of stalling a cron job. @default 330000 (a 5-minute rate-limit window plus margin) */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 330_000,
};

/** Exponential backoff with "equal jitter": half fixed, half random, so waits never collapse to zero. */
export function backoffDelay(attempt: number, options: RetryOptions, random: () => number): number {
  const exp = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** `Retry-After`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * The IETF draft-09 `RateLimit` header, e.g. `"api";r=0;t=55`: r = requests left, t = seconds until the window
 * resets. The official client of the API that sends it sleeps t+1 s on a 429 that carries it.
 */
export function parseRateLimit(value: string | undefined): { remaining: number; resetMs: number } | undefined {
  if (!value) return undefined;
  const r = /(?:^|;)\s*r=(\d+)/.exec(value);
  const t = /(?:^|;)\s*t=(\d+)/.exec(value);
  if (!r || !t) return undefined;
  return { remaining: Number(r[1]), resetMs: Number(t[1]) * 1000 };
}

/** How long the server asked us to wait, if it said: RateLimit (t+1 s) first, then Retry-After. */
export function serverRequestedDelay(headers: Record<string, string>, nowMs: number): number | undefined {
  const rateLimit = parseRateLimit(headers.ratelimit);
  if (rateLimit && rateLimit.remaining === 0) return rateLimit.resetMs + 1000;
  return parseRetryAfter(headers['retry-after'], nowMs);
}

export function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
