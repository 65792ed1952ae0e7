import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A local stand-in for the OpenAlex works API (`GET /works?…&group_by=publication_year`) on 127.0.0.1:0, for
 * collector, CLI, benchmark and demo-recording runs. It answers in the shape quoted in
 * /work/shared/reference/openalex.md and in genuine answers (issue 19; see fixtures/openalex/README.md): group
 * keys as strings, groups ordered by count (largest first), years without works absent, `meta.groups_count`
 * and `meta.cost_usd`; every answer's `X-RateLimit-*` headers (1 credit, $0.0001, per group_by request; the
 * allowance and the seconds to midnight UTC, when it resets); the genuine refusals (429 "Insufficient budget"
 * with a Retry-After until midnight, 429 "… requests per second", 401 "Invalid or missing API key", 400
 * "Invalid query parameters error."), and the older docs' 403 "slow down" on demand. It records each request so
 * tests can count them and check their parameters. Its numbers are test values, never OpenAlex data.
 *
 *   const server = await startOpenAlexServer({ counts: { pytorch: { 2023: 120 } }, totals: { 2023: 9_000_000 } });
 *   const env = server.env({ OPENALEX_API_KEY: 'k' });   // OPENALEX_URL points here
 *   …
 *   await server.close();
 */

export interface OpenAlexRequest {
  /** 0-based arrival order. */
  index: number;
  /** Arrival time in ms since the epoch, sub-millisecond precision. */
  at: number;
  path: string;
  /** Decoded query parameters (`api_key` included: the server is where a test checks it was sent). */
  params: Record<string, string>;
  /** `search=`, when sent. */
  search?: string;
  /** The `filter=publication_year:` range, when it parses. */
  years?: { from: number; to: number };
  /** Set when the answer is sent. */
  status?: number;
  outcome?: OpenAlexOutcome;
  /** What the answer charged, in USD (`X-RateLimit-Cost-USD`). */
  costUsd?: number;
}

export type OpenAlexOutcome =
  | 'groups'
  | 'no-key'
  | 'invalid-key'
  | 'allowance-spent'
  | 'per-second'
  | 'bad-request'
  | 'fault'
  | 'unknown-path';

export type OpenAlexReply =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { status?: number; raw: string; contentType?: string; headers?: Record<string, string> };

export interface OpenAlexFaultRule {
  match?: (req: OpenAlexRequest) => boolean;
  /** How many matching requests it answers before it is used up. @default Infinity */
  times?: number;
  reply: OpenAlexReply | ((req: OpenAlexRequest) => OpenAlexReply);
}

export interface OpenAlexServerOptions {
  /** Works per publication year matching a search, by the exact `search=` text, then year. Absent: no works. */
  counts?: Record<string, Record<number, number>>;
  /** All works per publication year (a request without `search=`). */
  totals?: Record<number, number>;
  /** Full control: the works of one year for a search (undefined: all works), or undefined to use the tables. */
  count?: (search: string | undefined, year: number, req: OpenAlexRequest) => number | undefined;
  /** Works with no known year, sent as the "unknown" group when the request asks `publication_year:include_unknown`. @default 0 */
  unknownYear?: number;
  /** Keys it accepts; any other `api_key` gets HTTP 401. @default any key */
  validKeys?: readonly string[];
  /** Refuse requests without `api_key` (HTTP 401), as the API may since 13 February 2026. @default false */
  requireKey?: boolean;
  /**
   * A key's daily allowance in USD: every group_by request costs 1 credit, $0.0001; once spent, HTTP 429
   * "Insufficient budget". @default 1 (a free key's day)
   */
  allowanceUsd?: number;
  /** More than this many arrivals in any second get HTTP 429 "Rate limit exceeded: … requests per second". @default no limit */
  maxPerSecond?: number;
  /** Fault rules, tried in order before the normal answer. */
  faults?: readonly OpenAlexFaultRule[];
  /** Delay before each answer. @default 0 */
  latencyMs?: number;
}

