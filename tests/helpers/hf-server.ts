import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { huggingface } from '../../collectors/huggingface/index.js';
import { parseConfig } from '../../src/config/load.js';
import type { AppConfig } from '../../src/config/types.js';

/**
 * A local stand-in for the Hugging Face Hub on 127.0.0.1:<random port>, serving the real response shapes
 * (docs: /work/shared/reference/huggingface-hub-api.md; fixtures/huggingface/README.md maps each shape to
 * its section) for the two endpoints the collector uses:
 *
 * - `GET /api/models?filter=…&sort=…&direction=…&expand=…&limit=…[&cursor=…]`: a JSON array of entries, AND
 *   of repeated `filter=`, `expand` restricted to the allowed values (400 otherwise, like the Hub), keyset
 *   cursor pagination as the Hub's (the cursor holds the last entry's sort value and `_id`, the next page
 *   starts after it) with `Link: <absolute next URL>; rel="next"` until the last page. `sort=createdAt` and
 *   `sort=id` are stable orders; without `sort=` (or with `sort=trendingScore`) the order is the trending one,
 *   whose scores change between pages by default (`trending`), so a walk skips and repeats models as a
 *   200-page walk of the real Hub can. `direction=-1` (or none) is descending, any other value ascending.
 * - `GET /models-json?library=a,b&other=c&p=0&withCount=true`: `{"models":[…],"numItemsPerPage":30,
 *   "numTotalItems":N,"pageIndex":0}`, comma-separated values ANDed (an assumption, as in the collector).
 *
 * Model ids come from the caller (see syntheticModels: `synthetic/model-000001`, never real repos). Faults
 * can be injected per request number or by a predicate, every request is logged and counted, and an
 * optional fixed-window budget answers 429 with the Hub's `RateLimit` headers once spent. Reused by the
 * collector, CLI, fault-injection and benchmark tests.
 */

/** A synthetic model: its id, the tags the Hub would list for it and its creation date. */
export interface HfModel {
  id: string;
  tags: readonly string[];
  /** `createdAt` as the Hub writes it. @default SYNTHETIC_DATE */
  createdAt?: string;
}

/** Something to do instead of (or to) the normal answer. */
export type HfFault =
  /** Any status, e.g. 429 with or without `Retry-After`/`RateLimit`, 500, 503. Body defaults to `{"error":"…"}`. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string | ((req: HfRequestInfo) => string) }
  /** An HTML error page (a proxy or CDN answering). @default status 200, so it reaches the JSON parser */
  | { kind: 'html'; status?: number }
  /**
   * The normal body cut in half. Default: a well-formed HTTP response whose JSON is truncated. With
   * `abort`, `Content-Length` announces the full body and the socket is destroyed mid-body (a network error).
   */
  | { kind: 'truncated'; abort?: boolean }
  /** HTTP 200 with a JSON object instead of the array of models. */
  | { kind: 'non-array' }
  /** The normal page with the `id` of one entry removed. @default index: the middle entry */
  | { kind: 'missing-id'; index?: number }
  /** The normal page whose `Link` next URL points back to this page (`self`) or to the query's first page. @default 'self' */
  | { kind: 'link-loop'; to?: 'self' | 'first' }
  /**
   * Hold the answer: `headers` sends nothing, `body` sends headers and half the body. After `ms` the normal
   * answer is completed; without `ms` the request hangs until the client gives up or the server closes.
   */
  | { kind: 'stall'; phase?: 'headers' | 'body'; ms?: number }
  /** Destroy the socket without answering (ECONNRESET / socket closed on the client). */
  | { kind: 'reset' }
  /**
   * Headers at once, then the body one byte every `everyMs` (default 300), never ending: each gap is shorter
   * than the client's per-chunk timeout, so only a whole-answer deadline ends it.
   */
  | { kind: 'trickle'; everyMs?: number };

/** What the server saw for one request (also passed to `faultFor`). */
export interface HfRequestInfo {
  /** 1-based over every request this server has received. */
  n: number;
  method: string;
  /** Path without the query, e.g. `/api/models`. */
  path: string;
  /** Path and query as received. */
  url: string;
  query: URLSearchParams;
  /** Path and query without `cursor`: the listing a page belongs to. */
  queryKey: string;
  /** 1-based page of a listing (decoded from the cursor); `p + 1` on /models-json. */
  page: number;
  /** How many times this exact URL has been requested, this request included (1 = first attempt). */
  attempt: number;
  /** The `Authorization` header as received (tests check the Bearer token; never print it). */
  authorization?: string;
  userAgent?: string;
  /** The fault applied, if any. */
  fault?: HfFault['kind'];
}

