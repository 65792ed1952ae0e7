/** The HTTP surface collectors see. Only src/http/ imports undici. */

import type { RedirectPolicy } from './redirects.js';
import type { HostRetries } from './retry-summary.js';

export interface HttpResponse {
  /** The URL that was requested, secrets stripped (safe to print or store). */
  url: string;
  /** The URL that answered, secrets stripped, when redirects were followed to it (RequestOptions.redirects). */
  finalUrl?: string;
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The answer as text; empty when it was read as bytes (`as: 'bytes'` and a 2xx status). */
  body: string;
  /** The answer as bytes, for `as: 'bytes'` with a 2xx status (a binary file). */
  bytes?: Uint8Array;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /**
   * Inspect a complete response whose status is not retried anyway, and return a reason to retry it, or
   * undefined to accept it (2xx) or fail it (other statuses). For refusals an API words in its body
   * (a rate-limit JSON inside HTTP 200, for example).
   */
  retryIf?: (res: HttpResponse) => string | undefined;
  /**
   * True for an answer to take as it is, whatever its status: never retried, and it pauses nothing. For a
   * quota spent for the day (a 429 that asking again within hours only repeats): a 2xx resolves, any other
   * status rejects at once with an HttpError that carries the answer's headers (a reset time, say).
   */
  final?: (res: HttpResponse) => boolean;
  /**
   * Send the URL's query string as an `application/x-www-form-urlencoded` POST body instead of a GET: the
   * same request for APIs that take both (E-utilities), for queries too long for a URL. Retried like a GET,
   * so only for requests that change nothing on the server.
   */
  queryInBody?: boolean;
  /**
   * `bytes`: a binary file. A 2xx answer is read into `HttpResponse.bytes` (other statuses as text, for their
   * error message), and redirects are followed to any host unless `redirects` says otherwise, as file hosts
   * send downloads to a CDN. @default 'text'
   */
  as?: 'text' | 'bytes';
  /** Refuse an answer larger than this many bytes, without retrying (required with `as: 'bytes'`). */
  maxBytes?: number;
  /**
   * One deadline for the whole request, every attempt, wait and redirect included, instead of the client's
   * per-attempt one: each attempt gets what is left, and none starts once it has passed (a large download).
   */
  deadlineMs?: number;
  /** At most this many attempts (fewer than the client's, for a request that is long to repeat). */
  attempts?: number;
  /**
   * Follow redirects (at most MAX_REDIRECTS, each hop its own request) to where the policy allows; credentials
   * are never sent on to another origin. Without it, a redirect is an answer like any other non-2xx (downloads
   * excepted, see `as`).
   */
  redirects?: RedirectPolicy;
}

export interface HttpClient {
  /**
   * GET with the host's rate limit, retries and timeouts applied. Resolves with any 2xx response;
   * rejects with HttpError for other statuses (after retries where retryable) and network failures, with
   * HostGivenUpError once the host is given up (host-health.ts), and with RequestStoppedError after stop().
   */
  get(url: string, options?: RequestOptions): Promise<HttpResponse>;
  /**
   * POST `body` as it is (a query in a query language, say), with everything `get` applies: rate limit,
   * retries, timeouts, record/replay (the body is part of the recorded key) and redaction. Retried like a GET,
   * so only for requests that change nothing on the server. Set its `content-type` in `options.headers`.
   */
  post(url: string, body: string, options?: RequestOptions): Promise<HttpResponse>;
  /** Remove secrets (tokens, api_key, email) from any text before it is logged, stored or thrown. */
  redact(text: string): string;
  /** Answers come from a `--replay` archive, not the network. */
  readonly replaying: boolean;
  /**
   * Abandon every request of this client: queued ones never start, retry waits and requests in flight end
   * at once, later calls fail at once (all with RequestStoppedError). For a collector that gave up.
   */
  stop(): void;
  /** What its retries came to so far, per host (retry-summary.ts): the run says it once per host. */
  retries(): HostRetries[];
}

/** Per-host request budget. Numbers come from each provider's published policy (see the collector's README). */
export interface RateLimitPolicy {
  /** At most this many requests may start in any window of `windowMs`. */
  maxRequests: number;
  windowMs: number;
  /** Requests allowed in flight at once. */
  concurrency: number;
  /** Minimum gap between two request starts, so a budget is spread instead of burst. @default windowMs / maxRequests */
  minSpacingMs?: number;
}
