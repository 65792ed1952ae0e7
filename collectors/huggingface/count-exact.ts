import type { Logger } from '../../src/core/logger.js';
import { HostGivenUpError } from '../../src/http/errors.js';
import type { HttpClient, HttpResponse } from '../../src/http/types.js';
import { tagSetKey } from './config.js';
import { nextLink } from './link-header.js';
import { parseModelsPage } from './schema.js';

/**
 * The `expand` value sent with every listing request. `expand` makes the Hub return only the requested
 * properties (reference §1 and §2, "When expand is used"); `private` is a boolean that every model has, so
 * each entry shrinks to about `{"_id":"…","id":"…","private":false}`, the smallest of the allowed values
 * (the others are strings, numbers, lists or nested objects, and some need extra lookups on the Hub side).
 */
export const EXPAND = 'private';

/** Entries requested per page; the Hub reportedly caps at 1,000 (reference §1, "Page size"). Only `Link` ends the listing. */
export const PAGE_LIMIT = 1000;

/** A listing that has not ended after this many pages is treated as broken (10 M models at 1,000 per page). */
export const MAX_PAGES = 10_000;

/** `/api/models?filter=a&filter=b&expand=private&limit=1000`: repeated `filter=` is an AND (reference §1). */
export function exactQuery(tags: readonly string[]): string {
  const filters = tags.map((tag) => `filter=${encodeURIComponent(tag)}`).join('&');
  return `/api/models?${filters}&expand=${EXPAND}&limit=${PAGE_LIMIT}`;
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
}

export interface ExactResult {
  value: number;
  /** The queries whose id sets were united, joined by ` OR `. */
  query: string;
  pages: number;
}

/**
 * Exact counts: list every model matching a tag set, page by page (the cursor makes pages of one query
 * sequential), and count distinct ids. A union of terms is the size of the union of their id sets, so a
 * model matching two alternatives counts once. Id sets are memoised by tag set for the whole run, so a
 * query shared by two counts is made once; independent queries run concurrently and the HttpClient's host
 * limiter paces them.
 */
export function createExactCounter(options: ExactCounterOptions) {
  const origin = new URL(options.baseUrl).origin;
  const maxPages = options.maxPages ?? MAX_PAGES;
  const memo = new Map<string, Promise<{ ids: Set<string>; pages: number }>>();

  async function listIds(tags: readonly string[]): Promise<{ ids: Set<string>; pages: number }> {
    const query = exactQuery(tags);
    const ids = new Set<string>();
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
      let pageIds: string[];
      try {
        pageIds = parseModelsPage(res.body);
      } catch (err) {
        throw new QueryError(`${query}: page ${page}: ${(err as Error).message}`, { cause: err });
      }
      const before = ids.size;
      for (const id of pageIds) {
        if (ids.has(id)) repeated++;
        else ids.add(id);
      }
      if (page > 1 && pageIds.length > 0 && ids.size === before) {
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
    options.log.debug(`${query}: ${ids.size} models in ${page} page(s)${repeated ? `, ${repeated} repeated entries ignored` : ''}`);
    return { ids, pages: page };
  }

  function ids(tags: readonly string[]) {
    const key = tagSetKey(tags);
    let pending = memo.get(key);
    if (!pending) {
      pending = listIds(tags);
      // A failure is reported by every count that needs the query; avoid an unhandled rejection meanwhile.
      pending.catch(() => undefined);
      memo.set(key, pending);
    }
    return pending;
  }

  return {
    async count(terms: readonly (readonly string[])[]): Promise<ExactResult> {
      const results = await Promise.all(terms.map((t) => ids(t)));
      const query = terms.map((t) => exactQuery(t)).join(' OR ');
      const pages = results.reduce((sum, r) => sum + r.pages, 0);
      if (results.length === 1) return { value: results[0]!.ids.size, query, pages };
      const union = new Set<string>();
      for (const r of results) for (const id of r.ids) union.add(id);
      return { value: union.size, query, pages };
    },
  };
}

/** Origin, path and sorted query: the same page asked for with its parameters reordered is still the same page. */
function canonicalUrl(url: URL): string {
  const params = [...url.searchParams.entries()].sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a.localeCompare(b)));
  return `${url.origin}${url.pathname}?${new URLSearchParams(params).toString()}`;
}
