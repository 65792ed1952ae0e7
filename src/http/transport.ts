import type { Agent, Dispatcher } from 'undici';
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

/** One attempt at one request, no retries: live (undici), recording or replaying. */
export type Transport = (req: { url: string; headers: Record<string, string> }) => Promise<HttpResponse>;

export interface LiveTransportOptions {
  /** Tests pass a MockAgent; otherwise one keep-alive Agent per process. */
  dispatcher?: Dispatcher;
  /** Time to wait for response headers, and between body chunks. @default 30000 */
  timeoutMs?: number;
}

let sharedAgent: Agent | undefined;
function defaultAgent(lib: typeof import('undici')): Agent {
  sharedAgent ??= new lib.Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  return sharedAgent;
}

export function liveTransport(options: LiveTransportOptions = {}): Transport {
  const timeout = options.timeoutMs ?? 30_000;
  return async ({ url, headers }) => {
    const lib = await loadUndici();
    const res = await lib.request(url, {
      method: 'GET',
      headers,
      dispatcher: options.dispatcher ?? defaultAgent(lib),
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const body = await res.body.text();
    return { url, status: res.statusCode, headers: flattenHeaders(res.headers), body };
  };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
