import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactQuery } from '../../collectors/huggingface/count-exact.js';
import { createdMonthCode, monthLabel, UNDATED_CODE } from '../../collectors/huggingface/created-month.js';
import { fastQuery, inclusionExclusion } from '../../collectors/huggingface/count-fast.js';
import { nextLink, parseLinkHeader } from '../../collectors/huggingface/link-header.js';
import { conjunctionTerms, planCounts, subsets } from '../../collectors/huggingface/plan.js';
import { MalformedPageError, parseModelsJsonCount, parseModelsPage } from '../../collectors/huggingface/schema.js';
import { serverRequestedDelay } from '../../src/http/retry.js';
import { startHfServer, syntheticModels, tooManyRequests, type HfServer } from '../helpers/hf-server.js';

interface Fixture {
  source: string;
  request: { method: string; path: string; query: Record<string, string[]> };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

const fixture = (name: string): Fixture =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/huggingface', name), 'utf8')) as Fixture;

describe('collectors/huggingface (response shapes)', () => {
  const defaultPage = fixture('api-models.default-entries.json');
  const expandPage = fixture('api-models.expand-createdat.json');
  const modelsJson = fixture('models-json.count.json');
  const rateLimited = fixture('api-models.429.json');

  it('parses the reference Link header the way huggingface.js does', () => {
    expect(nextLink(defaultPage.response.headers.link)).toBe(
      'http://localhost:5564/api/models?limit=10&sort=likes&direction=-1&cursor=eyIkb3IiOlt7Imxpa2VzIjoyOTQsIl9pZCI6eyIkZ3QiOiI2MjFmZmRjMTM2NDY4ZDcwOWYxNzlhMTIifX0seyJsaWtlcyI6eyIkbHQiOjI5NH19XX0%3D',
    );
    expect(parseLinkHeader('<https://a.example/x?p=1>; rel="prev", <https://a.example/x?p=3>; rel="next"')).toEqual({
      prev: 'https://a.example/x?p=1',
      next: 'https://a.example/x?p=3',
    });
    expect(nextLink(undefined)).toBeUndefined();
    expect(nextLink('<https://a.example/x>; rel="last"')).toBeUndefined();
  });

  it('accepts the verbatim and expand=createdAt pages and reads numTotalItems', () => {
    expect(parseModelsPage(JSON.stringify(defaultPage.response.body)).map((e) => e.id)).toEqual([
      'moonshotai/Kimi-K2-Thinking',
      'MiniMaxAI/MiniMax-M2',
      'google-bert/bert-base-uncased',
    ]);
    // The two verbatim entries captured from huggingface.co carry createdAt; the trimmed test-fixture one does not.
    const verbatim = JSON.stringify((defaultPage.response.body as unknown[]).slice(0, 2));
    expect(parseModelsPage(verbatim, { createdAt: true }).map((e) => monthLabel(e.month!))).toEqual(['2025-11', '2025-10']);
    expect(() => parseModelsPage(JSON.stringify(defaultPage.response.body), { createdAt: true })).toThrow(
      /entry 2 of 3 \(google-bert\/bert-base-uncased\) has no ISO date-time "createdAt" with a time zone \(got none\)/,
    );
    expect(parseModelsPage(JSON.stringify(expandPage.response.body), { createdAt: true })).toEqual([
      { id: 'synthetic/model-000002', month: 2024 * 12 + 4 },
      { id: 'synthetic/model-000001', month: UNDATED_CODE },
    ]);
    expect(parseModelsJsonCount(JSON.stringify(modelsJson.response.body))).toBe(1);
    expect(parseModelsPage('[]')).toEqual([]);
  });

  it('reads the UTC creation month, the placeholder as undated, and nothing else', () => {
    expect(monthLabel(createdMonthCode('2024-01-31T23:59:59.999Z')!)).toBe('2024-01');
    expect(monthLabel(createdMonthCode('2024-02-01T00:30:00+01:00')!)).toBe('2024-01'); // 2024-01-31T23:30Z
    expect(monthLabel(createdMonthCode('2023-12-31T20:00:00-05:00')!)).toBe('2024-01');
    expect(monthLabel(createdMonthCode('2024-03-05T10:00:00Z')!)).toBe('2024-03');
    expect(createdMonthCode('2022-03-02T23:29:04.000Z')).toBe(UNDATED_CODE);
    expect(createdMonthCode('2022-03-02T23:29:04Z')).toBe(UNDATED_CODE);
    expect(monthLabel(createdMonthCode('2022-03-02T23:29:05.000Z')!)).toBe('2022-03'); // a real date that day
    expect(monthLabel(UNDATED_CODE)).toBe('undated');
    for (const bad of [undefined, null, 1_700_000_000_000, '', '2024-01-15', '2024-01-15T10:00:00', '2024-13-01T00:00:00Z', 'yesterday']) {
      expect(createdMonthCode(bad)).toBeUndefined();
    }
  });

  it.each([
    ['[{"id":"a","createdAt":"2024-01-15"}]', /entry 0 of 1 \(a\) has no ISO date-time "createdAt" with a time zone \(got "2024-01-15"\)/],
    ['[{"id":"a","createdAt":null}]', /entry 0 of 1 \(a\) has no ISO date-time "createdAt" with a time zone \(got null\)/],
  ])('rejects the entry %j when creation months are read', (body, reason) => {
    expect(() => parseModelsPage(body, { createdAt: true })).toThrow(reason);
  });

  it.each([
    ['', /body is empty/],
    ['{"error":"x"}', /body is an object, not an array of models/],
    ['[{"id":"a"},{"modelId":"b"}]', /entry 1 of 2 has no string "id" \(got an object with keys modelId\)/],
    ['[{"id":"a"},null]', /entry 1 of 2 has no string "id" \(got null\)/],
    ['[{"id":"a"', /body is not JSON \(starts "\[\{\\"id\\":\\"a\\"": /],
  ])('rejects the page %j with a clear reason', (body, reason) => {
    expect(() => parseModelsPage(body)).toThrow(MalformedPageError);
    expect(() => parseModelsPage(body)).toThrow(reason);
  });

  it('reads the Hub 429 headers as a t+1 s wait', () => {
    expect(serverRequestedDelay(rateLimited.response.headers, 0)).toBe(56_000);
  });

  it('builds the exact and fast queries', () => {
    expect(exactQuery(['pytorch', 'tf'])).toBe(
      '/api/models?filter=pytorch&filter=tf&sort=createdAt&direction=-1&expand=createdAt&limit=1000',
    );
    expect(exactQuery(['license:mit'])).toBe('/api/models?filter=license%3Amit&sort=createdAt&direction=-1&expand=createdAt&limit=1000');
    expect(fastQuery(['safetensors', 'transformers'])).toBe('/models-json?library=safetensors,transformers&p=0&withCount=true');
    expect(fastQuery(['pytorch', 'license:mit', 'en'])).toBe('/models-json?library=pytorch&other=license%3Amit,en&p=0&withCount=true');
  });

  it('plans every non-empty subset, smallest first, each once', () => {
    expect(subsets(2)).toEqual([[0], [1], [0, 1]]);
    expect(subsets(3)).toEqual([[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]]);
    const pt = { name: 'PyTorch', part: { tags: [['pytorch']] } };
    const tf = { name: 'TensorFlow', part: { tags: [['tf']] } };
    const jax = { name: 'JAX', part: { tags: [['jax']] } };
    expect(
      planCounts([
        [pt, tf],
        [tf, pt],
        [jax, pt],
      ]).map((c) => c.subject),
    ).toEqual(['pytorch', 'tf', 'pytorch+tf', 'jax', 'jax+pytorch']);
  });

  it('turns alternatives into conjunction terms, dropping redundant ones', () => {
    const pt = { tags: [['pytorch'], ['safetensors', 'transformers']] };
    const tf = { tags: [['tf']] };
    expect(conjunctionTerms([pt])).toEqual([['pytorch'], ['safetensors', 'transformers']]);
    expect(conjunctionTerms([pt, tf])).toEqual([
      ['pytorch', 'tf'],
      ['safetensors', 'transformers', 'tf'],
    ]);
    // pytorch ∧ (pytorch ∨ tf) = pytorch.
    expect(conjunctionTerms([{ tags: [['pytorch']] }, { tags: [['pytorch'], ['tf']] }])).toEqual([['pytorch']]);
  });

  it('signs inclusion–exclusion terms and merges equal intersections', () => {
    const signed = [...inclusionExclusion([['a'], ['b'], ['c']]).values()].map(
      ({ tags, sign }) => `${sign > 0 ? '+' : '-'}${tags.join('&')}`,
    );
    expect(signed).toEqual(['+a', '+b', '-a&b', '+c', '-a&c', '-b&c', '+a&b&c']);
    // a∨(a∧b): the intersections a∧(a∧b) = a∧b cancel the second term.
    expect([...inclusionExclusion([['a'], ['a', 'b']]).values()]).toEqual([{ tags: ['a'], sign: 1 }]);
  });
});

describe('tests/helpers/hf-server', () => {
  let hub: HfServer;
  beforeAll(async () => {
    hub = await startHfServer({ models: syntheticModels([{ tags: ['pytorch', 'transformers'], count: 40 }]), pageSize: 30 });
  });
  afterAll(() => hub.close());

  const get = async (path: string) => {
    const res = await fetch(hub.url + path);
    return { status: res.status, link: res.headers.get('link'), body: (await res.json()) as unknown };
  };

  it('serves default entries with the keys of the verbatim entries', async () => {
    const { body, link } = await get('/api/models?filter=pytorch');
    const verbatim = (defaultKeys() as string[]).filter((k) => k !== 'pipeline_tag' && k !== 'library_name');
    expect(Object.keys((body as Record<string, unknown>[])[0]!).sort()).toEqual(verbatim.sort());
    expect(link).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/api\/models\?filter=pytorch&cursor=[^>]+%3D>; rel="next"$/);
  });

  it('serves expand=createdAt entries as in the fixture, and 400 for an unknown expand', async () => {
    const { body, link } = await get('/api/models?filter=pytorch&sort=createdAt&direction=-1&expand=createdAt&limit=2');
    const expected = fixture('api-models.expand-createdat.json').response;
    expect(Object.keys((body as Record<string, unknown>[])[0]!)).toEqual(Object.keys((expected.body as Record<string, unknown>[])[0]!));
    const cursorOf = (l: string) => l.replace(/^.*&cursor=([^>]+)>.*$/, '$1');
    expect(link).toMatch(
      /^<http:\/\/127\.0\.0\.1:\d+\/api\/models\?filter=pytorch&sort=createdAt&direction=-1&expand=createdAt&limit=2&cursor=[^>]+%3D>; rel="next"$/,
    );
    expect(cursorOf(expected.headers.link!)).toMatch(/%3D$/);
    expect((await get('/api/models?expand=nope')).status).toBe(400);
  });

  it('serves models-json with the reference keys and 30 models per page', async () => {
    const { body } = await get('/models-json?library=pytorch,transformers&p=0&withCount=true');
    const keys = Object.keys(fixture('models-json.count.json').response.body as object);
    expect(Object.keys(body as object)).toEqual(keys);
    expect(body).toMatchObject({ numItemsPerPage: 30, numTotalItems: 40, pageIndex: 0 });
    expect((body as { models: unknown[] }).models).toHaveLength(30);
    expect(hub.countRequests('/models-json')).toBeGreaterThan(0);
  });
});

describe('tests/helpers/hf-server (faults, budget, counting)', () => {
  it('applies faults by request number, enforces a fixed-window budget and counts requests', async () => {
    const hub = await startHfServer({
      models: syntheticModels([{ tags: ['tf'], count: 3 }]),
      faults: { 1: tooManyRequests({ rateLimitReset: 5 }) },
      budget: { requests: 3, windowMs: 60_000 },
    });
    try {
      const first = await fetch(`${hub.url}/api/models?filter=tf`);
      expect(first.status).toBe(429);
      expect(first.headers.get('ratelimit')).toBe('"api";r=0;t=5');
      await first.text();
      for (let i = 0; i < 3; i++) expect((await fetch(`${hub.url}/api/models?filter=tf`)).status).toBe(200);
      const over = await fetch(`${hub.url}/api/models?filter=tf`);
      expect(over.status).toBe(429);
      expect(over.headers.get('ratelimit')).toMatch(/^"api";r=0;t=\d+$/);
      expect(over.headers.get('ratelimit-policy')).toBe('"fixed window";"api";q=3;w=60');
      expect(hub.requestCount).toBe(5);
      expect(hub.requests.map((r) => r.fault)).toEqual(['status', undefined, undefined, undefined, undefined]);
      hub.reset();
      expect(hub.countRequests()).toBe(0);
    } finally {
      await hub.close();
    }
  });

  it('closes promptly with a request stalled forever', async () => {
    const hub = await startHfServer({ faultFor: () => ({ kind: 'stall' }) });
    const pending = fetch(`${hub.url}/api/models`).catch((err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await hub.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});

function defaultKeys(): string[] {
  const body = fixture('api-models.default-entries.json').response.body as Record<string, unknown>[];
  return Object.keys(body[0]!);
}
