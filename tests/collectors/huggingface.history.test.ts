import { afterEach, describe, expect, it } from 'vitest';
import { exactQuery } from '../../collectors/huggingface/count-exact.js';
import {
  changedMonths,
  huggingface,
  type HfFrameworkPart,
  type HfSourcePart,
  storedHistograms,
} from '../../collectors/huggingface/index.js';
import type { Observation, StoredObservation } from '../../src/core/observation.js';
import { createTestContext, type TestContextOptions } from '../helpers/context.js';
import { hfConfig, monthlyModels, startHfServer, syntheticModels, type HfServer, type HfServerOptions } from '../helpers/hf-server.js';

let server: HfServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function collect(options: HfServerOptions, context: Partial<TestContextOptions<HfFrameworkPart, HfSourcePart>> = {}) {
  server = await startHfServer(options);
  const test = createTestContext({ collector: huggingface, config: hfConfig(), ...context, env: server.env() });
  const summary = await huggingface.collect(test.ctx);
  const observations = test.observations();
  const totals = Object.fromEntries(observations.filter((o) => o.metric === 'models').map((o) => [`${o.method}:${o.subject}`, o.value]));
  return { summary, observations, totals, hub: server };
}

/** Stored monthly counts of one subject, by period, in storage order. */
const monthsOf = (observations: readonly Observation[], subject: string) =>
  Object.fromEntries(observations.filter((o) => o.metric === 'models_created' && o.subject === subject).map((o) => [o.period, o.value]));

/** Follows `Link` from `path` to the end, as any client does, and counts the distinct ids read. */
async function walk(hub: HfServer, path: string): Promise<{ distinct: number; read: number; pages: number }> {
  const ids = new Set<string>();
  let read = 0;
  let pages = 0;
  let url: string | undefined = hub.url + path;
  while (url && pages < 1000) {
    const res = await fetch(url);
    pages++;
    for (const entry of (await res.json()) as { id: string }[]) {
      ids.add(entry.id);
      read++;
    }
    url = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
  }
  return { distinct: ids.size, read, pages };
}

describe('collectors/huggingface: a stable listing order', () => {
  it('gets the exact totals when the trending order reshuffles between pages, where the unsorted listing does not', async () => {
    // 600 pytorch models of which 150 also tf, 20 per page; the stand-in's trending scores change on every page.
    const models = syntheticModels([
      { tags: ['pytorch'], count: 450 },
      { tags: ['pytorch', 'tf'], count: 150 },
    ]);
    const { totals, hub } = await collect({ models, pageSize: 20 });
    expect(totals).toEqual({ 'exact:pytorch': 600, 'exact:tf': 150, 'exact:pytorch+tf': 150 });
    const listings = hub.requests.filter((r) => r.path === '/api/models');
    expect(listings.every((r) => r.query.get('sort') === 'createdAt' && r.query.get('direction') === '-1')).toBe(true);
    expect(listings.filter((r) => r.queryKey === exactQuery(['pytorch']))).toHaveLength(30);

    // The listing as it was asked for before (no sort=, so by trendingScore): models move across the cursor,
    // so some are read twice and others never. Deduplicating ids cannot bring back the skipped ones.
    const old = await walk(hub, '/api/models?filter=pytorch&expand=private&limit=1000');
    expect(old.read).toBeGreaterThan(old.distinct); // repeats
    expect(old.distinct).toBeLessThan(600); // skips: a wrong total
  });

  it('a stable trending order (no reshuffle) lists every model once, so the stand-in itself is not lossy', async () => {
    server = await startHfServer({ models: syntheticModels([{ tags: ['pytorch'], count: 95 }]), pageSize: 10, trending: 'static' });
    expect(await walk(server, '/api/models?filter=pytorch')).toEqual({ distinct: 95, read: 95, pages: 10 });
    expect(await walk(server, '/api/models?filter=pytorch&sort=createdAt&direction=1')).toEqual({ distinct: 95, read: 95, pages: 10 });
  });
});

