import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { JAX_TERM, parseFrameworkPart, parseSourcePart } from '../../collectors/pubmed/config.js';
import { pubmed } from '../../collectors/pubmed/index.js';
import type { StoredObservation } from '../../src/core/observation.js';
import type { AppConfig } from '../../src/config/types.js';
import type { RetryOptions } from '../../src/http/retry.js';
import { createTestContext, instantClock } from '../helpers/context.js';
import {
  pubmedTranslation,
  replies,
  startEsearchServer,
  type EsearchServer,
  type EsearchServerOptions,
} from '../helpers/esearch-server.js';

/**
 * The collector through the real HttpClient against the local ESearch server. Pacing is checked in real time
 * in pubmed.pacing.test.ts; here a virtual clock lets the limiter's waits and retry backoffs take no time.
 */

const KEY = 'ncbi-test-key-0123456789abcdef';
const EMAIL = 'developer@example.org';

function pubmedConfig(frameworks: Record<string, string>, source?: Record<string, unknown>): AppConfig {
  return {
    frameworks: Object.entries(frameworks).map(([name, term]) => ({
      name,
      sources: { pubmed: parseFrameworkPart({ term }, `frameworks.${name}.pubmed`) },
    })),
    sources: { pubmed: parseSourcePart(source, 'pubmed') },
    origin: 'test',
  };
}

let server: EsearchServer | undefined;
async function serve(options: EsearchServerOptions = {}): Promise<EsearchServer> {
  await server?.close();
  server = await startEsearchServer(options);
  return server;
}
afterAll(() => server?.close());

function context(
  srv: EsearchServer,
  options: {
    frameworks: Record<string, string>;
    source?: Record<string, unknown>;
    env?: Record<string, string | undefined>;
    asOf?: string;
    today?: string;
    full?: boolean;
    history?: StoredObservation[];
    retry?: Partial<RetryOptions>;
    timeoutMs?: number;
  },
) {
  return createTestContext({
    collector: pubmed,
    config: pubmedConfig(options.frameworks, options.source),
    env: srv.env(options.env),
    asOf: options.asOf ?? '2024-07-20',
    today: options.today,
    full: options.full,
    history: options.history,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
    clock: instantClock(),
  });
}

async function collect(srv: EsearchServer, options: Parameters<typeof context>[1]) {
  const t = context(srv, options);
  const summary = await pubmed.collect(t.ctx);
  return { ...t, summary };
}

/** The framework counts, without the yearly totals of all records (metric papers_all) stored beside them. */
const countsOnly = <T extends { metric: string }>(observations: readonly T[]): T[] => observations.filter((o) => o.metric !== 'papers_all');
/** Requests for a framework's count, without the yearly totals'. */
const keywordRequests = (srv: EsearchServer) => srv.requests.filter((r) => r.total === undefined);

const asStored = (observations: ReturnType<ReturnType<typeof context>['observations']>): StoredObservation[] =>
  observations.map((o, i) => ({ ...o, id: i + 1, runId: 1 }));

/** Everything that leaves the collector as text. */
function everything(t: { log: { lines: string[] }; observations: () => unknown[] }, extra: unknown = ''): string {
  return JSON.stringify([t.log.lines, t.observations(), extra]);
}

// asOf 2024-07-20 with toYear 2023: the as-of year is outside the range, so no completeness queries.
const PAST_RANGE = { fromYear: 2022, toYear: 2023 };

