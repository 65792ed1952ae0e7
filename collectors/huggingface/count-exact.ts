import type { Logger } from '../../src/core/logger.js';
import { HostGivenUpError } from '../../src/http/errors.js';
import type { HttpClient, HttpResponse } from '../../src/http/types.js';
import { tagSetKey } from './config.js';
import { FIRST_MONTH_CODE, monthCodeOfDate, UNDATED_CODE } from './created-month.js';
import { nextLink } from './link-header.js';
import { parseModelsPage } from './schema.js';

/**
 * The `expand` value sent with every listing request. `expand` makes the Hub return only the requested
 * properties (reference §1 and §2, "When expand is used"), so each entry shrinks to
 * `{"_id":"…","id":"…","createdAt":"2024-01-01T00:00:00.000Z"}`: the creation date the monthly counts need,
 * and nothing else.
 */
export const EXPAND = 'createdAt';

/**
 * A stable order for the listing. Without `sort=` the Hub orders by `trendingScore` (reference §1: the
 * production `Link` carries `sort=trendingScore`, and its cursors read `{"$or":[{"trendingScore":0,"_id":
 * {"$gt":…}},…]}`): a score that changes while a 200-page listing is walked moves a model across the cursor,
 * so it is read twice (removed by the id deduplication) or never (a silent undercount). A model's `createdAt`
 * never changes, so the cursor position of every model is fixed. `direction=-1` (newest first) is the value
 * the clients document (reference §1); a model created during the walk sorts before the cursor and is not
 * read, so the count is the Hub's state when the walk began, less the models deleted meanwhile.
 */
export const SORT = 'sort=createdAt&direction=-1';

/** Entries requested per page; the Hub reportedly caps at 1,000 (reference §1, "Page size"). Only `Link` ends the listing. */
export const PAGE_LIMIT = 1000;

/** A listing that has not ended after this many pages is treated as broken (10 M models at 1,000 per page). */
export const MAX_PAGES = 10_000;

/**
 * `/api/models?filter=a&filter=b&sort=createdAt&direction=-1&expand=createdAt&limit=1000`: repeated `filter=`
 * is an AND (reference §1). Without `months`, `expand=private` (a boolean every model has: the smallest entry).
 */
export function exactQuery(tags: readonly string[], months = true): string {
  const filters = tags.map((tag) => `filter=${encodeURIComponent(tag)}`).join('&');
  return `/api/models?${filters}&${SORT}&expand=${months ? EXPAND : 'private'}&limit=${PAGE_LIMIT}`;
}

/** A query that could not be completed; the message names the query and the page. */
export class QueryError extends Error {
  override name = 'QueryError';
}

export interface ExactCounterOptions {
  http: HttpClient;
  /** HF_ENDPOINT without a trailing slash. */
  baseUrl: string;
  log: Logger;
  signal?: AbortSignal;
  /** @default MAX_PAGES */
  maxPages?: number;
  /** `YYYY-MM-DD` the listing is asked on: no model was created after its month. @default today (UTC) */
  today?: string;
  /**
   * Read creation months. Off, entries are ids only (`expand=private`) and `months` stays empty: the bench's
   * baseline, so the cost of the monthly counts can be measured on the same listing. @default true
   */
  months?: boolean;
}

export interface ExactResult {
  value: number;
  /** The queries whose id sets were united, joined by ` OR `. */
  query: string;
  pages: number;
  /** Models per creation month code (`created-month.ts`; `UNDATED_CODE` for the placeholder); sums to `value`. */
  months: Map<number, number>;
}

/** One listing read to the end: each distinct id with its creation month code. */
interface Listing {
  months: Map<string, number>;
  pages: number;
}

/**
 * Exact counts: list every model matching a tag set, page by page in creation order (the cursor makes pages
 * of one query sequential), and count distinct ids, each with its creation month. A union of terms is the
 * union of their id maps, so a model matching two alternatives counts once, in its own month. Listings are
 * memoised by tag set for the whole run, so a query shared by two counts is made once; independent queries
 * run concurrently and the HttpClient's host limiter paces them.
 */