describe('collectors/huggingface: a creation date that cannot be right fails its count, naming the entry', () => {
  it.each([
    [
      'before the Hub (0001-01-01)',
      '0001-01-01T00:00:00.000Z',
      /has "createdAt" "0001-01-01T00:00:00\.000Z", before 2016-01, when the Hub had no models yet; a month that cannot be right is not counted$/,
    ],
    [
      'after the request',
      '2031-05-01T00:00:00.000Z',
      /has "createdAt" "2031-05-01T00:00:00\.000Z", after 2026-11, the month it was asked in; a month that cannot be right is not counted$/,
    ],
  ])('%s', async (_name, createdAt, message) => {
    const models = monthlyModels([{ tags: ['pytorch'], months: { undated: 1, '2016-01': 1, '2024-01': 3 } }]);
    models[2] = { ...models[2]!, createdAt };
    const { summary, totals } = await collect({ models, pageSize: 2 }, { asOf: '2026-11-26', today: '2026-11-26' });
    // The pytorch counts (alone and with tf) fail, naming the entry; no monthly row of year 1 or 2031 is made.
    expect(summary.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`entry \\d+ of \\d+ \\(${models[2]!.id}\\) ${message.source.slice(0, -1)}`)),
      ]),
    );
    expect(totals['exact:pytorch']).toBeUndefined();
    expect(summary.problems.join('\n')).not.toMatch(/0001-01 |2031-05 /);
  });

  it('takes January 2016 and the month of the request as they are', async () => {
    const models = monthlyModels([{ tags: ['pytorch'], months: { '2016-01': 1, '2026-11': 2 } }]);
    const { summary, observations } = await collect({ models }, { asOf: '2026-11-26', today: '2026-11-26' });
    expect(summary.problems).toEqual([]);
    expect(monthsOf(observations, 'pytorch')).toMatchObject({ '2016-01': 1, '2026-11': 2 });
  });
});

describe('collectors/huggingface: models created per month', () => {
  // Worked out by hand (as of 2024-03-15): inclusive counts per month of each stored subject.
  //                    undated  2023-11  2023-12  2024-01  2024-02  2024-03
  // pytorch only          4        3        0        5        2        0
  // tf only               2        1        0        0        1        0
  // pytorch and tf        1        0        0        1        0        0
  // → pytorch             5        3        0        6        2        0    (16)
  // → tf                  3        1        0        1        1        0    (6)
  // → pytorch+tf          1        -        -        1        0        0    (2; dated months from 2024-01)
  const scenario = monthlyModels([
    { tags: ['pytorch'], months: { undated: 4, '2023-11': 3, '2024-01': 5, '2024-02': 2 } },
    { tags: ['tf'], months: { undated: 2, '2023-11': 1, '2024-02': 1 } },
    { tags: ['pytorch', 'tf'], months: { undated: 1, '2024-01': 1 } },
    { tags: ['jax'], months: { '2023-12': 7 } },
  ]);

  it('stores each count’s months, the placeholder date as undated, with the total and the same query', async () => {
    const { observations, totals, summary } = await collect({ models: scenario, pageSize: 3 }, { asOf: '2024-03-15' });
    expect(summary.problems).toEqual([]);
    expect(totals).toEqual({ 'exact:pytorch': 16, 'exact:tf': 6, 'exact:pytorch+tf': 2 });
    expect(monthsOf(observations, 'pytorch')).toEqual({ undated: 5, '2023-11': 3, '2023-12': 0, '2024-01': 6, '2024-02': 2, '2024-03': 0 });
    expect(monthsOf(observations, 'tf')).toEqual({ undated: 3, '2023-11': 1, '2023-12': 0, '2024-01': 1, '2024-02': 1, '2024-03': 0 });
    expect(monthsOf(observations, 'pytorch+tf')).toEqual({ undated: 1, '2024-01': 1, '2024-02': 0, '2024-03': 0 });
    expect(Object.keys(monthsOf(observations, 'pytorch'))).not.toContain('2022-03');
    for (const o of observations.filter((x) => x.metric === 'models_created')) {
      const total = observations.find((t) => t.metric === 'models' && t.subject === o.subject)!;
      expect(o).toMatchObject({ method: 'exact', observedAt: '2024-03-15', query: total.query, collectorVersion: total.collectorVersion });
    }
  });

  it('counts a model matching two alternatives once, in its own month', async () => {
    const models = monthlyModels([
      { tags: ['pytorch'], months: { '2023-05': 2 } },
      { tags: ['safetensors', 'transformers'], months: { '2023-06': 3 } },
      { tags: ['pytorch', 'safetensors', 'transformers'], months: { '2023-05': 1, undated: 2 } },
    ]);
    const config = hfConfig({
      frameworks: [
        { name: 'PyTorch', huggingface: { tags: ['pytorch', ['safetensors', 'transformers']] } },
        { name: 'TensorFlow', huggingface: { tags: ['tf'] } },
      ],
    });
    const { observations, totals } = await collect({ models, pageSize: 2 }, { config, asOf: '2023-07-01' });
    const pt = '(pytorch|safetensors&transformers)';
    expect(totals[`exact:${pt}`]).toBe(8);
    expect(monthsOf(observations, pt)).toEqual({ undated: 2, '2023-05': 3, '2023-06': 3, '2023-07': 0 });
    // A subset with no model still stores its (empty) histogram: told apart from one never counted.
    expect(monthsOf(observations, 'tf')).toEqual({ undated: 0 });
  });

  it('fast counts store totals only: the website gives no creation dates', async () => {
    const { observations } = await collect({ models: scenario }, { asOf: '2024-03-15', options: { 'hf-method': 'fast' } });
    expect(observations.map((o) => o.metric)).toEqual(['models', 'models', 'models']);
  });

  it('reads the whole listing once per query: the months cost no extra request', async () => {
    const { hub } = await collect({ models: scenario, pageSize: 3 }, { asOf: '2024-03-15' });
    // 3 per page: pytorch 16 → 6 pages, tf 6 → 2 (the Link ends with the last model), pytorch+tf 2 → 1.
    expect(hub.countRequests('/api/models')).toBe(6 + 2 + 1);
  });
});