export interface HfServerOptions {
  /** The models the Hub holds. @default [] */
  models?: readonly HfModel[];
  /** Largest page `/api/models` serves; `limit=` can only lower it. @default 1000 */
  pageSize?: number;
  /** Each page after the first repeats this many entries of the previous one (the collector must dedupe by id). @default 0 */
  pageOverlap?: number;
  /** Faults by request number (1-based, over all requests). */
  faults?: Readonly<Record<number, HfFault>>;
  /** Faults by predicate, checked after `faults`. */
  faultFor?: (req: HfRequestInfo) => HfFault | undefined;
  /** Override `numTotalItems` on /models-json (to make the fast count disagree). @default the true count */
  numTotalItems?: (tags: readonly string[], actual: number) => number;
  /** When set, requests without `Authorization: Bearer <token>` get 401. */
  requireToken?: string;
  /** A fixed-window budget like the Hub's (`q` requests per `w`); over it, 429 with `RateLimit`/`RateLimit-Policy`. */
  budget?: { requests: number; windowMs: number };
  /** Delay before every answer, to make concurrency visible in benchmarks. @default 0 */
  latencyMs?: number;
  /**
   * The trending order (no `sort=`, or `sort=trendingScore`): `reshuffle` gives every model a new score on
   * every `/api/models` page served, as a live score can change during a long walk; `static` keeps one score
   * per model (its position), so the order is stable. @default 'reshuffle'
   */
  trending?: 'reshuffle' | 'static';
}

export interface HfServer {
  /** Origin to use as HF_ENDPOINT, e.g. `http://127.0.0.1:53211`. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: readonly HfRequestInfo[];
  readonly requestCount: number;
  /** Requests whose path (without query) equals `path`, or all of them. */
  countRequests(path?: string): number;
  /** `{ HF_ENDPOINT: url, ...extra }`, an env for the collector. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** Replace some options (e.g. new faults between two runs); the request log is kept. */
  configure(options: Partial<HfServerOptions>): void;
  /** Forget the request log and restart request numbering at 1 (models, faults and budget stay). */
  reset(): void;
  close(): Promise<void>;
}

/** `ExpandModelProperty_T` in huggingface_hub `hf_api.py` (reference §1); anything else is a 400 on the Hub. */
export const EXPAND_VALUES: readonly string[] = [
  'author',
  'baseModels',
  'cardData',
  'childrenModelCount',
  'config',
  'createdAt',
  'disabled',
  'downloads',
  'downloadsAllTime',
  'evalResults',
  'gated',
  'gguf',
  'inference',
  'inferenceProviderMapping',
  'lastModified',
  'library_name',
  'likes',
  'mask_token',
  'model-index',
  'pipeline_tag',
  'private',
  'resourceGroup',
  'safetensors',
  'sha',
  'siblings',
  'spaces',
  'tags',
  'transformersInfo',
  'trendingScore',
  'usedStorage',
  'widgetData',
];

/** The website's page size (reference §1: `"numItemsPerPage":30`). */
export const MODELS_JSON_PAGE_SIZE = 30;

/** A fixed synthetic date for `createdAt`/`lastModified` (not the Hub's 2022-03-02 placeholder, to avoid confusion). */
export const SYNTHETIC_DATE = '2024-01-01T00:00:00.000Z';

/** The Hub's `createdAt` for every repo older than its creation dates (reference §2). */
export const PLACEHOLDER_DATE = '2022-03-02T23:29:04.000Z';

/**
 * A `createdAt` in `month` (`YYYY-MM`, UTC), or the placeholder for `undated`: the `n`-th model of a month gets
 * day 1 + n mod `days` and a time from n, so models of one month differ and sort within it.
 */
export function createdIn(month: string, n = 0, days = 28): string {
  if (month === 'undated') return PLACEHOLDER_DATE;
  if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`createdIn: ${month} is not YYYY-MM or undated`);
  if (!(days >= 1 && days <= 28)) throw new Error(`createdIn: days must be 1-28, not ${days}`);
  const day = String(1 + (n % days)).padStart(2, '0');
  const seconds = Math.floor(n / days) % 86_400;
  const time = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60].map((v) => String(v).padStart(2, '0'));
  return `${month}-${day}T${time.join(':')}.000Z`;
}

