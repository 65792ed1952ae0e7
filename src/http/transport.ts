import { Agent, request, type Dispatcher } from 'undici';
import type { HttpResponse } from './types.js';

/** One attempt at one request, no retries: live (undici), recording or replaying. */
export type Transport = (req: { url: string; headers: Record<string, string> }) => Promise<HttpResponse>;

export interface LiveTransportOptions {
  /** Tests pass a MockAgent; otherwise one keep-alive Agent per process. */
  dispatcher?: Dispatcher;
  /** Time to wait for response headers, and between body chunks. @default 30000 */
  timeoutMs?: number;
}

let sharedAgent: Agent | undefined;
function defaultAgent(): Agent {
  sharedAgent ??= new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  return sharedAgent;
}

export function liveTransport(options: LiveTransportOptions = {}): Transport {
  const timeout = options.timeoutMs ?? 30_000;
  return async ({ url, headers }) => {
    const res = await request(url, {
      method: 'GET',
      headers,
      dispatcher: options.dispatcher ?? defaultAgent(),
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
