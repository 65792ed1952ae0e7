import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnswerError, int64, parseDownloads, parseErrorText } from '../../collectors/pypi/answer.js';
import { MAX_PACKAGES, normalizeProject, parseFrameworkPart, parseSourcePart } from '../../collectors/pypi/config.js';
import { pypi } from '../../collectors/pypi/index.js';
import { DAYS_COVERED, DOWNLOADS, DOWNLOADS_PER_DAY, METHOD } from '../../collectors/pypi/names.js';
import { planRequest } from '../../collectors/pypi/plan.js';
import {
  CLICKPY_REQUEST_OPTIONS,
  COLUMNS,
  DOWNLOADS_SQL,
  dayQuery,
  daysQuery,
  downloadsUrl,
  monthQuery,
  projectsParam,
} from '../../collectors/pypi/query.js';
import { parseConfig } from '../../src/config/load.js';
import type { HttpResponse } from '../../src/http/types.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/pypi');

interface Fixture {
  source: string;
  request: { method: string; path: string; query: Record<string, string> };
  response: { status: number; headers: Record<string, string>; body: string };
}

const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Fixture;
const response = (f: Fixture): HttpResponse => ({ url: 'http://test/', ...f.response });
/** What the fixtures' answers were asked (their request's parameters). */
const ASKED = { projects: ['tensorflow', 'torch'], from: '2024-05-01', daysFrom: '2024-06-01', asOf: '2024-06-05' };

function answerError(res: HttpResponse, asked = ASKED): string {
  try {
    parseDownloads(res, asked);
  } catch (err) {
    if (err instanceof AnswerError) return err.message;
    throw err;
  }
  throw new Error('expected an AnswerError');
}

describe('collectors/pypi/config', () => {
  it('normalizes package names as PyPI does and refuses anything that is not a project name, naming the key', () => {
    expect(parseFrameworkPart({ packages: ['Torch', 'tensorflow_CPU', 'jax..lib'] }, 'frameworks[0].pypi')).toEqual({
      packages: ['torch', 'tensorflow-cpu', 'jax-lib'],
    });
    expect(normalizeProject('Flask__SQL.Alchemy')).toBe('flask-sql-alchemy');
    for (const bad of ["torch'; DROP TABLE x --", 'tor ch', '-torch', 'torch-', 'tørch', "a'b", 'x/y', '']) {
      expect(() => parseFrameworkPart({ packages: ['ok', bad] }, 'frameworks[2].pypi'), bad).toThrow(
        /^config key frameworks\[2\]\.pypi\.packages\[1\]: expected (a PyPI project name|a non-empty string)/,
      );
    }
    expect(() => parseFrameworkPart({ packages: ['torch', 'Torch'] }, 'f.pypi')).toThrow(
      'config key f.pypi.packages[1]: "Torch" is listed twice (as torch); list each package once',
    );
    expect(() => parseFrameworkPart({ packages: [] }, 'f.pypi')).toThrow(/at least one PyPI project name/);
    expect(() => parseFrameworkPart({}, 'f.pypi')).toThrow(/f\.pypi\.packages is missing/);
    expect(() => parseFrameworkPart({ packages: ['torch'], tags: [] }, 'f.pypi')).toThrow(/f\.pypi\.tags is not known/);
  });

  it('applies the defaults, checks fromMonth, comparisons, packages counted twice and the package limit', () => {
    const fw = (name: string, packages: string[]) => ({ name, part: { packages } });
    const two = [fw('PyTorch', ['torch']), fw('TensorFlow', ['tensorflow'])];
    expect(parseSourcePart(undefined, 'pypi', two, ['PyTorch', 'TensorFlow'])).toEqual({
      fromMonth: '2016-01',
      comparisons: [['PyTorch', 'TensorFlow']],
    });
    expect(parseSourcePart({ fromMonth: '2019-06', comparisons: [] }, 'pypi', two, ['PyTorch', 'TensorFlow'])).toEqual({
      fromMonth: '2019-06',
      comparisons: [],
    });
    expect(() => parseSourcePart({ fromMonth: 2019 }, 'pypi', two, [])).toThrow(/^config key pypi\.fromMonth: expected a non-empty string/);
    for (const bad of ['2019-13', '2019-6', '1999-12']) {
      expect(() => parseSourcePart({ fromMonth: bad }, 'pypi', two, [])).toThrow(/^config key pypi\.fromMonth: expected a month YYYY-MM/);
    }
    expect(() => parseSourcePart(undefined, 'pypi', [fw('A', ['torch']), fw('B', ['x', 'torch'])], ['A', 'B'])).toThrow(
      'config key frameworks: "A" and "B" both count the PyPI package torch; give it to one framework, or its downloads count twice',
    );
    const many = Array.from({ length: MAX_PACKAGES + 1 }, (_, i) => fw(`F${i}`, [`p${i}`]));
    expect(() => parseSourcePart(undefined, 'pypi', many, [])).toThrow(/101 PyPI packages in all, more than the 100/);
    expect(() => parseSourcePart({ comparisons: [['PyTorch', 'Keras']] }, 'pypi', two, ['PyTorch', 'TensorFlow', 'Keras'])).toThrow(
      'config key pypi.comparisons[0][1]: framework "Keras" has no pypi part; add "pypi": {"packages": ["…"]} to it',
    );
  });

  it('the built-in frameworks count torch, tensorflow, keras and jax, and compare PyTorch with TensorFlow', () => {
    const config = parseConfig({}, [pypi], 'built-in defaults');
    expect(config.frameworks.map((f) => [f.name, f.sources.pypi])).toEqual([
      ['PyTorch', { packages: ['torch'] }],
      ['TensorFlow', { packages: ['tensorflow'] }],
      ['Keras', { packages: ['keras'] }],
      ['JAX', { packages: ['jax'] }],
    ]);
    expect(config.sources.pypi).toEqual({ fromMonth: '2016-01', comparisons: [['PyTorch', 'TensorFlow']] });
  });
});