export interface OpenAlexServer {
  /** Base URL (`http://127.0.0.1:PORT`): the value for OPENALEX_URL. */
  readonly url: string;
  /** Every request so far, in arrival order (live array). */
  readonly requests: readonly OpenAlexRequest[];
  /** `{ OPENALEX_URL: url, ...extra }`, an env for the collector. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** Add a fault rule after start. */
  addFault(rule: OpenAlexFaultRule): void;
  /** Change the counts (a later day's state). */
  configure(options: Pick<OpenAlexServerOptions, 'counts' | 'totals' | 'count'>): void;
  /** Forget recorded requests, spent allowance, rate history and fault rules (tables and other options stay). */
  reset(): void;
  close(): Promise<void>;
}

/** One credit: what every group_by request costs, with or without search (genuine answers, issue 19). */
export const CREDIT_USD = 0.0001;
/** A free key's day: $1, 10,000 credits. */
export const FREE_DAILY_USD = 1;

/** Seconds to the next midnight UTC, as OpenAlex's `X-RateLimit-Reset` and a spent allowance's Retry-After say. */
export function secondsToMidnightUtc(now = Date.now()): number {
  const midnight = new Date(now);
  midnight.setUTCHours(24, 0, 0, 0);
  return Math.ceil((midnight.getTime() - now) / 1000);
}

/** OpenAlex's USD figures: credits × $0.0001, at most 4 decimals, written as JavaScript writes numbers ("1", "0.9996"). */
const dollars = (credits: number) => String(Math.round(credits) / 10_000);

/**
 * The `X-RateLimit-*` headers of a genuine answer (issue 19; the proxy writes them): the day's figures and seconds
 * to midnight UTC, with what the request cost (`-Cost-USD`, `-Credits-Used`) or, refused, what it would have
 * (`-Cost-Required-USD`, `-Credits-Required`) and a Retry-After.
 */
function rateLimitHeaders(limitCredits: number, remainingCredits: number, refusedFor?: number): Record<string, string> {
  const [cost, credits] = refusedFor === undefined ? ['cost-usd', 'credits-used'] : ['cost-required-usd', 'credits-required'];
  return {
    ...(refusedFor === undefined ? {} : { 'retry-after': String(refusedFor) }),
    'x-ratelimit-limit-usd': dollars(limitCredits),
    'x-ratelimit-remaining-usd': dollars(remainingCredits),
    'x-ratelimit-prepaid-remaining-usd': '0',
    [`x-ratelimit-${cost}`]: dollars(1),
    'x-ratelimit-limit': String(limitCredits),
    'x-ratelimit-remaining': String(remainingCredits),
    'x-ratelimit-onetime-remaining': '0',
    [`x-ratelimit-${credits}`]: '1',
    'x-ratelimit-reset': String(secondsToMidnightUtc()),
  };
}

/** A genuine 429: the same body keys and headers for both limits, told apart by `message` (issue 19). */
function refusal(message: string, limitCredits: number, remainingCredits: number, retryAfter: number): OpenAlexReply {
  return {
    status: 429,
    json: {
      error: 'Rate limit exceeded',
      message,
      retryAfter,
      costUsd: Number(dollars(1)),
      dailyRemainingUsd: Number(dollars(remainingCredits)),
      prepaidRemainingUsd: 0,
      creditsRequired: 1,
      creditsRemaining: remainingCredits,
      onetimeCreditsRemaining: 0,
    },
    headers: rateLimitHeaders(limitCredits, remainingCredits, retryAfter),
  };
}

