import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FRAMEWORK_PARTS, JAX_TERM, parseFrameworkPart, parseSourcePart } from '../../collectors/pubmed/config.js';
import {
  EsearchError,
  esearchUrl,
  eutilsBaseUrl,
  fatalKind,
  parseEsearchResponse,
  parseJsonLenient,
  esearchRequestOptions,
  MAX_GET_URL_LENGTH,
  publicationYearProblem,
  rateLimitInBody,
} from '../../collectors/pubmed/esearch.js';
import { pubmed } from '../../collectors/pubmed/index.js';
import { planQueries } from '../../collectors/pubmed/plan.js';
import { allRecordsTerm, isLeapYear, monthBounds, pubmedDate, yearTerm } from '../../collectors/pubmed/query.js';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/validate.js';
import { HostGivenUpError, HttpError } from '../../src/http/errors.js';
import type { HttpResponse } from '../../src/http/types.js';
import {
  parseTerm,
  parseTotalTerm,
  pubmedTranslation,
  replies,
  startEsearchServer,
  type EsearchServer,
} from '../helpers/esearch-server.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/pubmed');

interface Fixture {
  source: string;
  request: { method: string; path: string; query: Record<string, string[]> };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Fixture;
}

function response(f: Fixture): HttpResponse {
  const body = typeof f.response.body === 'string' ? f.response.body : JSON.stringify(f.response.body);
  return { url: 'http://test/esearch.fcgi', status: f.response.status, headers: f.response.headers, body };
}

function jsonResponse(body: unknown, status = 200): HttpResponse {
  return {
    url: 'http://test/esearch.fcgi',
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8' },
    body: JSON.stringify(body),
  };
}

function parseError(res: HttpResponse): EsearchError {
  try {
    parseEsearchResponse(res);
  } catch (err) {
    if (err instanceof EsearchError) return err;
    throw err;
  }
  throw new Error('expected an EsearchError');
}

describe('collectors/pubmed/config', () => {
  it('parses a framework term and rejects bad ones naming the key', () => {
    expect(parseFrameworkPart({ term: ' pytorch ' }, 'frameworks[0].pubmed')).toEqual({ term: 'pytorch' });
    expect(() => parseFrameworkPart({}, 'frameworks[0].pubmed')).toThrow('config key frameworks[0].pubmed.term is missing');
    expect(() => parseFrameworkPart({ term: 3 }, 'frameworks[0].pubmed')).toThrow(
      'config key frameworks[0].pubmed.term: expected a non-empty string, got number 3',
    );
    expect(() => parseFrameworkPart({ term: 'x', terms: [] }, 'frameworks[1].pubmed')).toThrow(
      'config key frameworks[1].pubmed.terms is not known',
    );
    expect(() => parseFrameworkPart('pytorch', 'frameworks[0].pubmed')).toThrow(ConfigError);
    expect(() => parseFrameworkPart({ term: '(pytorch' }, 'frameworks[0].pubmed')).toThrow(
      'frameworks[0].pubmed.term: expected a PubMed query with balanced parentheses',
    );
    expect(() => parseFrameworkPart({ term: 'a) OR (b' }, 'frameworks[0].pubmed')).toThrow('balanced parentheses');
    expect(() => parseFrameworkPart({ term: '"deep learning' }, 'frameworks[0].pubmed')).toThrow('balanced double quotes');
    // Parentheses inside quotes are text, not grouping.
    expect(parseFrameworkPart({ term: '"a (b"[tiab]' }, 'p').term).toBe('"a (b"[tiab]');
  });

  it('applies source defaults and rejects unknown keys, wrong types and fromYear > toYear', () => {
    expect(parseSourcePart(undefined, 'pubmed')).toEqual({ fromYear: 2015, recentYears: 3 });
    expect(parseSourcePart({ fromYear: 2018, toYear: 2023, recentYears: 2 }, 'pubmed')).toEqual({
      fromYear: 2018,
      toYear: 2023,
      recentYears: 2,
    });
    expect(parseSourcePart({ toYear: 2020 }, 'pubmed')).toEqual({ fromYear: 2015, toYear: 2020, recentYears: 3 });
    expect(() => parseSourcePart({ fromyear: 2018 }, 'pubmed')).toThrow(
      'config key pubmed.fromyear is not known; allowed here: fromYear, toYear, recentYears',
    );
    expect(() => parseSourcePart({ fromYear: '2018' }, 'pubmed')).toThrow('config key pubmed.fromYear: expected a whole number');
    expect(() => parseSourcePart({ recentYears: 1.5 }, 'pubmed')).toThrow('config key pubmed.recentYears: expected a whole number');
    expect(() => parseSourcePart({ toYear: null }, 'pubmed')).toThrow('config key pubmed.toYear');
    expect(() => parseSourcePart([], 'pubmed')).toThrow('config key pubmed: expected an object');
    expect(() => parseSourcePart({ fromYear: 2024, toYear: 2020 }, 'pubmed')).toThrow(
      'config key pubmed.fromYear: 2024 is after pubmed.toYear 2020',
    );
  });

  it('supplies the built-in frameworks through the config loader, JAX without the Jackson Laboratory', () => {
    const config = parseConfig({}, [pubmed], 'built-in defaults');
    expect(config.frameworks.map((f) => [f.name, f.sources.pubmed])).toEqual([
      ['PyTorch', { term: 'pytorch' }],
      ['TensorFlow', { term: 'tensorflow' }],
      ['Keras', { term: 'keras' }],
      ['JAX', { term: JAX_TERM }],
    ]);
    expect(JAX_TERM).toContain('JAX[tiab]');
    expect(JAX_TERM).toContain('NOT "Jackson Laboratory"[ad]');
    expect(Object.keys(DEFAULT_FRAMEWORK_PARTS)).toEqual(['PyTorch', 'TensorFlow', 'Keras', 'JAX']);
    expect(config.sources.pubmed).toEqual({ fromYear: 2015, recentYears: 3 });
    expect(() => parseConfig({ pubmed: { fromYear: 2030, toYear: 2020 } }, [pubmed], 'x')).toThrow('pubmed.fromYear');
  });
});

