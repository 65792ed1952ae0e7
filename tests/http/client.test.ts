import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClientOptions } from '../../src/http/client.js';
import { HostGivenUpError, HttpError, RequestStoppedError } from '../../src/http/errors.js';
import { DEFAULT_HOST_RULES } from '../../src/http/host-health.js';
import { retrySummaryLines } from '../../src/http/retry-summary.js';
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
  const { clock, sleeps } = skippingClock();
  const log = createMemoryLogger();
  const http = createHttpClient({
    collector: 'test',
    policy: { maxRequests: 100, windowMs: 1000, concurrency: 4, minSpacingMs: 0 },
    retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 },
    clock,
    random: () => 0,
    log,
    ...extra,
  });
  return { http, sleeps, log, clock };
}
const clientWithClock = client;

/** Real time plus the time every recorded sleep "took", so waits are asserted without being waited. */
function skippingClock() {
  const sleeps: number[] = [];
  let skipped = 0;
  const clock = {
    now: () => Date.now() + skipped,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      skipped += ms;
    },
  };
  return { clock, sleeps };
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

  it('takes an answer marked final as it is: a 429 is not retried, nothing waits, its headers come with the error', async () => {
    server = await startServer((_req, res) =>
      json(res, 429, { error: 'Daily limit exceeded', key: 'key-abcdef' }, { 'retry-after': '36000', 'x-echo': 'key-abcdef' }),
    );
    const { http, sleeps } = client({ secrets: ['key-abcdef'] });
    const err = (await http.get(`${server.url}/d`, { final: (r) => r.status === 429 }).catch((e: unknown) => e)) as HttpError;
    expect(err).toBeInstanceOf(HttpError);
    expect(err).not.toBeInstanceOf(HostGivenUpError);
    expect(err.details.status).toBe(429);
    expect(err.details.headers?.['retry-after']).toBe('36000');
    expect(JSON.stringify(err.details)).not.toContain('key-abcdef');
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    // Not marked final, the same answer asks for a wait the client refuses and gives the host up.
    const { http: plain } = client({ secrets: ['key-abcdef'] });
    await expect(plain.get(`${server.url}/d`)).rejects.toBeInstanceOf(HostGivenUpError);
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

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<string> {
  const s = await startServer(() => undefined);
  await s.close();
  return s.url;
}

describe('src/http/client: nothing waits forever', () => {
  it('abandons an answer that trickles past the whole-answer deadline and retries it', async () => {
    server = await startServer((_req, res, i) => {
      if (i > 0) return json(res, 200, { ok: true });
      // One byte every 100 ms: never a gap as long as the 1 s chunk timeout, never the end.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 100);
    });
    const { http, log } = client({ timeoutMs: 1000, deadlineMs: 600 });
    const started = Date.now();
    const res = await http.get(`${server.url}/slow`);
    expect(JSON.parse(res.body)).toEqual({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(log.lines).toContainEqual(expect.stringMatching(/^debug GET \S+\/slow: no complete answer within 0\.6 s; retry 1\/3/));
  });

  it('gives up a trickle that never ends after its retries, with one line', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 50);
    });
    const { http } = client({ timeoutMs: 1000, deadlineMs: 200 });
    const err = (await http.get(`${server.url}/never`).catch((e: unknown) => e)) as HttpError;
    expect(err.message).toBe(`GET ${server.url}/never failed after 4 attempts: no complete answer within 0.2 s`);
    expect(server.requests).toHaveLength(4);
  });

  it('pauses the whole host for Retry-After after a 429 even when no retry follows', async () => {
    let clockNow = () => 0;
    const arrivals: number[] = [];
    server = await startServer((_req, res) => {
      arrivals.push(clockNow());
      json(res, 429, { error: 'API rate limit exceeded' }, { 'retry-after': '2' });
    });
    const { http, clock } = clientWithClock({ retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 60_000 } });
    clockNow = clock.now;
    await expect(http.get(`${server.url}/a`)).rejects.toThrow(/failed after 1 attempts: HTTP 429/);
    await expect(http.get(`${server.url}/b`)).rejects.toThrow(/failed after 1 attempts: HTTP 429/);
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(2000);
  });

  it('gives a host up after 429s in a row that outlast the waits, whatever the number of requests', async () => {
    server = await startServer((_req, res) => json(res, 429, { error: 'API rate limit exceeded' }, { 'retry-after': '1' }));
    const { http } = client({
      retry: { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 },
      hostRules: { ...DEFAULT_HOST_RULES, rateLimited: { answers: 3 } },
    });
    const errors = await Promise.all(Array.from({ length: 8 }, (_, i) => http.get(`${server!.url}/q${i}`).catch((e: unknown) => e)));
    for (const err of errors) expect(err).toBeInstanceOf(HostGivenUpError);
    expect((errors[0] as Error).message).toMatch(
      new RegExp(
        `^gave up on ${escapeRegExp(server.url)}: HTTP 429 3 times in a row, each after waiting as asked \\(last: GET \\S+\\); try again later$`,
      ),
    );
    // Three rounds, not eight requests × six attempts; a request after that never reaches the host.
    expect(server.requests.length).toBeLessThanOrEqual(3 * 4);
    const seen = server.requests.length;
    await expect(http.get(`${server.url}/later`)).rejects.toBeInstanceOf(HostGivenUpError);
    expect(server.requests).toHaveLength(seen);
  });

  it('gives up a host that refuses connections several times in a row: every request fails, later ones at once', async () => {
    const url = await closedPort();
    const { http, log } = client({ retry: { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 } });
    const errors = await Promise.all([1, 2, 3].map((i) => http.get(`${url}/r${i}`).catch((e: unknown) => e)));
    for (const err of errors) expect(err).toBeInstanceOf(HostGivenUpError);
    const message = (errors[0] as Error).message;
    expect(message).toMatch(
      new RegExp(
        `^gave up on ${escapeRegExp(url)}: the connection was refused \\(ECONNREFUSED\\) \\d+ times in a row over \\d+(\\.\\d)? s; check the network \\(DNS, proxy, firewall\\) and that this address is right$`,
      ),
    );
    expect((errors[0] as HostGivenUpError).reason).toBe('unreachable');
    // Every attempt at debug level; nothing at the default level but the failure itself.
    expect(log.lines.filter((l) => l.startsWith('warn'))).toEqual([]);
    expect(log.lines.filter((l) => l.startsWith('debug')).length).toBeGreaterThanOrEqual(1);
    await expect(http.get(`${url}/later`)).rejects.toThrow(message);
  });

  it('gives up a host whose name does not resolve (the reserved .invalid TLD)', async () => {
    const { http } = client({ retry: { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 } });
    const started = Date.now();
    const err = (await http.get('http://adoption-metrics-test.invalid/x').catch((e: unknown) => e)) as HostGivenUpError;
    expect(err).toBeInstanceOf(HostGivenUpError);
    expect(err.message).toMatch(
      /^gave up on http:\/\/adoption-metrics-test\.invalid: its name does not resolve \(ENOTFOUND\) \d times in a row/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives up a host that answers nothing, ending the requests still waiting', async () => {
    server = await startServer(() => undefined);
    const { http } = client({ deadlineMs: 200, hostRules: { ...DEFAULT_HOST_RULES, silent: { failures: 4, spanMs: 0 } } });
    const errors = await Promise.all([1, 2, 3].map((i) => http.get(`${server!.url}/s${i}`).catch((e: unknown) => e)));
    expect(errors.some((e) => e instanceof HostGivenUpError && e.reason === 'silent')).toBe(true);
    expect((errors.find((e) => e instanceof HostGivenUpError) as Error).message).toMatch(
      /^gave up on http:\/\/127\.0\.0\.1:\d+: no complete answer to 4 requests in a row over \d+(\.\d)? s \(last: no complete answer within 0\.2 s\); the service seems down or overloaded, try again later$/,
    );
    // Two rounds of the three: the host is given up at the fourth silence, while the others are in flight.
    expect(server.requests.length).toBeLessThanOrEqual(6);
  });

  it('stop() ends a retry wait, a request in flight and a queued one at once; nothing more is sent', async () => {
    server = await startServer((req, res) => (req.url === '/busy' ? undefined : json(res, 503, 'down')));
    const http = createHttpClient({
      collector: 'test',
      // One at a time: /down is answered and waits to retry, /busy hangs in flight, /queued waits for the slot.
      policy: { maxRequests: 100, windowMs: 1000, concurrency: 1, minSpacingMs: 0 },
      retry: { maxRetries: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, maxRetryAfterMs: 60_000 },
    });
    const waiting = http.get(`${server.url}/down`).catch((e: unknown) => e);
    const inFlight = http.get(`${server.url}/busy`).catch((e: unknown) => e);
    const queued = http.get(`${server.url}/queued`).catch((e: unknown) => e);
    while (server.requests.length < 2) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    http.stop();
    for (const err of await Promise.all([waiting, inFlight, queued])) expect(err).toBeInstanceOf(RequestStoppedError);
    expect(Date.now() - started).toBeLessThan(500);
    expect(server.requests.map((r) => r.url).sort()).toEqual(['/busy', '/down']);
    await expect(http.get(`${server.url}/after`)).rejects.toBeInstanceOf(RequestStoppedError);
  });
});

