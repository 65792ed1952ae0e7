import type { Env } from '../../src/core/collector.js';
import { TOOL_NAME } from '../../src/core/version.js';
import { clip } from '../../src/core/errors.js';
import { HostGivenUpError, HttpError } from '../../src/http/errors.js';
import type { HttpResponse, RequestOptions } from '../../src/http/types.js';
import { bodySnippet, htmlTitle, notJsonDetail, oneLine } from '../../src/http/body-text.js';

/**
 * ESearch: building the request and checking the answer at the boundary. Every shape handled here is
 * quoted in /work/shared/reference/pubmed-eutils.md §2 and kept in fixtures/pubmed/.
 */

/** `eutils.ncbi.nlm.nih.gov`, not the deprecated, more heavily throttled `www.ncbi.nlm.nih.gov/entrez/eutils` (§3). */
export const DEFAULT_EUTILS_URL = 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils';

export const INVALID_KEY_MESSAGE = 'NCBI rejected NCBI_API_KEY as invalid; check it or unset it';

/** `NCBI_EUTILS_URL` (tests, mirrors) or the public service, without a trailing slash. */
export function eutilsBaseUrl(env: Env): string {
  return (env.NCBI_EUTILS_URL?.trim() || DEFAULT_EUTILS_URL).replace(/\/+$/, '');
}

/** A set, non-blank environment value. */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * `esearch.fcgi?db=pubmed&retmode=json&retmax=0&term=…` plus `tool`, `email` and `api_key`, which NCBI
 * asks for on every request (NBK25497). `email` and `api_key` are the collector's private params: the HTTP
 * client strips them from archive keys and printable URLs.
 */
export function esearchUrl(base: string, term: string, env: Env): string {
  const params: [string, string | undefined][] = [
    ['db', 'pubmed'],
    ['retmode', 'json'],
    // retmax=0, not rettype=count: the full answer is the one known to carry errorlist/warninglist (the
    // not-found example in pubmed-eutils.md §2 is one) and querytranslation; count-only answers may not.
    ['retmax', '0'],
    ['term', term],
    ['tool', envValue(env, 'NCBI_TOOL') ?? TOOL_NAME],
    ['email', envValue(env, 'NCBI_EMAIL')],
    ['api_key', envValue(env, 'NCBI_API_KEY')],
  ];
  const query = params
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
  return `${base}/esearch.fcgi?${query}`;
}

export type EsearchFailure =
  /** `ERROR` inside HTTP 200, or a top-level `error` that is neither of the two below. */
  'error' | 'html' | 'invalid-json' | 'shape' | 'rate-limited' | 'invalid-key';

/** An answer that carries no usable count. The message is one line and names what PubMed said. */
export class EsearchError extends Error {
  override name = 'EsearchError';
  constructor(
    readonly kind: EsearchFailure,
    message: string,
  ) {
    super(message);
  }
}

export type EsearchAnswer =
  | {
      kind: 'count';
      count: number;
      /** `querytranslation`, when PubMed sent one (not in `rettype=count` answers). */
      translation?: string;
    }
  | {
      /**
       * PubMed dropped part of the term and counted the rest (§2, "unmatched terms are dropped silently"):
       * the count describes a different query and must not be stored.
       */
      kind: 'not-found';
      phrasesNotFound: string[];
      fieldsNotFound: string[];
      quotedPhrasesNotFound: string[];
    };

/**
 * For `retryIf`: NCBI's rate-limit JSON has been reported with HTTP 200 too (§2), so a 2xx answer carrying
 * `{"error":"API rate limit exceeded",…}` is retried like a 429.
 */
export function rateLimitInBody(res: HttpResponse): string | undefined {
  return isRateLimitBody(res.body) ? 'NCBI "API rate limit exceeded" inside HTTP 200' : undefined;
}

/**
 * NCBI's load balancer refusing a request: `{"error":"/lbsm/eutils_lb -> Neg","api-key":"<ip>","type":"ip",
 * "status":"ok"}`, reported by clients sending more than 3 requests per second. It says nothing about the
 * term, so it is retried, not reported as a bad query.
 */