describe('collectors/pubmed/query', () => {
  it('builds year, as-of and completeness terms', () => {
    expect(yearTerm('pytorch', 2023)).toBe('(pytorch) AND 2023:2023[dp]');
    expect(yearTerm('pytorch', 2023, '2024/07/20')).toBe('(pytorch) AND 2023:2023[dp] AND 1800/01/01:2024/07/20[crdt]');
    expect(allRecordsTerm(2023)).toBe('2023:2023[dp]');
    expect(allRecordsTerm(2023, '2024/07/20')).toBe('2023:2023[dp] AND 1800/01/01:2024/07/20[crdt]');
    expect(pubmedDate('2024-07-20')).toBe('2024/07/20');
    expect(monthBounds(2023, '2024-07-20')).toEqual({ first: '2023-07-01', last: '2023-07-31' });
    expect(monthBounds(2023, '2024-02-29')).toEqual({ first: '2023-02-01', last: '2023-02-28' });
    expect(monthBounds(2020, '2024-02-10')).toEqual({ first: '2020-02-01', last: '2020-02-29' });
    expect(monthBounds(2021, '2024-11-25')).toEqual({ first: '2021-11-01', last: '2021-11-30' });
    expect([1900, 2000, 2023, 2024].map(isLeapYear)).toEqual([false, true, false, true]);
  });
});

const countsOnly = <T extends { metric: string }>(queries: readonly T[]): T[] => queries.filter((q) => q.metric !== 'papers_all');

