import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A local stand-in for NCBI ESearch (`GET /entrez/eutils/esearch.fcgi`) on 127.0.0.1:0, for collector, CLI,
 * fault-injection and benchmark tests. It answers with the JSON shapes quoted in
 * /work/shared/reference/pubmed-eutils.md §2 (see fixtures/pubmed/README.md), counts from tables or a
 * function, and every failure mode NCBI is known for, and it records each request (arrival time, query
 * parameters, concurrency) so tests can check pacing and parameters. The numbers it serves are test values,
 * never PubMed data.
 *
 *   const server = await startEsearchServer({ counts: { pytorch: { 2023: 120 } } });
 *   const env = server.env({ NCBI_API_KEY: 'k' });   // NCBI_EUTILS_URL points here
 *   …
 *   await server.close();
 */

/** A term of the form the PubMed collector sends: `(<keyword>) AND Y:Y[dp][ AND 1800/01/01:YYYY/MM/DD[crdt]]`. */
export interface ParsedTerm {
  keyword: string;
  year: number;
  /** Upper `[crdt]` bound, `YYYY/MM/DD`, when present. */
  createdBy?: string;
}

/** A year's total of all records, as the PubMed collector asks it for per_million: `Y:Y[dp][ AND 1800/01/01:YYYY/MM/DD[crdt]]`. */
export interface ParsedTotal {
  year: number;
  createdBy?: string;
}

export type EsearchOutcome =
  | 'count'
  | 'not-found'
  | 'empty-term'
  | 'rate-limited'
  | 'invalid-key'
  | 'fault'
  | 'stalled'
  | 'unknown-path'
  | 'too-long';

export interface EsearchRequest {
  /** 0-based arrival order. */
  index: number;
  /** Arrival time in ms since the epoch, sub-millisecond precision. */
  at: number;
  path: string;
  /** `GET`, or `POST` with the parameters in a form body (E-utilities takes both). */
  method: string;
  /** Length of the request line's URL (path and query), which NCBI limits. */
  urlLength: number;
  /** Decoded query parameters (`api_key` and `email` included: the server is where a test checks they were sent). */
  params: Record<string, string>;
  term?: string;
  parsed?: ParsedTerm;
  /** Set for a year's total (no keyword); `parsed` is then undefined. */
  total?: ParsedTotal;
  /** Requests being handled at arrival, this one included. */
  inFlight: number;
  /** Set when the answer is sent (undefined for stalls). */
  status?: number;
  outcome?: EsearchOutcome;
}

/** A canned answer: JSON, raw text (HTML pages, cut-off JSON), or no answer at all. */
export type EsearchReply =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { status?: number; raw: string; contentType?: string; headers?: Record<string, string> }
  /** `headers`: never answer; `body`: send headers and half a body, then hang. Until the client times out or the server closes. */
  | { stall: 'headers' | 'body' }
  /** Headers, then a count answer one byte every `trickle` ms, never the last one: no gap is a timeout, the answer never ends. */
  | { trickle: number }
  /** Destroy the socket without answering (ECONNRESET / socket closed on the client). */
  | { reset: true };

export interface FaultRule {
  /** Which requests the rule applies to. @default every request */
  match?: (req: EsearchRequest) => boolean;
  /** How many matching requests it answers before it is used up. @default Infinity */
  times?: number;
  reply: EsearchReply | ((req: EsearchRequest) => EsearchReply);
}

