import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_NOTICE_LENGTH, readArchiveNotice, requestKey } from '../../src/http/archive.js';
import { createHttpClient, type HttpMode } from '../../src/http/client.js';
import { ReplayMissError } from '../../src/http/errors.js';
import { json, startServer } from '../helpers/http-server.js';

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const TOKEN = 'hf_abcdefghijklmnop';
const KEY = 'ncbi0123456789abcdef';
const EMAIL = 'someone@example.org';

function client(mode: HttpMode) {
  return createHttpClient({
    collector: 'demo',
    policy: { maxRequests: 100, windowMs: 1000, concurrency: 2, minSpacingMs: 0 },
    headers: { authorization: `Bearer ${TOKEN}` },
    secrets: [KEY, EMAIL],
    privateParams: ['api_key', 'email'],
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    mode,
  });
}

describe('src/http/archive', () => {
  it('keys requests by path and sorted query, without origin or private parameters', () => {
    expect(requestKey('http://127.0.0.1:5000/api/models?limit=10&filter=tf&filter=pytorch&api_key=x&email=y', ['api_key', 'email'])).toBe(
      'GET /api/models?filter=pytorch&filter=tf&limit=10',
    );
    expect(requestKey('https://huggingface.co/api/models?filter=pytorch&filter=tf&limit=10', [])).toBe(
      'GET /api/models?filter=pytorch&filter=tf&limit=10',
    );
  });

  it('keeps a query sent as a form body (POST) apart from the same query sent as a GET', async () => {
    server = await startServer((req, res) => json(res, 200, { method: req.method }));
    const dir = mkdtempSync(join(tmpdir(), 'am-archive-'));
    const url = `${server.url}/esearch.fcgi?term=${'x'.repeat(2000)}&api_key=${KEY}`;
    await client({ kind: 'record', dir }).get(url, { queryInBody: true });
    await server.close();
    server = undefined;
    expect(requestKey(url, ['api_key'], 'POST')).toBe(`POST /esearch.fcgi?term=${'x'.repeat(2000)}`);
    const replay = client({ kind: 'replay', dir });
    expect(JSON.parse((await replay.get(url, { queryInBody: true })).body)).toEqual({ method: 'POST' });
    const miss = await replay.get(url).catch((e: unknown) => e);
    expect(miss).toBeInstanceOf(ReplayMissError);
    // The key in the message is cut short, like every quoted URL.
    expect((miss as Error).message).toMatch(/^no recorded response for GET \/esearch\.fcgi\?term=x+… \(demo\)/);
    expect((miss as Error).message.length).toBeLessThan(400);
  });

  it('keys a POST with a body of its own by its body too: each body replays its own answer, another misses', async () => {
    const password = 'ch-PASSWORD-0042';
    const seen: string[] = [];
    server = await startServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.headers['x-clickhouse-key']} ${body}`);
        json(res, 200, { answer: body.length, echo: `user demo, key ${password}` });
      });
    });
    const dir = mkdtempSync(join(tmpdir(), 'am-archive-'));
    const recording = createHttpClient({
      collector: 'sql',
      policy: { maxRequests: 100, windowMs: 1000, concurrency: 2, minSpacingMs: 0 },
      headers: { 'x-clickhouse-key': password },
      mode: { kind: 'record', dir },
    });
    const url = `${server.url}/?param_projects=%5B%27torch%27%5D`;
    const one = await recording.post(url, 'SELECT 1');
    const two = await recording.post(url, 'SELECT 22');
    expect(seen).toEqual([`${password} SELECT 1`, `${password} SELECT 22`]);
    await server.close();
    server = undefined;

    expect(requestKey(url, [], 'POST', 'SELECT 1')).toBe('POST /?param_projects=%5B%27torch%27%5D\nSELECT 1');
    const files = readdirSync(join(dir, 'sql'));
    expect(files).toHaveLength(2);
    const entries = files.map((f) => gunzipSync(readFileSync(join(dir, 'sql', f))).toString('utf8'));
    for (const entry of entries) expect(entry).not.toContain(password);
    expect(entries.map((e) => JSON.parse(e).request.body).sort()).toEqual(['SELECT 1', 'SELECT 22']);

    // Replayed without the password and from another origin: the same body gets the same answer.
    const replay = createHttpClient({
      collector: 'sql',
      policy: { maxRequests: 100, windowMs: 1000, concurrency: 2, minSpacingMs: 0 },
      mode: { kind: 'replay', dir },
    });
    const other = 'https://sql.example/?param_projects=%5B%27torch%27%5D';
    expect((await replay.post(other, 'SELECT 22')).body).toBe(two.body.replace(password, '***'));
    expect((await replay.post(other, 'SELECT 1')).body).toBe(one.body.replace(password, '***'));
    const miss = await replay.post(other, 'SELECT 333').catch((e: unknown) => e);
    expect(miss).toBeInstanceOf(ReplayMissError);
    // One line, the body after the key.
    expect((miss as Error).message).toMatch(/^no recorded response for POST \/\?param_projects=\S+ SELECT 333 \(sql\)/);
    await expect(replay.get(other)).rejects.toBeInstanceOf(ReplayMissError);
  });

  it('records every response (failed ones too) and replays them in order, offline', async () => {
    server = await startServer((req, res, i) => {
      if (i === 0) return json(res, 429, { error: 'API rate limit exceeded', 'api-key': KEY }, { 'set-cookie': `s=${TOKEN}` });
      json(res, 200, { path: req.url, n: i }, { link: `<http://${req.headers.host}/next>; rel="next"` });
    });
    const dir = mkdtempSync(join(tmpdir(), 'am-archive-'));
    const live = client({ kind: 'record', dir });
    const first = await live.get(`${server.url}/esearch.fcgi?term=x&api_key=${KEY}&email=${encodeURIComponent(EMAIL)}`);
    const second = await live.get(`${server.url}/other`);
    const server0 = server.url;
    await server.close();
    server = undefined;

    const replay = client({ kind: 'replay', dir });
    // Replayed from another origin and without the secrets: same key, same answers (429 then 200).
    const again = await replay.get('https://eutils.example/esearch.fcgi?term=x');
    // The 429 was replayed and retried too; secrets the server echoed were stripped before recording.
    expect(again.body).toBe(first.body.replace(KEY, '***').replace(encodeURIComponent(EMAIL), '***'));
    expect(JSON.parse(again.body).n).toBe(1);
    // A Link to the recorded server points at the endpoint being replayed, as the live server's would.
    expect(first.headers.link).toBe(`<${server0}/next>; rel="next"`);
    expect(again.headers.link).toBe('<https://eutils.example/next>; rel="next"');
    expect((await replay.get('https://eutils.example/other')).body).toBe(second.body);

    const recorded = readdirSync(join(dir, 'demo')).map((f) => gunzipSync(readFileSync(join(dir, 'demo', f))).toString('utf8'));
    expect(recorded).toHaveLength(2);
    const all = recorded.join('\n');
    expect(all).toContain('API rate limit exceeded');
    expect(all).not.toContain(KEY);
    expect(all).not.toContain(EMAIL);
    expect(all).not.toContain(encodeURIComponent(EMAIL));
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('set-cookie');
  });

  it('fails clearly on a request that was not recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'am-archive-'));
    const replay = client({ kind: 'replay', dir });
    const err = await replay.get('https://huggingface.co/api/models?filter=jax').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplayMissError);
    expect((err as Error).message).toBe(
      `no recorded response for GET /api/models?filter=jax (demo) in ${dir}; record it with --record ${dir}`,
    );
  });

  it("never writes through a link: not at an entry's temporary name, not as the source's folder", async () => {
    server = await startServer((_req, res) => json(res, 200, { fresh: true }));
    const dir = mkdtempSync(join(tmpdir(), 'am-archive-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'am-decoy-'));
    const decoy = join(elsewhere, 'decoy');
    writeFileSync(decoy, 'precious\n');
    // The name an entry's temporary file had (`<entry>.<pid>.tmp`), guessable by anyone who can list the folder.
    const url = `${server.url}/api/models?filter=jax`;
    const entry = join(dir, 'demo', `${createHash('sha256').update(requestKey(url, [])).digest('hex').slice(0, 20)}.json.gz`);
    mkdirSync(join(dir, 'demo'));
    symlinkSync(decoy, `${entry}.${process.pid}.tmp`);
    await client({ kind: 'record', dir }).get(url);
    expect(readFileSync(decoy, 'utf8')).toBe('precious\n');
    expect(JSON.parse(gunzipSync(readFileSync(entry)).toString('utf8')).responses).toHaveLength(1);

    // The source's folder a link to another directory: nothing is written there.
    const other = mkdtempSync(join(tmpdir(), 'am-archive-'));
    symlinkSync(elsewhere, join(other, 'demo'));
    await expect(client({ kind: 'record', dir: other }).get(url)).rejects.toThrow(
      new RegExp(`--record ${other}: ${other}/demo cannot be used: it is a symbolic link to ${elsewhere}, which is never followed`),
    );
    expect(readdirSync(elsewhere)).toEqual(['decoy']);
  });

  it('refuses a replay directory that does not exist', () => {
    expect(() => client({ kind: 'replay', dir: '/nonexistent/replay' })).toThrow(/replay directory \/nonexistent\/replay does not exist/);
  });
});

describe('archive NOTICE', () => {
  it('reads one line, is absent or empty as null, and refuses one too long for a chart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'am-notice-'));
    expect(readArchiveNotice(dir)).toBeNull();
    writeFileSync(join(dir, 'NOTICE'), '  \n');
    expect(readArchiveNotice(dir)).toBeNull();
    writeFileSync(join(dir, 'NOTICE'), 'Demo archive:\n  the counts are\tILLUSTRATIVE.\n');
    expect(readArchiveNotice(dir)).toBe('Demo archive: the counts are ILLUSTRATIVE.');
    writeFileSync(join(dir, 'NOTICE'), 'x'.repeat(MAX_NOTICE_LENGTH + 1));
    expect(() => readArchiveNotice(dir)).toThrow(
      new RegExp(`NOTICE has ${MAX_NOTICE_LENGTH + 1} characters; shorten it to ${MAX_NOTICE_LENGTH}`),
    );
  });
});
