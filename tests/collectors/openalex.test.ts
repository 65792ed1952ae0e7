import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { JAX_TERM, parseFrameworkPart, parseSourcePart } from '../../collectors/openalex/config.js';
import { openalex } from '../../collectors/openalex/index.js';
import type { AppConfig } from '../../src/config/types.js';
import type { StoredObservation } from '../../src/core/observation.js';
import type { RetryOptions } from '../../src/http/retry.js';
import { createTestContext, instantClock } from '../helpers/context.js';
import { requestTiming } from '../helpers/esearch-server.js';
import { type OpenAlexServer, type OpenAlexServerOptions, openAlexReplies, startOpenAlexServer } from '../helpers/openalex-server.js';

/**
 * The collector through the real HttpClient against the local OpenAlex stand-in, with a virtual clock (the
 * limiter's waits and retry backoffs take no time) except in the pacing test.
 */

const KEY = 'oa-test-key-0123456789abcdef';

function openAlexConfig(frameworks: Record<string, string>, source?: Record<string, unknown>): AppConfig {
  return {
    frameworks: Object.entries(frameworks).map(([name, term]) => ({
      name,
      sources: { openalex: parseFrameworkPart({ term }, `frameworks.${name}.openalex`) },
    })),
    sources: { openalex: parseSourcePart(source, 'openalex') },
    origin: 'test',
  };
}

let server: OpenAlexServer | undefined;
async function serve(options: OpenAlexServerOptions = {}): Promise<OpenAlexServer> {
  await server?.close();
  server = await startOpenAlexServer(options);
  return server;
}
afterAll(() => server?.close());

interface Options {
  frameworks?: Record<string, string>;
  source?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  asOf?: string;
  today?: string;
  full?: boolean;
  history?: StoredObservation[];
  retry?: Partial<RetryOptions>;
  realClock?: boolean;
}

const FRAMEWORKS = { PyTorch: 'pytorch', TensorFlow: 'tensorflow' };
const RANGE = { fromYear: 2021, toYear: 2024 };

function context(srv: OpenAlexServer, options: Options = {}) {
  return createTestContext({
    collector: openalex,
    config: openAlexConfig(options.frameworks ?? FRAMEWORKS, options.source ?? RANGE),
    env: srv.env('env' in options ? options.env : { OPENALEX_API_KEY: KEY }),
    asOf: options.asOf ?? '2024-07-20',
    today: options.today,
    full: options.full,
    history: options.history,
    retry: options.retry,
    ...(options.realClock ? {} : { clock: instantClock() }),
  });
}

async function collect(srv: OpenAlexServer, options: Options = {}) {
  const t = context(srv, options);
  const summary = await openalex.collect(t.ctx);
  return { ...t, summary };
}

async function failure(srv: OpenAlexServer, options: Options = {}) {
  const t = context(srv, options);
  const error = await openalex.collect(t.ctx).then(
    () => undefined,
    (err: unknown) => err as Error,
  );
  return { ...t, error };
}

const asStored = (observations: ReturnType<ReturnType<typeof context>['observations']>, runId = 1): StoredObservation[] =>
  observations.map((o, i) => ({ ...o, id: runId * 1000 + i, runId }));

/** Everything that leaves the collector as text. */
function everything(t: { log: { lines: string[] }; observations: () => unknown[] }, extra: unknown = ''): string {
  return JSON.stringify([t.log.lines, t.observations(), extra]);
}

const COUNTS = {
  pytorch: { 2021: 17_800, 2022: 28_300, 2023: 47_900, 2024: 20_100 },
  tensorflow: { 2021: 21_000, 2023: 19_500, 2024: 8_000 },
};
const TOTALS = { 2021: 9_500_000, 2022: 9_600_000, 2023: 9_800_000, 2024: 4_900_000 };

