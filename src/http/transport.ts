import type { Agent, Dispatcher } from 'undici';
import { DeadlineError } from './errors.js';
import type { HttpResponse } from './types.js';

// undici is loaded on the first live request, not at startup: `report`, `status` and replays never need it,
// and importing it costs a fifth of a second of every command's start.
let undici: Promise<typeof import('undici')> | undefined;
const loadUndici = () => (undici ??= import('undici'));

/**
 * Loads the HTTP library. Callers await it before taking a rate-limit slot: a first request that waited for the
 * import after its slot would reach the server late and the next one on time, closer together than the spacing.
 */
export async function liveTransportReady(): Promise<void> {
  await loadUndici();
}

export interface TransportRequest {
  url: string;
  headers: Record<string, string>;
  /** `POST` sends the URL's query string as a form body instead (see RequestOptions.queryInBody). @default 'GET' */
  method?: 'GET' | 'POST';
  /** Ends the attempt at once (the client was stopped, or the host given up); it rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** One attempt at one request, no retries: live (undici), recording or replaying. */
export type Transport = (req: TransportRequest) => Promise<HttpResponse>;

/** A whole answer gets this many times the per-attempt timeout: enough for any real page, not for a trickle. */
export const DEADLINE_FACTOR = 3;

export interface LiveTransportOptions {
  /** Tests pass a MockAgent; otherwise one keep-alive Agent per process. */
  dispatcher?: Dispatcher;
  /** Time to wait for response headers, and between body chunks. @default 30000 */
  timeoutMs?: number;
  /**
   * Time from sending the request to the last byte of the answer. The per-chunk timeout alone never ends
   * an answer that trickles in a byte at a time. @default DEADLINE_FACTOR × timeoutMs
   */
  deadlineMs?: number;
}

let sharedAgent: Agent | undefined;
function defaultAgent(lib: typeof import('undici')): Agent {
  sharedAgent ??= new lib.Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  return sharedAgent;
}

export function liveTransport(options: LiveTransportOptions = {}): Transport {
  const timeout = options.timeoutMs ?? 30_000;
  const deadlineMs = options.deadlineMs ?? DEADLINE_FACTOR * timeout;
  return async ({ url, headers, method = 'GET', signal }) => {
    const lib = await loadUndici();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeadlineError(`no complete answer within ${formatSeconds(deadlineMs)}`)), deadlineMs);
    try {
      const target = method === 'POST' ? splitQuery(url) : { url, body: undefined };
      const res = await lib.request(target.url, {
        method,
        headers: target.body === undefined ? headers : { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: target.body,
        dispatcher: options.dispatcher ?? defaultAgent(lib),
        headersTimeout: timeout,
        bodyTimeout: timeout,
        // undici rejects with the signal's reason: a DeadlineError, or why the client stopped.
        signal: signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal,
      });
      const body = await res.body.text();
      return { url, status: res.statusCode, headers: flattenHeaders(res.headers), body };
    } finally {
      clearTimeout(timer);
    }
  };
}

/** `https://h/p?a=1&b=2` → `https://h/p` and the form body `a=1&b=2`. */
function splitQuery(url: string): { url: string; body: string } {
  const parsed = new URL(url);
  const body = parsed.search.slice(1);
  parsed.search = '';
  return { url: parsed.toString(), body };
}

export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
