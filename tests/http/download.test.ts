import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClientOptions } from '../../src/http/client.js';
import { HttpError } from '../../src/http/errors.js';
import { json, startServer } from '../helpers/http-server.js';

type Server = Awaited<ReturnType<typeof startServer>>;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(handler: Parameters<typeof startServer>[0]): Promise<Server> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

const TOKEN = 'hf_downloadtoken123456';
/** Every byte value, twice: a body that is not text in any encoding. */
const FILE = new Uint8Array([...Array(512).keys()].map((i) => i % 256));

function client(extra: Partial<HttpClientOptions> = {}) {
  return createHttpClient({
    collector: 'files',
    policy: { maxRequests: 100, windowMs: 1000, concurrency: 2, minSpacingMs: 0 },
    headers: { authorization: `Bearer ${TOKEN}` },
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 },
    ...extra,
  });
}

function sendFile(res: import('node:http').ServerResponse, bytes: Uint8Array, headers: Record<string, string> = {}) {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length), ...headers });
  res.end(Buffer.from(bytes));
}

/** A handler that sends the bytes 0 to 9, one every `everyMs`. */
function drip(everyMs: number): Parameters<typeof startServer>[0] {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '10' });
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      res.write(Buffer.from([sent++]));
      if (sent === 10) {
        clearInterval(timer);
        res.end();
      }
    }, everyMs);
  };
}