export function createExactCounter(options: ExactCounterOptions) {
  const origin = new URL(options.baseUrl).origin;
  const maxPages = options.maxPages ?? MAX_PAGES;
  const withMonths = options.months ?? true;
  const monthRange = { first: FIRST_MONTH_CODE, last: monthCodeOfDate(options.today ?? new Date().toISOString().slice(0, 10)) };
  const memo = new Map<string, Promise<Listing>>();

  async function list(tags: readonly string[]): Promise<Listing> {
    const query = exactQuery(tags, withMonths);
    // id → month code: small integers, so 200,000 ids cost about what a Set of them would.
    const months = new Map<string, number>();
    const visited = new Set<string>();
    let url: string | undefined = options.baseUrl + query;
    let page = 0;
    let repeated = 0;
    while (url !== undefined) {
      options.signal?.throwIfAborted();
      page++;
      if (page > maxPages) throw new QueryError(`${query}: page ${page}: the listing did not end after ${maxPages} pages`);
      visited.add(canonicalUrl(new URL(url)));
      let res: HttpResponse;
      try {
        res = await options.http.get(url);
      } catch (err) {
        // A host given up fails the whole source, not this query: passed on as it is.
        if (err instanceof HostGivenUpError) throw err;
        throw new QueryError(`${query}: page ${page}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      let entries: ReturnType<typeof parseModelsPage>;
      try {
        entries = parseModelsPage(res.body, { createdAt: withMonths, months: monthRange });
      } catch (err) {
        throw new QueryError(`${query}: page ${page}: ${(err as Error).message}`, { cause: err });
      }
      const before = months.size;
      for (const { id, month } of entries) {
        if (months.has(id)) repeated++;
        else months.set(id, month ?? UNDATED_CODE);
      }
      if (page > 1 && entries.length > 0 && months.size === before) {
        // A cursor that does not advance would spend the rate budget on the same models until MAX_PAGES.
        throw new QueryError(`${query}: page ${page}: every entry was already read on earlier pages (the cursor does not advance)`);
      }
      const link = res.headers.link;
      const next = nextLink(link);
      if (next === undefined) {
        if (link && /rel="?next"?/i.test(link)) {
          throw new QueryError(
            `${query}: page ${page}: Link header has rel="next" without an absolute http(s) URL: ${options.http.redact(link).slice(0, 200)}`,
          );
        }
        break;
      }
      let parsed: URL;
      try {
        parsed = new URL(next);
      } catch {
        throw new QueryError(`${query}: page ${page}: Link next URL is not a valid URL`);
      }
      if (parsed.origin !== origin) {
        throw new QueryError(
          `${query}: page ${page}: Link next URL points to ${parsed.origin}, not ${origin}; not following it with this run's credentials`,
        );
      }
      if (visited.has(canonicalUrl(parsed))) {
        throw new QueryError(`${query}: page ${page}: Link next URL loops back to a page already read (${options.http.redact(next)})`);
      }
      url = next;
    }
    options.log.debug(`${query}: ${months.size} models in ${page} page(s)${repeated ? `, ${repeated} repeated entries ignored` : ''}`);
    return { months, pages: page };
  }

  function listing(tags: readonly string[]) {
    const key = tagSetKey(tags);
    let pending = memo.get(key);
    if (!pending) {
      pending = list(tags);
      // A failure is reported by every count that needs the query; avoid an unhandled rejection meanwhile.
      pending.catch(() => undefined);
      memo.set(key, pending);
    }
    return pending;
  }

  return {
    async count(terms: readonly (readonly string[])[]): Promise<ExactResult> {
      const results = await Promise.all(terms.map((t) => listing(t)));
      const query = terms.map((t) => exactQuery(t, withMonths)).join(' OR ');
      const pages = results.reduce((sum, r) => sum + r.pages, 0);
      const histogram = new Map<number, number>();
      const add = withMonths ? (month: number) => histogram.set(month, (histogram.get(month) ?? 0) + 1) : () => undefined;
      if (results.length === 1) {
        for (const month of results[0]!.months.values()) add(month);
        return { value: results[0]!.months.size, query, pages, months: histogram };
      }
      // Each model once, whichever alternatives it matches: its month is the same in every listing.
      const union = new Set<string>();
      for (const r of results) {
        for (const [id, month] of r.months) {
          if (union.has(id)) continue;
          union.add(id);
          add(month);
        }
      }
      return { value: union.size, query, pages, months: histogram };
    },
  };
}

/** Origin, path and sorted query: the same page asked for with its parameters reordered is still the same page. */
function canonicalUrl(url: URL): string {
  const params = [...url.searchParams.entries()].sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a.localeCompare(b)));
  return `${url.origin}${url.pathname}?${new URLSearchParams(params).toString()}`;
}
