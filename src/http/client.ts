import type { Dispatcher } from 'undici';
import type { Logger } from '../core/logger.js';
import { USER_AGENT } from '../core/version.js';
import { recordingTransport, replayTransport } from './archive.js';
import { HttpError, ReplayMissError } from './errors.js';
import { createHostLimiter, realClock, type Clock, type HostLimiter } from './limiter.js';
import { createRedactor } from './redact.js';
import {
  backoffDelay,
  DEFAULT_RETRY,
  errorCode,
  RETRY_ERROR_CODES,
  RETRY_STATUS_CODES,
  serverRequestedDelay,
  type RetryOptions,
} from './retry.js';
import { liveTransport, liveTransportReady, type Transport } from './transport.js';
import type { HttpClient, HttpResponse, RateLimitPolicy, RequestOptions } from './types.js';

/** `notice`: the replayed archive's NOTICE (see readArchiveNotice). */
export type HttpMode = { kind: 'live' } | { kind: 'record'; dir: string } | { kind: 'replay'; dir: string; notice?: string | null };

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
 * host limiter → retry (a retried request queues again) → status check. Replay skips the limiter and the
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

  let transport: Transport;
  if (mode.kind === 'replay') {
    transport = replayTransport({ dir: mode.dir, collector: options.collector, privateParams });
  } else {
    const live = liveTransport({ dispatcher: options.dispatcher, timeoutMs: options.timeoutMs });
    transport =
      mode.kind === 'record' ? recordingTransport(live, { dir: mode.dir, collector: options.collector, privateParams, redactor }) : live;
  }

  async function get(url: string, requestOptions: RequestOptions = {}): Promise<HttpResponse> {
    const printable = redactor.url(url);
    const headers = { 'user-agent': USER_AGENT, accept: 'application/json', ...options.headers, ...requestOptions.headers };
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse | undefined;
      let failure: string;
      let waitMs: number | undefined;
      let code: string | undefined;
      try {
        if (!replaying) await liveTransportReady();
        res = await (replaying ? transport({ url, headers }) : limiter.schedule(() => transport({ url, headers })));
      } catch (err) {
        if (err instanceof ReplayMissError) throw err;
        code = errorCode(err);
        if (!code || !RETRY_ERROR_CODES.has(code)) {
          throw new HttpError(
            `GET ${printable} failed: ${redactor.text(describe(err))}`,
            { url: printable, code, attempts: attempt },
            { cause: err },
          );
        }
        failure = `network error ${code}`;
      }
      if (res) {
        const reason = RETRY_STATUS_CODES.has(res.status)
          ? `HTTP ${res.status}`
          : res.status < 300
            ? requestOptions.retryIf?.(res)
            : undefined;
        if (!reason) {
          if (res.status >= 200 && res.status < 300) return { ...res, url: printable };
          throw statusError(res, printable, attempt);
        }
        failure = reason;
        waitMs = serverRequestedDelay(res.headers, clock.now());
      }
      failure ??= 'unknown failure';
      if (attempt > retry.maxRetries) {
        throw new HttpError(`GET ${printable} failed after ${attempt} attempts: ${failure}`, {
          url: printable,
          status: res?.status,
          code,
          attempts: attempt,
          body: res ? redactor.text(res.body) : undefined,
        });
      }
      if (waitMs !== undefined && waitMs > retry.maxRetryAfterMs) {
        throw new HttpError(
          `GET ${printable} failed: ${failure} and the server asks to wait ${Math.ceil(waitMs / 1000)} s, more than the ${Math.ceil(retry.maxRetryAfterMs / 1000)} s allowed; try again later`,
          { url: printable, status: res?.status, attempts: attempt, body: res ? redactor.text(res.body) : undefined },
        );
      }
      const delay = Math.max(waitMs ?? 0, backoffDelay(attempt, retry, random));
      // A rate-limit answer holds back every request to the host, not only this one.
      if (res?.status === 429 || waitMs !== undefined) limiter.pauseUntil(clock.now() + delay);
      options.log?.warn(`GET ${printable}: ${failure}; retry ${attempt}/${retry.maxRetries} in ${(delay / 1000).toFixed(1)} s`);
      await clock.sleep(delay);
    }
  }

  function statusError(res: HttpResponse, printable: string, attempts: number): HttpError {
    const body = redactor.text(res.body);
    const snippet = body.replace(/\s+/g, ' ').slice(0, 200);
    return new HttpError(`GET ${printable} failed: HTTP ${res.status}${snippet ? ` ${snippet}` : ''}`, {
      url: printable,
      status: res.status,
      attempts,
      body,
    });
  }

  return { get, redact: redactor.text, replaying };
}

function bearerValue(header: string): string {
  return header.replace(/^Bearer\s+/i, '');
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message.replace(/\s*\n\s*/g, ' ');
  return String(err);
}