export interface EsearchServerOptions {
  /** Counts of `(<keyword>) AND Y:Y[dp]` by keyword (exact text inside the parentheses), then year. Absent: 0, a legitimate zero. */
  counts?: Record<string, Record<number, number>>;
  /** Counts of the same queries with a `[crdt]` bound, by keyword then year. @default round(counts × crdtFraction) */
  crdtCounts?: Record<string, Record<number, number>>;
  /** @default 0.5 */
  crdtFraction?: number;
  /**
   * A year's total of all records (`Y:Y[dp]`, the denominator of per_million), by year; with a `[crdt]` bound,
   * round(total × crdtFraction). @default yearTotal
   */
  totals?: Record<number, number>;
  /** Full control: a count for this request, or undefined to fall back to the tables. */
  count?: (term: ParsedTerm | undefined, req: EsearchRequest) => number | undefined;
  /**
   * Words PubMed does not know (outside quotes, case-insensitive). A term holding one gets
   * `errorlist.phrasesnotfound` and, as PubMed does, the count of the rest of the query: `yearTotal`.
   */
  unknownPhrases?: readonly string[];
  /** Quoted phrases PubMed does not know: `warninglist.quotedphrasesnotfound`, count of the rest. */
  quotedPhrasesNotFound?: readonly string[];
  /** Field tags PubMed knows; any other `[tag]` goes to `errorlist.fieldsnotfound`. @default common PubMed tags */
  knownFields?: readonly string[];
  /** What PubMed counts when it dropped part of a term ("all of 2023"). @default 1000000 */
  yearTotal?: number;
  /** `api_key` values answered with HTTP 400 `{"error":"API key invalid","api-key":"<the key>","type":"invalid"}`. */
  invalidApiKeys?: readonly string[];
  /** Fault rules, tried in order before the normal answer; the first matching rule that is not used up answers. */
  faults?: readonly FaultRule[];
  /**
   * Enforce NCBI's limit: more than `maxRequests` arrivals (`maxRequestsWithKey` when a valid `api_key` is
   * sent) in any sliding `windowMs` get `{"error":"API rate limit exceeded",…}` with `status`. Every arrival
   * counts, rejected ones included.
   */
  rateLimit?: { maxRequests?: number; maxRequestsWithKey?: number; windowMs?: number; status?: 429 | 200 };
  /** Delay before each answer, e.g. longer than the client's spacing to check requests overlap. @default 0 */
  latencyMs?: number | ((req: EsearchRequest) => number);
  /** `querytranslation` in full (non-`rettype=count`) answers. @default the term itself */
  translate?: (term: string) => string;
  /**
   * GETs whose URL (path and query) is longer get HTTP 431, as NCBI answered a 13 KB term (issue 10; rentrez
   * #163 saw 414 for a 2,980-character one). NCBI's exact limit is not published. POSTs are not limited.
   * @default 4096
   */
  maxUrlLength?: number;
}

export interface EsearchServer {
  /** Base E-utilities URL (`http://127.0.0.1:PORT/entrez/eutils`): the value for NCBI_EUTILS_URL. */
  readonly url: string;
  /** Every request so far, in arrival order (live array). */
  readonly requests: readonly EsearchRequest[];
  /** `{ NCBI_EUTILS_URL: url, ...extra }`, an env for the collector. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** Add a fault rule after start (tried after the ones given at start). */
  addFault(rule: FaultRule): void;
  /** Forget recorded requests, rate-limit history and fault rules (tables and other options stay). */
  reset(): void;
  close(): Promise<void>;
}

export const ESEARCH_PATH = '/entrez/eutils/esearch.fcgi';

const DEFAULT_KNOWN_FIELDS = [
  'all fields',
  'all',
  'tiab',
  'title/abstract',
  'ti',
  'title',
  'ab',
  'abstract',
  'ad',
  'affiliation',
  'au',
  'author',
  'mh',
  'mesh terms',
  'majr',
  'tw',
  'text word',
  'pt',
  'la',
  'dp',
  'pdat',
  'edat',
  'crdt',
  'epdat',
  'ppdat',
  'mhda',
  'ta',
  'journal',
];

const HEADER = { type: 'esearch', version: '0.3' };