export function loadBalancerRefusal(res: HttpResponse): string | undefined {
  const error = topLevelError(res.body);
  return error?.startsWith('/lbsm/')
    ? `NCBI's load balancer refused the request (HTTP ${res.status}, ${JSON.stringify(clip(error, 60))})`
    : undefined;
}

/**
 * URLs longer than this go by POST (E-utilities takes the same parameters as a form body). NCBI answers
 * long GETs with HTTP 414 or 431 (rentrez #163: a 2,980-character term; a 13 KB term, issue 10) and asks for
 * POST for "very long queries"; Biopython switches above 1,000 characters (§5). Ordinary terms stay GETs.
 */
export const MAX_GET_URL_LENGTH = 1_000;

/** How the HTTP client sends one ESearch URL: body refusals retried, long queries by POST. */
export function esearchRequestOptions(url: string): RequestOptions {
  return {
    retryIf: (res) => rateLimitInBody(res) ?? loadBalancerRefusal(res),
    queryInBody: url.length > MAX_GET_URL_LENGTH,
  };
}

/** Failures that concern every request, not one: after them the collector stops instead of hammering NCBI. */
export function fatalKind(err: unknown): 'invalid-key' | 'rate-limited' | 'host-down' | undefined {
  if (err instanceof EsearchError && (err.kind === 'invalid-key' || err.kind === 'rate-limited')) return err.kind;
  if (!(err instanceof HttpError)) return undefined;
  const body = err.details.body ?? '';
  if (topLevelError(body)?.match(/^API key invalid/i)) return 'invalid-key';
  if (err.details.status === 429 || isRateLimitBody(body)) return 'rate-limited';
  // The HTTP client gave up on the E-utilities host (unreachable, silent, or a wait too long to honour).
  if (err instanceof HostGivenUpError) return 'host-down';
  return undefined;
}

/**
 * Why an answer's `querytranslation` shows that PubMed did not count the year asked for, or undefined when
 * it did. PubMed rewrites `2023:2023[dp]` as `2023/01/01:2023/12/31[Date - Publication]`; a translation
 * that lost it keeps only the creation bound, `1800/01/01:2024/07/20[Date - Create]`, whose text still holds
 * the digits, and the count is then for all years. So the publication-date range itself is looked for: the
 * whole year `year`, tagged `[Date - Publication]`, `[dp]` or `[pdat]`, in today's form or the legacy
 * `"2023/01/01"[PDAT] : "2023/12/31"[PDAT]`.
 */
export function publicationYearProblem(translation: string, year: number): string | undefined {
  const y = String(year);
  const tag = String.raw`\[(?:Date - Publication|dp|pdat)\]`;
  const range = new RegExp(String.raw`(?:^|[^\d/])${y}(?:/01/01)?\s*:\s*${y}(?:/12/31)?\s*${tag}`, 'i');
  const legacy = new RegExp(String.raw`"${y}/01/01"\s*${tag}\s*:\s*"${y}/12/31"\s*${tag}`, 'i');
  if (range.test(translation) || legacy.test(translation)) return undefined;
  return `PubMed's query translation ${JSON.stringify(clip(translation, 120))} lost the publication year ${y} (no ${y} [Date - Publication] range), so the count is not for ${y}; not stored`;
}

