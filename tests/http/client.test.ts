import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClientOptions } from '../../src/http/client.js';
import { HttpError } from '../../src/http/errors.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { json, startServer } from '../helpers/http-server.js';

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Real time for the wire, recorded (not slept) waits, so backoff is asserted exactly and takes no time. */
function client(extra: Partial<HttpClientOptions> = {}) {
  const sleeps: number[] = [];
  let skipped = 0; // virtual time the recorded sleeps "took"
  const log = createMemoryLogger();
  const http = createHttpClient({
    collector: 'test',
    policy: { maxRequests: 100, windowMs: 1000, concurrency: 4, minSpacingMs: 0 },
    retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 },
    clock: {
      now: () => Date.now() + skipped,
      sleep: async (ms) => {
        sleeps.push(ms);
        skipped += ms;
      },
    },
    random: () => 0,
    log,
    ...extra,
  });
  return { http, sleeps, log };
}

describe('src/http/client', () => {
  it('retries a 429 after the Retry-After the server asked for', async () => {
    server = await startServer((_req, res, i) =>
      i === 0 ? json(res, 429, { error: 'slow down' }, { 'retry-after': '2' }) : json(res, 200, { ok: true }),
    );
    const { http, sleeps } = client();
    const res = await http.get(`${server.url}/x`);
    expect(JSON.parse(res.body)).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });

  it('waits t+1 s on a Hub 429 carrying RateLimit: r=0;t=…', async () => {
    server = await startServer((_req, res, i) =>
      i === 0
        ? json(res, 429, 'Too Many Requests', { ratelimit: '"api";r=0;t=4', 'ratelimit-policy': '"fixed window";"api";q=500;w=300' })
        : json(res, 200, []),
    );
    const { http, sleeps } = client();
    await http.get(`${server.url}/api/models`);
    expect(sleeps).toEqual([5000]);
  });

  it('retries 5xx with exponential backoff, then succeeds', async () => {
    server = await startServer((_req, res, i) =>
      i < 2 ? json(res, i === 0 ? 502 : 503, '<html>bad gateway</html>') : json(res, 200, 'ok'),
    );
    const { http, sleeps, log } = client();
    const res = await http.get(`${server.url}/y`);
    expect(res.status).toBe(200);
    expect(sleeps).toEqual([50, 100]);
    expect(log.lines.filter((l) => l.includes('retry'))).toHaveLength(2);
  });

  it('retries a connection reset', async () => {
    server = await startServer((req, res, i) => (i === 0 ? req.socket.destroy() : json(res, 200, 'after reset')));
    const { http, sleeps } = client();
    const res = await http.get(`${server.url}/z`);
    expect(res.body).toBe('after reset');
    expect(sleeps).toHaveLength(1);
  });

  it('gives up after the last retry with a one-line error naming the URL and the cause', async () => {
    server = await startServer((_req, res) => json(res, 503, 'down'));
    const { http } = client();
    const err = await http.get(`${server.url}/down?x=1`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).message).toBe(`GET ${server.url}/down?x=1 failed after 4 attempts: HTTP 503`);
    expect(server.requests).toHaveLength(4);
  });

  it('does not retry other 4xx answers and keeps their body for the caller', async () => {
    server = await startServer((_req, res) => json(res, 400, { error: 'bad term' }));
    const { http } = client();
    const err = (await http.get(`${server.url}/q`).catch((e: unknown) => e)) as HttpError;
    expect(err.details.status).toBe(400);
    expect(JSON.parse(err.details.body!)).toEqual({ error: 'bad term' });
    expect(server.requests).toHaveLength(1);
  });

  it('fails fast when the server asks for a longer wait than allowed', async () => {
    server = await startServer((_req, res) => json(res, 429, 'no', { 'retry-after': '3600' }));
    const { http, sleeps } = client();
    await expect(http.get(`${server.url}/q`)).rejects.toThrow(/asks to wait 3600 s, more than the 60 s allowed/);
    expect(sleeps).toEqual([]);
  });

  it('retries a stalled response past the timeout', async () => {
    server = await startServer((_req, res, i) => {
      if (i === 0) return; // never answer: the client must time out
      json(res, 200, 'fresh');
    });
    const { http } = client({ timeoutMs: 300 });
    const res = await http.get(`${server.url}/stall`);
    expect(res.body).toBe('fresh');
    expect(server.requests).toHaveLength(2);
  });

  it('retries when retryIf finds an error inside HTTP 200', async () => {
    server = await startServer((_req, res, i) => json(res, 200, i === 0 ? { error: 'API rate limit exceeded' } : { count: '1' }));
    const { http } = client();
    const res = await http.get(`${server.url}/e`, { retryIf: (r) => (r.body.includes('"error"') ? 'rate limit in body' : undefined) });
    expect(JSON.parse(res.body)).toEqual({ count: '1' });
  });

  it('sends the tool User-Agent and credentials, and never prints the secrets', async () => {
    server = await startServer((req, res) => json(res, 401, { echoed: req.headers.authorization, url: req.url }));
    const token = 'hf_SECRETtoken123456';
    const { http, log } = client({ headers: { authorization: `Bearer ${token}` }, secrets: ['key-abcdef'], privateParams: ['api_key'] });
    const err = (await http.get(`${server.url}/p?term=x&api_key=key-abcdef`).catch((e: unknown) => e)) as HttpError;
    expect(server.requests[0]!.headers['user-agent']).toMatch(/^adoption-metrics\/\d+\.\d+\.\d+/);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${token}`);
    expect(server.requests[0]!.url).toContain('api_key=key-abcdef');
    const printed = [err.message, err.details.url, err.details.body, ...log.lines].join('\n');
    expect(printed).not.toContain(token);
    expect(printed).not.toContain('key-abcdef');
    expect(err.message).toContain('/p?term=x');
  });
});