describe("src/http: downloads (as: 'bytes')", () => {
  it('reads a binary answer byte for byte, following a redirect to another host without the token', async () => {
    const cdn = await serve((_req, res) => sendFile(res, FILE));
    const hub = await serve((_req, res) => {
      res.writeHead(302, { location: `${cdn.url}/signed/file.parquet?sig=abc` });
      res.end('Found. Redirecting');
    });
    const res = await client().get(`${hub.url}/datasets/o/n/resolve/abc/data/f.parquet`, { as: 'bytes', maxBytes: 10_000 });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect([...res.bytes!]).toEqual([...FILE]);
    // The URL reported is the one asked for; the CDN got no credentials, the Hub did.
    expect(res.url).toMatch(/\/datasets\/o\/n\/resolve\/abc\/data\/f\.parquet$/);
    expect(hub.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(cdn.requests[0]!.headers.authorization).toBeUndefined();
    expect(cdn.requests[0]!.url).toBe('/signed/file.parquet?sig=abc');
  });

  it('refuses an answer larger than maxBytes at once, announced or not, and never retries it', async () => {
    const announced = await serve((_req, res) => sendFile(res, FILE));
    const err = (await client()
      .get(`${announced.url}/big`, { as: 'bytes', maxBytes: 100 })
      .catch((e: unknown) => e)) as HttpError;
    expect(err).toBeInstanceOf(HttpError);
    expect(err.message).toMatch(/^GET \S+\/big failed: the answer is 512 bytes, more than the 100 allowed$/);
    expect(announced.requests).toHaveLength(1);

    // Chunked, no Content-Length: stopped once the bytes read pass the limit.
    const chunked = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let i = 0; i < 8; i++) res.write(Buffer.from(FILE));
      res.end();
    });
    const err2 = (await client()
      .get(`${chunked.url}/big`, { as: 'bytes', maxBytes: 1000 })
      .catch((e: unknown) => e)) as HttpError;
    expect(err2.message).toMatch(/failed: the answer is over \d+ bytes, more than the 1000 allowed$/);
    expect(chunked.requests).toHaveLength(1);
  });

  it('reads an error answer as text for its message', async () => {
    const hub = await serve((_req, res) => json(res, 404, { error: 'Entry not found' }));
    const err = (await client()
      .get(`${hub.url}/missing.parquet`, { as: 'bytes', maxBytes: 100 })
      .catch((e: unknown) => e)) as HttpError;
    expect(err.message).toMatch(/failed: HTTP 404 \{"error":"Entry not found"\}$/);
  });

  it('has one deadline for the whole download, shared by its attempts, and a clear line when it passes', async () => {
    // 10 bytes 300 ms apart: 3 s for the file, past the download's 1.5 s for all its attempts together.
    const slow = await serve(drip(300));
    const http = client({ timeoutMs: 1000, retry: { maxRetries: 5, baseDelayMs: 1, maxDelayMs: 2 } });
    const started = Date.now();
    const err = (await http
      .get(`${slow.url}/f`, { as: 'bytes', maxBytes: 100, deadlineMs: 1500, attempts: 3 })
      .catch((e: unknown) => e)) as HttpError;
    const took = Date.now() - started;
    expect(err.message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/f failed: no complete answer within its deadline of 1\.5 s \(1 attempt, the last: no complete answer within 1\.5 s\); the server is too slow now, try again later$/,
    );
    expect(err.details.code).toBe('ERR_ANSWER_DEADLINE');
    // Once, not once per attempt: the 1.5 s are for the whole download.
    expect(slow.requests).toHaveLength(1);
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(2800);
  });

  it('makes at most the attempts a download allows', async () => {
    const failing = await serve((_req, res) => json(res, 502, 'bad gateway'));
    const err = (await client({ retry: { maxRetries: 5, baseDelayMs: 1, maxDelayMs: 2 } })
      .get(`${failing.url}/f`, { as: 'bytes', maxBytes: 100, deadlineMs: 60_000, attempts: 3 })
      .catch((e: unknown) => e)) as HttpError;
    expect(err.message).toMatch(/failed after 3 attempts: HTTP 502$/);
    expect(failing.requests).toHaveLength(3);
  });

  it("gives a download its own whole-answer deadline instead of the client's", async () => {
    // 10 chunks 100 ms apart: about 1 s, past the client's 0.5 s deadline, within the request's 5 s.
    const slow = await serve(drip(100));
    const http = client({ timeoutMs: 400, deadlineMs: 500, retry: { maxRetries: 0 } });
    const res = await http.get(`${slow.url}/f`, { as: 'bytes', maxBytes: 100, deadlineMs: 5000 });
    expect([...res.bytes!]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const late = await http.get(`${slow.url}/f`, { as: 'bytes', maxBytes: 100 }).catch((e: unknown) => e);
    expect((late as Error).message).toMatch(/no complete answer within 0\.5 s/);
  });

  it('needs a size limit', async () => {
    await expect(client().get('http://127.0.0.1:9/f', { as: 'bytes' })).rejects.toThrow(/a download needs maxBytes/);
  });

  it('is recorded as base64 and replayed as the same bytes, under the URL asked for', async () => {
    const cdn = await serve((_req, res) => sendFile(res, FILE));
    const hub = await serve((_req, res) => {
      res.writeHead(307, { location: `${cdn.url}/blob` });
      res.end();
    });
    const dir = mkdtempSync(join(tmpdir(), 'am-download-'));
    const url = `${hub.url}/datasets/o/n/resolve/abc/f.parquet`;
    await client({ mode: { kind: 'record', dir } }).get(url, { as: 'bytes', maxBytes: 10_000 });
    // Each hop is recorded under its own request: the redirect as a redirect, the file under the CDN's path.
    const entries = readdirSync(join(dir, 'files')).map((f) =>
      JSON.parse(gunzipSync(readFileSync(join(dir, 'files', f))).toString('utf8')),
    );
    const byKey = new Map(entries.map((e) => [e.key, e]));
    expect([...byKey.keys()].sort()).toEqual(['GET /blob', 'GET /datasets/o/n/resolve/abc/f.parquet']);
    expect(byKey.get('GET /datasets/o/n/resolve/abc/f.parquet').responses[0]).toMatchObject({
      status: 307,
      headers: { location: `${cdn.url}/blob` },
    });
    expect(byKey.get('GET /blob').responses[0]).toMatchObject({ status: 200, body: '', bodyBase64: Buffer.from(FILE).toString('base64') });
    expect(JSON.stringify(entries)).not.toContain(TOKEN);

    const replay = client({ mode: { kind: 'replay', dir } });
    const res = await replay.get('https://huggingface.co/datasets/o/n/resolve/abc/f.parquet', { as: 'bytes', maxBytes: 10_000 });
    expect([...res.bytes!]).toEqual([...FILE]);
    expect(res.url).toBe('https://huggingface.co/datasets/o/n/resolve/abc/f.parquet');
    // The size limit holds on replay too.
    await expect(replay.get('https://huggingface.co/datasets/o/n/resolve/abc/f.parquet', { as: 'bytes', maxBytes: 10 })).rejects.toThrow(
      /the answer is 512 bytes, more than the 10 allowed/,
    );
  });

  it('follows a JSON redirect only when asked, within its policy, and a recorded redirect replays as a redirect', async () => {
    const hub = await serve((req, res) => {
      if (req.url?.startsWith('/api/datasets/Owner/Name')) {
        // The Hub's answer to an id in another case: 307 with a relative Location, query kept.
        res.writeHead(307, { location: `/api/datasets/owner/name${req.url.slice('/api/datasets/Owner/Name'.length)}` });
        return res.end('Temporary Redirect');
      }
      return json(res, 200, { id: 'owner/name', sha: 'abc' });
    });
    const sameHost = { allowed: (first: URL, next: URL) => first.origin === next.origin, description: 'its own host' };
    // Not asked: a redirect is an answer like any other non-2xx.
    await expect(client().get(`${hub.url}/api/datasets/Owner/Name?blobs=true`)).rejects.toThrow(/failed: HTTP 307 Temporary Redirect$/);
    const res = await client().get(`${hub.url}/api/datasets/Owner/Name?blobs=true`, { redirects: sameHost });
    expect(JSON.parse(res.body)).toEqual({ id: 'owner/name', sha: 'abc' });
    expect(res.url).toBe(`${hub.url}/api/datasets/Owner/Name?blobs=true`);
    expect(res.finalUrl).toBe(`${hub.url}/api/datasets/owner/name?blobs=true`);
    // The token goes with a hop to the same host.
    expect(hub.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);

    const dir = mkdtempSync(join(tmpdir(), 'am-redirect-'));
    await client({ mode: { kind: 'record', dir } }).get(`${hub.url}/api/datasets/Owner/Name?blobs=true`, { redirects: sameHost });
    const replay = client({ mode: { kind: 'replay', dir } });
    const replayed = await replay.get('https://huggingface.co/api/datasets/Owner/Name?blobs=true', { redirects: sameHost });
    expect(replayed.finalUrl).toBe('https://huggingface.co/api/datasets/owner/name?blobs=true');
    expect(JSON.parse(replayed.body)).toEqual({ id: 'owner/name', sha: 'abc' });
    // Replayed without following, the recorded answer is the redirect itself.
    await expect(replay.get('https://huggingface.co/api/datasets/Owner/Name?blobs=true')).rejects.toThrow(/HTTP 307/);
  });
});