describe('src/http/client: long requests', () => {
  it('sends the query as a form body when asked, and keeps the quoted URL short in messages', async () => {
    const bodies: string[] = [];
    server = await startServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push(`${req.method} ${req.headers['content-type']} ${body.length}`);
        json(res, 503, { error: 'x'.repeat(5000) });
      });
    });
    const { http } = client({ retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } });
    const term = 'a'.repeat(13_000);
    const err = (await http
      .get(`${server.url}/esearch.fcgi?db=pubmed&term=${term}`, { queryInBody: true })
      .catch((e: unknown) => e)) as HttpError;
    expect(server.requests[0]!.url).toBe('/esearch.fcgi');
    expect(bodies).toEqual([`POST application/x-www-form-urlencoded ${'db=pubmed&term='.length + 13_000}`]);
    expect(err.message).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/esearch\.fcgi\?db=pubmed&term=a+… failed after 1 attempts: HTTP 503$/);
    expect(err.message.length).toBeLessThan(250);
    expect(err.details.url).toContain(term);
  });

  it('quotes at most 200 characters of an error body', async () => {
    server = await startServer((_req, res) => json(res, 400, { error: 'y'.repeat(30_000) }));
    const { http } = client();
    const err = (await http.get(`${server.url}/q`).catch((e: unknown) => e)) as HttpError;
    expect(err.message.length).toBeLessThan(300);
    expect(err.message).toMatch(/^GET \S+ failed: HTTP 400 \{"error":"y+…$/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('src/http/client: retries are summed up, not logged one line each', () => {
  it('logs every attempt at debug level only, and counts per host what they came to', async () => {
    // /ok fails twice then answers; /bad never answers well.
    server = await startServer((req, res) => {
      const n = server!.requests.filter((r) => r.url === req.url).length;
      if (req.url === '/ok' && n > 2) return json(res, 200, { ok: true });
      return json(res, 502, '<html>bad gateway</html>');
    });
    const { http, log } = client();
    await http.get(`${server.url}/ok`);
    await expect(http.get(`${server.url}/bad`)).rejects.toThrow(/failed after 4 attempts: HTTP 502/);
    // Nothing at the default level: 5 attempts after a first one, each a debug line.
    expect(log.lines.filter((l) => !l.startsWith('debug'))).toEqual([]);
    expect(log.lines.filter((l) => /^debug GET \S+: HTTP 502; retry \d\/3 in /.test(l))).toHaveLength(5);
    expect(http.retries()).toEqual([{ host: server.url, retries: 5, reasons: new Map([['HTTP 502', 5]]), recovered: 1, failed: 1 }]);
  });

  it('says one line per host for a whole run, over every client that used it', () => {
    const host = 'https://eutils.ncbi.nlm.nih.gov';
    const lines = retrySummaryLines([
      [
        {
          host,
          retries: 100,
          reasons: new Map([
            ['HTTP 429', 60],
            ['network error ECONNRESET', 30],
            ['HTTP 502', 6],
            ['HTTP 503', 4],
          ]),
          recovered: 20,
          failed: 2,
        },
        { host: 'https://quiet.example', retries: 0, reasons: new Map(), recovered: 0, failed: 0 },
      ],
      [{ host, retries: 10, reasons: new Map([['HTTP 429', 10]]), recovered: 1, failed: 0 }],
      [{ host: 'https://huggingface.co', retries: 1, reasons: new Map([['HTTP 500', 1]]), recovered: 1, failed: 0 }],
    ]);
    expect(lines).toEqual([
      'https://eutils.ncbi.nlm.nih.gov: 110 retries of 23 requests this run (HTTP 429 ×70, network error ECONNRESET ×30, HTTP 502 ×6, other ×4); 21 got their answer on a retry, 2 failed (said above); -v shows every attempt',
      'https://huggingface.co: 1 retry of 1 request this run (HTTP 500 ×1); 1 got their answer on a retry; -v shows every attempt',
    ]);
  });
});

describe('src/http/client: POST with a body of its own', () => {
  /** A server that records each request's method, content type and body, then answers as `reply` says. */
  function bodyServer(reply: (res: import('node:http').ServerResponse, i: number, body: string) => void) {
    const seen: { method: string; type: string; body: string; key: string | undefined }[] = [];
    return startServer((req, res, i) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', type: req.headers['content-type'] ?? '', body, key: req.headers['x-secret-key'] as string });
        reply(res, i, body);
      });
    }).then((s) => ({ ...s, seen }));
  }

  it('sends the body as it is, and retries a 5xx and a reset like a GET, with the same body each time', async () => {
    const s = await bodyServer((res, i) => {
      if (i === 0) return json(res, 503, { error: 'busy' });
      if (i === 1) return res.destroy();
      json(res, 200, { ok: true });
    });
    server = s;
    const { http, sleeps } = client();
    const sql = 'SELECT 1\nFORMAT JSONCompact';
    const res = await http.post(`${s.url}/?param_x=1`, sql, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(JSON.parse(res.body)).toEqual({ ok: true });
    expect(s.seen).toEqual(Array(3).fill({ method: 'POST', type: 'text/plain; charset=utf-8', body: sql, key: undefined }));
    expect(s.requests.map((r) => r.url)).toEqual(Array(3).fill('/?param_x=1'));
    expect(sleeps).toHaveLength(2);
  });

  it('never prints a secret header value, even when the server echoes it', async () => {
    const secret = 'sEcReT-pass-123';
    const s = await bodyServer((res, _i, body) => json(res, 500, { echoed: secret, body }));
    server = s;
    const { http, log } = client({
      headers: { 'x-secret-key': secret },
      retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    });
    const err = (await http.post(`${s.url}/`, 'SELECT 2').catch((e: unknown) => e)) as HttpError;
    expect(s.seen[0]!.key).toBe(secret);
    expect(err.message).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/ failed after 2 attempts: HTTP 500$/);
    const printed = [err.message, err.details.url, err.details.body, ...log.lines].join('\n');
    expect(printed).toContain('SELECT 2');
    expect(printed).not.toContain(secret);
  });

  it('abandons a POST answer that trickles past the deadline and retries it', async () => {
    const s = await bodyServer((res, i) => {
      if (i > 0) return json(res, 200, { ok: true });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 100);
    });
    server = s;
    const { http, log } = client({ timeoutMs: 1000, deadlineMs: 500 });
    const res = await http.post(`${s.url}/`, 'SELECT 3');
    expect(JSON.parse(res.body)).toEqual({ ok: true });
    expect(s.seen.map((x) => x.body)).toEqual(['SELECT 3', 'SELECT 3']);
    expect(log.lines).toContainEqual(expect.stringMatching(/^debug POST \S+\/: no complete answer within 0\.5 s; retry 1\/3/));
  });

  it('takes an answer marked final as it is: a 500 the server explains is not retried', async () => {
    const s = await bodyServer((res) =>
      json(res, 500, 'Code: 201. DB::Exception: Quota exceeded. (QUOTA_EXCEEDED)', { 'x-clickhouse-exception-code': '201' }),
    );
    server = s;
    const { http, sleeps } = client();
    const err = (await http
      .post(`${s.url}/`, 'SELECT 4', { final: (r) => r.headers['x-clickhouse-exception-code'] !== undefined })
      .catch((e: unknown) => e)) as HttpError;
    expect(err.details).toMatchObject({ status: 500, attempts: 1 });
    expect(err.details.headers?.['x-clickhouse-exception-code']).toBe('201');
    expect(s.seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});
