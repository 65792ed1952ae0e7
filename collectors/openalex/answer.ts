import { clip } from '../../src/core/errors.js';
import type { HttpResponse } from '../../src/http/types.js';
import { bodySnippet, htmlTitle, notJsonDetail, oneLine } from '../../src/http/body-text.js';

/**
 * Reads a `/works?…&group_by=publication_year` answer as it really is (openalex.md, "Yearly counts in one
 * request"): group keys are strings; groups come ordered by count, not by year; years without works are absent;
 * an "unknown" group may be there. Anything else is a changed or broken answer, and then nothing of it is
 * stored: a count per year is only worth storing when every year of the range is.
 */

/** An answer that holds no usable yearly counts; the message is one line. */
export class GroupByError extends Error {
  override name = 'GroupByError';
}

/** Every year of `fromYear…toYear` with its count; a year OpenAlex left out had no works (the request covered it). */
export function parseYearGroups(res: HttpResponse, fromYear: number, toYear: number): Map<number, number> {
  const body = res.body;
  if (/text\/html/i.test(res.headers['content-type'] ?? '') || body.trimStart().startsWith('<')) {
    throw new GroupByError(
      `OpenAlex answered HTTP ${res.status} with an HTML page instead of JSON${htmlTitle(body)}; the service may be down or OPENALEX_URL may be wrong`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new GroupByError(`OpenAlex's answer is not valid JSON (${notJsonDetail(body)}); it was probably cut off, try again`);
  }
  if (!isRecord(json)) throw new GroupByError(`OpenAlex's answer is not a JSON object: ${bodySnippet(body)}`);
  const groups = json.group_by;
  if (!Array.isArray(groups)) {
    throw new GroupByError(`OpenAlex's answer has no group_by list (${bodySnippet(body)}); nothing of it is stored`);
  }
  const meta = isRecord(json.meta) ? json.meta : {};
  if (typeof meta.groups_count === 'number' && meta.groups_count > groups.length) {
    throw new GroupByError(
      `OpenAlex's answer holds ${groups.length} of ${meta.groups_count} groups (one page of a longer list); nothing of it is stored`,
    );
  }
  const counts = new Map<number, number>();
  // Every group, the unknown year's included: together they are the works the request matched (meta.count).
  let sum = 0;
  for (const [i, group] of groups.entries()) {
    if (!isRecord(group)) throw malformed(i, group, 'not an object');
    const { key, count } = group;
    if (typeof count === 'number' && Number.isSafeInteger(count) && count >= 0) sum += count;
    // The unknown-year group (only sent with `:include_unknown`) says nothing about any year.
    if (key === 'unknown' || group.key_display_name === 'unknown') continue;
    if (typeof key !== 'string' || !/^\d{4}$/.test(key)) throw malformed(i, group, 'its key is not a year written as a string');
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      throw malformed(i, group, 'its count is not a whole number of works');
    }
    const year = Number(key);
    if (year < fromYear || year > toYear) {
      throw new GroupByError(
        `OpenAlex answered a group for ${year}, outside the requested ${fromYear}–${toYear}, so its filter was not applied; nothing of this answer is stored`,
      );
    }
    if (counts.has(year)) throw malformed(i, group, `${year} is listed twice`);
    counts.set(year, count);
  }
  // Each work has one publication year, so the groups add up to the works matched; when they do not, some
  // group is missing or miscounted, and no year of the answer can be trusted.
  if (typeof meta.count === 'number' && meta.count !== sum) {
    throw new GroupByError(
      `OpenAlex's groups add up to ${sum} works but its meta.count says ${meta.count}; the answer is inconsistent, nothing of it is stored`,
    );
  }
  const years = new Map<number, number>();
  for (let year = fromYear; year <= toYear; year++) years.set(year, counts.get(year) ?? 0);
  return years;
}

/**
 * What an answer says about the day's allowance. Genuine answers (issue 19; fixtures/openalex) carry
 * `X-RateLimit-Limit-USD`, `X-RateLimit-Remaining-USD`, `X-RateLimit-Cost-USD` and `X-RateLimit-Reset` (seconds
 * to midnight UTC, when the allowance resets), and a 200 its cost in `meta.cost_usd` too.
 */
export interface Allowance {
  /** What this request cost: `meta.cost_usd`, else `X-RateLimit-Cost-USD`. */
  costUsd?: number;
  /** What is left of today's allowance. */
  remainingUsd?: number;
  /** Today's allowance. */
  limitUsd?: number;
  /** Seconds until it resets. */
  resetSeconds?: number;
}

export function allowanceOf(res: Pick<HttpResponse, 'headers' | 'body'>): Allowance {
  const header = (name: string) => {
    const raw = res.headers[name];
    const value = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const out: Allowance = {};
  const cost = metaCost(res.body) ?? header('x-ratelimit-cost-usd');
  if (cost !== undefined) out.costUsd = cost;
  const remaining = header('x-ratelimit-remaining-usd');
  if (remaining !== undefined) out.remainingUsd = remaining;
  const limit = header('x-ratelimit-limit-usd');
  if (limit !== undefined) out.limitUsd = limit;
  const reset = header('x-ratelimit-reset');
  if (reset !== undefined) out.resetSeconds = reset;
  return out;
}

function metaCost(body: string): number | undefined {
  if (!body.includes('cost_usd')) return undefined;
  try {
    const json = JSON.parse(body) as unknown;
    const cost = isRecord(json) && isRecord(json.meta) ? json.meta.cost_usd : undefined;
    return typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? cost : undefined;
  } catch {
    return undefined;
  }
}

/** OpenAlex's error text (`{"error": …, "message": …}`, its documented form), when the body has it. */
export function errorText(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const json = JSON.parse(body) as unknown;
    if (!isRecord(json)) return undefined;
    // "Invalid query parameters error." then its message: the joining colon replaces the full stop.
    const parts = [json.error, json.message]
      .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
      .map((p, i, all) => (i < all.length - 1 ? p.trim().replace(/\.$/, '') : p));
    return parts.length > 0 ? clip(oneLine(parts.join(': ')), 150) : undefined;
  } catch {
    return undefined;
  }
}

function malformed(index: number, group: unknown, why: string): GroupByError {
  return new GroupByError(
    `OpenAlex's group_by entry ${index + 1} is malformed (${why}: ${clip(JSON.stringify(group) ?? String(group), 120)}); nothing of this answer is stored`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
