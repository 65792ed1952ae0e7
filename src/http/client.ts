import type { Dispatcher } from 'undici';
import { clip } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { USER_AGENT } from '../core/version.js';
import { recordingTransport, replayTransport } from './archive.js';
import { DEADLINE_CODE, HostGivenUpError, HttpError, ReplayMissError, RequestStoppedError } from './errors.js';
import { createHostHealth, DEFAULT_HOST_RULES, type HostRules } from './host-health.js';
import { createHostLimiter, realClock, type Clock, type HostLimiter } from './limiter.js';
import { createRedactor } from './redact.js';
import { ANY_HOST, MAX_REDIRECTS, REDIRECT_STATUSES, withoutCredentials } from './redirects.js';
import { createRetryTally } from './retry-summary.js';
import {
  backoffDelay,
  CONNECTION_ERROR_CODES,
  connectionFailure,
  DEFAULT_RETRY,
  errorCode,
  RETRY_ERROR_CODES,
  RETRY_STATUS_CODES,
  serverRequestedDelay,
  type RetryOptions,
} from './retry.js';
import { formatSeconds, liveTransport, liveTransportReady, type Transport } from './transport.js';
import type { HttpClient, HttpResponse, RateLimitPolicy, RequestOptions } from './types.js';

/** `notice`: the replayed archive's NOTICE (see readArchiveNotice). */
export type HttpMode = { kind: 'live' } | { kind: 'record'; dir: string } | { kind: 'replay'; dir: string; notice?: string | null };

/** A URL quoted in a message is cut to this many characters: a long query must not make a long line. */
export const MAX_URL_IN_MESSAGE = 120;
/** Likewise for an error text or body quoted in a message. */
const MAX_QUOTE_IN_MESSAGE = 150;

export interface HttpClientOptions {
  /** Collector id: names the archive folder and prefixes nothing else. */
  collector: string;
  policy: RateLimitPolicy;
  /** Sent with every request (e.g. `Authorization: Bearer …`). Never recorded or logged. */
  headers?: Record<string, string>;
  /** Secret values to strip from everything that leaves the process. */
  secrets?: readonly (string | undefined)[];
  /** Query parameters stripped from archive keys and printable URLs (e.g. `api_key`, `email`). */
  privateParams?: readonly string[];
  retry?: Partial<RetryOptions>;
  /** Per-attempt timeout for headers and between body chunks. @default 30000 */
  timeoutMs?: number;
  /** Per-attempt deadline for the whole answer. @default DEADLINE_FACTOR × timeoutMs (transport.ts) */
  deadlineMs?: number;
  /** When to give a host up (host-health.ts). @default DEFAULT_HOST_RULES */
  hostRules?: HostRules;
  mode?: HttpMode;
  dispatcher?: Dispatcher;
  /** A limiter shared with other clients of the same host; otherwise one is made from `policy`. */
  limiter?: HostLimiter;
  clock?: Clock;
  random?: () => number;
  log?: Logger;
}

