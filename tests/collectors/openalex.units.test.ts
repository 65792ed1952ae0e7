import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowanceOf, errorText, GroupByError, parseYearGroups } from '../../collectors/openalex/answer.js';
import {
  DEFAULT_FRAMEWORK_PARTS,
  JAX_TERM,
  KERAS_TERM,
  MAX_ENCODED_TERM,
  parseFrameworkPart,
  parseSourcePart,
} from '../../collectors/openalex/config.js';
import { costLine, overAllowance, runCost } from '../../collectors/openalex/cost.js';
import { planRequests } from '../../collectors/openalex/plan.js';
import { isAllowanceSpent, isSlowDown, openAlexBaseUrl, storedQuery, worksUrl } from '../../collectors/openalex/request.js';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/validate.js';
import type { HttpResponse } from '../../src/http/types.js';
import { openalex } from '../../collectors/openalex/index.js';
import { type OpenAlexServer, openAlexReplies, startOpenAlexServer } from '../helpers/openalex-server.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/openalex');

interface Fixture {
  source: string;
  request: { method: string; path: string; query: Record<string, string[]> };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Fixture;

function response(f: Pick<Fixture, 'response'>): HttpResponse {
  const body = typeof f.response.body === 'string' ? f.response.body : JSON.stringify(f.response.body);
  return { url: 'http://test/works', status: f.response.status, headers: f.response.headers, body };
}

const json = (body: unknown, status = 200): HttpResponse => ({
  url: 'http://test/works',
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function groupByError(res: HttpResponse, from: number, to: number): string {
  try {
    parseYearGroups(res, from, to);
  } catch (err) {
    if (err instanceof GroupByError) return err.message;
    throw err;
  }
  throw new Error('expected a GroupByError');
}

describe('collectors/openalex/config', () => {
  it('parses terms and the year range, with defaults, and refuses what would change a search silently', () => {
    expect(parseFrameworkPart({ term: ' pytorch ' }, 'frameworks[0].openalex')).toEqual({ term: 'pytorch' });
    expect(parseSourcePart(undefined, 'openalex')).toEqual({ fromYear: 2015, recentYears: 3 });
    expect(parseSourcePart({ fromYear: 2018, toYear: 2024, recentYears: 2 }, 'openalex')).toEqual({
      fromYear: 2018,
      toYear: 2024,
      recentYears: 2,
    });
    expect(() => parseFrameworkPart({ term: '"deep learning' }, 'frameworks[0].openalex')).toThrow(
      /^config key frameworks\[0\]\.openalex\.term: expected an OpenAlex search with balanced double quotes/,
    );
    expect(() => parseFrameworkPart({ term: 'jax AND (python' }, 'f.openalex')).toThrow(/balanced parentheses/);
    expect(() => parseFrameworkPart({}, 'f.openalex')).toThrow(ConfigError);
    expect(() => parseFrameworkPart({ term: 'x', field: 'title' }, 'f.openalex')).toThrow(/f\.openalex\.field is not known/);
    expect(() => parseSourcePart({ fromYear: 2024, toYear: 2020 }, 'openalex')).toThrow(/2024 is after openalex\.toYear 2020/);
    expect(() => parseSourcePart({ fromYear: 1600, toYear: 2000 }, 'openalex')).toThrow(/401 years, more than the 200 groups/);
  });

  it('refuses a wildcard when the config is read, instead of an HTTP 400 every run', () => {
    expect(() => parseFrameworkPart({ term: 'tensor*' }, 'frameworks[2].openalex')).toThrow(
      'config key frameworks[2].openalex.term holds a wildcard (* or ?), which OpenAlex\'s search refuses (HTTP 400); write the words out instead, e.g. "pytorch OR torch"',
    );
    expect(() => parseFrameworkPart({ term: '"jax?"' }, 'f.openalex')).toThrow(/holds a wildcard/);
  });

  it('refuses a term too long for a URL when the config is read, instead of a bare HTTP 431 every run', () => {
    // 3,000 characters once encoded fit; one more does not. A space encodes as 3 (1,001 × 2 + 1,000 × 3).
    expect(parseFrameworkPart({ term: 'a'.repeat(MAX_ENCODED_TERM) }, 'f.openalex').term).toHaveLength(3000);
    expect(() => parseFrameworkPart({ term: 'a'.repeat(MAX_ENCODED_TERM + 1) }, 'frameworks[1].openalex')).toThrow(
      'config key frameworks[1].openalex.term is 3,001 characters once URL-encoded, more than the 3,000 an OpenAlex request can carry (a longer URL is refused with HTTP 431); shorten it, or split it over two frameworks',
    );
    expect(() => parseFrameworkPart({ term: Array(1001).fill('ab').join(' ') }, 'f.openalex')).toThrow(
      /is 5,002 characters once URL-encoded/,
    );
  });

  it('gives every built-in framework a term; JAX leaves the Jackson Laboratory out, Keras needs its context', () => {
    const config = parseConfig({}, [openalex], 'built-in defaults');
    expect(config.frameworks.map((f) => [f.name, (f.sources.openalex as { term: string }).term])).toEqual([
      ['PyTorch', 'pytorch'],
      ['TensorFlow', 'tensorflow'],
      ['Keras', KERAS_TERM],
      ['JAX', JAX_TERM],
    ]);
    expect(JAX_TERM).toMatch(/^jax AND \(.*"machine learning".*\) NOT "Jackson Laboratory"$/);
    expect(KERAS_TERM).toMatch(/^keras AND \(.*"deep learning".*\)$/);
    // Every built-in term parses like a user's.
    for (const [name, part] of Object.entries(DEFAULT_FRAMEWORK_PARTS)) expect(() => parseFrameworkPart(part, name)).not.toThrow();
  });
});

describe('collectors/openalex/request', () => {
  it('asks /works with search, group_by and a publication_year range, api_key last', () => {
    expect(openAlexBaseUrl({})).toBe('https://api.openalex.org');
    expect(openAlexBaseUrl({ OPENALEX_URL: 'http://127.0.0.1:9/' })).toBe('http://127.0.0.1:9');
    expect(worksUrl('https://api.openalex.org', { search: 'pytorch', fromYear: 2015, toYear: 2026 }, 'k e y')).toBe(
      'https://api.openalex.org/works?search=pytorch&group_by=publication_year&filter=publication_year:2015-2026&api_key=k%20e%20y',
    );
    expect(worksUrl('https://api.openalex.org', { fromYear: 2024, toYear: 2024 }, undefined)).toBe(
      'https://api.openalex.org/works?group_by=publication_year&filter=publication_year:2024',
    );
    expect(storedQuery(JAX_TERM, 2023)).toBe(
      `/works?search=${encodeURIComponent(JAX_TERM)}&group_by=publication_year&filter=publication_year:2023`,
    );
    expect(storedQuery(undefined, 2023)).toBe('/works?group_by=publication_year&filter=publication_year:2023');
  });

  it('takes a 429 as the spent daily allowance unless it asks for a short wait, and a 403 "slow down" as too fast', () => {
    const status = (s: number, headers: Record<string, string> = {}) => ({ status: s, headers });
    // Genuine answers say which limit they are: the same headers, told apart by the body.
    expect(isAllowanceSpent(response(fixture('error.429-insufficient-budget.json')))).toBe(true);
    expect(isAllowanceSpent(response(fixture('error.429-per-second.json')))).toBe(false);
    expect(isAllowanceSpent({ ...response(fixture('error.429-per-second.json')), headers: { 'retry-after': '36000' } })).toBe(false);
    expect(isAllowanceSpent({ ...response(fixture('error.429-insufficient-budget.json')), headers: { 'retry-after': '1' } })).toBe(true);
    // Without either text, the wait says it.
    expect(isAllowanceSpent(status(429))).toBe(true);
    expect(isAllowanceSpent(status(429, { 'retry-after': '36000' }))).toBe(true);
    expect(isAllowanceSpent(status(429, { 'retry-after': '1' }))).toBe(false);
    expect(isAllowanceSpent(status(403))).toBe(false);
    expect(isSlowDown(response(fixture('error.403-slow-down.json')))).toBe(true);
    expect(isSlowDown(response(fixture('error.401-invalid-key.json')))).toBe(false);
    expect(isSlowDown({ status: 403, body: '{"error":"Forbidden","message":"API key revoked"}' })).toBe(false);
  });
});

describe('collectors/openalex/answer', () => {
  it('reads every year of the range from groups ordered by count, keys as strings, absent years as 0', () => {
    const years = parseYearGroups(response(fixture('works.group-by-search.json')), 2015, 2024);
    expect([...years]).toEqual([
      [2015, 0],
      [2016, 60],
      [2017, 450],
      [2018, 1500],
      [2019, 4300],
      [2020, 9600],
      [2021, 17800],
      [2022, 28300],
      [2023, 47900],
      [2024, 41200],
    ]);
    expect([...parseYearGroups(response(fixture('works.group-by-all-works.json')), 2022, 2024)]).toEqual([
      [2022, 9_600_000],
      [2023, 9_800_000],
      [2024, 8_100_000],
    ]);
    // The unknown-year group says nothing about any year: left out.
    expect([...parseYearGroups(response(fixture('works.group-by-include-unknown.json')), 2023, 2024)]).toEqual([
      [2023, 21000],
      [2024, 18000],
    ]);
    // No groups at all: every year of the range had no works.
    expect([...parseYearGroups(json({ meta: { groups_count: 0 }, results: [], group_by: [] }), 2023, 2024)]).toEqual([
      [2023, 0],
      [2024, 0],
    ]);
  });

  it('fails the whole answer, in one line, when group_by is missing, malformed, paged or unfiltered', () => {
    const group = (key: unknown, count: unknown) => ({ key, key_display_name: String(key), count });
    expect(groupByError(json({ meta: {}, results: [] }), 2023, 2024)).toMatch(/^OpenAlex's answer has no group_by list \(\{"meta"/);
    expect(groupByError(json({ group_by: { key: '2023' } }), 2023, 2024)).toMatch(/no group_by list/);
    expect(groupByError(json({ group_by: [group(2023, 5)] }), 2023, 2024)).toMatch(
      /^OpenAlex's group_by entry 1 is malformed \(its key is not a year written as a string: \{"key":2023/,
    );
    expect(groupByError(json({ group_by: [group('2023', '5')] }), 2023, 2024)).toMatch(/its count is not a whole number of works/);
    expect(groupByError(json({ group_by: [group('2023', -1)] }), 2023, 2024)).toMatch(/its count is not a whole number/);
    expect(groupByError(json({ group_by: [group('2023', 1.5)] }), 2023, 2024)).toMatch(/its count is not a whole number/);
    expect(groupByError(json({ group_by: [group('2023', 5), group('2023', 6)] }), 2023, 2024)).toMatch(/2023 is listed twice/);
    expect(groupByError(json({ group_by: [group('2009', 5)] }), 2023, 2024)).toBe(
      'OpenAlex answered a group for 2009, outside the requested 2023–2024, so its filter was not applied; nothing of this answer is stored',
    );
    expect(groupByError(json({ meta: { groups_count: 240 }, group_by: [group('2023', 5)] }), 2023, 2024)).toMatch(
      /holds 1 of 240 groups \(one page of a longer list\)/,
    );
    expect(groupByError(response(openAlexResponse(openAlexReplies.html(200))), 2023, 2024)).toMatch(
      /^OpenAlex answered HTTP 200 with an HTML page instead of JSON \("502 Bad Gateway"\)/,
    );
    expect(groupByError({ ...json({}), body: '{"meta":{"count":1' }, 2023, 2024)).toMatch(/is not valid JSON \(18 bytes/);
    // meta.count is every work matched: groups that do not add up to it are a broken answer.
    expect(groupByError(json({ meta: { count: 12 }, group_by: [group('2023', 5), group('2024', 6)] }), 2023, 2024)).toBe(
      "OpenAlex's groups add up to 11 works but its meta.count says 12; the answer is inconsistent, nothing of it is stored",
    );
    expect([...parseYearGroups(json({ meta: { count: 11 }, group_by: [group('2023', 5), group('2024', 6)] }), 2023, 2024)]).toEqual([
      [2023, 5],
      [2024, 6],
    ]);
    // Messages stay one short line whatever the answer holds.
    expect(groupByError(json({ group_by: [group('x'.repeat(10_000), 1)] }), 2023, 2024).length).toBeLessThan(300);
  });

  it("reads OpenAlex's error text and what an answer says about the allowance", () => {
    expect(errorText(JSON.stringify(fixture('error.400-invalid-filter.json').response.body))).toMatch(
      /^Invalid query parameters error: publication_yearrr is not a valid field\. Valid fields are/,
    );
    expect(errorText(JSON.stringify(fixture('error.400-wildcard-search.json').response.body))).toMatch(
      /^Invalid query parameters error: Wildcards \(\* or \?\) require exact \(no-stem\) search\./,
    );
    expect(errorText(JSON.stringify(fixture('error.401-invalid-key.json').response.body))).toBe(
      'Invalid or missing API key: API key not found',
    );
    expect(errorText('<html>')).toBeUndefined();
    // A genuine keyed group_by answer: 1 credit, $0.0001; the day's $1 and what is left; seconds to midnight UTC.
    expect(allowanceOf(response(fixture('works.group-by-search.json')))).toEqual({
      costUsd: 0.0001,
      remainingUsd: 0.9996,
      limitUsd: 1,
      resetSeconds: 35780,
    });
    // The cost from the headers when the body has none (a refusal, or an answer without meta.cost_usd).
    expect(allowanceOf({ headers: { 'x-ratelimit-cost-usd': '0.0001' }, body: '{}' })).toEqual({ costUsd: 0.0001 });
    expect(allowanceOf({ headers: { 'x-ratelimit-remaining-usd': 'n/a' }, body: '<html>' })).toEqual({});
  });
});

describe('collectors/openalex/plan', () => {
  const frameworks = [
    { name: 'PyTorch', term: 'pytorch' },
    { name: 'JAX', term: JAX_TERM },
  ];
  const base = { frameworks, source: { fromYear: 2015, recentYears: 3 }, asOf: '2026-11-26', full: false, stored: [] };
  const stored = (plan: ReturnType<typeof planRequests>, observedAt: string) =>
    plan.requests.flatMap((r) =>
      Array.from({ length: r.toYear - r.fromYear + 1 }, (_, i) => ({
        metric: r.metric,
        subject: r.subject,
        period: String(r.fromYear + i),
        method: 'group_by',
        query: storedQuery(r.search, r.fromYear + i),
        observedAt,
      })),
    );

  it('asks every year of every framework and the totals at once: N + 1 requests', () => {
    const plan = planRequests(base);
    expect(
      plan.requests.map((r) => `${r.subject} ${r.metric} ${r.fromYear}-${r.toYear} ${r.search === undefined ? 'list' : 'search'}`),
    ).toEqual(['PyTorch works 2015-2026 search', 'JAX works 2015-2026 search', '(all works) works_all 2015-2026 list']);
    expect(plan.skipped).toBe(0);
  });

  it('narrows later runs to the recent years, skips a second run the same day, and re-asks a changed term in full', () => {
    const history = stored(planRequests(base), '2026-11-26');
    const sameDay = planRequests({ ...base, stored: history });
    expect(sameDay.requests).toEqual([]);
    expect(sameDay.skipped).toBe(3 * 12);
    const nextDay = planRequests({ ...base, asOf: '2026-11-27', stored: history });
    expect(nextDay.requests.map((r) => `${r.subject} ${r.fromYear}-${r.toYear}`)).toEqual([
      'PyTorch 2024-2026',
      'JAX 2024-2026',
      '(all works) 2024-2026',
    ]);
    expect(nextDay.skipped).toBe(3 * 9);
    // A changed term is another query: every year again, for that framework only.
    const changed = planRequests({
      ...base,
      asOf: '2026-11-27',
      stored: history,
      frameworks: [{ name: 'PyTorch', term: 'pytorch OR torch' }, frameworks[1]!],
    });
    expect(changed.requests.map((r) => `${r.subject} ${r.fromYear}-${r.toYear}`)).toEqual([
      'PyTorch 2015-2026',
      'JAX 2024-2026',
      '(all works) 2024-2026',
    ]);
    // A year missing in the middle widens the range down to it; --full asks everything.
    const gap = planRequests({ ...base, asOf: '2026-11-27', stored: history.filter((o) => !(o.subject === 'JAX' && o.period === '2019')) });
    expect(gap.requests.map((r) => `${r.subject} ${r.fromYear}-${r.toYear}`)).toEqual([
      'PyTorch 2024-2026',
      'JAX 2019-2026',
      '(all works) 2024-2026',
    ]);
    expect(planRequests({ ...base, stored: history, full: true }).requests.every((r) => r.fromYear === 2015 && r.toYear === 2026)).toBe(
      true,
    );
  });

  it('clamps toYear to the as-of year, and asks nothing without frameworks or years', () => {
    const clamped = planRequests({ ...base, source: { fromYear: 2024, toYear: 2030, recentYears: 3 } });
    expect(clamped.toYear).toBe(2026);
    expect(clamped.warnings).toEqual([expect.stringContaining('openalex.toYear 2030 is after the as-of year 2026')]);
    // A range entirely after the as-of year can never count anything: an error, not a quiet success every day.
    const after = planRequests({ ...base, source: { fromYear: 2027, recentYears: 3 } });
    expect(after.requests).toEqual([]);
    expect(after.error).toBe(
      'openalex.fromYear 2027 is after the as-of year 2026, so the configured range holds no year to count; set openalex.fromYear to 2026 or earlier',
    );
    expect(planRequests({ ...base, frameworks: [] }).requests).toEqual([]);
  });
});

describe('collectors/openalex/cost', () => {
  it("says a run's cost in OpenAlex's terms: 1 credit ($0.0001) per group_by request, search or not", () => {
    // The built-in run: 4 searches and the totals, $0.0005 (genuine answers: meta.cost_usd 0.0001 each).
    const cost = runCost([{ search: 'a' }, { search: 'b' }, { search: 'c' }, { search: 'd' }, {}]);
    expect(cost).toEqual({ requests: 5, credits: 5, usd: 0.0005 });
    expect(costLine(cost)).toBe(
      "5 group_by requests at $0.0001 each = $0.0005, 0.05 % of a free key's $1.00 daily allowance (2,000 such runs a day fit in it)",
    );
    expect(overAllowance(cost)).toBeUndefined();
    // The day holds 10,000 requests; the warning is about 10,000 frameworks away, not 1,000.
    expect(overAllowance(runCost(Array.from({ length: 10_000 }, () => ({ search: 'x' }))))).toBeUndefined();
    expect(overAllowance(runCost(Array.from({ length: 10_001 }, () => ({}))))).toBe(
      "this run's 10001 requests cost $1.0001, more than a free key's $1.00 daily allowance: OpenAlex will refuse the rest with HTTP 429 once it is spent (fewer frameworks, or a paid plan)",
    );
  });
});

describe("tests/helpers/openalex-server: the fixtures' shapes", () => {
  let server: OpenAlexServer;
  beforeAll(async () => {
    server = await startOpenAlexServer({ counts: { pytorch: { 2016: 60, 2023: 47_900, 2024: 41_200 } }, totals: { 2023: 9_800_000 } });
  });
  afterAll(() => server.close());

  const get = async (query: string) => {
    const res = await fetch(`${server.url}/works?${query}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  };
  const keysOf = (value: unknown) => Object.keys(value as object).sort();

  it('answers with the keys of the hand-written answers, groups by count, absent years left out', async () => {
    const answer = await get('search=pytorch&group_by=publication_year&filter=publication_year:2015-2024&api_key=k');
    const known = fixture('works.group-by-search.json').response.body as { meta: object; group_by: object[] };
    expect(keysOf(answer.body)).toEqual(keysOf(known));
    expect(keysOf(answer.body.meta)).toEqual(keysOf(known.meta));
    expect(keysOf((answer.body.group_by as object[])[0])).toEqual(keysOf(known.group_by[0]));
    expect((answer.body.group_by as { key: string }[]).map((g) => g.key)).toEqual(['2023', '2024', '2016']);
    expect(
      [...parseYearGroups({ url: '', status: 200, headers: {}, body: JSON.stringify(answer.body) }, 2015, 2024)].filter(([, c]) => c > 0),
    ).toEqual([
      [2016, 60],
      [2023, 47_900],
      [2024, 41_200],
    ]);
    const all = await get('group_by=publication_year&filter=publication_year:2023');
    expect(all.body.group_by).toEqual([{ key: '2023', key_display_name: '2023', count: 9_800_000 }]);
    // Every genuine header of a keyed group_by answer, and its cost: 1 credit whether it searched or not.
    const headers = fixture('works.group-by-search.json').response.headers;
    for (const name of Object.keys(headers)) expect(answer.headers.get(name), name).not.toBeNull();
    expect(allowanceOf({ headers: Object.fromEntries(answer.headers), body: JSON.stringify(answer.body) }).costUsd).toBe(0.0001);
    expect(all.headers.get('x-ratelimit-cost-usd')).toBe('0.0001');
    expect(Number(answer.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    expect(Number(answer.headers.get('x-ratelimit-reset'))).toBeLessThanOrEqual(86_400);
    const replies: Record<string, ReturnType<typeof openAlexReplies.html>> = {
      'error.429-insufficient-budget.json': openAlexReplies.allowanceSpent(),
      'error.429-per-second.json': openAlexReplies.perSecond(),
      'error.403-slow-down.json': openAlexReplies.slowDown(),
      'error.401-invalid-key.json': openAlexReplies.invalidKey(),
      'error.400-invalid-filter.json': openAlexReplies.badRequest(),
      'error.400-wildcard-search.json': openAlexReplies.badRequest(),
    };
    for (const [name, reply] of Object.entries(replies)) {
      const known = fixture(name).response;
      expect('json' in reply && keysOf(reply.json), name).toEqual(keysOf(known.body));
      expect(reply.status, name).toBe(known.status);
      expect(keysOf({ 'content-type': '', ...reply.headers }), name).toEqual(keysOf(known.headers));
      if ('json' in reply) expect((reply.json as { error: string }).error, name).toBe((known.body as { error: string }).error);
    }
    // The genuine texts that tell the two 429s apart.
    expect(JSON.stringify(openAlexReplies.allowanceSpent())).toMatch(/Insufficient budget\. .* Resets at midnight UTC/);
    expect(JSON.stringify(openAlexReplies.perSecond())).toMatch(/Rate limit exceeded: \d+ requests per second/);
    expect(readdirSync(FIXTURES).filter((f) => f.endsWith('.json'))).toHaveLength(9);
  });
});

/** A canned stand-in reply as a fixture-like response. */
function openAlexResponse(reply: ReturnType<typeof openAlexReplies.html>): Pick<Fixture, 'response'> {
  return {
    response: {
      status: reply.status ?? 200,
      headers: { 'content-type': 'raw' in reply ? (reply.contentType ?? 'text/plain') : 'application/json' },
      body: 'raw' in reply ? reply.raw : reply.json,
    },
  };
}
