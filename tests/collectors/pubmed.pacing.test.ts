import { performance } from 'node:perf_hooks';
import { Agent, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { JAX_TERM, parseFrameworkPart, parseSourcePart } from '../../collectors/pubmed/config.js';
import { pubmed } from '../../collectors/pubmed/index.js';
import type { AppConfig } from '../../src/config/types.js';
import { createTestContext } from '../helpers/context.js';
import { requestTiming, startEsearchServer, type EsearchServer } from '../helpers/esearch-server.js';

/**
 * Real time, real HttpClient, a local server that enforces NCBI's limit and records arrival times. The year
 * ranges are small so each run takes a few seconds. Two views of the pacing:
 * - when the client starts each request (an undici interceptor on the dispatcher): gaps ≥ the spacing, less
 *   the time a busy event loop (2 CI cores, tests in parallel) can delay one hand-over and not the next;
 * - when the server sees it: what NCBI enforces (≤ 3, or 10, per sliding second) exactly, and gaps with an
 *   allowance for loopback jitter (a new connection or a busy event loop delays one arrival, not the next).
 */

const SERVER_JITTER_MS = 25;
/**
 * Slots are granted ≥ spacing apart; the interceptor sees them a moment later, and under load that moment
 * varies. The spacing leaves 80 ms of headroom per window (3 × 360 and 10 × 108 = 1,080 ms), so this slack
 * can never let a window exceed NCBI's limit, which the server-side checks hold exactly.
 */
const CLIENT_SLACK_MS = 15;

/** A dispatcher that records when each request is handed to undici, i.e. when it really starts. */
function recordingDispatcher(): { dispatcher: Dispatcher; starts: { at: number }[]; close: () => Promise<void> } {
  const starts: { at: number }[] = [];
  const agent = new Agent();
  const dispatcher = agent.compose((dispatch) => (options, handler) => {
    starts.push({ at: performance.timeOrigin + performance.now() });
    return dispatch(options, handler);
  });
  return { dispatcher, starts, close: () => agent.close() };
}

const FRAMEWORKS: Record<string, string> = { PyTorch: 'pytorch', TensorFlow: 'tensorflow', Keras: 'keras', JAX: JAX_TERM };

function pubmedConfig(frameworks: Record<string, string>, source: Record<string, unknown>): AppConfig {
  return {
    frameworks: Object.entries(frameworks).map(([name, term]) => ({
      name,
      sources: { pubmed: parseFrameworkPart({ term }, `frameworks.${name}.pubmed`) },
    })),
    sources: { pubmed: parseSourcePart(source, 'pubmed') },
    origin: 'test',
  };
}

/** Distinct test counts per (keyword, year); not PubMed data. */
function testCounts(years: number[]): Record<string, Record<number, number>> {
  return Object.fromEntries(
    Object.values(FRAMEWORKS).map((term, i) => [term, Object.fromEntries(years.map((y) => [y, (i + 1) * 1000 + y - 2000]))]),
  );
}

let server: EsearchServer | undefined;
let client: ReturnType<typeof recordingDispatcher>;
afterEach(async () => {
  await server?.close();
  await client?.close();
});

describe('collectors/pubmed/index pacing', () => {
  it('without a key: 4 frameworks × 2 years stored, an unknown keyword reported, ≥ 360 ms apart and ≤ 3 per second', async () => {
    const years = [2022, 2023];
    server = await startEsearchServer({
      counts: testCounts(years),
      unknownPhrases: ['xyzzyflow'],
      rateLimit: { maxRequests: 3, windowMs: 1000 },
    });
    client = recordingDispatcher();
    const t = createTestContext({
      collector: pubmed,
      dispatcher: client.dispatcher,
      // toYear before the as-of year: no completeness queries; 10 counts and 2 yearly totals, 12 requests in all.
      config: pubmedConfig({ ...FRAMEWORKS, Unknown: 'xyzzyflow' }, { fromYear: 2022, toYear: 2023 }),
      env: server.env(),
      asOf: '2024-07-20',
    });
    const summary = await pubmed.collect(t.ctx);

    expect(summary.stored).toBe(10);
    const stored = Object.fromEntries(t.observations().map((o) => [`${o.subject} ${o.period}`, o.value]));
    expect(stored).toEqual({
      'PyTorch 2022': 1022,
      'PyTorch 2023': 1023,
      'TensorFlow 2022': 2022,
      'TensorFlow 2023': 2023,
      'Keras 2022': 3022,
      'Keras 2023': 3023,
      'JAX 2022': 4022,
      'JAX 2023': 4023,
      '(all records) 2022': 1_000_000,
      '(all records) 2023': 1_000_000,
    });
    expect(summary.problems).toEqual([
      expect.stringMatching(/^Unknown: term "xyzzyflow" not found in PubMed \(phrase "xyzzyflow"\); 2 count\(s\) not stored/),
    ]);

    expect(server.requests).toHaveLength(12);
    expect(server.requests.filter((r) => r.outcome === 'rate-limited')).toEqual([]);
    const timing = requestTiming(server.requests, 1000);
    expect(timing.maxInWindow).toBeLessThanOrEqual(3);
    expect(timing.minGapMs).toBeGreaterThanOrEqual(360 - SERVER_JITTER_MS);
    expect(client.starts).toHaveLength(server.requests.length);
    expect(requestTiming(client.starts).minGapMs).toBeGreaterThanOrEqual(360 - CLIENT_SLACK_MS);
    expect(server.requests.every((r) => r.params.api_key === undefined)).toBe(true);
  });

  it('with NCBI_API_KEY: up to 10 per second, ≥ 108 ms apart', async () => {
    const years = [2020, 2021, 2022, 2023];
    server = await startEsearchServer({ counts: testCounts(years), rateLimit: { maxRequests: 3, maxRequestsWithKey: 10, windowMs: 1000 } });
    client = recordingDispatcher();
    const t = createTestContext({
      collector: pubmed,
      dispatcher: client.dispatcher,
      config: pubmedConfig(FRAMEWORKS, { fromYear: 2020, toYear: 2023 }),
      env: server.env({ NCBI_API_KEY: 'pacing-test-key-000' }),
      asOf: '2024-07-20',
    });
    const summary = await pubmed.collect(t.ctx);

    // 16 counts and 4 yearly totals.
    expect(summary).toMatchObject({ stored: 20, problems: [] });
    expect(server.requests).toHaveLength(20);
    expect(server.requests.filter((r) => r.outcome === 'rate-limited')).toEqual([]);
    expect(server.requests.every((r) => r.params.api_key === 'pacing-test-key-000')).toBe(true);
    const timing = requestTiming(server.requests, 1000);
    expect(timing.maxInWindow).toBeLessThanOrEqual(10);
    // More than the keyless 3: the key's budget is used.
    expect(timing.maxInWindow).toBeGreaterThan(3);
    expect(timing.minGapMs).toBeGreaterThanOrEqual(108 - SERVER_JITTER_MS);
    expect(requestTiming(client.starts).minGapMs).toBeGreaterThanOrEqual(108 - CLIENT_SLACK_MS);
    expect(requestTiming(client.starts).maxInWindow).toBeLessThanOrEqual(10);
  });

  it('keeps requests in flight when answers take longer than the spacing', async () => {
    server = await startEsearchServer({
      counts: testCounts([2021, 2022, 2023]),
      latencyMs: 600,
      rateLimit: { maxRequests: 3, windowMs: 1000 },
    });
    client = recordingDispatcher();
    const t = createTestContext({
      collector: pubmed,
      dispatcher: client.dispatcher,
      config: pubmedConfig({ PyTorch: 'pytorch', Keras: 'keras' }, { fromYear: 2021, toYear: 2023 }),
      env: server.env(),
      asOf: '2024-07-20',
    });
    const started = Date.now();
    const summary = await pubmed.collect(t.ctx);
    const elapsed = Date.now() - started;

    // 6 counts and 3 yearly totals.
    expect(summary).toMatchObject({ stored: 9, problems: [] });
    expect(Math.max(...server.requests.map((r) => r.inFlight))).toBeGreaterThanOrEqual(2);
    // One at a time would take 9 × 600 ms; paced and overlapping, 8 × 360 + 600.
    expect(elapsed).toBeLessThan(9 * 600 - 600);
    const timing = requestTiming(server.requests, 1000);
    expect(timing.maxInWindow).toBeLessThanOrEqual(3);
    expect(timing.minGapMs).toBeGreaterThanOrEqual(360 - SERVER_JITTER_MS);
    expect(client.starts).toHaveLength(server.requests.length);
    expect(requestTiming(client.starts).minGapMs).toBeGreaterThanOrEqual(360 - CLIENT_SLACK_MS);
  });
});