describe('collectors/pubmed/plan', () => {
  const frameworks = [{ name: 'PyTorch', term: 'pytorch' }];
  const base = { frameworks, asOf: '2024-07-20', today: '2024-07-20', full: false, stored: [] };

  it('plans every year plus completeness cutoffs (first and last day of the as-of month, and the early-year calibration cutoffs) for the 3 years before the as-of year, with their papers counts', () => {
    const plan = planQueries({ ...base, source: { fromYear: 2023, recentYears: 3 } });
    const cutoffs = (year: number) =>
      [`${year}-07-01`, `${year}-07-31`, `${year}-01-01`, `${year}-01-31`, `${year}-02-${year === 2024 ? 29 : 28}`, `${year}-03-31`].map(
        (d) => `papers_created_by ${d}: (pytorch) AND ${year}:${year}[dp] AND 1800/01/01:${d.replaceAll('-', '/')}[crdt]`,
      );
    expect(plan.queries.map((q) => `${q.metric} ${q.period}: ${q.query}`)).toEqual([
      'papers 2021: (pytorch) AND 2021:2021[dp]',
      'papers 2022: (pytorch) AND 2022:2022[dp]',
      'papers 2023: (pytorch) AND 2023:2023[dp]',
      'papers 2024: (pytorch) AND 2024:2024[dp]',
      ...cutoffs(2023),
      ...cutoffs(2022),
      ...cutoffs(2021),
      // The totals of all records of the range, the denominators of per_million (not of the completeness years).
      'papers_all 2023: 2023:2023[dp]',
      'papers_all 2024: 2024:2024[dp]',
    ]);
    // A month that is itself a calibration month asks each cutoff once.
    const march = planQueries({ ...base, asOf: '2024-03-15', today: '2024-03-15', source: { fromYear: 2023, recentYears: 3 } });
    expect(march.queries.filter((q) => q.metric === 'papers_created_by' && q.year === 2023).map((q) => q.period)).toEqual([
      '2023-03-01',
      '2023-03-31',
      '2023-01-01',
      '2023-01-31',
      '2023-02-28',
    ]);
    expect(plan.completenessYears).toEqual([2023, 2022, 2021]);
  });

  it('skips completeness when the as-of year is outside the range, and clamps toYear to the as-of year', () => {
    expect(planQueries({ ...base, source: { fromYear: 2020, toYear: 2022, recentYears: 3 } }).completenessYears).toEqual([]);
    const clamped = planQueries({ ...base, source: { fromYear: 2024, toYear: 2026, recentYears: 3 } });
    expect(clamped.toYear).toBe(2024);
    expect(clamped.warnings).toEqual([expect.stringContaining('pubmed.toYear 2026 is after the as-of year 2024')]);
    const empty = planQueries({ ...base, source: { fromYear: 2025, recentYears: 3 } });
    expect(empty.queries).toEqual([]);
    expect(empty.error).toBe(
      'pubmed.fromYear 2025 is after the as-of year 2024, so the configured range holds no year to count; set pubmed.fromYear to 2024 or earlier',
    );
  });

  it('re-queries the recent window and anything not stored with the same query; --full re-queries all', () => {
    const source = { fromYear: 2018, toYear: 2023, recentYears: 2 };
    const stored = [2018, 2019, 2020, 2021, 2022, 2023].map((year) => ({
      metric: 'papers',
      subject: 'PyTorch',
      period: String(year),
      method: 'esearch',
      observedAt: '2024-01-01',
      query: year === 2019 ? '(PyTorch) AND 2019:2019[dp]' : yearTerm('pytorch', year),
    }));
    const totals = [2018, 2019, 2020, 2021, 2022, 2023].map((year) => ({
      metric: 'papers_all',
      subject: '(all records)',
      period: String(year),
      method: 'esearch',
      observedAt: '2024-01-01',
      query: allRecordsTerm(year),
    }));
    const plan = planQueries({ ...base, source, stored: [...stored, ...totals] });
    // 2022-2023 recent; 2019 was stored with another query. Totals: the recent window only.
    expect(plan.queries.map((q) => `${q.metric} ${q.year}`)).toEqual([
      'papers 2019',
      'papers 2022',
      'papers 2023',
      'papers_all 2022',
      'papers_all 2023',
    ]);
    expect(plan.skipped).toBe(3 + 4);
    expect(planQueries({ ...base, source, stored, full: true }).queries).toHaveLength(6 + 6);
    // A stored row of another method does not count as stored.
    const otherMethod = stored.map((s) => ({ ...s, method: 'csv' }));
    expect(countsOnly(planQueries({ ...base, source, stored: otherMethod }).queries)).toHaveLength(6);
  });

  it('queries each completeness cutoff once: a later day of the same month reuses it, a new month needs new ones', () => {
    const source = { fromYear: 2024, recentYears: 3 };
    const first = planQueries({ ...base, source });
    const stored = first.queries.map((q) => ({
      metric: q.metric,
      subject: q.framework,
      period: q.period,
      method: 'esearch',
      query: q.query,
      observedAt: '2024-07-20',
    }));
    // Next day: only the recent papers counts (2022–2024) and the total of 2024 (the range starts there); the
    // cutoffs (six of the month, twelve calibration) and 2021's count are settled.
    const nextDay = planQueries({ ...base, asOf: '2024-07-21', today: '2024-07-21', source, stored });
    expect(nextDay.queries.map((q) => `${q.metric} ${q.period}`)).toEqual(['papers 2022', 'papers 2023', 'papers 2024', 'papers_all 2024']);
    expect(nextDay.skipped).toBe(19);
    // August: six new cutoffs.
    const august = planQueries({ ...base, asOf: '2024-08-01', today: '2024-08-01', source, stored });
    expect(august.queries.filter((q) => q.metric === 'papers_created_by').map((q) => q.period)).toEqual([
      '2023-08-01',
      '2023-08-31',
      '2022-08-01',
      '2022-08-31',
      '2021-08-01',
      '2021-08-31',
    ]);
    // --full asks again for everything.
    expect(planQueries({ ...base, asOf: '2024-07-21', today: '2024-07-21', source, stored, full: true }).queries).toHaveLength(23);
  });

  it('gives a back-dated count the series of its term and year without the as-of bound, for the collapse guard', () => {
    const source = { fromYear: 2023, recentYears: 3 };
    const back = planQueries({ ...base, asOf: '2024-07-20', today: '2026-11-27', source });
    const series = (q: { metric: string; query: string; seriesKey?: string }) =>
      `${q.metric}: ${q.query} → ${q.seriesKey ?? '(the query)'}`;
    expect(back.queries.filter((q) => q.metric !== 'papers_created_by' && q.year === 2023).map(series)).toEqual([
      'papers: (pytorch) AND 2023:2023[dp] AND 1800/01/01:2024/07/20[crdt] → (pytorch) AND 2023:2023[dp]',
      'papers_all: 2023:2023[dp] AND 1800/01/01:2024/07/20[crdt] → 2023:2023[dp]',
    ]);
    // A completeness cutoff's bound is its period, not the as-of day: its query is its series.
    const cutoffs = back.queries.filter((q) => q.metric === 'papers_created_by');
    expect(cutoffs.length).toBeGreaterThan(0);
    expect(cutoffs.every((q) => q.seriesKey === undefined)).toBe(true);
    // Today's counts are unbounded: the query is the series.
    expect(planQueries({ ...base, source }).queries.every((q) => q.seriesKey === undefined)).toBe(true);
  });
});