/**
 * The layers, from the wire outward (Renovate's http.ts order): transport (undici, or the archive) →
 * host limiter → retry (a retried request queues again) → status check. Beside them, host health gives up
 * a host that fails every request, and `stop()` ends everything at once. Replay skips the limiter and the
 * waits: the answers are already on disk.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const mode = options.mode ?? { kind: 'live' };
  const privateParams = options.privateParams ?? [];
  const redactor = createRedactor([...(options.secrets ?? []), ...Object.values(options.headers ?? {}).map(bearerValue)], privateParams);
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const random = options.random ?? Math.random;
  const replaying = mode.kind === 'replay';
  const clock: Clock = replaying ? { now: Date.now, sleep: async () => undefined } : (options.clock ?? realClock);
  const limiter = options.limiter ?? createHostLimiter(options.policy, clock);
  const health = createHostHealth(options.hostRules ?? DEFAULT_HOST_RULES);
  const stopper = new AbortController();
  const tally = createRetryTally();

  let transport: Transport;
  if (mode.kind === 'replay') {
    transport = replayTransport({ dir: mode.dir, collector: options.collector, privateParams, redactor });
  } else {
    const live = liveTransport({ dispatcher: options.dispatcher, timeoutMs: options.timeoutMs, deadlineMs: options.deadlineMs });
    transport =
      mode.kind === 'record' ? recordingTransport(live, { dir: mode.dir, collector: options.collector, privateParams, redactor }) : live;
  }

  /**
   * The request, and each redirect it follows as a request of its own (redirects.ts). `requestBody`: a POST's
   * own (HttpClient.post), never redirected; without one, `queryInBody` makes a form POST of the query string.
   */
  async function perform(url: string, requestBody: string | undefined, requestOptions: RequestOptions): Promise<HttpResponse> {
    const { as, maxBytes } = requestOptions;
    const printable = redactor.url(url);
    if (as === 'bytes' && maxBytes === undefined) throw new Error(`GET ${clip(printable, MAX_URL_IN_MESSAGE)}: a download needs maxBytes`);
    const follow = requestBody !== undefined ? undefined : (requestOptions.redirects ?? (as === 'bytes' ? ANY_HOST : undefined));
    const deadline =
      requestOptions.deadlineMs === undefined
        ? undefined
        : { ms: requestOptions.deadlineMs, endAt: clock.now() + requestOptions.deadlineMs };
    const first = new URL(url);
    let current = url;
    let credentials = true;
    for (let hop = 0; ; hop++) {
      const res = await counted(current, requestBody, requestOptions, { deadline, credentials, follow: follow !== undefined });
      const location = follow && REDIRECT_STATUSES.has(res.status) ? res.headers.location : undefined;
      if (follow === undefined || location === undefined)
        return hop === 0 ? res : { ...res, url: printable, finalUrl: redactor.url(current) };
      const request = `GET ${clip(printable, MAX_URL_IN_MESSAGE)}`;
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new HttpError(`${request} failed: HTTP ${res.status} to a Location that is not a URL`, {
          url: printable,
          status: res.status,
          attempts: 1,
        });
      }
      if (hop + 1 > MAX_REDIRECTS) {
        throw new HttpError(
          `${request} failed: more than ${MAX_REDIRECTS} redirects (the last to ${clip(redactor.url(next.toString()), MAX_URL_IN_MESSAGE)})`,
          {
            url: printable,
            status: res.status,
            attempts: 1,
          },
        );
      }
      if (!follow.allowed(first, next)) {
        throw new HttpError(
          `${request} failed: HTTP ${res.status} to ${next.origin}, which is not ${follow.description}; not following it`,
          { url: printable, status: res.status, attempts: 1 },
        );
      }
      // A token for one host is never sent on to another (a CDN's signed URL needs none), as browsers do.
      if (next.origin !== new URL(current).origin) credentials = false;
      current = next.toString();
    }
  }

  /** One request with its attempts, counted for the run's retry summary. */
  async function counted(url: string, requestBody: string | undefined, requestOptions: RequestOptions, hop: Hop): Promise<HttpResponse> {
    const host = new URL(url).origin;
    const retried = { count: 0 };
    try {
      const res = await attempts(url, requestBody, requestOptions, hop, retried);
      if (retried.count > 0) tally.settled(host, true);
      return res;
    } catch (err) {
      if (retried.count > 0) tally.settled(host, false);
      throw err;
    }
  }

  /** One request: its attempts, until an answer, a failure not worth retrying, the last attempt or the deadline. */
  async function attempts(
    url: string,
    requestBody: string | undefined,
    requestOptions: RequestOptions,
    hop: Hop,
    retried: { count: number },
  ): Promise<HttpResponse> {
    const printable = redactor.url(url);
    const method = requestBody !== undefined || requestOptions.queryInBody ? 'POST' : 'GET';
    const { as, maxBytes } = requestOptions;
    const { deadline } = hop;
    const maxAttempts = Math.min(requestOptions.attempts ?? Number.POSITIVE_INFINITY, retry.maxRetries + 1);
    const request = `${method} ${clip(printable, MAX_URL_IN_MESSAGE)}`;
    const host = new URL(url).origin;
    const all = { 'user-agent': USER_AGENT, accept: 'application/json', ...options.headers, ...requestOptions.headers };
    const headers = hop.credentials ? all : withoutCredentials(all);
    /** The request's deadline has passed, or would before another attempt could start. */
    const overDeadline = (attempt: number, last: string) =>
      new HttpError(
        `${request} failed: no complete answer within its deadline of ${formatSeconds(deadline!.ms)} (${attempt} attempt${attempt === 1 ? '' : 's'}, the last: ${last}); the server is too slow now, try again later`,
        { url: printable, code: DEADLINE_CODE, attempts: attempt },
      );
    // Ends queued requests, retry waits and requests in flight when the client stops or the host is given up.
    const signal = AbortSignal.any([stopper.signal, health.signal(host)]);
    for (let attempt = 1; ; attempt++) {
      signal.throwIfAborted();
      let res: HttpResponse | undefined;
      let failure: string;
      let waitMs: number | undefined;
      let code: string | undefined;
      let sentAt = clock.now();
      // Set when this attempt gives the whole host up; thrown unless this request has its own last word.
      let hostError: HostGivenUpError | undefined;
      try {
        if (!replaying) await liveTransportReady();
        const send = () => {
          sentAt = clock.now();
          // What is left of the request's deadline, if it has one; else the client's per-attempt deadline.
          const deadlineMs = deadline === undefined ? undefined : Math.max(1, deadline.endAt - sentAt);
          return transport({ url, headers, method, body: requestBody, signal, as, maxBytes, deadlineMs });
        };
        res = await (replaying ? send() : limiter.schedule(send, signal));
      } catch (err) {
        if (err instanceof ReplayMissError) throw err;
        if (signal.aborted) throw signal.reason;
        code = errorCode(err);
        if (!code || !RETRY_ERROR_CODES.has(code)) {
          throw new HttpError(
            `${request} failed: ${clip(redactor.text(describe(err)), MAX_QUOTE_IN_MESSAGE)}`,
            { url: printable, code, attempts: attempt },
            { cause: err },
          );
        }
        failure = err instanceof Error && err.name === 'DeadlineError' ? err.message : `network error ${code}`;
        const connection = CONNECTION_ERROR_CODES.has(code);
        const streak = health.failed(host, connection, clock.now());
        if (streak.breaks === 'unreachable') {
          // Nothing answers there: that is about the host, not this request.
          throw giveUp(
            new HostGivenUpError(
              host,
              'unreachable',
              `gave up on ${host}: ${connectionFailure(code)} ${streak.inARow} times in a row over ${formatSeconds(streak.spanMs)}; check the network (DNS, proxy, firewall) and that this address is right`,
              { url: printable, code, attempts: attempt },
            ),
          );
        }
        if (streak.breaks === 'silent') {
          hostError = new HostGivenUpError(
            host,
            'silent',
            `gave up on ${host}: no complete answer to ${streak.inARow} requests in a row over ${formatSeconds(streak.spanMs)} (last: ${failure}); the service seems down or overloaded, try again later`,
            { url: printable, code, attempts: attempt },
          );
        }
      }
      if (res && hop.follow && REDIRECT_STATUSES.has(res.status) && res.headers.location !== undefined) {
        // A redirect to follow: the caller sends the next request.
        health.answered(host);
        return { ...res, url: printable };
      }
      if (res && requestOptions.final?.(res)) {
        health.answered(host);
        if (res.status >= 200 && res.status < 300) return { ...res, url: printable };
        const error = statusError(res, request, printable, attempt);
        const headers = Object.fromEntries(Object.entries(res.headers).map(([name, value]) => [name, redactor.text(value)]));
        throw new HttpError(error.message, { ...error.details, headers });
      }
      if (res) {
        const reason = RETRY_STATUS_CODES.has(res.status) ? `HTTP ${res.status}` : requestOptions.retryIf?.(res);
        if (res.status === 429) {
          const rounds = health.rateLimited(host, sentAt, clock.now());
          if (rounds.breaks) {
            hostError = new HostGivenUpError(
              host,
              'rate-limited',
              `gave up on ${host}: HTTP 429 ${rounds.inARow} times in a row, each after waiting as asked (last: ${request}); try again later`,
              { url: printable, status: 429, attempts: attempt, body: redactor.text(res.body) },
            );
          }
        } else health.answered(host);
        if (!reason) {
          if (res.status >= 200 && res.status < 300) return { ...res, url: printable };
          throw statusError(res, request, printable, attempt);
        }
        failure = reason;
        waitMs = serverRequestedDelay(res.headers, clock.now());
      }
      failure ??= 'unknown failure';
      const body = res ? redactor.text(res.body) : undefined;
      if (waitMs !== undefined && waitMs > retry.maxRetryAfterMs) {
        // Waiting that long is not allowed, and asking again sooner would ignore the server: nothing more
        // goes to this host in this run.
        const message = `${request} failed: ${failure} and the server asks to wait ${Math.ceil(waitMs / 1000)} s, more than the ${Math.ceil(retry.maxRetryAfterMs / 1000)} s allowed; try again later`;
        throw giveUp(new HostGivenUpError(host, 'rate-limited', message, { url: printable, status: res?.status, attempts: attempt, body }));
      }
      const delay = Math.max(waitMs ?? 0, backoffDelay(attempt, retry, random));
      // A rate-limit answer holds back every request to the host, not only this one, and whether or not
      // this one is retried: the next request would otherwise go out inside the window the server asked for.
      if (res?.status === 429 || waitMs !== undefined) limiter.pauseUntil(clock.now() + delay);
      if (deadline !== undefined && clock.now() + delay >= deadline.endAt) {
        if (hostError) giveUp(hostError);
        throw overDeadline(attempt, failure);
      }
      if (attempt >= maxAttempts) {
        if (hostError) giveUp(hostError);
        throw new HttpError(`${request} failed after ${attempt} attempts: ${failure}`, {
          url: printable,
          status: res?.status,
          code,
          attempts: attempt,
          body,
        });
      }
      if (hostError) throw giveUp(hostError);
      // Every attempt at debug level (-v); the run sums them up once per host (retry-summary.ts), and a request
      // that fails in the end is said by its collector.
      options.log?.debug(
        `${request}: ${failure}; retry ${attempt}/${Math.min(retry.maxRetries, maxAttempts - 1)} in ${(delay / 1000).toFixed(1)} s`,
      );
      retried.count++;
      tally.retried(host, failure);
      await clock.sleep(delay, signal);
    }
  }

  /** Ends every request to `host`, now and later, with `error`; returns it for throwing. */
  function giveUp(error: HostGivenUpError): HostGivenUpError {
    health.giveUp(error.host, error);
    return error;
  }

  function statusError(res: HttpResponse, request: string, printable: string, attempts: number): HttpError {
    const body = redactor.text(res.body);
    const snippet = clip(body.replace(/\s+/g, ' ').trim(), MAX_QUOTE_IN_MESSAGE);
    return new HttpError(`${request} failed: HTTP ${res.status}${snippet ? ` ${snippet}` : ''}`, {
      url: printable,
      status: res.status,
      attempts,
      body,
    });
  }

  return {
    get: (url, requestOptions = {}) => perform(url, undefined, requestOptions),
    post: (url, body, requestOptions = {}) => perform(url, body, requestOptions),
    redact: redactor.text,
    replaying,
    retries: tally.snapshot,
    stop() {
      if (!stopper.signal.aborted) stopper.abort(new RequestStoppedError(`${options.collector}: stopped; request abandoned`));
    },
  };
}

/** How one hop of a request is sent: the request's shared deadline, whether credentials go with it, whether redirects are followed. */
interface Hop {
  deadline: { ms: number; endAt: number } | undefined;
  credentials: boolean;
  follow: boolean;
}

function bearerValue(header: string): string {
  return header.replace(/^Bearer\s+/i, '');
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message.replace(/\s*\n\s*/g, ' ');
  return String(err);
}
