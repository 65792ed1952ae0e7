import type { Env } from '../../src/core/collector.js';
import { parseRetryAfter } from '../../src/http/retry.js';
import type { HttpResponse, RequestOptions } from '../../src/http/types.js';

/**
 * The `/works` request and how the HTTP client treats OpenAlex's refusals. Shapes and limits:
 * /work/shared/reference/openalex.md (see fixtures/openalex/README.md).
 */

export const DEFAULT_OPENALEX_URL = 'https://api.openalex.org';

/** `OPENALEX_URL` (tests, mirrors) or the public API, without a trailing slash. */
export function openAlexBaseUrl(env: Env): string {
  return (env.OPENALEX_URL?.trim() || DEFAULT_OPENALEX_URL).replace(/\/+$/, '');
}

/** A set, non-blank environment value. */
export function apiKey(env: Env): string | undefined {
  const value = env.OPENALEX_API_KEY?.trim();
  return value ? value : undefined;
}

/** What one request asks: works per publication year over a range, matching `search` (all works without one). */
export interface WorksQuery {
  search?: string;
  fromYear: number;
  toYear: number;
}

/** `search=…&group_by=publication_year&filter=publication_year:<from>-<to>`, in the order the API documents it. */
function queryString(q: WorksQuery): string {
  const years = q.fromYear === q.toYear ? String(q.fromYear) : `${q.fromYear}-${q.toYear}`;
  const search = q.search === undefined ? '' : `search=${encodeURIComponent(q.search)}&`;
  return `${search}group_by=publication_year&filter=publication_year:${years}`;
}

/** The request URL, `api_key` last (a private parameter: the client strips it from every printed or stored URL). */
export function worksUrl(base: string, q: WorksQuery, key: string | undefined): string {
  return `${base}/works?${queryString(q)}${key === undefined ? '' : `&api_key=${encodeURIComponent(key)}`}`;
}

/**
 * The query stored with one year's value: the same request for that year alone, which answers the same number
 * (`/works?search=pytorch&group_by=publication_year&filter=publication_year:2023`). Per year, so the stored
 * query of a year does not change with the range a run happened to ask (incremental runs, the collapse guard).
 */
export function storedQuery(search: string | undefined, year: number): string {
  return `/works?${queryString(search === undefined ? { fromYear: year, toYear: year } : { search, fromYear: year, toYear: year })}`;
}

/**
 * OpenAlex answers two limits with HTTP 429 (genuine answers, issue 19; fixtures/openalex): the day's allowance
 * spent ("Insufficient budget … Resets at midnight UTC", Retry-After of hours) and the per-second limit ("Rate
 * limit exceeded: 30 requests per second", a short Retry-After). Both carry the same X-RateLimit-* headers, so
 * the body tells them apart; without either text, a Retry-After of at most this long is taken as the per-second
 * limit and anything else as the allowance.
 */
const SHORT_RETRY_AFTER_MS = 60_000;
const BUDGET_SPENT = /insufficient budget/i;
const PER_SECOND = /requests? per second/i;

/** OpenAlex's 429 for a spent daily allowance: asking again before midnight UTC only fails again (and spends nothing). */
export function isAllowanceSpent(res: Pick<HttpResponse, 'status' | 'headers'> & { body?: string }): boolean {
  if (res.status !== 429) return false;
  if (BUDGET_SPENT.test(res.body ?? '')) return true;
  if (PER_SECOND.test(res.body ?? '')) return false;
  const wait = parseRetryAfter(res.headers['retry-after'], Date.now());
  return wait === undefined || wait > SHORT_RETRY_AFTER_MS;
}

/** OpenAlex's 403 "rate limit exceeded; slow down": too fast, not forbidden. */
export function isSlowDown(res: Pick<HttpResponse, 'status' | 'body'>): boolean {
  return res.status === 403 && /slow down|rate limit/i.test(res.body);
}

/** How the HTTP client sends every OpenAlex request: a spent allowance is final, a "slow down" is backed off and retried. */
export const OPENALEX_REQUEST_OPTIONS: RequestOptions = {
  final: isAllowanceSpent,
  retryIf: (res) => (isSlowDown(res) ? 'OpenAlex answered 403 "rate limit exceeded; slow down"' : undefined),
};