/** The refusals in their genuine shapes (issue 19; fixtures/openalex): `{ error, message, … }`. */
export const openAlexReplies = {
  /** 429: the day's allowance spent, Retry-After until midnight UTC. */
  allowanceSpent(limitCredits = FREE_DAILY_USD / CREDIT_USD, remainingCredits = 0, headers: Record<string, string> = {}): OpenAlexReply {
    const reply = refusal(
      `Insufficient budget. This request costs $${dollars(1)} but you only have $${dollars(remainingCredits)} remaining. Resets at midnight UTC. Need more? Add funds at https://openalex.org/pricing`,
      limitCredits,
      remainingCredits,
      secondsToMidnightUtc(),
    );
    return { ...reply, headers: { ...reply.headers, ...headers } };
  },
  /** 429: the per-second limit (30 a second for a free key), a short Retry-After. */
  perSecond(limitCredits = FREE_DAILY_USD / CREDIT_USD, remainingCredits = limitCredits, retryAfter = 1): OpenAlexReply {
    return refusal('Rate limit exceeded: 30 requests per second. Please slow down.', limitCredits, remainingCredits, retryAfter);
  },
  /** 403 "Rate limit exceeded; slow down": the older documentation's too-fast answer, kept on demand. */
  slowDown(): OpenAlexReply {
    return { status: 403, json: { error: 'Forbidden', message: 'Rate limit exceeded; slow down' } };
  },
  /** 401 for a key OpenAlex does not know (genuine). */
  invalidKey(): OpenAlexReply {
    return { status: 401, json: { error: 'Invalid or missing API key', message: 'API key not found' } };
  },
  /** 400 for an unknown filter field, a wildcard in search=, … (genuine form; the message names the field). */
  badRequest(
    message = 'publication_yearrr is not a valid field. Valid fields are underscore or hyphenated versions of: publication_year, …',
  ): OpenAlexReply {
    return { status: 400, json: { error: 'Invalid query parameters error.', message } };
  },
  html(status = 502): OpenAlexReply {
    return {
      status,
      raw: '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
      contentType: 'text/html',
    };
  },
  json(body: unknown, status = 200): OpenAlexReply {
    return { status, json: body };
  },
};

/** `publication_year:2015-2026`, `publication_year:2023` (also inside a comma list of filters). */
export function parseYearFilter(filter: string | undefined): { from: number; to: number } | undefined {
  const m = /(?:^|,)publication_year:(\d{4})(?:-(\d{4}))?(?:,|$)/.exec(filter ?? '');
  if (!m) return undefined;
  return { from: Number(m[1]), to: Number(m[2] ?? m[1]) };
}