describe('collectors/pubmed/esearch', () => {
  it('builds the request with tool, email and api_key and strips the trailing slash of NCBI_EUTILS_URL', () => {
    expect(eutilsBaseUrl({})).toBe('https://eutils.ncbi.nlm.nih.gov/entrez/eutils');
    expect(eutilsBaseUrl({ NCBI_EUTILS_URL: 'http://127.0.0.1:9/entrez/eutils//' })).toBe('http://127.0.0.1:9/entrez/eutils');
    expect(esearchUrl('https://e/x', '(pytorch) AND 2023:2023[dp]', {})).toBe(
      'https://e/x/esearch.fcgi?db=pubmed&retmode=json&retmax=0&term=(pytorch)%20AND%202023%3A2023%5Bdp%5D&tool=adoption-metrics',
    );
    const url = new URL(
      esearchUrl('https://e/x', 'a', { NCBI_TOOL: 'mytool', NCBI_EMAIL: 'me+ncbi@example.org', NCBI_API_KEY: 'k123456' }),
    );
    expect([...url.searchParams.keys()]).toEqual(['db', 'retmode', 'retmax', 'term', 'tool', 'email', 'api_key']);
    expect(url.searchParams.get('email')).toBe('me+ncbi@example.org');
    expect(url.searchParams.get('tool')).toBe('mytool');
    expect(new URL(esearchUrl('https://e/x', 'a', { NCBI_API_KEY: '  ' })).searchParams.has('api_key')).toBe(false);
  });

  it('declares NCBI limits, private params and secrets', () => {
    expect(pubmed.rateLimit({})).toEqual({ maxRequests: 3, windowMs: 1000, minSpacingMs: 360, concurrency: 6 });
    expect(pubmed.rateLimit({ NCBI_API_KEY: 'k' })).toEqual({ maxRequests: 10, windowMs: 1000, minSpacingMs: 108, concurrency: 6 });
    expect(pubmed.privateParams).toEqual(['api_key', 'email']);
    expect(pubmed.credentials({ NCBI_API_KEY: 'key-1', NCBI_EMAIL: 'a@b.org' })).toEqual({ headers: {}, secrets: ['key-1', 'a@b.org'] });
    expect(pubmed.credentials({})).toEqual({ headers: {}, secrets: [] });
  });

  it('parses counts strictly: strings of digits only', () => {
    const count = (value: unknown) => jsonResponse({ header: { type: 'esearch', version: '0.3' }, esearchresult: { count: value } });
    expect(parseEsearchResponse(count('779'))).toEqual({ kind: 'count', count: 779 });
    expect(parseEsearchResponse(count('0'))).toEqual({ kind: 'count', count: 0 });
    for (const bad of [779, '', ' 779', '7e2', '-1', '12.0', '0x10', '99999999999999999999', null]) {
      expect(parseError(count(bad)).message).toMatch(/PubMed's count .* is not a string of digits/);
    }
    expect(parseError(jsonResponse({ esearchresult: {} })).message).toContain("PubMed's count is missing");
    expect(parseError(jsonResponse({ header: {} })).message).toContain('no esearchresult object');
    expect(parseError(jsonResponse([1])).kind).toBe('shape');
  });

  it('reports dropped phrases, fields and quoted phrases instead of a count', () => {
    const withLists = (errorlist: unknown, warninglist: unknown) =>
      jsonResponse({ esearchresult: { count: '1000000', errorlist, warninglist } });
    expect(parseEsearchResponse(withLists({ phrasesnotfound: ['xyzzy'], fieldsnotfound: [] }, {}))).toEqual({
      kind: 'not-found',
      phrasesNotFound: ['xyzzy'],
      fieldsNotFound: [],
      quotedPhrasesNotFound: [],
    });
    expect(parseEsearchResponse(withLists({ fieldsnotfound: ['nosuchfield'] }, undefined))).toMatchObject({
      fieldsNotFound: ['nosuchfield'],
    });
    expect(parseEsearchResponse(withLists(undefined, { quotedphrasesnotfound: ['"a b"'] }))).toMatchObject({
      quotedPhrasesNotFound: ['"a b"'],
    });
    // Empty lists and other warnings ("No items found.") leave a legitimate count alone.
    expect(
      parseEsearchResponse(
        withLists(
          { phrasesnotfound: [], fieldsnotfound: [] },
          { phrasesignored: ['and'], quotedphrasesnotfound: [], outputmessages: ['No items found.'] },
        ),
      ),
    ).toEqual({ kind: 'count', count: 1000000 });
  });

  it('handles ERROR in 200, HTML pages, cut-off JSON and the raw newline in ERROR', () => {
    expect(parseError(jsonResponse({ esearchresult: { ERROR: 'Search Backend failed: x' } })).message).toBe(
      'PubMed answered ERROR "Search Backend failed: x"',
    );
    const html = parseError({ url: 'u', status: 200, headers: { 'content-type': 'text/html' }, body: '<html><title>Down</title></html>' });
    expect(html.kind).toBe('html');
    expect(html.message).toContain('HTML page instead of JSON ("Down")');
    // No content type, but the body is markup.
    expect(parseError({ url: 'u', status: 200, headers: {}, body: '  <!DOCTYPE html><p>x</p>' }).kind).toBe('html');
    expect(parseError({ url: 'u', status: 200, headers: {}, body: '{"esearchresult":{"cou' }).message).toContain('not valid JSON');
    expect(parseJsonLenient('{"a":"x\ny\tz"}')).toEqual({ a: 'x\ny\tz' });
    expect(parseJsonLenient('{"a":"\\"q\\"\n"}')).toEqual({ a: '"q"\n' });
    expect(parseJsonLenient('{"a":')).toBeUndefined();
  });

  it('recognises rate-limit and invalid-key bodies, whatever the status', () => {
    const limited = jsonResponse({ error: 'API rate limit exceeded', 'api-key': '192.0.2.1', count: '5', limit: '3' });
    expect(rateLimitInBody(limited)).toContain('API rate limit exceeded');
    expect(rateLimitInBody(jsonResponse({ esearchresult: { count: '1' } }))).toBeUndefined();
    expect(rateLimitInBody({ url: 'u', status: 200, headers: {}, body: 'not json "error"' })).toBeUndefined();
    expect(parseError(limited).kind).toBe('rate-limited');
    expect(parseError(jsonResponse({ error: 'API key invalid', 'api-key': 'SECRETKEY', type: 'invalid' })).message).toBe(
      'NCBI rejected NCBI_API_KEY as invalid; check it or unset it',
    );
    const http400 = new HttpError('GET u failed: HTTP 400', {
      url: 'u',
      status: 400,
      attempts: 1,
      body: '{"error":"API key invalid","api-key":"***","type":"invalid"}',
    });
    expect(fatalKind(http400)).toBe('invalid-key');
    expect(fatalKind(new HttpError('x', { url: 'u', status: 429, attempts: 6, body: '' }))).toBe('rate-limited');
    expect(fatalKind(new HttpError('x', { url: 'u', status: 502, attempts: 6, body: '<html>' }))).toBeUndefined();
    expect(fatalKind(new Error('x'))).toBeUndefined();
  });
});

describe('fixtures/pubmed', () => {
  const expected: Record<string, (f: Fixture) => void> = {
    'esearch.count-only.json': (f) => expect(parseEsearchResponse(response(f))).toEqual({ kind: 'count', count: 42 }),
    'esearch.full-result.json': (f) =>
      expect(parseEsearchResponse(response(f))).toEqual({ kind: 'count', count: 9, translation: 'ydenberg ca[Author]' }),
    'esearch.phrases-not-found.json': (f) =>
      expect(parseEsearchResponse(response(f))).toMatchObject({ kind: 'not-found', phrasesNotFound: ['TB03JUN2009E__Contig_2000'] }),
    'esearch.fields-not-found.json': (f) =>
      expect(parseEsearchResponse(response(f))).toMatchObject({ kind: 'not-found', fieldsNotFound: ['NoSuchField'] }),
    'esearch.quoted-phrase-not-found.json': (f) =>
      expect(parseEsearchResponse(response(f))).toMatchObject({
        kind: 'not-found',
        quotedPhrasesNotFound: ['"synthetic framework phrase"'],
      }),
    'esearch.error-backend.json': (f) => expect(parseError(response(f)).message).toBe('PubMed answered ERROR "Search Backend failed: …"'),
    'esearch.error-empty-term.json': (f) => expect(parseError(response(f)).message).toContain('Empty term and query_key'),
    'esearch.error-raw-newline.json': (f) => {
      expect(() => JSON.parse(response(f).body)).toThrow();
      expect(parseError(response(f)).message).toBe(
        `PubMed answered ERROR "Search Backend failed: Exception: 'retstart' cannot be larger than 9998"`,
      );
    },
    'esearch.truncated.json': (f) => expect(parseError(response(f)).kind).toBe('invalid-json'),
    'html-error.json': (f) => expect(parseError(response(f)).kind).toBe('html'),
    'rate-limit.429.json': (f) =>
      expect(fatalKind(new HttpError('x', { url: 'u', status: f.response.status, attempts: 1, body: response(f).body }))).toBe(
        'rate-limited',
      ),
    'rate-limit.200.json': (f) => expect(rateLimitInBody(response(f))).toBeDefined(),
    'api-key-invalid.400.json': (f) =>
      expect(fatalKind(new HttpError('x', { url: 'u', status: 400, attempts: 1, body: response(f).body }))).toBe('invalid-key'),
  };

  it('every fixture has a source note and is handled by the collector as documented', () => {
    const files = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual(Object.keys(expected).sort());
    for (const name of files) {
      const f = fixture(name);
      expect(f.source.length, name).toBeGreaterThan(20);
      expect(f.request.path).toBe('/entrez/eutils/esearch.fcgi');
      expected[name]!(f);
    }
  });
});

describe('tests/helpers/esearch-server', () => {
  let server: EsearchServer;
  beforeAll(async () => {
    server = await startEsearchServer({ counts: { pytorch: { 2023: 120 } }, unknownPhrases: ['xyzzy'], invalidApiKeys: ['bad-key-000'] });
  });
  afterAll(() => server.close());

  const get = async (params: Record<string, string>, path = '/esearch.fcgi') => {
    const res = await fetch(`${server.url}${path}?${new URLSearchParams(params)}`);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  const keysOf = (value: unknown): string[] => Object.keys(value as object).sort();

  it('serves the shapes of the verbatim fixtures', async () => {
    const count = JSON.parse((await get({ db: 'pubmed', retmode: 'json', rettype: 'count', term: '(pytorch) AND 2023:2023[dp]' })).text);
    const countOnly = fixture('esearch.count-only.json').response.body as { esearchresult: unknown };
    expect(keysOf(count)).toEqual(keysOf(countOnly));
    expect(keysOf(count.esearchresult)).toEqual(keysOf(countOnly.esearchresult));
    expect(count.esearchresult.count).toBe('120');

    const full = JSON.parse((await get({ db: 'pubmed', retmode: 'json', term: '(pytorch) AND 2023:2023[dp]' })).text);
    const verbatim = fixture('esearch.full-result.json').response.body as { esearchresult: Record<string, unknown> };
    for (const key of keysOf(full.esearchresult)) expect(keysOf(verbatim.esearchresult)).toContain(key);

    const notFound = JSON.parse((await get({ db: 'pubmed', retmode: 'json', term: '(xyzzy) AND 2023:2023[dp]' })).text);
    const nucleotide = fixture('esearch.phrases-not-found.json').response.body as { esearchresult: Record<string, unknown> };
    expect(keysOf(notFound.esearchresult.errorlist)).toEqual(keysOf(nucleotide.esearchresult.errorlist));
    expect(keysOf(notFound.esearchresult.warninglist)).toEqual(keysOf(nucleotide.esearchresult.warninglist));
    expect(notFound.esearchresult.errorlist.phrasesnotfound).toEqual(['xyzzy']);
    expect(notFound.esearchresult.count).toBe('1000000');

    const invalid = await get({ term: 'a', api_key: 'bad-key-000' });
    expect(invalid.status).toBe(400);
    expect(keysOf(JSON.parse(invalid.text))).toEqual(keysOf(fixture('api-key-invalid.400.json').response.body));
    expect(JSON.parse(invalid.text)['api-key']).toBe('bad-key-000');

    const limited = replies.rateLimited(429)({ params: {} } as never);
    expect('json' in limited && keysOf(limited.json)).toEqual(keysOf(fixture('rate-limit.429.json').response.body));

    expect(JSON.parse((await get({ term: '' })).text)).toEqual(fixture('esearch.error-empty-term.json').response.body);
    expect((await get({ term: 'a' }, '/efetch.fcgi')).status).toBe(404);
    expect(parseTerm('(a (b)) AND 2023:2023[dp] AND 1800/01/01:2023/07/20[crdt]')).toEqual({
      keyword: 'a (b)',
      year: 2023,
      createdBy: '2023/07/20',
    });
    expect(parseTerm('2023:2023[dp] AND 1800/01/01:2024/07/20[crdt]')).toBeUndefined();
    expect(parseTotalTerm('2023:2023[dp] AND 1800/01/01:2024/07/20[crdt]')).toEqual({ year: 2023, createdBy: '2024/07/20' });
    expect(server.requests.map((r) => r.outcome)).toEqual(['count', 'count', 'not-found', 'invalid-key', 'empty-term', 'unknown-path']);
    // A year's total (no keyword) gets a count: yearTotal unless given, halved under a [crdt] bound like the others.
    const total = JSON.parse((await get({ term: '2023:2023[dp]' })).text);
    expect(total.esearchresult.count).toBe('1000000');
    expect(total.esearchresult.querytranslation).toBe('2023:2023[dp]');
    expect(JSON.parse((await get({ term: '2023:2023[dp] AND 1800/01/01:2023/07/20[crdt]' })).text).esearchresult.count).toBe('500000');
    expect(pubmedTranslation('2023:2023[dp]')).toBe('2023/01/01:2023/12/31[Date - Publication]');
  });
});

describe('collectors/pubmed/esearch: what the answers say', () => {
  it("finds the publication year in PubMed's translation, not just its digits", () => {
    // Real shape (issue 10): `(pytorch) AND 2023:2023[dp]` becomes a [Date - Publication] range.
    expect(publicationYearProblem('"pytorch"[All Fields] AND 2023/01/01:2023/12/31[Date - Publication]', 2023)).toBeUndefined();
    expect(
      publicationYearProblem(
        '"pytorch"[All Fields] AND 2024/01/01:2024/12/31[Date - Publication] AND 1800/01/01:2024/07/20[Date - Create]',
        2024,
      ),
    ).toBeUndefined();
    // The term as sent, and the legacy form, are fine too.
    expect(publicationYearProblem('(pytorch) AND 2023:2023[dp] AND 1800/01/01:2024/07/21[crdt]', 2023)).toBeUndefined();
    expect(publicationYearProblem('"pytorch"[All Fields] AND ("2023/01/01"[PDAT] : "2023/12/31"[PDAT])', 2023)).toBeUndefined();
    // A translation that lost the year keeps only the creation bound, whose text holds the year's digits.
    const lost = '"pytorch"[All Fields] AND 1800/01/01:2024/07/20[Date - Create]';
    expect(lost).toContain('2024');
    expect(publicationYearProblem(lost, 2024)).toBe(
      `PubMed's query translation ${JSON.stringify(lost)} lost the publication year 2024 (no 2024 [Date - Publication] range), so the count is not for 2024; not stored`,
    );
    // A completeness cutoff: the creation bound is in the counted year itself.
    expect(publicationYearProblem('"pytorch"[All Fields] AND 1800/01/01:2023/07/31[Date - Create]', 2023)).toBeDefined();
    // Another year's range, or part of a year, is not the year asked for.
    expect(publicationYearProblem('"pytorch"[All Fields] AND 2022/01/01:2022/12/31[Date - Publication]', 2023)).toBeDefined();
    expect(publicationYearProblem('"pytorch"[All Fields] AND 2022/01/01:2023/12/31[Date - Publication]', 2023)).toBeDefined();
    expect(publicationYearProblem('"pytorch"[All Fields] AND 2023/06/01:2023/12/31[Date - Publication]', 2023)).toBeDefined();
    // A long translation is quoted short.
    expect(publicationYearProblem(`"${'x'.repeat(20_000)}"[All Fields]`, 2023)!.length).toBeLessThan(300);
  });

  it("retries NCBI's load-balancer refusal, whatever its status, and nothing else", () => {
    const refusal = (status: number) =>
      jsonResponse({ error: '/lbsm/eutils_lb -> Neg', 'api-key': '192.0.2.1', type: 'ip', status: 'ok' }, status);
    const { retryIf } = esearchRequestOptions('https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esearch.fcgi?term=x');
    expect(retryIf!(refusal(200))).toBe(`NCBI's load balancer refused the request (HTTP 200, "/lbsm/eutils_lb -> Neg")`);
    expect(retryIf!(refusal(400))).toContain("NCBI's load balancer refused the request (HTTP 400");
    expect(retryIf!(jsonResponse({ error: 'API rate limit exceeded', count: '5', limit: '3' }))).toContain('API rate limit exceeded');
    expect(retryIf!(jsonResponse({ error: 'API key invalid', 'api-key': 'k', type: 'invalid' }, 400))).toBeUndefined();
    expect(retryIf!(jsonResponse({ esearchresult: { count: '1' } }))).toBeUndefined();
  });

  it('sends long queries by POST and ordinary ones by GET', () => {
    const base = 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils';
    expect(esearchRequestOptions(esearchUrl(base, `(${JAX_TERM}) AND 2023:2023[dp]`, {})).queryInBody).toBe(false);
    expect(esearchRequestOptions(esearchUrl(base, 'x'.repeat(MAX_GET_URL_LENGTH), {})).queryInBody).toBe(true);
  });

  it('stops the collector when the HTTP client gave up the host', () => {
    const down = new HostGivenUpError('https://eutils.ncbi.nlm.nih.gov', 'unreachable', 'gave up', { url: 'u', attempts: 1 });
    expect(fatalKind(down)).toBe('host-down');
    const tooLong = new HostGivenUpError('h', 'rate-limited', 'wait too long', { url: 'u', status: 429, attempts: 1, body: '' });
    expect(fatalKind(tooLong)).toBe('rate-limited');
  });
});