describe('collectors/huggingface: a histogram is stored whole once, then only what changed', () => {
  const stored = (observations: readonly Observation[]): StoredObservation[] => observations.map((o, i) => ({ ...o, id: i + 1, runId: 1 }));

  it('a later run stores the totals and only the months whose count changed, and a 0 for a month no longer listed', async () => {
    const day1 = monthlyModels([{ tags: ['pytorch'], months: { undated: 2, '2024-05': 3, '2024-06': 1, '2024-07': 1 } }]);
    const first = await collect({ models: day1 }, { asOf: '2024-07-20' });
    expect(monthsOf(first.observations, 'pytorch')).toEqual({ undated: 2, '2024-05': 3, '2024-06': 1, '2024-07': 1 });
    await server?.close();

    // The next day: one more model in July, and May's three deleted (May is no longer the first month).
    const day2 = monthlyModels([{ tags: ['pytorch'], months: { undated: 2, '2024-06': 1, '2024-07': 2 } }]);
    const second = await collect({ models: day2 }, { asOf: '2024-07-21', history: stored(first.observations) });
    expect(second.totals['exact:pytorch']).toBe(5);
    expect(monthsOf(second.observations, 'pytorch')).toEqual({ '2024-07': 2, '2024-05': 0 });
    // A run stored under an earlier date than what is stored stores its whole histogram.
    await server?.close();
    const backdated = await collect({ models: day2 }, { asOf: '2024-07-19', history: stored(first.observations) });
    expect(monthsOf(backdated.observations, 'pytorch')).toEqual({ undated: 2, '2024-06': 1, '2024-07': 2 });
  });

  it('changedMonths and storedHistograms: what differs, what vanished, and what is stored later than the run', () => {
    const total = { source: 'huggingface', metric: 'models', subject: 'pytorch', method: 'exact', query: 'q', collectorVersion: '1' };
    const month = (period: string, value: number) => ({ ...total, metric: 'models_created', period, value, observedAt: '2024-07-21' });
    const before = new Map([
      [
        'pytorch\u0000q',
        new Map([
          ['undated', 2],
          ['2024-07', 1],
        ]),
      ],
    ]);
    expect(changedMonths([month('undated', 2), month('2024-07', 1)], before)).toEqual([]);
    expect(changedMonths([month('undated', 2), month('2024-07', 4)], before)).toEqual([month('2024-07', 4)]);
    expect(changedMonths([month('undated', 2), month('2024-07', 1)], new Map())).toHaveLength(2);
    const latest = [{ ...month('2024-07', 1), id: 1, runId: 1, observedAt: '2024-07-22' }];
    expect(storedHistograms(latest, '2024-07-21').get('pytorch\u0000q')).toBeUndefined();
    expect(storedHistograms(latest, '2024-07-22').get('pytorch\u0000q')).toEqual(new Map([['2024-07', 1]]));
  });
});
