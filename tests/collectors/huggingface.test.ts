import { afterEach, describe, expect, it } from 'vitest';
import { exactQuery } from '../../collectors/huggingface/count-exact.js';
import { huggingface, hfEndpoint, hfRateLimit, HF_VERSION } from '../../collectors/huggingface/index.js';
import { UsageError } from '../../src/core/errors.js';
import type { Observation } from '../../src/core/observation.js';
import { createTestContext, type TestContextOptions } from '../helpers/context.js';
import { hfConfig, pairedModels, startHfServer, syntheticModels, type HfServer, type HfServerOptions } from '../helpers/hf-server.js';
import type { HfFrameworkPart, HfSourcePart } from '../../collectors/huggingface/index.js';

const collector = huggingface;
let server: HfServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(options: HfServerOptions): Promise<HfServer> {
  server = await startHfServer(options);
  return server;
}

function run(hub: HfServer, options: Partial<TestContextOptions<HfFrameworkPart, HfSourcePart>> = {}) {
  const test = createTestContext({
    collector,
    config: hfConfig(),
    ...options,
    // Always the local server: these tests never reach the internet.
    env: hub.env(options.env),
  });
  return { ...test, done: huggingface.collect(test.ctx) };
}

/** The totals (metric `models`) by method and subject. */
const byKey = (observations: Observation[]) =>
  Object.fromEntries(observations.filter((o) => o.metric === 'models').map((o) => [`${o.method}:${o.subject}`, o.value]));
/** The monthly counts of one subject, by period. */
const monthsOf = (observations: Observation[], subject: string) =>
  Object.fromEntries(observations.filter((o) => o.metric === 'models_created' && o.subject === subject).map((o) => [o.period, o.value]));