describe('collectors/pypi/query', () => {
  it('sends every input as a query parameter and no setting; the SQL text never changes', () => {
    const url = new URL(
      downloadsUrl('https://ch.example', { projects: ['torch', 'jax'], from: '2016-01-01', daysFrom: '2023-06-01', asOf: '2024-07-20' }),
    );
    expect(url.pathname).toBe('/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      param_as_of: '2024-07-20',
      param_days_from: '2023-06-01',
      param_from: '2016-01-01',
      param_projects: "['torch','jax']",
    });
    expect(projectsParam(['a-b', 'c'])).toBe("['a-b','c']");
    // The placeholders the parameters fill, and nothing a readonly user would be refused.
    for (const p of ['{projects:Array(String)}', '{as_of:Date}', '{from:Date}', '{days_from:Date}']) expect(DOWNLOADS_SQL).toContain(p);
    expect(DOWNLOADS_SQL).not.toMatch(/SETTINGS/i);
    expect(DOWNLOADS_SQL).toMatch(/sum\(count\)/);
    expect(DOWNLOADS_SQL).not.toContain('pypi_downloads_per_month');
    expect(DOWNLOADS_SQL.trimEnd().endsWith('FORMAT JSONCompact')).toBe(true);
  });

  it('takes an answer carrying an exception code as final, except the transient ones, and never a 5xx without one', () => {
    const { final, headers } = CLICKPY_REQUEST_OPTIONS('demo');
    expect(headers).toEqual({ 'content-type': 'text/plain; charset=utf-8', 'x-clickhouse-user': 'demo' });
    const res = (status: number, code?: string): HttpResponse => ({
      url: 'u',
      status,
      body: '',
      headers: code === undefined ? {} : { 'x-clickhouse-exception-code': code },
    });
    expect(final!(res(500, '201'))).toBe(true);
    expect(final!(res(500, '202'))).toBe(true);
    expect(final!(res(404, '60'))).toBe(true);
    expect(final!(res(408, '159'))).toBe(true);
    expect(final!(res(503, '209'))).toBe(false);
    expect(final!(res(503, '439'))).toBe(false);
    expect(final!(res(502))).toBe(false);
    expect(final!(res(500))).toBe(false);
  });

  it('stores per month and per day a query that answers that number, the packages sorted', () => {
    expect(monthQuery(['torch', 'pytorch-lightning'], '2024-06-01', '2024-06-30')).toBe(
      "SELECT sum(count) FROM pypi.pypi_downloads_per_day WHERE project IN ('pytorch-lightning', 'torch') AND date BETWEEN '2024-06-01' AND '2024-06-30'",
    );
    expect(daysQuery(['torch'], '2024-06-01', '2024-06-30')).toContain('toDayOfMonth(max(date))');
    expect(dayQuery(['torch'], '2024-06-20')).toBe(
      "SELECT sum(count) FROM pypi.pypi_downloads_per_day WHERE project IN ('torch') AND date = '2024-06-20'",
    );
  });
});