/** Canned answers for fault rules. Shapes: pubmed-eutils.md §2 (see fixtures/pubmed/README.md). */
export const replies = {
  /** `ERROR` inside HTTP 200, e.g. for `term=((`. */
  errorIn200(message = 'Search Backend failed: syntax error'): EsearchReply {
    return { json: { esearchresult: { ERROR: message } } };
  },
  /** The `ERROR` text with a raw newline that strict JSON parsing rejects (seen past the 9,999 cap). */
  rawNewlineError(): EsearchReply {
    return {
      raw: '{"header":{"type":"esearch","version":"0.3"},"esearchresult":{"ERROR":"Search Backend failed: Exception:\n\'retstart\' cannot be larger than 9998"}}',
      contentType: 'application/json; charset=UTF-8',
    };
  },
  /** An HTML error page (illustrative markup, not a copy of NCBI's). */
  html(status = 200): EsearchReply {
    return {
      status,
      raw: '<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head><body><h1>Service unavailable</h1><p>Please try again later.</p></body></html>',
      contentType: 'text/html; charset=UTF-8',
    };
  },
  /** NCBI's rate-limit JSON; `api-key` holds the key when one was sent, otherwise the client IP. */
  rateLimited(status: 429 | 200 = 429, limit = 3): (req: EsearchRequest) => EsearchReply {
    return (req) => ({
      status,
      json: {
        error: 'API rate limit exceeded',
        'api-key': req.params.api_key ?? '127.0.0.1',
        count: String(limit + 1),
        limit: String(limit),
      },
    });
  },
  /** HTTP 400 that echoes the key: never log it. */
  invalidKey(): (req: EsearchRequest) => EsearchReply {
    return (req) => ({ status: 400, json: { error: 'API key invalid', 'api-key': req.params.api_key ?? '', type: 'invalid' } });
  },
  /** A count answer cut off after `keep` characters. */
  truncated(count = 123, keep = 60): EsearchReply {
    return { raw: JSON.stringify(countBody(count)).slice(0, keep), contentType: 'application/json; charset=UTF-8' };
  },
  /** A normal `rettype=count` answer with this count (as a string, like PubMed). */
  count(count: number): EsearchReply {
    return { json: countBody(count) };
  },
  /** Any JSON body, e.g. `{ esearchresult: { count: 12 } }` to test strict parsing. */
  json(body: unknown, status = 200): EsearchReply {
    return { status, json: body };
  },
  stall(): EsearchReply {
    return { stall: 'headers' };
  },
  /** A count answer that trickles in one byte every `everyMs` and never ends. */
  trickle(everyMs = 300): EsearchReply {
    return { trickle: everyMs };
  },
  /**
   * NCBI's 429 as captured live (issue 10): the rate-limit JSON with the client IP, `Retry-After: 2` and
   * the `X-RateLimit-*` headers, for a client without a key.
   */
  ncbi429(): (req: EsearchRequest) => EsearchReply {
    return () => ({
      status: 429,
      json: { error: 'API rate limit exceeded', 'api-key': '127.0.0.1', count: '5', limit: '3' },
      headers: { 'retry-after': '2', 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '0' },
    });
  },
  /** NCBI's load balancer refusing a request (seen when clients exceed 3 requests/s); status not documented. */
  loadBalancerRefusal(status = 200): EsearchReply {
    return { status, json: { error: '/lbsm/eutils_lb -> Neg', 'api-key': '127.0.0.1', type: 'ip', status: 'ok' } };
  },
  stallBody(): EsearchReply {
    return { stall: 'body' };
  },
  /** The connection is dropped before any answer. */
  reset(): EsearchReply {
    return { reset: true };
  },
};

function countBody(count: number, extra: Record<string, unknown> = {}): unknown {
  return { header: HEADER, esearchresult: { count: String(count), ...extra } };
}

const TERM_PATTERN = /^\((.*)\) AND (\d{4}):(\d{4})\[dp\](?: AND 1800\/01\/01:(\d{4}\/\d{2}\/\d{2})\[crdt\])?$/s;

const TOTAL_PATTERN = /^(\d{4}):(\d{4})\[dp\](?: AND 1800\/01\/01:(\d{4}\/\d{2}\/\d{2})\[crdt\])?$/;

export function parseTotalTerm(term: string): ParsedTotal | undefined {
  const m = TOTAL_PATTERN.exec(term);
  if (!m || m[1] !== m[2]) return undefined;
  return m[3] === undefined ? { year: Number(m[1]) } : { year: Number(m[1]), createdBy: m[3] };
}

export function parseTerm(term: string): ParsedTerm | undefined {
  const m = TERM_PATTERN.exec(term);
  if (!m || m[2] !== m[3]) return undefined;
  return m[4] === undefined ? { keyword: m[1]!, year: Number(m[2]) } : { keyword: m[1]!, year: Number(m[2]), createdBy: m[4] };
}

/**
 * PubMed's `querytranslation` for a term of the collector's form, as PubMed writes it (issue 10): the keyword
 * as `"<keyword>"[All Fields]`, the year as its full `[Date - Publication]` range, the creation bound as
 * `[Date - Create]`. `lostYear` leaves the publication date out, as a bad translation did.
 */
export function pubmedTranslation(term: string, options: { lostYear?: boolean } = {}): string {
  const parsed = parseTerm(term) ?? parseTotalTerm(term);
  if (!parsed) return term;
  // A year's total has no keyword: its translation is the date ranges alone (`all[sb]` when none is left).
  const parts = 'keyword' in parsed ? [`"${parsed.keyword}"[All Fields]`] : [];
  if (!options.lostYear) parts.push(`${parsed.year}/01/01:${parsed.year}/12/31[Date - Publication]`);
  if (parsed.createdBy) parts.push(`1800/01/01:${parsed.createdBy}[Date - Create]`);
  return parts.length > 0 ? parts.join(' AND ') : 'all[sb]';
}