/** Checks one ESearch answer (any 2xx the HTTP client resolved with) and extracts the count. Throws EsearchError. */
export function parseEsearchResponse(res: HttpResponse): EsearchAnswer {
  const contentType = res.headers['content-type'] ?? '';
  const body = res.body;
  if (/text\/html/i.test(contentType) || body.trimStart().startsWith('<')) {
    throw new EsearchError(
      'html',
      `NCBI answered HTTP ${res.status} with an HTML page instead of JSON${htmlTitle(body)}; the service may be down or NCBI_EUTILS_URL may be wrong`,
    );
  }
  const json = parseJsonLenient(body);
  if (json === undefined) {
    throw new EsearchError(
      'invalid-json',
      `PubMed's answer is not valid JSON (${notJsonDetail(body)}); it was probably cut off, try again`,
    );
  }
  if (!isRecord(json)) throw new EsearchError('shape', `PubMed's answer is not a JSON object: ${bodySnippet(body)}`);

  if (typeof json.error === 'string') {
    if (/^API key invalid/i.test(json.error)) throw new EsearchError('invalid-key', INVALID_KEY_MESSAGE);
    if (/rate limit/i.test(json.error))
      throw new EsearchError('rate-limited', `NCBI answered ${JSON.stringify(json.error)} (limit ${String(json.limit ?? '?')} requests/s)`);
    throw new EsearchError('error', `NCBI answered error ${JSON.stringify(clip(oneLine(json.error), 160))}`);
  }
  const result = json.esearchresult;
  if (!isRecord(result)) throw new EsearchError('shape', `PubMed's answer has no esearchresult object: ${bodySnippet(body)}`);
  if (result.ERROR !== undefined) {
    throw new EsearchError('error', `PubMed answered ERROR ${JSON.stringify(clip(oneLine(String(result.ERROR)), 160))}`);
  }

  const errorlist = isRecord(result.errorlist) ? result.errorlist : {};
  const warninglist = isRecord(result.warninglist) ? result.warninglist : {};
  const phrasesNotFound = stringList(errorlist.phrasesnotfound);
  const fieldsNotFound = stringList(errorlist.fieldsnotfound);
  const quotedPhrasesNotFound = stringList(warninglist.quotedphrasesnotfound);
  if (phrasesNotFound.length + fieldsNotFound.length + quotedPhrasesNotFound.length > 0) {
    return { kind: 'not-found', phrasesNotFound, fieldsNotFound, quotedPhrasesNotFound };
  }

  // Every number in E-utilities JSON is a string (§2); anything but plain digits is a changed format.
  const count = result.count;
  if (typeof count !== 'string' || !/^\d+$/.test(count) || !Number.isSafeInteger(Number(count))) {
    throw new EsearchError(
      'shape',
      `PubMed's count ${count === undefined ? 'is missing' : `${JSON.stringify(count)} is not a string of digits`}: ${bodySnippet(body)}`,
    );
  }
  const translation = typeof result.querytranslation === 'string' ? result.querytranslation : undefined;
  return translation === undefined ? { kind: 'count', count: Number(count) } : { kind: 'count', count: Number(count), translation };
}

/**
 * JSON.parse, then a second try with raw control characters inside strings escaped: past the 9,999 cap
 * PubMed's `ERROR` text holds a raw newline, which strict JSON rejects (§2). Undefined when neither parses
 * (a cut-off body, for instance).
 */
export function parseJsonLenient(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    try {
      return JSON.parse(escapeControlCharsInStrings(text)) as unknown;
    } catch {
      return undefined;
    }
  }
}

function escapeControlCharsInStrings(text: string): string {
  let out = '';
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (!inString) {
      if (ch === '"') inString = true;
      out += ch;
    } else if (escaped) {
      escaped = false;
      out += ch;
    } else if (ch === '\\') {
      escaped = true;
      out += ch;
    } else if (ch === '"') {
      inString = false;
      out += ch;
    } else if (ch.charCodeAt(0) < 0x20) {
      out += ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? '\\t' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    } else {
      out += ch;
    }
  }
  return out;
}

function isRateLimitBody(body: string): boolean {
  return /rate limit/i.test(topLevelError(body) ?? '');
}

/** The top-level `error` string of a JSON body such as `{"error":"API rate limit exceeded",…}`. */
function topLevelError(body: string): string | undefined {
  if (!body.includes('"error"')) return undefined;
  const json = parseJsonLenient(body);
  return isRecord(json) && typeof json.error === 'string' ? json.error : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).filter((item) => item.trim() !== '');
}