/**
 * Synthetic models by creation month: each group carries exactly its tags, with `months[m]` models created
 * in month m (`YYYY-MM` or `undated`), ids numbered across groups as in syntheticModels. For scenarios whose
 * monthly counts are worked out by hand, and the demo recording.
 */
export function monthlyModels(
  groups: readonly { tags: readonly string[]; months: Readonly<Record<string, number>> }[],
  options: { prefix?: string; start?: number; lastDay?: Readonly<Record<string, number>> } = {},
): HfModel[] {
  const counted = groups.map((g) => ({ tags: g.tags, count: Object.values(g.months).reduce((a, b) => a + b, 0) }));
  const models = syntheticModels(counted, options);
  let next = 0;
  for (const group of groups) {
    for (const [month, count] of Object.entries(group.months)) {
      // `lastDay`: a month still running on the as-of date gets no model after that day.
      const days = options.lastDay?.[month] ?? 28;
      for (let n = 0; n < count; n++) models[next + n] = { ...models[next + n]!, createdAt: createdIn(month, n, days) };
      next += count;
    }
  }
  return models;
}

/**
 * Synthetic models: each group gets `count` models carrying exactly its tags, ids numbered across groups
 * (`synthetic/model-000001`, …). Groups are disjoint, so "both tags" models belong in a group of their own.
 */
export function syntheticModels(
  groups: readonly { tags: readonly string[]; count: number }[],
  options: { prefix?: string; start?: number } = {},
): HfModel[] {
  const prefix = options.prefix ?? 'synthetic/model-';
  const total = groups.reduce((sum, g) => sum + g.count, 0) + (options.start ?? 1);
  const width = Math.max(6, String(total).length);
  const models: HfModel[] = [];
  let n = options.start ?? 1;
  for (const group of groups) {
    const tags = [...group.tags];
    for (let i = 0; i < group.count; i++) models.push({ id: `${prefix}${String(n++).padStart(width, '0')}`, tags });
  }
  return models;
}

/**
 * Two tags with the given inclusive counts (`a` models carry tag A, `b` carry B, `both` carry both), plus
 * `neither` models with only `other` tags. For the headline check: pytorch 185,382, tf 17,642, both 4,833.
 */
export function pairedModels(
  tags: readonly [string, string],
  counts: { a: number; b: number; both: number; neither?: number },
  otherTags: readonly string[] = ['transformers'],
): HfModel[] {
  if (counts.both > Math.min(counts.a, counts.b)) throw new Error('pairedModels: both cannot exceed either count');
  return syntheticModels([
    { tags: [tags[0], 'transformers'].filter(unique), count: counts.a - counts.both },
    { tags: [tags[1], 'transformers'].filter(unique), count: counts.b - counts.both },
    { tags: [tags[0], tags[1], 'transformers'].filter(unique), count: counts.both },
    { tags: otherTags, count: counts.neither ?? 0 },
  ]);
}

function unique<T>(value: T, index: number, all: readonly T[]): boolean {
  return all.indexOf(value) === index;
}

/** Models from per-tag id sets: a model carries every tag whose set holds its id. */
export function modelsFromTagSets(sets: Readonly<Record<string, Iterable<string>>>): HfModel[] {
  const byId = new Map<string, string[]>();
  for (const [tag, ids] of Object.entries(sets)) {
    for (const id of ids) {
      const tags = byId.get(id) ?? [];
      tags.push(tag);
      byId.set(id, tags);
    }
  }
  return [...byId].map(([id, tags]) => ({ id, tags }));
}

/** Models carrying every one of `tags` (what the Hub's repeated `filter=` returns). */
export function matching(models: readonly HfModel[], tags: readonly string[]): HfModel[] {
  return models.filter((m) => tags.every((t) => m.tags.includes(t)));
}

/** A 429 as the Hub sends it (reference §4), optionally with `Retry-After` seconds and/or `RateLimit` t seconds. */
export function tooManyRequests(options: { retryAfter?: number | string; rateLimitReset?: number } = {}): HfFault {
  const headers: Record<string, string> = {};
  if (options.retryAfter !== undefined) headers['retry-after'] = String(options.retryAfter);
  if (options.rateLimitReset !== undefined) {
    headers.ratelimit = `"api";r=0;t=${options.rateLimitReset}`;
    headers['ratelimit-policy'] = '"fixed window";"api";q=500;w=300';
  }
  return { kind: 'status', status: 429, headers, body: JSON.stringify({ error: 'synthetic: rate limit reached' }) };
}

