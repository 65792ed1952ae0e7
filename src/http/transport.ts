import type { Agent, Dispatcher } from 'undici';
import { AnswerTooLargeError, DeadlineError } from './errors.js';
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
  /**
   * `POST` sends `body`, or without one the URL's query string as a form body (RequestOptions.queryInBody).
   * @default 'GET'
   */
  method?: 'GET' | 'POST';
  /** A POST's body, sent as it is with the content type its headers give (HttpClient.post). */
  body?: string;
  /** Ends the attempt at once (the client was stopped, or the host given up); it rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Read a 2xx answer as bytes (RequestOptions.as). @default 'text' */
  as?: 'text' | 'bytes';
  /** Refuse an answer larger than this (RequestOptions.maxBytes). */
  maxBytes?: number;
  /** This attempt's whole-answer deadline, instead of the transport's (RequestOptions.deadlineMs). */
  deadlineMs?: number;
}

/** One attempt at one request, no retries, no redirects followed (the client follows them): live (undici), recording or replaying. */
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
  const defaultDeadlineMs = options.deadlineMs ?? DEADLINE_FACTOR * timeout;
  return async ({ url, headers, method = 'GET', body, signal, as = 'text', maxBytes, deadlineMs = defaultDeadlineMs }) => {
    const lib = await loadUndici();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeadlineError(`no complete answer within ${formatSeconds(deadlineMs)}`)), deadlineMs);
    // undici rejects with the signal's reason: a DeadlineError, or why the client stopped.
    const abort = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    try {
      // A POST without a body of its own sends the URL's query string as a form.
      const form = method === 'POST' && body === undefined;
      const target = form ? splitQuery(url) : { url, body: method === 'POST' ? body : undefined };
      const res = await lib.request(target.url, {
        method,
        headers: form ? { ...headers, 'content-type': 'application/x-www-form-urlencoded' } : headers,
        body: target.body,
        dispatcher: options.dispatcher ?? defaultAgent(lib),
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: abort,
      });
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      if (as === 'bytes' && ok) {
        const bytes = await readBytes(res, maxBytes);
        return { url, status: res.statusCode, headers: flattenHeaders(res.headers), body: '', bytes };
      }
      const text = maxBytes === undefined ? await res.body.text() : new TextDecoder().decode(await readBytes(res, maxBytes));
      return { url, status: res.statusCode, headers: flattenHeaders(res.headers), body: text };
    } finally {
      clearTimeout(timer);
    }
  };
}

type UndiciResponse = Awaited<ReturnType<typeof import('undici')['request']>>;

/** The whole body, refused as soon as it announces or reaches more than `maxBytes`. */
async function readBytes(res: UndiciResponse, maxBytes: number | undefined): Promise<Uint8Array> {
  const limit = maxBytes ?? Number.POSITIVE_INFINITY;
  const announced = Number(res.headers['content-length']);
  const tooLarge = (n: string) => new AnswerTooLargeError(`the answer is ${n} bytes, more than the ${limit} allowed`);
  // Abandoning a body makes it emit an abort error no one else listens for.
  const abandon = () => res.body.once('error', () => undefined).destroy();
  if (Number.isFinite(announced) && announced > limit) {
    abandon();
    throw tooLarge(String(announced));
  }
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) {
      abandon();
      throw tooLarge(`over ${length}`);
    }
    chunks.push(chunk);
  }
  const joined = Buffer.concat(chunks, length);
  return new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
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