describe('collectors/huggingface/index', () => {
  it('stores the exact counts 185,382 / 17,642 / 4,833 across 1000-model pages', async () => {
    const hub = await serve({ models: pairedModels(['pytorch', 'tf'], { a: 185_382, b: 17_642, both: 4_833, neither: 1_000 }) });
    const started = Date.now();
    const { done, observations, emitted } = run(hub);
    const summary = await done;
    expect(Date.now() - started).toBeLessThan(10_000);

    // Each count: its total and its months (all created 2024-01: undated, 2024-01 … 2024-07), in one batch.
    expect(summary).toEqual({ stored: 3 * 9, problems: [], warnings: [] });
    expect(emitted.map((batch) => batch.length)).toEqual([9, 9, 9]);
    expect(emitted.every((batch) => batch[0]!.metric === 'models' && batch.slice(1).every((o) => o.metric === 'models_created'))).toBe(
      true,
    );
    const sorted = observations()
      .filter((o) => o.metric === 'models')
      .sort((a, b) => a.subject.localeCompare(b.subject));
    expect(sorted).toEqual([
      {
        source: 'huggingface',
        metric: 'models',
        subject: 'pytorch',
        period: '2024-07-20',
        method: 'exact',
        value: 185_382,
        observedAt: '2024-07-20',
        query: '/api/models?filter=pytorch&sort=createdAt&direction=-1&expand=createdAt&limit=1000',
        collectorVersion: HF_VERSION,
      },
      expect.objectContaining({
        subject: 'pytorch+tf',
        value: 4_833,
        query: exactQuery(['pytorch', 'tf']),
      }),
      expect.objectContaining({ subject: 'tf', value: 17_642, method: 'exact', query: exactQuery(['tf']) }),
    ]);
    expect(monthsOf(observations(), 'pytorch')).toEqual({
      undated: 0,
      '2024-01': 185_382,
      '2024-02': 0,
      '2024-03': 0,
      '2024-04': 0,
      '2024-05': 0,
      '2024-06': 0,
      '2024-07': 0,
    });
    // One request per 1,000 models and query: 186 + 18 + 5 pages.
    expect(hub.countRequests('/api/models')).toBe(186 + 18 + 5);
    expect(hub.countRequests('/models-json')).toBe(0);
  });

  it('follows Link until it ends, whatever the page size, and ignores entries a page repeats', async () => {
    const models = pairedModels(['pytorch', 'tf'], { a: 95, b: 40, both: 12, neither: 9 });
    const hub = await serve({ models, pageSize: 7, pageOverlap: 2 });
    const { done, observations } = run(hub);
    await done;
    expect(byKey(observations())).toEqual({ 'exact:pytorch': 95, 'exact:tf': 40, 'exact:pytorch+tf': 12 });
    // 95 models, 7 per page, advancing 5: pages start at 0, 5, …, 90 → 19 pages.
    expect(hub.requests.filter((r) => r.queryKey === exactQuery(['pytorch']))).toHaveLength(19);
    expect(Math.max(...hub.requests.map((r) => r.page))).toBe(19);
    // Next pages are requested as the Link gave them.
    expect(hub.requests.filter((r) => r.page > 1).every((r) => r.query.has('cursor'))).toBe(true);
  });

  it('fast reads numTotalItems from models-json, one request per count', async () => {
    const hub = await serve({ models: pairedModels(['pytorch', 'tf'], { a: 300, b: 120, both: 45 }) });
    const { done, observations } = run(hub, { config: hfConfig({ huggingface: { method: 'fast' } }) });
    await done;
    expect(byKey(observations())).toEqual({ 'fast:pytorch': 300, 'fast:tf': 120, 'fast:pytorch+tf': 45 });
    expect(
      observations()
        .map((o) => o.query)
        .sort(),
    ).toEqual([
      '/models-json?library=pytorch&p=0&withCount=true',
      '/models-json?library=pytorch,tf&p=0&withCount=true',
      '/models-json?library=tf&p=0&withCount=true',
    ]);
    expect(hub.countRequests('/models-json')).toBe(3);
    expect(hub.countRequests('/api/models')).toBe(0);
  });

  it('both stores two observations per count and warns when they differ by more than 1 %', async () => {
    const hub = await serve({
      models: pairedModels(['pytorch', 'tf'], { a: 1_000, b: 400, both: 100 }),
      // The website disagrees by 2 % on pytorch and by 0.5 % on tf.
      numTotalItems: (tags, actual) => (tags.join() === 'pytorch' ? 1_020 : tags.join() === 'tf' ? 402 : actual),
    });
    const { done, observations } = run(hub, { options: { 'hf-method': 'both' } });
    const summary = await done;
    expect(byKey(observations())).toEqual({
      'exact:pytorch': 1_000,
      'fast:pytorch': 1_020,
      'exact:tf': 400,
      'fast:tf': 402,
      'exact:pytorch+tf': 100,
      'fast:pytorch+tf': 100,
    });
    expect(summary.stored).toBe(3 * 9 + 3); // exact totals with their months, fast totals alone
    expect(summary.warnings).toHaveLength(1);
    expect(summary.warnings[0]).toMatch(/^pytorch: exact 1000 and fast 1020 differ by 2\.0 %/);
  });

  it('the hf-method option overrides the configured method and rejects unknown values', async () => {
    const hub = await serve({ models: pairedModels(['pytorch', 'tf'], { a: 10, b: 5, both: 1 }) });
    const fast = run(hub, { options: { 'hf-method': 'fast' } });
    await fast.done;
    expect(new Set(fast.observations().map((o) => o.method))).toEqual(new Set(['fast']));

    const bad = run(hub, { options: { 'hf-method': 'fastest' } });
    await expect(bad.done).rejects.toThrow(UsageError);
    await expect(bad.done).rejects.toThrow(/--hf-method fastest is not known; use one of exact, fast, both/);
  });

  it('counts pytorch OR (safetensors AND transformers) without double counting, by both methods', async () => {
    const models = syntheticModels([
      { tags: ['pytorch'], count: 50 },
      { tags: ['safetensors', 'transformers'], count: 30 },
      { tags: ['pytorch', 'safetensors', 'transformers'], count: 20 }, // matches both alternatives: once
      { tags: ['safetensors'], count: 10 }, // neither alternative
      { tags: ['transformers'], count: 5 },
      { tags: ['tf'], count: 7 },
      { tags: ['pytorch', 'tf'], count: 3 },
      { tags: ['safetensors', 'transformers', 'tf'], count: 4 },
      { tags: ['pytorch', 'safetensors', 'transformers', 'tf'], count: 2 },
    ]);
    const hub = await serve({ models, pageSize: 25 });
    const config = hfConfig({
      frameworks: [
        { name: 'PyTorch', huggingface: { tags: ['pytorch', ['safetensors', 'transformers']] } },
        { name: 'TensorFlow', huggingface: { tags: ['tf'] } },
      ],
      huggingface: { method: 'both' },
    });
    const { done, observations } = run(hub, { config });
    const summary = await done;
    const pt = '(pytorch|safetensors&transformers)';
    expect(byKey(observations())).toEqual({
      [`exact:${pt}`]: 50 + 30 + 20 + 3 + 4 + 2,
      [`fast:${pt}`]: 109,
      'exact:tf': 7 + 3 + 4 + 2,
      'fast:tf': 16,
      [`exact:${pt}+tf`]: 3 + 4 + 2,
      [`fast:${pt}+tf`]: 9,
    });
    expect(summary.warnings).toEqual([]);
    const queries = Object.fromEntries(observations().map((o) => [`${o.method}:${o.subject}`, o.query]));
    // The union counts each model once in its month too (every synthetic model here is of 2024-01).
    expect(monthsOf(observations(), pt)['2024-01']).toBe(109);
    expect(queries[`exact:${pt}+tf`]).toBe(`${exactQuery(['pytorch', 'tf'])} OR ${exactQuery(['safetensors', 'transformers', 'tf'])}`);
    expect(queries[`fast:${pt}`]).toBe(
      '/models-json?library=pytorch&p=0&withCount=true OR /models-json?library=safetensors,transformers&p=0&withCount=true',
    );
    // Inclusion–exclusion asked for the intersection too.
    expect(hub.requests.some((r) => r.url === '/models-json?library=pytorch,safetensors,transformers&p=0&withCount=true')).toBe(true);
  });

  it('counts every subset once even when comparisons share it, and each query once', async () => {
    const models = syntheticModels([
      { tags: ['pytorch'], count: 20 },
      { tags: ['tf'], count: 8 },
      { tags: ['jax'], count: 6 },
      { tags: ['pytorch', 'jax'], count: 4 },
      { tags: ['pytorch', 'tf', 'jax'], count: 1 },
    ]);
    const hub = await serve({ models });
    const config = hfConfig({
      huggingface: {
        comparisons: [
          ['PyTorch', 'TensorFlow'],
          ['PyTorch', 'JAX'],
          ['PyTorch', 'TensorFlow', 'JAX'],
        ],
      },
    });
    const { done, observations } = run(hub, { config });
    await done;
    expect(observations().filter((o) => o.metric === 'models')).toHaveLength(7);
    expect(byKey(observations())).toEqual({
      'exact:pytorch': 25,
      'exact:tf': 9,
      'exact:jax': 11,
      'exact:pytorch+tf': 1,
      'exact:pytorch+jax': 5,
      'exact:tf+jax': 1,
      'exact:pytorch+tf+jax': 1,
    });
    expect(hub.requests.filter((r) => r.queryKey === exactQuery(['pytorch']))).toHaveLength(1);
  });

  it('sends HF_TOKEN as a Bearer token and never logs or reports it', async () => {
    const token = 'hf_SyntheticTokenForTests0123456789';
    const hub = await serve({
      models: pairedModels(['pytorch', 'tf'], { a: 30, b: 10, both: 4 }),
      pageSize: 10,
      requireToken: token,
      faultFor: (req) => {
        // A 429 on the first attempt of one page (logged as a retry), and a server that echoes the
        // Authorization header in a persistent error (thrown after retries).
        if (req.queryKey === exactQuery(['pytorch']) && req.page === 2 && req.attempt === 1) {
          return { kind: 'status', status: 429, headers: { 'retry-after': '0' } };
        }
        if (req.queryKey === exactQuery(['tf'])) {
          return { kind: 'status', status: 500, body: (r) => JSON.stringify({ error: `bad auth header ${r.authorization}` }) };
        }
        return undefined;
      },
    });
    const { done, log, observations } = run(hub, { env: { HF_TOKEN: token } });
    const { problems } = await done;
    expect(problems.join('\n')).toMatch(
      /tf \(exact\): \/api\/models\?filter=tf&sort=createdAt&direction=-1&expand=createdAt&limit=1000: page 1: GET .* failed after 6 attempts: HTTP 500/,
    );
    expect(Object.keys(byKey(observations())).sort()).toEqual(['exact:pytorch', 'exact:pytorch+tf']);
    expect(hub.requests.every((r) => r.authorization === `Bearer ${token}`)).toBe(true);
    expect(log.lines.some((l) => l.includes('HTTP 429'))).toBe(true);
    const everything = [...problems, ...log.lines, ...observations().map((o) => o.query)].join('\n');
    expect(everything).not.toContain(token);
  });

  it('reads HUGGING_FACE_HUB_TOKEN as a fallback and raises the budget with a token', () => {
    expect(huggingface.credentials({ HUGGING_FACE_HUB_TOKEN: 'hf_legacyToken' })).toEqual({
      headers: { authorization: 'Bearer hf_legacyToken' },
      secrets: ['hf_legacyToken'],
    });
    expect(huggingface.credentials({ HF_TOKEN: 'hf_new', HUGGING_FACE_HUB_TOKEN: 'hf_old' }).secrets).toEqual(['hf_new']);
    expect(huggingface.credentials({})).toEqual({ headers: {}, secrets: [] });
    expect(hfRateLimit({})).toMatchObject({ maxRequests: 500, windowMs: 300_000 });
    expect(hfRateLimit({ HF_TOKEN: 'hf_x' })).toMatchObject({ maxRequests: 1000, windowMs: 300_000 });
  });

  it('takes HF_ENDPOINT without its trailing slash, defaulting to huggingface.co', () => {
    expect(hfEndpoint({})).toBe('https://huggingface.co');
    expect(hfEndpoint({ HF_ENDPOINT: 'https://hf-mirror.com//' })).toBe('https://hf-mirror.com');
    expect(huggingface.baseUrl({ HF_ENDPOINT: 'http://127.0.0.1:9/' })).toBe('http://127.0.0.1:9');
  });

  it('works against an HF_ENDPOINT given with a trailing slash', async () => {
    const hub = await serve({ models: pairedModels(['pytorch', 'tf'], { a: 3, b: 2, both: 1 }) });
    const { done, observations } = run(hub, { env: { HF_ENDPOINT: `${hub.url}/` } });
    await done;
    expect(byKey(observations())).toEqual({ 'exact:pytorch': 3, 'exact:tf': 2, 'exact:pytorch+tf': 1 });
  });

  it('warns that Hub counts are today’s when the as-of date is in the past, and still stores them under it', async () => {
    const hub = await serve({ models: pairedModels(['pytorch', 'tf'], { a: 3, b: 2, both: 1 }) });
    const { done, observations, log } = run(hub, { asOf: '2024-07-20', today: '2025-01-31' });
    const summary = await done;
    expect(summary.stored).toBe(observations().length);
    expect(Object.keys(byKey(observations()))).toHaveLength(3);
    expect(observations().every((o) => o.observedAt === '2024-07-20')).toBe(true);
    expect(observations().every((o) => o.metric === 'models_created' || o.period === '2024-07-20')).toBe(true);
    expect(log.lines.filter((l) => l.startsWith('warn'))).toEqual([
      expect.stringMatching(/counts reflect the time of the request \(2025-01-31\), not the as-of date 2024-07-20/),
    ]);
  });

  it('declares the hf-method option with its values', () => {
    expect(huggingface.options).toEqual([expect.objectContaining({ name: 'hf-method', values: ['exact', 'fast', 'both'] })]);
  });
});