export async function startOpenAlexServer(options: OpenAlexServerOptions = {}): Promise<OpenAlexServer> {
  const requests: OpenAlexRequest[] = [];
  let faults: { rule: OpenAlexFaultRule; left: number }[] = [];
  let spent = new Map<string, number>();
  let arrivals: number[] = [];
  let tables: Pick<OpenAlexServerOptions, 'counts' | 'totals' | 'count'> = options;
  const timers = new Set<NodeJS.Timeout>();
  const addFault = (rule: OpenAlexFaultRule) => faults.push({ rule, left: rule.times ?? Infinity });
  for (const rule of options.faults ?? []) addFault(rule);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = performance.timeOrigin + performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const params = Object.fromEntries(url.searchParams.entries());
    const record: OpenAlexRequest = {
      index: requests.length,
      at,
      path: url.pathname,
      params,
      ...(params.search === undefined ? {} : { search: params.search }),
      ...(parseYearFilter(params.filter) ? { years: parseYearFilter(params.filter)! } : {}),
    };
    requests.push(record);
    arrivals = arrivals.filter((t) => t > at - 1000);
    arrivals.push(at);
    const { reply, outcome } = answer(record);
    const timer = setTimeout(() => {
      timers.delete(timer);
      write(res, record, reply, outcome);
    }, options.latencyMs ?? 0);
    timers.add(timer);
  });

  function answer(record: OpenAlexRequest): { reply: OpenAlexReply; outcome: OpenAlexOutcome } {
    if (record.path !== '/works') {
      return {
        reply: { status: 404, json: { error: 'Not found', message: `${record.path} is not an endpoint` } },
        outcome: 'unknown-path',
      };
    }
    for (const entry of faults) {
      if (entry.left <= 0 || (entry.rule.match && !entry.rule.match(record))) continue;
      entry.left--;
      return { reply: typeof entry.rule.reply === 'function' ? entry.rule.reply(record) : entry.rule.reply, outcome: 'fault' };
    }
    const key = record.params.api_key;
    if (key === undefined && options.requireKey) {
      return {
        reply: { status: 401, json: { error: 'Invalid or missing API key', message: 'Provide a valid API key' } },
        outcome: 'no-key',
      };
    }
    if (key !== undefined && options.validKeys && !options.validKeys.includes(key)) {
      return { reply: openAlexReplies.invalidKey(), outcome: 'invalid-key' };
    }
    // Credits, as OpenAlex counts them: every group_by request costs one, search or not.
    const budget = Math.round((options.allowanceUsd ?? FREE_DAILY_USD) / CREDIT_USD);
    const used = spent.get(key ?? '') ?? 0;
    if (options.maxPerSecond !== undefined && arrivals.length > options.maxPerSecond) {
      return { reply: openAlexReplies.perSecond(budget, budget - used), outcome: 'per-second' };
    }
    if (used + 1 > budget) return { reply: openAlexReplies.allowanceSpent(budget, budget - used), outcome: 'allowance-spent' };
    if (record.params.group_by !== 'publication_year' && record.params.group_by !== 'publication_year:include_unknown') {
      return { reply: openAlexReplies.badRequest('this stand-in answers group_by=publication_year only'), outcome: 'bad-request' };
    }
    const filterField = /^([^:,]+):/.exec(record.params.filter ?? '')?.[1];
    if (!record.years) {
      return {
        reply: openAlexReplies.badRequest(
          `${filterField ?? record.params.filter ?? 'filter'} is not a valid field. Valid fields are underscore or hyphenated versions of: publication_year, …`,
        ),
        outcome: 'bad-request',
      };
    }
    // A wildcard outside quotes (the genuine rule: the default search is stemmed).
    if (record.search !== undefined && /[*?]/.test(record.search.replace(/"[^"]*"/g, ''))) {
      return {
        reply: openAlexReplies.badRequest(
          `Wildcards (* or ?) require exact (no-stem) search. The default search is stemmed, so the literal text before the wildcard is removed when the work is indexed and the search returns wrong results. Use the search.exact= parameter instead (or the default.search.exact filter), e.g. search.exact=${record.search}.`,
        ),
        outcome: 'bad-request',
      };
    }
    spent.set(key ?? '', used + 1);
    const groups: { key: string; key_display_name: string; count: number }[] = [];
    for (let year = record.years.from; year <= record.years.to; year++) {
      const count =
        tables.count?.(record.search, year, record) ??
        (record.search === undefined ? tables.totals?.[year] : tables.counts?.[record.search]?.[year]) ??
        0;
      // Years without works are absent, as OpenAlex leaves them out.
      if (count > 0) groups.push({ key: String(year), key_display_name: String(year), count });
    }
    if (record.params.group_by.endsWith(':include_unknown') && (options.unknownYear ?? 0) > 0) {
      groups.push({ key: 'unknown', key_display_name: 'unknown', count: options.unknownYear! });
    }
    // Largest first, as OpenAlex orders groups (ties by key, so answers are reproducible).
    groups.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
    const total = groups.reduce((sum, g) => sum + g.count, 0);
    return {
      reply: {
        json: {
          meta: {
            count: total,
            db_response_time_ms: 12,
            page: 1,
            per_page: 200,
            groups_count: groups.length,
            cost_usd: Number(dollars(1)),
          },
          results: [],
          group_by: groups,
        },
        headers: rateLimitHeaders(budget, budget - used - 1),
      },
      outcome: 'groups',
    };
  }

  function write(res: ServerResponse, record: OpenAlexRequest, reply: OpenAlexReply, outcome: OpenAlexOutcome): void {
    record.outcome = outcome;
    if (res.destroyed) return;
    const status = reply.status ?? 200;
    record.status = status;
    const cost = Number(reply.headers?.['x-ratelimit-cost-usd']);
    if (Number.isFinite(cost)) record.costUsd = cost;
    if ('json' in reply) {
      res.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.json));
    } else {
      res.writeHead(status, { 'content-type': reply.contentType ?? 'text/plain', ...reply.headers });
      res.end(reply.raw);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    requests,
    env: (extra = {}) => ({ OPENALEX_URL: url, ...extra }),
    addFault,
    configure(next) {
      tables = { ...tables, ...next };
    },
    reset() {
      requests.length = 0;
      faults = [];
      spent = new Map();
      arrivals = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