describe('collectors/pubmed/index', () => {
  beforeEach(() => server?.reset());

  it('stores one observation per (framework, year) with full provenance, each emitted as soon as known', async () => {
    const srv = await serve({ counts: { pytorch: { 2022: 3100, 2023: 4200 }, tensorflow: { 2022: 2900, 2023: 2600 } } });
    const t = await collect(srv, { frameworks: { PyTorch: 'pytorch', TensorFlow: 'tensorflow' }, source: PAST_RANGE });
    // 4 counts and the totals of all records of 2022 and 2023 (the denominators of per_million).
    expect(t.summary).toEqual({ stored: 6, problems: [], warnings: [] });
    expect(t.emitted.every((batch) => batch.length === 1)).toBe(true);
    expect(
      t
        .observations()
        .filter((o) => o.metric === 'papers_all')
        .map((o) => [o.subject, o.period, o.value, o.query]),
    ).toEqual([
      ['(all records)', '2022', 1_000_000, '2022:2022[dp]'],
      ['(all records)', '2023', 1_000_000, '2023:2023[dp]'],
    ]);
    expect(countsOnly(t.observations()).sort((a, b) => a.query.localeCompare(b.query))).toEqual([
      {
        source: 'pubmed',
        metric: 'papers',
        subject: 'PyTorch',
        period: '2022',
        method: 'esearch',
        value: 3100,
        observedAt: '2024-07-20',
        query: '(pytorch) AND 2022:2022[dp]',
        collectorVersion: pubmed.version,
      },
      {
        source: 'pubmed',
        metric: 'papers',
        subject: 'PyTorch',
        period: '2023',
        method: 'esearch',
        value: 4200,
        observedAt: '2024-07-20',
        query: '(pytorch) AND 2023:2023[dp]',
        collectorVersion: pubmed.version,
      },
      {
        source: 'pubmed',
        metric: 'papers',
        subject: 'TensorFlow',
        period: '2022',
        method: 'esearch',
        value: 2900,
        observedAt: '2024-07-20',
        query: '(tensorflow) AND 2022:2022[dp]',
        collectorVersion: pubmed.version,
      },
      {
        source: 'pubmed',
        metric: 'papers',
        subject: 'TensorFlow',
        period: '2023',
        method: 'esearch',
        value: 2600,
        observedAt: '2024-07-20',
        query: '(tensorflow) AND 2023:2023[dp]',
        collectorVersion: pubmed.version,
      },
    ]);
    expect(srv.requests.map((r) => r.params)).toContainEqual({
      db: 'pubmed',
      retmode: 'json',
      retmax: '0',
      term: '(pytorch) AND 2022:2022[dp]',
      tool: 'adoption-metrics',
    });
  });

  describe('credentials', () => {
    it('sends tool, email and api_key as query parameters and never logs, stores or throws them', async () => {
      const srv = await serve({ counts: { pytorch: { 2022: 10, 2023: 11 } } });
      // One answer echoing the key in an HTML page, one 502 whose URL carries the key: both become problems.
      srv.addFault({
        match: (r) => r.parsed?.keyword === 'keras' && r.parsed.year === 2022,
        reply: { status: 200, raw: `<html><title>bad ${KEY} ${EMAIL}</title></html>`, contentType: 'text/html' },
      });
      srv.addFault({
        match: (r) => r.parsed?.keyword === 'keras' && r.parsed.year === 2023,
        reply: { status: 502, json: { error: `upstream ${KEY}` } },
      });
      const t = await collect(srv, {
        frameworks: { PyTorch: 'pytorch', Keras: 'keras' },
        source: PAST_RANGE,
        env: { NCBI_API_KEY: KEY, NCBI_EMAIL: EMAIL, NCBI_TOOL: 'adoption-metrics-ci' },
        retry: { maxRetries: 1 },
      });
      for (const r of srv.requests) {
        expect(r.params).toMatchObject({ api_key: KEY, email: EMAIL, tool: 'adoption-metrics-ci' });
      }
      expect(countsOnly(t.observations())).toHaveLength(2);
      expect(t.summary.problems).toEqual([
        expect.stringContaining(
          'Keras 2022 (papers, term "(keras) AND 2022:2022[dp]"): NCBI answered HTTP 200 with an HTML page instead of JSON ("bad *** ***")',
        ),
        expect.stringMatching(/^Keras 2023 .*failed after 2 attempts: HTTP 502/),
      ]);
      const text = everything(t, t.summary);
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(EMAIL);
      expect(text).not.toContain(encodeURIComponent(EMAIL));
      expect(t.log.lines.some((l) => l.includes('retry 1/1'))).toBe(true);
    });

    it('stops at the first invalid-key answer with one clear error that does not contain the key', async () => {
      const srv = await serve({ invalidApiKeys: [KEY] });
      const t = context(srv, {
        frameworks: { PyTorch: 'pytorch', TensorFlow: 'tensorflow', Keras: 'keras', JAX: JAX_TERM },
        source: { fromYear: 2018, toYear: 2023 },
        env: { NCBI_API_KEY: KEY },
      });
      const error = await pubmed.collect(t.ctx).then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      expect(error?.message).toBe('[collector:pubmed] NCBI rejected NCBI_API_KEY as invalid; check it or unset it');
      // 24 planned; only what was already handed to the client (the gate's 6) went out, and requests still in
      // flight when the collector stopped were abandoned, unanswered.
      expect(srv.requests.length).toBeLessThanOrEqual(6);
      expect(srv.requests.every((r) => r.outcome === undefined || r.outcome === 'invalid-key')).toBe(true);
      expect(t.observations()).toEqual([]);
      expect(everything(t, error?.message)).not.toContain(KEY);
    });
  });

  describe('traps', () => {
    it('retries the rate-limit JSON with HTTP 429 or HTTP 200, then stores the count', async () => {
      const srv = await serve({ counts: { pytorch: { 2023: 77 }, keras: { 2023: 55 } } });
      srv.addFault({ match: (r) => r.parsed?.keyword === 'pytorch', times: 2, reply: replies.rateLimited(429) });
      srv.addFault({ match: (r) => r.parsed?.keyword === 'keras', times: 1, reply: replies.rateLimited(200) });
      const t = await collect(srv, { frameworks: { PyTorch: 'pytorch', Keras: 'keras' }, source: { fromYear: 2023, toYear: 2023 } });
      expect(t.summary).toEqual({ stored: 3, problems: [], warnings: [] });
      expect(countsOnly(t.observations()).map((o) => [o.subject, o.value])).toEqual(
        expect.arrayContaining([
          ['PyTorch', 77],
          ['Keras', 55],
        ]),
      );
      expect(
        keywordRequests(srv)
          .map((r) => `${r.parsed?.keyword} ${r.status}`)
          .sort(),
      ).toEqual(['keras 200', 'keras 200', 'pytorch 200', 'pytorch 429', 'pytorch 429']);
      // Every attempt at debug level (-v); the run's summary line per host is the CLI's (tests/cli/faults.test.ts).
      expect(t.log.lines.filter((l) => l.startsWith('debug'))).toEqual(
        expect.arrayContaining([
          expect.stringContaining('HTTP 429; retry 1/'),
          expect.stringContaining('NCBI "API rate limit exceeded" inside HTTP 200; retry 1/'),
        ]),
      );
    });

    it.each([429, 200] as const)(
      'fails the collector when the rate limit (HTTP %i) outlasts the retries, keeping what was stored',
      async (status) => {
        const srv = await serve({ counts: { pytorch: { 2022: 1, 2023: 2 } } });
        srv.addFault({ match: (r) => r.parsed?.keyword !== 'pytorch', reply: replies.rateLimited(status) });
        const t = context(srv, {
          frameworks: { PyTorch: 'pytorch', Keras: 'keras', JAX: JAX_TERM },
          source: { fromYear: 2015, toYear: 2023 },
          env: { NCBI_API_KEY: KEY },
          retry: { maxRetries: 2 },
        });
        const error = await pubmed.collect(t.ctx).then(
          () => undefined,
          (err: unknown) => err as Error,
        );
        expect(error?.message).toMatch(/^\[collector:pubmed\] NCBI kept answering "API rate limit exceeded" after retries; stopped/);
        expect(error?.message).toContain('after 3 attempts');
        expect(everything(t, error?.message)).not.toContain(KEY);
        // 27 planned: it stopped long before trying them all 3 times.
        const limited = srv.requests.filter((r) => r.parsed?.keyword !== 'pytorch').length;
        expect(limited).toBeLessThan(27);
        expect(t.observations().every((o) => o.subject === 'PyTorch')).toBe(true);
      },
    );

    it('reports ERROR inside HTTP 200, HTML pages and cut-off JSON per item; a raw newline in ERROR is still read', async () => {
      const srv = await serve({ counts: { pytorch: { 2015: 1, 2016: 2, 2017: 3, 2018: 4, 2019: 5 } } });
      const year = (y: number) => (r: { parsed?: { year: number } }) => r.parsed?.year === y;
      srv.addFault({ match: year(2015), reply: replies.errorIn200('Search Backend failed: syntax error') });
      srv.addFault({ match: year(2016), reply: replies.html() });
      srv.addFault({ match: year(2017), reply: replies.truncated() });
      srv.addFault({ match: year(2018), reply: replies.rawNewlineError() });
      const t = await collect(srv, { frameworks: { PyTorch: 'pytorch' }, source: { fromYear: 2015, toYear: 2019 } });
      expect(countsOnly(t.observations()).map((o) => [o.period, o.value])).toEqual([['2019', 5]]);
      expect(t.summary.problems).toEqual([
        'PyTorch 2015 (papers, term "(pytorch) AND 2015:2015[dp]"): PubMed answered ERROR "Search Backend failed: syntax error"',
        'PyTorch 2016 (papers, term "(pytorch) AND 2016:2016[dp]"): NCBI answered HTTP 200 with an HTML page instead of JSON ("Service unavailable"); the service may be down or NCBI_EUTILS_URL may be wrong',
        expect.stringMatching(
          /^PyTorch 2017 .*PubMed's answer is not valid JSON \(60 bytes, ends with .*\); it was probably cut off, try again$/,
        ),
        `PyTorch 2018 (papers, term "(pytorch) AND 2018:2018[dp]"): PubMed answered ERROR "Search Backend failed: Exception: 'retstart' cannot be larger than 9998"`,
      ]);
      // None of these is retried: one request each.
      expect(keywordRequests(srv)).toHaveLength(5);
    });

    it('rejects counts that are not strings of digits', async () => {
      const srv = await serve({ counts: { pytorch: { 2023: 8 } } });
      srv.addFault({
        match: (r) => r.parsed?.year === 2022,
        reply: replies.json({ header: { type: 'esearch', version: '0.3' }, esearchresult: { count: 12 } }),
      });
      const t = await collect(srv, { frameworks: { PyTorch: 'pytorch' }, source: PAST_RANGE });
      expect(countsOnly(t.observations()).map((o) => [o.period, o.value])).toEqual([['2023', 8]]);
      expect(t.summary.problems).toEqual([expect.stringContaining(`PubMed's count 12 is not a string of digits`)]);
    });

    it('reports phrases, fields and quoted phrases PubMed dropped, one line per framework, and stores no number for them', async () => {
      const srv = await serve({
        counts: { pytorch: { 2022: 5, 2023: 6 } },
        unknownPhrases: ['xyzzyflow'],
        quotedPhrasesNotFound: ['no such framework'],
      });
      const t = await collect(srv, {
        frameworks: { PyTorch: 'pytorch', Xyzzy: 'xyzzyflow', Quoted: '"no such framework"[tiab]', Field: 'pytorch[nosuchfield]' },
        source: PAST_RANGE,
      });
      expect(
        countsOnly(t.observations())
          .map((o) => `${o.subject} ${o.period}`)
          .sort(),
      ).toEqual(['PyTorch 2022', 'PyTorch 2023']);
      const tail = '2 count(s) not stored, since PubMed drops what it cannot find and counts the rest of the query';
      expect(t.summary.problems).toEqual([
        `Xyzzy: term "xyzzyflow" not found in PubMed (phrase "xyzzyflow"); ${tail}`,
        `Quoted: term "\\"no such framework\\"[tiab]" not found in PubMed (quoted phrase "no such framework"); ${tail}`,
        `Field: term "pytorch[nosuchfield]" not found in PubMed (field "nosuchfield"); ${tail}`,
      ]);
      // The server counted "the rest" (1,000,000): that number must be nowhere among the counts.
      expect(countsOnly(t.observations()).some((o) => o.value === 1_000_000)).toBe(false);
    });

    it('stores 0 only when PubMed says "0" without dropping part of the term', async () => {
      const srv = await serve({ unknownPhrases: ['nothingflow'], count: (q) => (q?.keyword === 'nothingflow' ? 0 : undefined) });
      const t = await collect(srv, { frameworks: { Rare: 'rareflow', Nothing: 'nothingflow' }, source: { fromYear: 2023, toYear: 2023 } });
      expect(countsOnly(t.observations()).map((o) => [o.subject, o.value])).toEqual([['Rare', 0]]);
      expect(t.summary.problems).toEqual([
        expect.stringMatching(/^Nothing: term "nothingflow" not found in PubMed \(phrase "nothingflow"\)/),
      ]);
    });

    it("checks PubMed's query translation when an answer carries one", async () => {
      const srv = await serve();
      srv.addFault({
        match: (r) => r.parsed?.year === 2022,
        reply: replies.json({
          esearchresult: { count: '9', querytranslation: '"pytorch"[All Fields] AND 2022/01/01:2022/12/31[Date - Publication]' },
        }),
      });
      srv.addFault({
        match: (r) => r.parsed?.year === 2023,
        reply: replies.json({ esearchresult: { count: '999999', querytranslation: '"pytorch"[All Fields]' } }),
      });
      const t = await collect(srv, { frameworks: { PyTorch: 'pytorch' }, source: PAST_RANGE });
      expect(countsOnly(t.observations()).map((o) => [o.period, o.value])).toEqual([['2022', 9]]);
      expect(t.summary.problems).toEqual([
        expect.stringContaining(`PubMed's query translation "\\"pytorch\\"[All Fields]" lost the publication year 2023`),
      ]);
    });

    it('turns a stalled answer into a timeout problem after retries', async () => {
      const srv = await serve({ counts: { pytorch: { 2023: 3 } } });
      srv.addFault({ match: (r) => r.parsed?.year === 2022, reply: replies.stall() });
      const t = await collect(srv, { frameworks: { PyTorch: 'pytorch' }, source: PAST_RANGE, timeoutMs: 150, retry: { maxRetries: 1 } });
      expect(countsOnly(t.observations()).map((o) => o.period)).toEqual(['2023']);
      expect(t.summary.problems).toEqual([
        // undici checks its timeouts about once a second, so the 450 ms deadline (3 × timeout) may end it first.
        expect.stringMatching(
          /^PyTorch 2022 .*failed after 2 attempts: (network error UND_ERR_HEADERS_TIMEOUT|no complete answer within 0\.\d s)$/,
        ),
      ]);
      expect(srv.requests.filter((r) => r.parsed?.year === 2022)).toHaveLength(2);
    });

    it('stores nothing when the translation lost the publication year, though the creation bound holds its digits', async () => {
      // As of a past day in the counted range: every query carries a [crdt] bound, and for the as-of year and
      // the completeness cutoffs that bound is in the counted year itself (issue 10: 20,246 stored for each).
      const srv = await serve({ count: () => 20_246, translate: (term) => pubmedTranslation(term, { lostYear: true }) });
      const t = await collect(srv, {
        frameworks: { PyTorch: 'pytorch' },
        source: { fromYear: 2024 },
        asOf: '2024-07-20',
        today: '2024-07-25',
      });
      expect(t.observations()).toEqual([]);
      expect(t.summary.problems).toHaveLength(srv.requests.length);
      expect(t.summary.problems).toContainEqual(
        'PyTorch 2024 (papers, term "(pytorch) AND 2024:2024[dp] AND 1800/01/01:2024/07/20[crdt]"): PubMed\'s query translation ' +
          '"\\"pytorch\\"[All Fields] AND 1800/01/01:2024/07/20[Date - Create]" lost the publication year 2024 (no 2024 [Date - Publication] range), so the count is not for 2024; not stored',
      );
      expect(t.summary.problems.filter((p) => p.startsWith('PyTorch 2023-07-31 (papers_created_by'))).toHaveLength(1);
    });

    it('stores the counts when the translation keeps the year as PubMed writes it', async () => {
      const srv = await serve({ count: () => 7, translate: (term) => pubmedTranslation(term) });
      const t = await collect(srv, {
        frameworks: { PyTorch: 'pytorch' },
        source: { fromYear: 2024 },
        asOf: '2024-07-20',
        today: '2024-07-25',
      });
      expect(t.summary.problems).toEqual([]);
      expect(t.observations()).toHaveLength(srv.requests.length);
    });

    it("retries NCBI's load-balancer refusal and stores the count", async () => {
      const srv = await serve({ counts: { pytorch: { 2022: 5, 2023: 6 } } });
      srv.addFault({ match: (r) => r.parsed?.year === 2023, times: 2, reply: replies.loadBalancerRefusal() });
      const t = await collect(srv, { frameworks: { PyTorch: 'pytorch' }, source: PAST_RANGE });
      expect(t.summary.problems).toEqual([]);
      expect(t.observations().map((o) => [o.period, o.value])).toEqual(expect.arrayContaining([['2023', 6]]));
      expect(t.log.lines).toContainEqual(
        expect.stringMatching(/NCBI's load balancer refused the request \(HTTP 200, "\/lbsm\/eutils_lb -> Neg"\); retry 2\//),
      );
    });

    it('sends a 13 KB term by POST, which NCBI takes, and keeps every message short', async () => {
      // A long list of synonyms; PubMed answers 431 to a GET this long (the stand-in does at 4 KB).
      const term = Array.from({ length: 650 }, (_, i) => `synonym${i}[tiab]`).join(' OR ');
      expect(term.length).toBeGreaterThan(12_000);
      const srv = await serve({ count: (parsed) => (parsed?.year === 2022 ? 12 : undefined) });
      srv.addFault({ match: (r) => r.parsed?.year === 2023, reply: replies.html(503) });
      const t = await collect(srv, { frameworks: { Long: term }, source: PAST_RANGE, retry: { maxRetries: 1 } });
      expect(keywordRequests(srv).map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
      expect(keywordRequests(srv).every((r) => r.term === `(${term}) AND ${r.parsed?.year}:${r.parsed?.year}[dp]`)).toBe(true);
      // The short totals of all records stay GETs.
      expect(srv.requests.filter((r) => r.total).map((r) => r.method)).toEqual(['GET', 'GET']);
      expect(countsOnly(t.observations()).map((o) => [o.period, o.value, o.query.length])).toEqual([['2022', 12, term.length + 20]]);
      expect(t.summary.problems).toHaveLength(1);
      expect(t.summary.problems[0]).toMatch(
        /^Long 2023 \(papers, term "\(synonym0\[tiab\] OR .*…"\): POST http:\/\/\S+… failed after 2 attempts: HTTP 503$/,
      );
      expect(t.summary.problems[0]!.length).toBeLessThan(400);
      for (const line of t.log.lines) expect(line.length).toBeLessThan(400);
    });
  });

  describe('incremental runs', () => {
    const frameworks = { PyTorch: 'pytorch' };
    const source = { fromYear: 2018 };
    const terms = (srv: EsearchServer) =>
      keywordRequests(srv)
        .map((r) => r.term)
        .sort();
    const totals = (srv: EsearchServer) =>
      srv.requests
        .filter((r) => r.total)
        .map((r) => r.term)
        .sort();

    it('re-queries the recent years and what is not stored with the same query; --full re-queries all', async () => {
      const srv = await serve({ counts: { pytorch: { 2018: 1, 2019: 2, 2020: 3, 2021: 4, 2022: 5, 2023: 6, 2024: 7 } } });
      const first = await collect(srv, { frameworks, source });
      // 2018–2024, plus two completeness cutoffs of the as-of month and four calibration cutoffs for each of
      // 2021–2023, plus the totals of all records of 2018–2024.
      expect(keywordRequests(srv)).toHaveLength(25);
      expect(totals(srv)).toHaveLength(7);
      expect(first.log.lines).toContainEqual(
        expect.stringContaining(
          'pubmed: 32 requests for 1 framework(s), 2018–2024, completeness for 2023, 2022, 2021, 7 yearly total(s) of all records; 0 skipped',
        ),
      );
      const history = asStored(first.observations());

      srv.reset();
      const second = await collect(srv, { frameworks, source, history });
      expect(terms(srv)).toEqual(['(pytorch) AND 2022:2022[dp]', '(pytorch) AND 2023:2023[dp]', '(pytorch) AND 2024:2024[dp]']);
      // The settled years' totals are stored; only those of the recent window are asked again.
      expect(totals(srv)).toEqual(['2022:2022[dp]', '2023:2023[dp]', '2024:2024[dp]']);
      expect(second.log.lines).toContainEqual(
        expect.stringContaining('; 26 skipped (already stored with the same query; --full re-queries them)'),
      );

      srv.reset();
      await collect(srv, { frameworks, source, history, full: true });
      expect(srv.requests).toHaveLength(32);

      // A year missing from the store, and a changed term, are queried again.
      srv.reset();
      await collect(srv, { frameworks, source, history: history.filter((o) => !(o.metric === 'papers' && o.period === '2019')) });
      expect(terms(srv)).toEqual([
        '(pytorch) AND 2019:2019[dp]',
        '(pytorch) AND 2022:2022[dp]',
        '(pytorch) AND 2023:2023[dp]',
        '(pytorch) AND 2024:2024[dp]',
      ]);
      srv.reset();
      await collect(srv, { frameworks: { PyTorch: 'pytorch[tiab]' }, source, history });
      expect(keywordRequests(srv)).toHaveLength(25);
      expect(totals(srv)).toHaveLength(3);
    });

    it('reuses the completeness cutoffs for the rest of the month and queries new ones in a new month', async () => {
      const srv = await serve();
      const source1 = { fromYear: 2018, recentYears: 1 };
      const first = await collect(srv, { frameworks, source: source1 });
      const history = asStored(first.observations());
      srv.reset();
      await collect(srv, { frameworks, source: source1, history, asOf: '2024-07-21' });
      expect(terms(srv)).toEqual(['(pytorch) AND 2024:2024[dp]']);
      expect(totals(srv)).toEqual(['2024:2024[dp]']);
      srv.reset();
      await collect(srv, { frameworks, source: source1, history, asOf: '2024-08-02' });
      expect(terms(srv)).toEqual([
        '(pytorch) AND 2021:2021[dp] AND 1800/01/01:2021/08/01[crdt]',
        '(pytorch) AND 2021:2021[dp] AND 1800/01/01:2021/08/31[crdt]',
        '(pytorch) AND 2022:2022[dp] AND 1800/01/01:2022/08/01[crdt]',
        '(pytorch) AND 2022:2022[dp] AND 1800/01/01:2022/08/31[crdt]',
        '(pytorch) AND 2023:2023[dp] AND 1800/01/01:2023/08/01[crdt]',
        '(pytorch) AND 2023:2023[dp] AND 1800/01/01:2023/08/31[crdt]',
        '(pytorch) AND 2024:2024[dp]',
      ]);
    });
  });

  describe('as-of and completeness queries', () => {
    it('bounds every papers query by the as-of creation date for a past state and stores completeness counts', async () => {
      // One distinct value per exact term, so each stored row proves which query produced it.
      const values: Record<string, number> = {
        '(pytorch) AND 2021:2021[dp] AND 1800/01/01:2024/07/20[crdt]': 2001,
        '(pytorch) AND 2022:2022[dp] AND 1800/01/01:2024/07/20[crdt]': 3002,
        '(pytorch) AND 2023:2023[dp] AND 1800/01/01:2024/07/20[crdt]': 4003,
        '(pytorch) AND 2024:2024[dp] AND 1800/01/01:2024/07/20[crdt]': 1504,
        '(pytorch) AND 2021:2021[dp] AND 1800/01/01:2021/07/01[crdt]': 1101,
        '(pytorch) AND 2022:2022[dp] AND 1800/01/01:2022/07/01[crdt]': 1602,
        '(pytorch) AND 2023:2023[dp] AND 1800/01/01:2023/07/01[crdt]': 2103,
        '(pytorch) AND 2021:2021[dp] AND 1800/01/01:2021/07/31[crdt]': 1201,
        '(pytorch) AND 2022:2022[dp] AND 1800/01/01:2022/07/31[crdt]': 1702,
        '(pytorch) AND 2023:2023[dp] AND 1800/01/01:2023/07/31[crdt]': 2203,
        '2022:2022[dp] AND 1800/01/01:2024/07/20[crdt]': 1_700_002,
        '2023:2023[dp] AND 1800/01/01:2024/07/20[crdt]': 1_600_003,
        '2024:2024[dp] AND 1800/01/01:2024/07/20[crdt]': 800_004,
      };
      const srv = await serve({ count: (_q, req) => values[req.term ?? ''] ?? 999_999 });
      const t = await collect(srv, {
        frameworks: { PyTorch: 'pytorch' },
        source: { fromYear: 2022 },
        asOf: '2024-07-20',
        today: '2025-03-01',
      });
      // The early-year calibration cutoffs (checked in pubmed.units) are left aside here.
      const calibration = /-(01-01|01-31|02-2[89]|03-31) /;
      const rows = t
        .observations()
        .map((o) => `${o.metric} ${o.period} ${o.observedAt} ${o.value} ${o.query}`)
        .filter((row) => !calibration.test(row))
        .sort();
      expect(rows).toEqual([
        'papers 2021 2024-07-20 2001 (pytorch) AND 2021:2021[dp] AND 1800/01/01:2024/07/20[crdt]',
        'papers 2022 2024-07-20 3002 (pytorch) AND 2022:2022[dp] AND 1800/01/01:2024/07/20[crdt]',
        'papers 2023 2024-07-20 4003 (pytorch) AND 2023:2023[dp] AND 1800/01/01:2024/07/20[crdt]',
        'papers 2024 2024-07-20 1504 (pytorch) AND 2024:2024[dp] AND 1800/01/01:2024/07/20[crdt]',
        // The totals of all records are bounded alike, so a count and its total describe the same state.
        'papers_all 2022 2024-07-20 1700002 2022:2022[dp] AND 1800/01/01:2024/07/20[crdt]',
        'papers_all 2023 2024-07-20 1600003 2023:2023[dp] AND 1800/01/01:2024/07/20[crdt]',
        'papers_all 2024 2024-07-20 800004 2024:2024[dp] AND 1800/01/01:2024/07/20[crdt]',
        'papers_created_by 2021-07-01 2024-07-20 1101 (pytorch) AND 2021:2021[dp] AND 1800/01/01:2021/07/01[crdt]',
        'papers_created_by 2021-07-31 2024-07-20 1201 (pytorch) AND 2021:2021[dp] AND 1800/01/01:2021/07/31[crdt]',
        'papers_created_by 2022-07-01 2024-07-20 1602 (pytorch) AND 2022:2022[dp] AND 1800/01/01:2022/07/01[crdt]',
        'papers_created_by 2022-07-31 2024-07-20 1702 (pytorch) AND 2022:2022[dp] AND 1800/01/01:2022/07/31[crdt]',
        'papers_created_by 2023-07-01 2024-07-20 2103 (pytorch) AND 2023:2023[dp] AND 1800/01/01:2023/07/01[crdt]',
        'papers_created_by 2023-07-31 2024-07-20 2203 (pytorch) AND 2023:2023[dp] AND 1800/01/01:2023/07/31[crdt]',
      ]);
      expect(srv.requests.map((r) => r.term).sort()).toEqual(
        t
          .observations()
          .map((o) => o.query)
          .sort(),
      );
      expect(t.log.lines).toContainEqual(expect.stringContaining(', records created by 2024-07-20;'));
    });

    it('ends February on the 28th in non-leap years when the as-of date is 29 February', async () => {
      const srv = await serve();
      const t = await collect(srv, { frameworks: { PyTorch: 'pytorch' }, source: { fromYear: 2024 }, asOf: '2024-02-29' });
      expect(
        t
          .observations()
          .filter((o) => o.metric === 'papers_created_by')
          .map((o) => o.query),
      ).toEqual(
        expect.arrayContaining([
          '(pytorch) AND 2023:2023[dp] AND 1800/01/01:2023/02/28[crdt]',
          '(pytorch) AND 2022:2022[dp] AND 1800/01/01:2022/02/28[crdt]',
          '(pytorch) AND 2021:2021[dp] AND 1800/01/01:2021/02/28[crdt]',
          '(pytorch) AND 2023:2023[dp] AND 1800/01/01:2023/02/01[crdt]',
        ]),
      );
      // asOf = today: the papers queries carry no creation bound.
      expect(
        t
          .observations()
          .filter((o) => o.metric === 'papers')
          .map((o) => o.query)
          .sort(),
      ).toEqual([
        '(pytorch) AND 2021:2021[dp]',
        '(pytorch) AND 2022:2022[dp]',
        '(pytorch) AND 2023:2023[dp]',
        '(pytorch) AND 2024:2024[dp]',
      ]);
    });
  });
});