/**
 * A keyset cursor like the Hub's (`{"$or":[{"trendingScore":0,"_id":{"$gt":…}},…]}`, reference §1): the sort
 * value and position of the last entry read; the next page starts strictly after it in the current order.
 */
interface Cursor {
  /** The last entry's sort value. */
  key: string | number;
  /** The last entry's index among the models (its `_id`). */
  index: number;
  page: number;
}

// Opaque to the client like the Hub's base64 Mongo-style cursor; the field name says it is synthetic. Padded
// so the base64 ends in `=` (`%3D` in a Link), as the Hub's do.
function encodeCursor(cursor: Cursor): string {
  let json = JSON.stringify({ $synthetic: cursor });
  while (json.length % 3 === 0) json += ' ';
  return Buffer.from(json).toString('base64');
}

function decodeCursor(value: string): Cursor | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as { $synthetic?: Cursor };
    const c = parsed.$synthetic;
    const keyOk = c && (typeof c.key === 'string' || typeof c.key === 'number');
    return c && keyOk && Number.isInteger(c.index) && Number.isInteger(c.page) ? c : undefined;
  } catch {
    return undefined;
  }
}

/** A deterministic score 0–999 for model `index` at page `tick` (integer hash, no Math.random). */
function reshuffledScore(index: number, tick: number): number {
  let h = Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(tick + 1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return ((h ^ (h >>> 15)) >>> 0) % 1000;
}

function syntheticObjectId(index: number): string {
  return index.toString(16).padStart(24, '0');
}

export async function startHfServer(initial: HfServerOptions = {}): Promise<HfServer> {
  let options: HfServerOptions = { ...initial };
  let requests: HfRequestInfo[] = [];
  const attempts = new Map<string, number>();
  const firstPages = new Map<string, string>();
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let filterCache = new Map<string, { model: HfModel; index: number }[]>();
  let orderCache = new Map<string, Ranked[]>();
  let indexed: { model: HfModel; index: number }[] = [];
  /** `/api/models` pages served: the clock of the reshuffling trending scores. */
  let tick = 0;
  let budgetWindow = { start: 0, used: 0 };

  function reindex(): void {
    indexed = (options.models ?? []).map((model, index) => ({ model, index }));
    filterCache = new Map();
    orderCache = new Map();
  }
  reindex();

  function select(tags: readonly string[]): { model: HfModel; index: number }[] {
    const key = [...new Set(tags)].sort().join('\u0000');
    let hit = filterCache.get(key);
    if (!hit) {
      hit = indexed.filter(({ model }) => tags.every((t) => model.tags.includes(t)));
      filterCache.set(key, hit);
    }
    return hit;
  }

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  /** A normal answer, before faults alter it. */
  interface Answer {
    status: number;
    headers: Record<string, string>;
    body: string;
    /** Rebuild the body with one entry's id removed (for `missing-id`). */
    entries?: Record<string, unknown>[];
  }

  function apiModels(req: HfRequestInfo, origin: string): Answer {
    const expand = req.query.getAll('expand');
    const unknown = expand.filter((e) => !EXPAND_VALUES.includes(e));
    if (unknown.length > 0) return jsonError(400, `synthetic: "expand" must be one of ${EXPAND_VALUES.join(', ')}`);
    if (expand.length > 0 && (req.query.has('full') || req.query.has('cardData') || req.query.has('config'))) {
      return jsonError(400, 'synthetic: "expand" cannot be combined with full, cardData or config');
    }
    const pageSize = options.pageSize ?? 1000;
    const limitParam = req.query.get('limit');
    const limit = limitParam === null ? pageSize : Number.parseInt(limitParam, 10);
    if (!Number.isInteger(limit) || limit < 1) return jsonError(400, 'synthetic: "limit" must be a positive integer');
    const size = Math.min(limit, pageSize);
    const sort = req.query.get('sort') ?? 'trendingScore';
    if (!['trendingScore', 'createdAt', 'id'].includes(sort)) {
      return jsonError(400, 'synthetic: this stand-in sorts by trendingScore, createdAt or id only');
    }
    const direction = req.query.get('direction');
    const descending = direction === null || direction === '-1';
    const cursorParam = req.query.get('cursor');
    const cursor = cursorParam === null ? undefined : decodeCursor(cursorParam);
    if (cursorParam !== null && !cursor) return jsonError(400, 'synthetic: invalid cursor');

    tick++;
    const ordered = order(req.query.getAll('filter'), sort, descending);
    const compare = comparator(descending);
    // Keyset: the first entry strictly after the cursor in the current order (binary search).
    let start = 0;
    if (cursor) {
      let hi = ordered.length;
      while (start < hi) {
        const mid = (start + hi) >>> 1;
        if (compare(ordered[mid]!, cursor) <= 0) start = mid + 1;
        else hi = mid;
      }
    }
    const slice = ordered.slice(start, start + size);
    const entries = slice.map(({ model, index, key }) => apiEntry(model, index, expand, sort === 'trendingScore' ? Number(key) : 0));
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (start + size < ordered.length) {
      // `pageOverlap`: the next page starts after an earlier entry, so it repeats the last ones of this page.
      const overlap = Math.min(options.pageOverlap ?? 0, size - 1);
      const last = slice[slice.length - 1 - overlap]!;
      const params = new URLSearchParams(req.query);
      params.delete('cursor');
      params.append('cursor', encodeCursor({ key: last.key, index: last.index, page: (cursor?.page ?? 1) + 1 }));
      headers.link = `<${origin}${req.path}?${params.toString()}>; rel="next"`;
    }
    return { status: 200, headers, body: JSON.stringify(entries), entries };
  }

  /** The models matching `tags` in the listing's order, each with its sort key (ties by `_id`, ascending, as the Hub's cursors read). */
  function order(tags: readonly string[], sort: string, descending: boolean): Ranked[] {
    const reshuffle = sort === 'trendingScore' && (options.trending ?? 'reshuffle') === 'reshuffle';
    const cacheKey = `${[...new Set(tags)].sort().join('\u0000')}\u0001${sort}\u0001${descending}`;
    const cached = reshuffle ? undefined : orderCache.get(cacheKey);
    if (cached) return cached;
    const keyOf = (model: HfModel, index: number): string | number =>
      sort === 'createdAt'
        ? (model.createdAt ?? SYNTHETIC_DATE)
        : sort === 'id'
          ? model.id
          : reshuffle
            ? reshuffledScore(index, tick)
            : indexed.length - index;
    const ranked = select(tags).map(({ model, index }) => ({ model, index, key: keyOf(model, index) }));
    ranked.sort(comparator(descending));
    if (!reshuffle) orderCache.set(cacheKey, ranked);
    return ranked;
  }

  function modelsJson(req: HfRequestInfo): Answer {
    const split = (name: string) =>
      req.query
        .getAll(name)
        .flatMap((v) => v.split(','))
        .filter((v) => v !== '');
    const tags = [...split('library'), ...split('other')];
    const p = Number.parseInt(req.query.get('p') ?? '0', 10) || 0;
    const selected = select(tags);
    const models = selected
      .slice(p * MODELS_JSON_PAGE_SIZE, (p + 1) * MODELS_JSON_PAGE_SIZE)
      .map(({ model }) => ({ id: model.id, private: false, downloads: 0, likes: 0, lastModified: SYNTHETIC_DATE }));
    const body: Record<string, unknown> = { models, numItemsPerPage: MODELS_JSON_PAGE_SIZE };
    // 💭 Only asked-for counts carry numTotalItems (the parameter's name suggests so; unverified).
    if (req.query.get('withCount') === 'true') {
      body.numTotalItems = options.numTotalItems ? options.numTotalItems(tags, selected.length) : selected.length;
    }
    body.pageIndex = p;
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
  }

  function route(req: HfRequestInfo, origin: string): Answer {
    if (req.method !== 'GET') return jsonError(405, 'synthetic: method not allowed');
    if (req.path === '/api/models') return apiModels(req, origin);
    if (req.path === '/models-json') return modelsJson(req);
    return jsonError(404, 'synthetic: not found');
  }

  function budgetAnswer(now: number): Answer | undefined {
    const budget = options.budget;
    if (!budget) return undefined;
    if (budgetWindow.used === 0 || now - budgetWindow.start >= budget.windowMs) budgetWindow = { start: now, used: 0 };
    budgetWindow.used++;
    const resetS = Math.max(1, Math.ceil((budgetWindow.start + budget.windowMs - now) / 1000));
    const policy = `"fixed window";"api";q=${budget.requests};w=${Math.round(budget.windowMs / 1000)}`;
    if (budgetWindow.used > budget.requests) {
      return {
        status: 429,
        headers: { 'content-type': 'application/json', ratelimit: `"api";r=0;t=${resetS}`, 'ratelimit-policy': policy },
        body: JSON.stringify({ error: 'synthetic: rate limit reached' }),
      };
    }
    return undefined;
  }

  function budgetHeaders(now: number): Record<string, string> {
    const budget = options.budget;
    if (!budget) return {};
    const remaining = Math.max(0, budget.requests - budgetWindow.used);
    const resetS = Math.max(1, Math.ceil((budgetWindow.start + budget.windowMs - now) / 1000));
    return {
      ratelimit: `"api";r=${remaining};t=${resetS}`,
      'ratelimit-policy': `"fixed window";"api";q=${budget.requests};w=${Math.round(budget.windowMs / 1000)}`,
    };
  }

  function send(res: ServerResponse, answer: Answer): void {
    res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  }

  async function applyFault(fault: HfFault, info: HfRequestInfo, answer: Answer, res: ServerResponse, origin: string): Promise<void> {
    switch (fault.kind) {
      case 'status': {
        const body =
          typeof fault.body === 'function'
            ? fault.body(info)
            : (fault.body ?? JSON.stringify({ error: `synthetic: HTTP ${fault.status}` }));
        send(res, { status: fault.status, headers: { 'content-type': 'application/json', ...fault.headers }, body });
        return;
      }
      case 'html': {
        const status = fault.status ?? 200;
        const body = `<!DOCTYPE html>\n<html><head><title>Error ${status}</title></head><body><h1>Something went wrong</h1><p>synthetic error page</p></body></html>\n`;
        send(res, { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body });
        return;
      }
      case 'truncated': {
        const half = answer.body.slice(0, Math.floor(answer.body.length / 2));
        if (!fault.abort) {
          send(res, { ...answer, body: half });
          return;
        }
        res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
        res.write(half, () => res.socket?.destroy());
        return;
      }
      case 'non-array': {
        const { link: _dropped, ...headers } = answer.headers;
        send(res, { ...answer, headers, body: JSON.stringify({ models: answer.entries ?? [] }) });
        return;
      }
      case 'missing-id': {
        const entries = (answer.entries ?? []).map((e) => ({ ...e }));
        const index = fault.index ?? Math.floor(entries.length / 2);
        if (entries[index]) {
          delete entries[index].id;
          delete entries[index].modelId;
        }
        send(res, { ...answer, body: JSON.stringify(entries) });
        return;
      }
      case 'link-loop': {
        const target = fault.to === 'first' ? (firstPages.get(info.queryKey) ?? info.url) : info.url;
        send(res, { ...answer, headers: { ...answer.headers, link: `<${origin}${target}>; rel="next"` } });
        return;
      }
      case 'stall': {
        if ((fault.phase ?? 'headers') === 'headers') {
          if (fault.ms === undefined) return; // hang until the client gives up or close() runs
          await delay(fault.ms);
          if (!res.destroyed) send(res, answer);
          return;
        }
        res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
        const cut = Math.floor(answer.body.length / 2);
        res.write(answer.body.slice(0, cut));
        if (fault.ms === undefined) return;
        await delay(fault.ms);
        if (!res.destroyed) res.end(answer.body.slice(cut));
        return;
      }
      case 'reset':
        res.socket?.destroy();
        return;
      case 'trickle': {
        res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
        let sent = 0;
        // Never the last byte: the answer never completes.
        while (!res.destroyed && sent < answer.body.length - 1) {
          res.write(answer.body[sent++]!);
          await delay(fault.everyMs ?? 300);
        }
        return;
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const parsed = new URL(req.url ?? '/', origin);
    const cursor = parsed.searchParams.get('cursor');
    const keyParams = new URLSearchParams(parsed.searchParams);
    keyParams.delete('cursor');
    const keyQuery = keyParams.toString();
    const queryKey = `${parsed.pathname}${keyQuery ? `?${keyQuery}` : ''}`;
    const url = req.url ?? '/';
    const attempt = (attempts.get(url) ?? 0) + 1;
    attempts.set(url, attempt);
    if (cursor === null && !firstPages.has(queryKey)) firstPages.set(queryKey, url);
    const page =
      parsed.pathname === '/models-json'
        ? (Number.parseInt(parsed.searchParams.get('p') ?? '0', 10) || 0) + 1
        : cursor === null
          ? 1
          : (decodeCursor(cursor)?.page ?? 0);
    const info: HfRequestInfo = {
      n: requests.length + 1,
      method: req.method ?? 'GET',
      path: parsed.pathname,
      url,
      query: parsed.searchParams,
      queryKey,
      page,
      attempt,
      authorization: req.headers.authorization,
      userAgent: req.headers['user-agent'],
    };
    requests.push(info);

    if (options.latencyMs) await delay(options.latencyMs);
    if (res.destroyed) return;

    if (options.requireToken !== undefined && info.authorization !== `Bearer ${options.requireToken}`) {
      send(res, jsonError(401, 'synthetic: Invalid credentials in Authorization header'));
      return;
    }
    const fault = options.faults?.[info.n] ?? options.faultFor?.(info);
    const now = Date.now();
    const answer = route(info, origin);
    if (fault) {
      info.fault = fault.kind;
      await applyFault(fault, info, answer, res, origin);
      return;
    }
    const limited = budgetAnswer(now);
    if (limited) {
      send(res, limited);
      return;
    }
    send(res, { ...answer, headers: { ...answer.headers, ...budgetHeaders(now) } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, jsonError(500, `synthetic: server bug: ${String(err)}`));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    get requests() {
      return requests;
    },
    get requestCount() {
      return requests.length;
    },
    countRequests: (path) => (path === undefined ? requests.length : requests.filter((r) => r.path === path).length),
    configure(partial) {
      options = { ...options, ...partial };
      if ('models' in partial) reindex();
      if ('budget' in partial) budgetWindow = { start: 0, used: 0 };
    },
    env: (extra = {}) => ({ HF_ENDPOINT: url, ...extra }),
    reset() {
      requests = [];
      attempts.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A model with its sort key in one listing. */
interface Ranked {
  model: HfModel;
  index: number;
  key: string | number;
}

/** Order by key (descending or not), then by `_id` ascending: the Hub's cursor `{"<key>":v,"_id":{"$gt":…}}`. */
function comparator(descending: boolean) {
  return (a: { key: string | number; index: number }, b: { key: string | number; index: number }): number => {
    if (a.key !== b.key) return (a.key < b.key ? -1 : 1) * (descending ? -1 : 1);
    return a.index - b.index;
  };
}

function jsonError(status: number, message: string): { status: number; headers: Record<string, string>; body: string } {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ error: message }) };
}

/**
 * One `/api/models` entry. Without `expand`: the default listing fields of the reference's verbatim entries
 * (§2: `_id,id,likes,trendingScore,private,downloads,tags,pipeline_tag?,library_name?,createdAt,modelId`).
 * With `expand`: `_id`, `id` and the requested properties only (§2, "When expand is used").
 */
function apiEntry(model: HfModel, index: number, expand: readonly string[], trendingScore: number): Record<string, unknown> {
  const full: Record<string, unknown> = {
    _id: syntheticObjectId(index + 1),
    id: model.id,
    likes: 0,
    trendingScore,
    private: false,
    downloads: 0,
    tags: [...model.tags],
    createdAt: model.createdAt ?? SYNTHETIC_DATE,
    modelId: model.id,
  };
  if (expand.length === 0) return full;
  const known: Record<string, unknown> = {
    ...full,
    author: model.id.split('/')[0],
    lastModified: SYNTHETIC_DATE,
    gated: false,
    disabled: false,
    downloadsAllTime: 0,
    sha: '0'.repeat(40),
  };
  const entry: Record<string, unknown> = { _id: full._id, id: model.id };
  for (const name of expand) if (name in known) entry[name] = known[name];
  return entry;
}

/**
 * An AppConfig holding only the Hub's sections, parsed by the real config parser (`frameworks` default to the
 * built-in four). For tests that call `collect` directly.
 */
export function hfConfig(raw: { frameworks?: { name: string; huggingface?: unknown }[]; huggingface?: unknown } = {}): AppConfig {
  return parseConfig(raw, [huggingface], 'test');
}