describe('collectors/pypi/answer', () => {
  it('reads the engine answer with 64-bit integers unquoted and quoted alike', () => {
    const expected = {
      through: '2024-06-03',
      projects: new Map([
        [
          'tensorflow',
          {
            firstDay: '2024-06-02',
            months: new Map([['2024-06', 2_550_000]]),
            days: new Map([
              ['2024-06-02', 1_300_000],
              ['2024-06-03', 1_250_000],
            ]),
          },
        ],
        [
          'torch',
          {
            firstDay: '2024-05-30',
            months: new Map([
              ['2024-05', 3_100_000],
              ['2024-06', 5_600_000],
            ]),
            days: new Map([
              ['2024-06-01', 2_900_000],
              ['2024-06-02', 2_700_000],
            ]),
          },
        ],
      ]),
    };
    const unquoted = fixture('answer.jsoncompact-unquoted.json');
    const quoted = fixture('answer.jsoncompact-quoted.json');
    expect(unquoted.response.body).toContain('{"2024-06-01":2550000}');
    expect(quoted.response.body).toContain('{"2024-06-01":"2550000"}');
    expect(parseDownloads(response(unquoted), ASKED)).toEqual(expected);
    expect(parseDownloads(response(quoted), ASKED)).toEqual(expected);
    expect(Object.fromEntries(new URL(downloadsUrl('http://x', ASKED)).searchParams)).toEqual(unquoted.request.query);
  });

  it('reads 64-bit integers as numbers or digit strings, and nothing else', () => {
    expect(int64(12)).toBe(12);
    expect(int64('9007199254740991')).toBe(9_007_199_254_740_991);
    for (const bad of ['9007199254740993', '-1', -1, 1.5, '1e3', '', null, true, ' 12']) expect(int64(bad), String(bad)).toBeUndefined();
  });

  it('refuses an answer that is not whole, naming why, in one line', () => {
    const body = fixture('answer.jsoncompact-unquoted.json').response.body;
    const ok = response(fixture('answer.jsoncompact-unquoted.json'));
    const edit = (change: (json: Record<string, unknown>) => void): HttpResponse => {
      const json = JSON.parse(body) as Record<string, unknown>;
      change(json);
      return { ...ok, body: JSON.stringify(json) };
    };
    const cases: [HttpResponse, RegExp][] = [
      [
        { ...ok, status: 502, headers: { 'content-type': 'text/html' }, body: '<html><head><title>502 Bad Gateway</title></head></html>' },
        /^ClickPy answered HTTP 502 with an HTML page instead of JSON \("502 Bad Gateway"\)/,
      ],
      [
        { ...ok, body: body.slice(0, body.length - 60) },
        /^ClickPy's answer is not valid JSON \(\d+ bytes, ends with .*\); it was probably cut off, nothing stored$/,
      ],
      [edit((j) => delete j.statistics), /incomplete \(rows 2 for 2 data rows, no statistics\)/],
      [edit((j) => (j.rows = 3)), /incomplete \(rows 3 for 2 data rows\)/],
      [edit((j) => (j.meta = (j.meta as unknown[]).slice(1))), /answered the columns \["through","first_day","months","days"\]/],
      [
        edit((j) => {
          (j.data as unknown[][]).push(['torch', '2024-06-03', '2024-05-30', {}, {}]);
          j.rows = 3;
        }),
        /row 3 \(torch comes twice/,
      ],
      [edit((j) => ((j.data as unknown[][])[0]![0] = 'keras')), /row 1 \(a project that was not asked/],
      [edit((j) => ((j.data as unknown[][])[1]![1] = '2024-06-04')), /row 2 \(through differs between rows/],
      [
        edit((j) => ((j.data as unknown[][])[0]![3] = { '2024-06-01': -5 })),
        /row 1 months \(the count of 2024-06-01 is not a whole number/,
      ],
      [edit((j) => ((j.data as unknown[][])[0]![3] = { '2024-04-01': 5 })), /row 1 months \(2024-04-01 is outside what was asked/],
      [edit((j) => ((j.data as unknown[][])[0]![4] = { '2024-06-04': 5 })), /row 1 days \(2024-06-04 is outside what was asked/],
      [edit((j) => ((j.data as unknown[][])[0]![4] = [1, 2])), /row 1 days \(not a map of dates to counts/],
    ];
    for (const [res, message] of cases) {
      const text = answerError(res);
      expect(text).toMatch(message);
      expect(text).toMatch(/nothing stored$/);
      expect(text).not.toContain('\n');
    }
    // A date bound that was not applied is caught too.
    expect(answerError(ok, { ...ASKED, asOf: '2024-06-02' })).toBe(
      'ClickPy counted up to 2024-06-03, after the as-of date 2024-06-02, so the date bound was not applied; nothing stored',
    );
  });

  it('finds an error written into a 200 after the body started, in each form ClickHouse has used', () => {
    expect(answerError(response(fixture('midstream.exception-tag.json')))).toBe(
      'ClickHouse stopped the query after the answer had started: TIMEOUT_EXCEEDED (code 159): Timeout exceeded: elapsed 60.01 seconds, maximum: 60; nothing stored',
    );
    expect(answerError(response(fixture('midstream.exception-field.json')))).toBe(
      'ClickHouse stopped the query after the answer had started: MEMORY_LIMIT_EXCEEDED (code 241): Memory limit (for query) exceeded: would use 9.31 GiB, maximum: 9.31 GiB; nothing stored',
    );
    expect(answerError(response(fixture('midstream.exception-text.json')))).toBe(
      'ClickHouse stopped the query after the answer had started: TIMEOUT_EXCEEDED (code 159): Timeout exceeded: elapsed 60.000142 seconds, maximum: 60; nothing stored',
    );
  });

  it("reads ClickHouse's error texts: code, name and message without the version", () => {
    expect(parseErrorText(fixture('error.quota-exceeded.json').response.body)).toEqual({
      code: 201,
      name: 'QUOTA_EXCEEDED',
      message:
        'Quota for user `demo` for 3600s has been exceeded: queries = 61/60. Interval will end at 2026-12-08 00:00:00. Name of quota template: `demo`',
    });
    expect(parseErrorText(fixture('error.unknown-table.json').response.body)).toMatchObject({ code: 60, name: 'UNKNOWN_TABLE' });
    expect(parseErrorText(fixture('error.readonly-setting.json').response.body)).toEqual({
      code: 164,
      name: 'READONLY',
      message: "Cannot modify 'max_result_rows' setting in readonly mode",
    });
    expect(parseErrorText(fixture('error.too-many-simultaneous-queries.json').response.body)).toMatchObject({
      code: 202,
      name: 'TOO_MANY_SIMULTANEOUS_QUERIES',
    });
    expect(parseErrorText('<html>bad gateway</html>')).toBeUndefined();
  });

  it('every fixture here is read by a test above', () => {
    const read = readFileSync(import.meta.filename, 'utf8');
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.json'))) expect(read, file).toContain(`'${file}'`);
    expect(COLUMNS).toEqual(['project', 'through', 'first_day', 'months', 'days']);
  });
});

describe('collectors/pypi/plan', () => {
  const frameworks = [
    { name: 'PyTorch', packages: ['torch'] },
    { name: 'TensorFlow', packages: ['tensorflow'] },
  ];
  /** What a run stored: every month from `from` through `through`, with its days, and the days from `daysFrom`. */
  function stored(observedAt: string, through: string, from = '2016-01', daysFrom = '2023-06-01', fws = frameworks) {
    const rows = [];
    for (const f of fws) {
      for (let m = from; m <= through.slice(0, 7); m = nextMonth(m)) {
        const [first, last] = [`${m}-01`, lastDay(m)];
        const days = m === through.slice(0, 7) ? Number(through.slice(8)) : Number(last.slice(8));
        rows.push(
          {
            metric: DOWNLOADS,
            subject: f.name,
            period: m,
            method: METHOD,
            observedAt,
            value: 100,
            query: monthQuery(f.packages, first, last),
          },
          {
            metric: DAYS_COVERED,
            subject: f.name,
            period: m,
            method: METHOD,
            observedAt,
            value: days,
            query: daysQuery(f.packages, first, last),
          },
        );
      }
      for (let d = daysFrom; d <= through; d = addDay(d)) {
        rows.push({
          metric: DOWNLOADS_PER_DAY,
          subject: f.name,
          period: d,
          method: METHOD,
          observedAt,
          value: 7,
          query: dayQuery(f.packages, d),
        });
      }
    }
    return rows;
  }

  it('a full refresh asks every month from fromMonth and the days of the last 13 months, in one request', () => {
    const plan = planRequest({ frameworks, fromMonth: '2016-01', asOf: '2024-07-20', full: false, stored: [] });
    expect(plan.request).toEqual({ projects: ['tensorflow', 'torch'], from: '2016-01-01', daysFrom: '2023-06-01', asOf: '2024-07-20' });
    expect(
      planRequest({ frameworks, fromMonth: '2016-01', asOf: '2024-07-20', full: true, stored: stored('2024-07-19', '2024-07-17') }).request,
    ).toEqual(plan.request);
  });

  it('the next day asks from the month still filling; the days already stored are not asked again', () => {
    const plan = planRequest({
      frameworks,
      fromMonth: '2016-01',
      asOf: '2024-07-20',
      full: false,
      stored: stored('2024-07-19', '2024-07-17'),
    });
    expect(plan.request).toMatchObject({ from: '2024-07-01', daysFrom: '2024-07-01' });
    expect(plan.storedDays.get('PyTorch\u00002024-07-17')).toBe(7);
    // The month the data ended in last time, when that was its last day, is settled: asked from the next.
    expect(
      planRequest({ frameworks, fromMonth: '2016-01', asOf: '2024-07-02', full: false, stored: stored('2024-07-01', '2024-06-30') })
        .request,
    ).toMatchObject({
      from: '2024-07-01',
    });
  });

  it('a second run the same day asks nothing; a run as of an earlier day does not see later rows', () => {
    const today = stored('2024-07-20', '2024-07-18');
    const again = planRequest({ frameworks, fromMonth: '2016-01', asOf: '2024-07-20', full: false, stored: today });
    expect(again.request).toBeUndefined();
    expect(again.skipped).toMatch(/counted as of 2024-07-20 already/);
    // Also when the data ended on a month's last day, so every month is stored complete.
    expect(
      planRequest({ frameworks, fromMonth: '2016-01', asOf: '2024-07-01', full: false, stored: stored('2024-07-01', '2024-06-30') })
        .request,
    ).toBeUndefined();
    expect(planRequest({ frameworks, fromMonth: '2016-01', asOf: '2024-07-20', full: true, stored: today }).request).toBeDefined();
    expect(planRequest({ frameworks, fromMonth: '2016-01', asOf: '2024-03-10', full: false, stored: today }).request).toMatchObject({
      from: '2016-01-01',
      asOf: '2024-03-10',
    });
  });

  it('asks again from the start for a framework whose packages changed, and for days missing in the window', () => {
    const changed = [{ name: 'PyTorch', packages: ['torch', 'pytorch-lightning'] }, frameworks[1]!];
    const plan = planRequest({
      frameworks: changed,
      fromMonth: '2016-01',
      asOf: '2024-07-20',
      full: false,
      stored: stored('2024-07-19', '2024-07-17'),
    });
    expect(plan.request).toMatchObject({
      projects: ['pytorch-lightning', 'tensorflow', 'torch'],
      from: '2016-01-01',
      daysFrom: '2023-06-01',
    });
    expect(plan.frameworks.get('TensorFlow')).toEqual({ fromMonth: 2024 * 12 + 6, daysFrom: '2024-07-01' });
    const gap = stored('2024-07-19', '2024-07-17', '2016-01', '2024-02-01');
    expect(planRequest({ frameworks, fromMonth: '2016-01', asOf: '2024-07-20', full: false, stored: gap }).request).toMatchObject({
      from: '2024-07-01',
      daysFrom: '2023-06-01',
    });
  });

  it('asks nothing for a fromMonth after the as-of date', () => {
    expect(planRequest({ frameworks, fromMonth: '2025-01', asOf: '2024-07-20', full: false, stored: [] }).skipped).toBe(
      '2025-01 is after the as-of date 2024-07-20; nothing to count',
    );
  });
});

function nextMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}

function lastDay(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return `${m}-${String(new Date(Date.UTC(y, mo, 0)).getUTCDate()).padStart(2, '0')}`;
}

function addDay(d: string): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