export async function startEsearchServer(options: EsearchServerOptions = {}): Promise<EsearchServer> {
  const requests: EsearchRequest[] = [];
  let faults: { rule: FaultRule; left: number }[] = [];
  let arrivals: number[] = [];
  let inFlight = 0;
  const timers = new Set<NodeJS.Timeout>();
  const addFault = (rule: FaultRule) => faults.push({ rule, left: rule.times ?? Infinity });
  for (const rule of options.faults ?? []) addFault(rule);
  const knownFields = new Set((options.knownFields ?? DEFAULT_KNOWN_FIELDS).map((f) => f.toLowerCase()));
  const invalidKeys = new Set(options.invalidApiKeys ?? []);

  const server = createServer((req, res) => {
    const at = performance.timeOrigin + performance.now();
    // A POST's parameters come in its form body: read it before answering.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, at, Buffer.concat(chunks).toString('utf8')));
  });

  function handle(req: IncomingMessage, res: ServerResponse, at: number, body: string): void {
    const parsedUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
    const params = Object.fromEntries([
      ...parsedUrl.searchParams.entries(),
      ...new URLSearchParams(req.method === 'POST' ? body : '').entries(),
    ]);
    inFlight++;
    const record: EsearchRequest = {
      index: requests.length,
      at,
      path: parsedUrl.pathname,
      method: req.method ?? 'GET',
      urlLength: (req.url ?? '').length,
      params,
      term: params.term,
      parsed: params.term === undefined ? undefined : parseTerm(params.term),
      total: params.term === undefined ? undefined : parseTotalTerm(params.term),
      inFlight,
    };
    requests.push(record);
    res.on('close', () => inFlight--);
    const windowStart = at - (options.rateLimit?.windowMs ?? 1000);
    arrivals = arrivals.filter((t) => t > windowStart);
    arrivals.push(at);

    const { reply, outcome } = answer(record);
    const latency = typeof options.latencyMs === 'function' ? options.latencyMs(record) : (options.latencyMs ?? 0);
    const send = () => {
      timers.delete(timer);
      write(res, record, reply, outcome);
    };
    const timer = setTimeout(send, latency);
    timers.add(timer);
  }

  function answer(record: EsearchRequest): { reply: EsearchReply; outcome: EsearchOutcome } {
    if (record.path !== ESEARCH_PATH) {
      return {
        reply: {
          status: 404,
          raw: '<html><head><title>404 Not Found</title></head><body>Not Found</body></html>',
          contentType: 'text/html',
        },
        outcome: 'unknown-path',
      };
    }
    if (record.method === 'GET' && record.urlLength > (options.maxUrlLength ?? 4096)) {
      return {
        reply: {
          status: 431,
          raw: '<html><head><title>431 Request Header Fields Too Large</title></head><body>Request Header Fields Too Large</body></html>',
          contentType: 'text/html',
        },
        outcome: 'too-long',
      };
    }
    for (const entry of faults) {
      if (entry.left <= 0 || (entry.rule.match && !entry.rule.match(record))) continue;
      entry.left--;
      const reply = typeof entry.rule.reply === 'function' ? entry.rule.reply(record) : entry.rule.reply;
      return { reply, outcome: 'stall' in reply || 'trickle' in reply ? 'stalled' : 'fault' };
    }
    const key = record.params.api_key;
    if (key !== undefined && invalidKeys.has(key)) return { reply: replies.invalidKey()(record), outcome: 'invalid-key' };
    if (options.rateLimit) {
      const limit = key !== undefined ? (options.rateLimit.maxRequestsWithKey ?? 10) : (options.rateLimit.maxRequests ?? 3);
      if (arrivals.length > limit) {
        const reply = replies.rateLimited(options.rateLimit.status ?? 429, limit)(record);
        if ('json' in reply) (reply.json as Record<string, string>).count = String(arrivals.length);
        return { reply, outcome: 'rate-limited' };
      }
    }
    const term = record.term?.trim();
    if (!term) return { reply: { json: { esearchresult: { ERROR: 'Empty term and query_key - nothing todo' } } }, outcome: 'empty-term' };
    return normalAnswer(term, record);
  }

  function normalAnswer(term: string, record: EsearchRequest): { reply: EsearchReply; outcome: EsearchOutcome } {
    const unquoted = term.replace(/"[^"]*"/g, ' ');
    const phrasesNotFound = (options.unknownPhrases ?? []).filter((p) =>
      new RegExp(`(^|[^\\w])${escapeRegExp(p)}($|[^\\w])`, 'i').test(unquoted),
    );
    const fieldsNotFound = [...term.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!).filter((f) => !knownFields.has(f.toLowerCase()));
    const quoted = [...term.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    const quotedNotFound = quoted.filter((q) => (options.quotedPhrasesNotFound ?? []).some((p) => p.toLowerCase() === q.toLowerCase()));
    const dropped = phrasesNotFound.length + fieldsNotFound.length + quotedNotFound.length > 0;

    const parsed = record.parsed;
    let count = options.count?.(parsed, record);
    if (count === undefined) {
      const total = record.total;
      if (dropped) count = options.yearTotal ?? 1_000_000;
      else if (total) {
        const all = options.totals?.[total.year] ?? options.yearTotal ?? 1_000_000;
        count = total.createdBy === undefined ? all : Math.round(all * (options.crdtFraction ?? 0.5));
      } else if (!parsed) count = 0;
      else {
        const base = options.counts?.[parsed.keyword]?.[parsed.year] ?? 0;
        count =
          parsed.createdBy === undefined
            ? base
            : (options.crdtCounts?.[parsed.keyword]?.[parsed.year] ?? Math.round(base * (options.crdtFraction ?? 0.5)));
      }
    }

    const extra: Record<string, unknown> = {};
    if (record.params.rettype !== 'count') {
      // Full answers carry the paging fields and the translation; `rettype=count` ones only the count (§2).
      Object.assign(extra, {
        retmax: '0',
        retstart: '0',
        idlist: [],
        translationset: [],
        querytranslation: (options.translate ?? ((t: string) => t))(term),
      });
    }
    if (dropped) {
      extra.errorlist = { phrasesnotfound: phrasesNotFound, fieldsnotfound: fieldsNotFound };
    }
    if (dropped || count === 0) {
      extra.warninglist = {
        phrasesignored: [],
        quotedphrasesnotfound: quotedNotFound,
        outputmessages: count === 0 ? ['No items found.'] : [],
      };
    }
    return { reply: { json: countBody(count, extra) }, outcome: dropped ? 'not-found' : 'count' };
  }

  function write(res: ServerResponse, record: EsearchRequest, reply: EsearchReply, outcome: EsearchOutcome): void {
    record.outcome = outcome;
    if (res.destroyed) return;
    if ('stall' in reply) {
      if (reply.stall === 'body') {
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
        res.write('{"header":{"type":"esearch","version":"0.3"},"esearchresult":{"co');
      }
      return;
    }
    if ('reset' in reply) {
      res.socket?.destroy();
      return;
    }
    if ('trickle' in reply) {
      const text = JSON.stringify(countBody(1));
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
      let sent = 0;
      const drip = () => {
        timers.delete(timer);
        if (res.destroyed || sent >= text.length - 1) return;
        res.write(text[sent++]!);
        timer = setTimeout(drip, reply.trickle);
        timers.add(timer);
      };
      let timer = setTimeout(drip, 0);
      timers.add(timer);
      return;
    }
    const status = reply.status ?? 200;
    record.status = status;
    const rateHeaders: Record<string, string> = {};
    if (options.rateLimit) {
      const limit =
        record.params.api_key !== undefined ? (options.rateLimit.maxRequestsWithKey ?? 10) : (options.rateLimit.maxRequests ?? 3);
      // NCBI sends these (pubmed-eutils.md §3); the client does not rely on them.
      rateHeaders['x-ratelimit-limit'] = String(limit);
      rateHeaders['x-ratelimit-remaining'] = String(Math.max(0, limit - arrivals.length));
    }
    if ('json' in reply) {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', server: 'Finatra', ...rateHeaders, ...reply.headers });
      res.end(JSON.stringify(reply.json));
    } else {
      res.writeHead(status, { 'content-type': reply.contentType ?? 'text/plain', server: 'Finatra', ...rateHeaders, ...reply.headers });
      res.end(reply.raw);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/entrez/eutils`;

  return {
    url,
    requests,
    env: (extra = {}) => ({ NCBI_EUTILS_URL: url, ...extra }),
    addFault,
    reset() {
      requests.length = 0;
      arrivals = [];
      faults = [];
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

/**
 * Pacing as the server saw it: the smallest gap between two arrivals and the most arrivals in any
 * half-open window `[t, t + windowMs)`.
 */
export function requestTiming(
  requests: readonly Pick<EsearchRequest, 'at'>[],
  windowMs = 1000,
): { minGapMs: number; maxInWindow: number; spanMs: number } {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let minGapMs = Infinity;
  let maxInWindow = times.length > 0 ? 1 : 0;
  for (let i = 1; i < times.length; i++) minGapMs = Math.min(minGapMs, times[i]! - times[i - 1]!);
  for (let i = 0, j = 0; i < times.length; i++) {
    while (j < times.length && times[j]! < times[i]! + windowMs) j++;
    maxInWindow = Math.max(maxInWindow, j - i);
  }
  return { minGapMs, maxInWindow, spanMs: times.length > 1 ? times.at(-1)! - times[0]! : 0 };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