describe('collectors/openalex/index', () => {
  beforeEach(() => server?.reset());

  it('stores every year of each framework and the totals from N + 1 requests, each answer one batch, with provenance', async () => {
    const srv = await serve({ counts: COUNTS, totals: TOTALS });
    const t = await collect(srv);
    expect(t.summary).toEqual({ stored: 12, problems: [], warnings: [] });
    expect(srv.requests).toHaveLength(2 + 1);
    expect(srv.requests.map((r) => r.params).sort((a, b) => (a.search ?? '').localeCompare(b.search ?? ''))).toEqual([
      { group_by: 'publication_year', filter: 'publication_year:2021-2024', api_key: KEY },
      { search: 'pytorch', group_by: 'publication_year', filter: 'publication_year:2021-2024', api_key: KEY },
      { search: 'tensorflow', group_by: 'publication_year', filter: 'publication_year:2021-2024', api_key: KEY },
    ]);
    // One batch per answer: all of a framework's years or none.
    expect(t.emitted.map((batch) => batch.length)).toEqual([4, 4, 4]);
    const rows = t.observations().map((o) => `${o.metric} ${o.subject} ${o.period} ${o.value}`);
    // TensorFlow had no works in 2022: OpenAlex leaves the year out, the request covered it, so 0 is stored.
    expect(rows).toContain('works TensorFlow 2022 0');
    expect(rows).toContain('works PyTorch 2023 47900');
    expect(rows).toContain('works_all (all works) 2024 4900000');
    expect(t.observations().find((o) => o.subject === 'PyTorch' && o.period === '2023')).toEqual({
      source: 'openalex',
      metric: 'works',
      subject: 'PyTorch',
      period: '2023',
      method: 'group_by',
      value: 47_900,
      observedAt: '2024-07-20',
      query: '/works?search=pytorch&group_by=publication_year&filter=publication_year:2023',
      collectorVersion: openalex.version,
    });
    expect(t.log.lines).toContainEqual(
      expect.stringContaining(
        "openalex: 3 request(s) for 2 framework(s) and the yearly totals, 2021–2024; 0 series-year(s) skipped (already stored with the same query; --full asks them all); cost: 3 group_by requests at $0.0001 each = $0.0003, 0.03 % of a free key's $1.00 daily allowance (3,333 such runs a day fit in it)",
      ),
    );
  });

  it('fails a framework whose answer has no usable group_by with one line, storing nothing of it; the others are stored', async () => {
    const srv = await serve({ counts: COUNTS, totals: TOTALS });
    srv.addFault({ match: (r) => r.search === 'pytorch', reply: openAlexReplies.json({ meta: { count: 5 }, results: [] }) });
    srv.addFault({
      match: (r) => r.search === 'tensorflow',
      reply: openAlexReplies.json({
        group_by: [
          { key: '2023', key_display_name: '2023', count: 19_500 },
          { key: 2024, key_display_name: '2024', count: 8_000 },
        ],
      }),
    });
    const t = await collect(srv, { frameworks: { ...FRAMEWORKS, JAX: JAX_TERM } });
    expect(t.summary.problems).toEqual([
      `PyTorch 2021–2024 (search "pytorch"): OpenAlex's answer has no group_by list ({"meta":{"count":5},"results":[]}); nothing of it is stored`,
      expect.stringMatching(
        /^TensorFlow 2021–2024 \(search "tensorflow"\): OpenAlex's group_by entry 2 is malformed \(its key is not a year written as a string: .*\); nothing of this answer is stored$/,
      ),
    ]);
    // Not even TensorFlow's well-formed 2023 group.
    expect(new Set(t.observations().map((o) => o.subject))).toEqual(new Set(['JAX', '(all works)']));
  });

  it('leaves the unknown-year group out, and refuses years outside the range it asked for', async () => {
    const srv = await serve({ counts: COUNTS, totals: TOTALS });
    srv.addFault({
      match: (r) => r.search === 'pytorch',
      reply: openAlexReplies.json({
        meta: { groups_count: 2 },
        results: [],
        group_by: [
          { key: '2023', key_display_name: '2023', count: 7 },
          { key: 'unknown', key_display_name: 'unknown', count: 999 },
        ],
      }),
    });
    srv.addFault({
      match: (r) => r.search === 'tensorflow',
      reply: openAlexReplies.json({ group_by: [{ key: '1999', key_display_name: '1999', count: 3 }] }),
    });
    const t = await collect(srv);
    expect(
      t
        .observations()
        .filter((o) => o.subject === 'PyTorch')
        .map((o) => [o.period, o.value]),
    ).toEqual([
      ['2021', 0],
      ['2022', 0],
      ['2023', 7],
      ['2024', 0],
    ]);
    expect(t.summary.problems).toEqual([expect.stringContaining('OpenAlex answered a group for 1999, outside the requested 2021–2024')]);
  });

  it('reports an HTML page and an error JSON per framework, quoting what OpenAlex said', async () => {
    const srv = await serve({ counts: COUNTS, totals: TOTALS });
    srv.addFault({ match: (r) => r.search === 'pytorch', reply: openAlexReplies.html(200) });
    srv.addFault({ match: (r) => r.search === 'tensorflow', reply: openAlexReplies.badRequest('Invalid query: unbalanced') });
    const t = await collect(srv);
    expect(t.summary.problems).toEqual([
      expect.stringMatching(
        /^PyTorch .*: OpenAlex answered HTTP 200 with an HTML page instead of JSON \("502 Bad Gateway"\); the service may be down or OPENALEX_URL may be wrong$/,
      ),
      'TensorFlow 2021–2024 (search "tensorflow"): OpenAlex answered HTTP 400: Invalid query parameters error: Invalid query: unbalanced',
    ]);
    expect(t.summary.stored).toBe(4);
  });

  describe('the key', () => {
    it('without OPENALEX_API_KEY: one line saying OpenAlex requires one and where to get it; nothing is sent', async () => {
      const srv = await serve();
      const { error } = await failure(srv, { env: {} });
      expect(error?.message).toBe(
        '[collector:openalex] OPENALEX_API_KEY is not set; OpenAlex requires an API key since 13 February 2026: create a free key at https://openalex.org/settings/api and set OPENALEX_API_KEY (or leave openalex out with --sources)',
      );
      expect(srv.requests).toEqual([]);
    });

    it('a rejected key: one line naming OPENALEX_API_KEY, never the key, though OpenAlex echoes it; the rest is not sent', async () => {
      const srv = await serve({ counts: COUNTS, validKeys: ['another-key-0000'] });
      srv.addFault({ reply: (r) => ({ status: 401, json: { error: 'Invalid API key', message: `unknown key ${r.params.api_key}` } }) });
      const t = await failure(srv, { frameworks: { A: 'a', B: 'b', C: 'c', D: 'd', E: 'e' } });
      expect(t.error?.message).toBe(
        '[collector:openalex] OpenAlex rejected OPENALEX_API_KEY (HTTP 401: Invalid API key: unknown key ***); check the key, or create a free key at https://openalex.org/settings/api',
      );
      // Two at a time: at most the two in flight went out before it stopped.
      expect(srv.requests.length).toBeLessThanOrEqual(2);
      expect(t.observations()).toEqual([]);
      expect(everything(t, t.error?.message)).not.toContain(KEY);
    });

    it('never lets the key out: logs, stored queries, problems and errors are clean, though answers echo it', async () => {
      const srv = await serve({ counts: COUNTS, totals: TOTALS });
      srv.addFault({
        match: (r) => r.search === 'tensorflow',
        reply: (r) => ({ status: 502, json: { error: 'Bad gateway', message: `upstream saw ${r.params.api_key}` } }),
      });
      const t = await collect(srv, { retry: { maxRetries: 1 } });
      expect(srv.requests.every((r) => r.params.api_key === KEY)).toBe(true);
      expect(t.summary.problems).toEqual([expect.stringMatching(/^TensorFlow .*HTTP 502: Bad gateway: upstream saw \*\*\*$/)]);
      expect(everything(t, t.summary)).not.toContain(KEY);
      expect(everything(t, t.summary)).not.toContain('api_key');
      expect(t.log.lines.some((l) => l.includes('retry 1/1'))).toBe(true);
    });
  });

  describe('limits', () => {
    it('a spent daily allowance (genuine 429 "Insufficient budget") is not retried: one line saying it is renewed at midnight UTC, what was stored is kept', async () => {
      // One credit: the first request fits, every other one is refused.
      const srv = await serve({ counts: COUNTS, totals: TOTALS, allowanceUsd: 0.0001 });
      const t = await failure(srv, { frameworks: { PyTorch: 'pytorch', TensorFlow: 'tensorflow', Keras: 'keras' } });
      expect(t.error?.message).toMatch(
        /^\[collector:openalex\] OpenAlex's daily allowance for this key is spent \(HTTP 429: Rate limit exceeded: Insufficient budget\. This request costs \$0\.0001 but you only have \$0 remaining\. Resets at midnight UTC\..*\); it is renewed at midnight UTC, in \d+ (h \d+ )?min \(until \d{4}-\d\d-\d\d 00:00 UTC\); not retried, since asking again before then only fails again/,
      );
      expect(srv.requests.filter((r) => r.outcome === 'groups')).toHaveLength(1);
      const refused = srv.requests.filter((r) => r.outcome === 'allowance-spent');
      expect(refused.length).toBeGreaterThanOrEqual(1);
      // Each refused request was sent once, though its Retry-After is hours and its status 429.
      expect(new Set(refused.map((r) => r.search)).size).toBe(refused.length);
      expect(t.observations()).toHaveLength(4);
      expect(t.log.lines.filter((l) => /retry \d/.test(l))).toEqual([]);
    });

    it('the reset comes from X-RateLimit-Reset (seconds to midnight UTC); without it, from a long Retry-After', async () => {
      const srv = await serve({ counts: COUNTS, totals: TOTALS });
      srv.addFault({
        match: (r) => r.search === 'pytorch',
        reply: openAlexReplies.allowanceSpent(10_000, 0, { 'x-ratelimit-reset': '7260' }),
      });
      const genuine = await failure(srv);
      expect(genuine.error?.message).toMatch(
        /; it is renewed at midnight UTC, in 2 h 1 min \(until \d{4}-\d\d-\d\d \d\d:\d\d UTC\); not retried/,
      );

      srv.reset();
      srv.addFault({
        match: (r) => r.search === 'pytorch',
        reply: { status: 429, json: { error: 'Rate limit exceeded', message: 'Daily limit exceeded' }, headers: { 'retry-after': '7200' } },
      });
      const bare = await failure(srv);
      expect(bare.error?.message).toMatch(
        /\(HTTP 429: .*\); OpenAlex asks to wait 2 h 0 min \(until \d{4}-\d\d-\d\d \d\d:\d\d UTC\); not retried/,
      );
    });

    it('the per-second limit (genuine 429 "… requests per second", short Retry-After) is waited out and retried, though its X-RateLimit-Reset is hours', async () => {
      const srv = await serve({ counts: COUNTS, totals: TOTALS });
      srv.addFault({ match: (r) => r.search === 'pytorch', times: 2, reply: openAlexReplies.perSecond(10_000, 9_990, 1) });
      const t = await collect(srv);
      expect(t.summary).toMatchObject({ stored: 12, problems: [] });
      expect(srv.requests.filter((r) => r.search === 'pytorch').map((r) => r.status)).toEqual([429, 429, 200]);
      // A bare short 429 is taken the same way.
      srv.reset();
      srv.addFault({ match: (r) => r.search === 'pytorch', times: 1, reply: { status: 429, json: {}, headers: { 'retry-after': '1' } } });
      expect((await collect(srv)).summary.problems).toEqual([]);
    });

    it('an unknown key (genuine 401 "Invalid or missing API key") stops the source with one line naming OPENALEX_API_KEY', async () => {
      const srv = await serve({ counts: COUNTS, totals: TOTALS, validKeys: ['another-key-0000'] });
      const t = await failure(srv);
      expect(t.error?.message).toBe(
        '[collector:openalex] OpenAlex rejected OPENALEX_API_KEY (HTTP 401: Invalid or missing API key: API key not found); check the key, or create a free key at https://openalex.org/settings/api',
      );
      expect(srv.requests.filter((r) => r.outcome === 'groups')).toEqual([]);
      expect(srv.requests.length).toBeLessThanOrEqual(2);
      expect(t.observations()).toEqual([]);
    });

    it('an invalid filter or a wildcard in search (genuine 400 "Invalid query parameters error.") fails that framework, naming the field', async () => {
      const srv = await serve({ counts: COUNTS, totals: TOTALS });
      srv.addFault({ match: (r) => r.search === 'tensorflow', reply: openAlexReplies.badRequest() });
      // A configured wildcard is refused when the config is read (openalex.units.test.ts); the genuine answer to one
      // is still read right if OpenAlex gives it for another reason.
      srv.addFault({
        match: (r) => r.search === 'torch',
        reply: openAlexReplies.badRequest('Wildcards (* or ?) require exact (no-stem) search. Use the search.exact= parameter instead.'),
      });
      const t = await collect(srv, { frameworks: { PyTorch: 'pytorch', TensorFlow: 'tensorflow', Torch: 'torch' } });
      expect(t.summary.problems).toEqual([
        expect.stringMatching(
          /^TensorFlow 2021–2024 \(search "tensorflow"\): OpenAlex answered HTTP 400: Invalid query parameters error: publication_yearrr is not a valid field\./,
        ),
        expect.stringMatching(
          /^Torch 2021–2024 \(search "torch"\): OpenAlex answered HTTP 400: Invalid query parameters error: Wildcards \(\* or \?\) require exact \(no-stem\) search\./,
        ),
      ]);
      // Not retried (a 400 is an answer), and the others are stored.
      expect(srv.requests.filter((r) => r.status === 400)).toHaveLength(2);
      expect(new Set(t.observations().map((o) => o.subject))).toEqual(new Set(['PyTorch', '(all works)']));
    });

    it('403 "slow down" is backed off and retried; one that never stops ends the source with one line', async () => {
      const srv = await serve({ counts: COUNTS, totals: TOTALS });
      srv.addFault({ match: (r) => r.search === 'pytorch', times: 2, reply: openAlexReplies.slowDown() });
      const t = await collect(srv);
      expect(t.summary).toMatchObject({ stored: 12, problems: [] });
      expect(srv.requests.filter((r) => r.search === 'pytorch').map((r) => r.status)).toEqual([403, 403, 200]);
      expect(t.log.lines).toContainEqual(expect.stringContaining('OpenAlex answered 403 "rate limit exceeded; slow down"; retry 2/'));

      srv.reset();
      srv.addFault({ reply: openAlexReplies.slowDown() });
      const stuck = await failure(srv, { retry: { maxRetries: 2 } });
      expect(stuck.error?.message).toBe(
        '[collector:openalex] OpenAlex kept answering 403 "rate limit exceeded; slow down" after 3 attempts with backoff; stopped. Is another OpenAlex client running with this key or from this address?',
      );
    });

    it('paces well under the 100 requests/s cap: ≥ 100 ms apart, at most 10 a second', async () => {
      const srv = await serve({ counts: COUNTS, totals: TOTALS });
      const frameworks = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`F${i}`, `term${i}`]));
      const t = await collect(srv, { frameworks, realClock: true });
      expect(t.summary.problems).toEqual([]);
      expect(srv.requests).toHaveLength(12);
      const timing = requestTiming(srv.requests, 1000);
      expect(timing.maxInWindow).toBeLessThanOrEqual(10);
      expect(timing.minGapMs).toBeGreaterThanOrEqual(100 - 25);
    });
  });

  describe('incremental runs and as-of', () => {
    it('a full refresh is N + 1 requests; the same day again asks nothing; the next day N + 1 over the recent years', async () => {
      const srv = await serve({ counts: COUNTS, totals: TOTALS });
      const source = { fromYear: 2015 };
      const first = await collect(srv, { source, full: true });
      expect(srv.requests).toHaveLength(3);
      expect(first.observations()).toHaveLength(3 * 10);
      const history = asStored(first.observations());

      srv.reset();
      const again = await collect(srv, { source, history });
      expect(srv.requests).toEqual([]);
      expect(again.summary.stored).toBe(0);
      expect(again.log.lines).toContainEqual(
        expect.stringContaining('openalex: 0 request(s) for 2 framework(s) and the yearly totals, 2015–2024; 30 series-year(s) skipped'),
      );

      srv.reset();
      const nextDay = await collect(srv, { source, history, asOf: '2024-07-21' });
      expect(srv.requests.map((r) => r.params.filter)).toEqual(Array(3).fill('publication_year:2022-2024'));
      expect(nextDay.observations()).toHaveLength(3 * 3);
    });

    it('a range entirely after the as-of year fails the source with one line naming the key; nothing is sent', async () => {
      const srv = await serve({ counts: COUNTS, totals: TOTALS });
      const t = await failure(srv, { source: { fromYear: 2025 }, asOf: '2024-07-20' });
      expect(t.error?.message).toBe(
        '[collector:openalex] openalex.fromYear 2025 is after the as-of year 2024, so the configured range holds no year to count; set openalex.fromYear to 2024 or earlier',
      );
      expect(srv.requests).toEqual([]);
    });

    it('warns that a past --as-of cannot be reproduced, and stores today’s counts under it', async () => {
      const srv = await serve({ counts: COUNTS, totals: TOTALS });
      const t = await collect(srv, { asOf: '2024-07-20', today: '2026-11-26' });
      expect(t.log.lines).toContainEqual(
        'warn  openalex: OpenAlex serves only its present state; counts reflect the time of the request (2026-11-26), not the as-of date 2024-07-20, under which they are stored',
      );
      expect(t.observations().every((o) => o.observedAt === '2024-07-20')).toBe(true);
    });

    it('logs what OpenAlex charged and what is left of the day, read from its answers, and warns when the next run will not fit', async () => {
      const srv = await serve({ counts: COUNTS, totals: TOTALS, allowanceUsd: 1 });
      const t = await collect(srv);
      expect(t.log.lines).toContainEqual(
        expect.stringMatching(
          /^info {2}openalex: 3 answer\(s\), OpenAlex charged \$0\.0003; \$0\.9997 of today's \$1\.00 allowance is left, renewed at midnight UTC \(in \d+ (h \d+ )?min\)$/,
        ),
      );
      expect(t.summary.warnings).toEqual([]);

      // What OpenAlex says it charged is what is logged, not the estimate: here it charges 10 credits a request.
      srv.reset();
      srv.addFault({
        reply: (r) => ({
          // One work in the range's first year (an empty totals answer would be refused as an outage).
          json: {
            meta: { count: 1, groups_count: 1, cost_usd: 0.001 },
            results: [],
            group_by: [{ key: String(r.years!.from), key_display_name: String(r.years!.from), count: 1 }],
          },
          headers: {
            'x-ratelimit-cost-usd': '0.001',
            'x-ratelimit-remaining-usd': r.search ? '0.0015' : '0.0005',
            'x-ratelimit-limit-usd': '1',
          },
        }),
      });
      const pricier = await collect(srv);
      expect(pricier.log.lines).toContainEqual(
        expect.stringMatching(/openalex: 3 answer\(s\), OpenAlex charged \$0\.0030; \$0\.0005 of today's \$1\.00 allowance is left/),
      );
      expect(pricier.summary.warnings).toEqual([
        "only $0.0005 of today's allowance is left, less than this run's $0.0030: another run before it is renewed (midnight UTC) will be refused in part",
      ]);
    });
  });
});
