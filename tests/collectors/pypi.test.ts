import { afterEach, describe, expect, it } from 'vitest';
import { pypi } from '../../collectors/pypi/index.js';
import { DOWNLOADS_SQL } from '../../collectors/pypi/query.js';
import { parseConfig } from '../../src/config/load.js';
import type { Observation, StoredObservation } from '../../src/core/observation.js';
import { engineAvailable } from '../helpers/chdb.js';
import { type ClickPyServer, type ClickPyServerOptions, startClickPyServer } from '../helpers/clickpy-server.js';
import { createTestContext, instantClock } from '../helpers/context.js';
import { madeUpRows, TEST_SHAPES } from '../helpers/pypi-rows.js';

/*
 * The collector through the real HttpClient against the ClickPy stand-in, which runs the SQL it is sent on a
 * real ClickHouse engine (chdb) over made-up rows with ClickPy's schema. Expected values are asked of the same
 * engine directly, not computed here.
 */

const available = await engineAvailable('tests/collectors/pypi.test.ts');

const AS_OF = '2024-07-20';
/** ClickPy's data lags: the made-up table ends two days before the as-of date. */
const DATA_END = '2024-07-18';
const ROWS = madeUpRows(TEST_SHAPES, DATA_END);

/** The built-in frameworks, TensorFlow with two packages, from 2022. */
const CONFIG = {
  frameworks: [
    { name: 'PyTorch', pypi: { packages: ['torch'] } },
    { name: 'TensorFlow', pypi: { packages: ['tensorflow', 'TensorFlow_CPU'] } },
    { name: 'Keras', pypi: { packages: ['keras'] } },
    { name: 'JAX', pypi: { packages: ['jax'] } },
  ],
  pypi: { fromMonth: '2022-01' },
};

let server: ClickPyServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(options: ClickPyServerOptions = {}): Promise<ClickPyServer> {
  server = await startClickPyServer({ rows: ROWS, ...options });
  return server;
}

interface Run {
  asOf?: string;
  full?: boolean;
  history?: StoredObservation[];
  env?: Record<string, string | undefined>;
  config?: unknown;
  timeoutMs?: number;
}

function context(srv: ClickPyServer, run: Run = {}) {
  return createTestContext({
    collector: pypi,
    config: parseConfig(run.config ?? CONFIG, [pypi], 'test'),
    env: srv.env(run.env),
    asOf: run.asOf ?? AS_OF,
    full: run.full,
    history: run.history,
    timeoutMs: run.timeoutMs,
    clock: instantClock(),
  });
}

async function collect(srv: ClickPyServer, run: Run = {}) {
  const t = context(srv, run);
  const summary = await pypi.collect(t.ctx);
  return { ...t, summary };
}

async function failure(srv: ClickPyServer, run: Run = {}) {
  const t = context(srv, run);
  const error = await pypi.collect(t.ctx).then(
    () => undefined,
    (err: unknown) => err as Error,
  );
  return { ...t, error };
}

/** Emitted observations as the store would give them back to the next run. */
let nextId = 1;
const stored = (observations: readonly Observation[], runId: number): StoredObservation[] =>
  observations.map((o) => ({ ...o, id: nextId++, runId }));

/** The engine's own monthly sums for the projects, `YYYY-MM` → downloads, up to `to`. */
async function engineMonths(srv: ClickPyServer, projects: string[], to = DATA_END): Promise<Map<string, number>> {
  const rows = await srv.sql<{ month: string; n: number }>(
    `SELECT formatDateTime(toStartOfMonth(date), '%Y-%m') AS month, toUInt64(sum(count)) AS n FROM pypi.pypi_downloads_per_day WHERE project IN (${projects.map((p) => `'${p}'`).join(',')}) AND date <= '${to}' GROUP BY month ORDER BY month`,
  );
  return new Map(rows.map((r) => [r.month, Number(r.n)]));
}

const values = (observations: readonly Observation[], metric: string, subject: string) =>
  new Map(observations.filter((o) => o.metric === metric && o.subject === subject).map((o) => [o.period, o.value]));

describe.skipIf(!available)('collectors/pypi against a ClickHouse engine (chdb)', () => {
  it('stores every month from fromMonth for every framework, equal to the sums of the table, from 1 request', async () => {
    const srv = await serve();
    const { summary, observations } = await collect(srv);
    expect(summary).toEqual({ stored: observations().length, problems: [], warnings: [] });
    expect(srv.requests).toHaveLength(1);
    const [req] = srv.requests;
    // The SQL never changes; what is asked goes in query parameters, and no setting is sent.
    expect(req).toMatchObject({ method: 'POST', path: '/', user: 'demo', key: '', body: DOWNLOADS_SQL, status: 200 });
    expect(req!.params).toEqual({
      param_as_of: AS_OF,
      param_days_from: '2023-06-01',
      param_from: '2022-01-01',
      param_projects: "['jax','keras','tensorflow','tensorflow-cpu','torch']",
    });
    const months = [...values(observations(), 'downloads', 'PyTorch').keys()];
    expect(months[0]).toBe('2022-01');
    expect(months.at(-1)).toBe('2024-07');
    expect(months).toHaveLength(31);
    for (const [framework, projects] of [
      ['PyTorch', ['torch']],
      ['TensorFlow', ['tensorflow', 'tensorflow-cpu']],
      ['Keras', ['keras']],
      ['JAX', ['jax']],
    ] as const) {
      const expected = await engineMonths(srv, [...projects]);
      const got = values(observations(), 'downloads', framework);
      for (const month of months) expect(got.get(month), `${framework} ${month}`).toBe(expected.get(month) ?? 0);
    }
    // Months before torch's first day in the table count 0; the month the data ends in covers 18 days.
    expect(values(observations(), 'downloads', 'PyTorch').get('2022-02')).toBe(0);
    expect(values(observations(), 'downloads', 'PyTorch').get('2022-03')).toBeGreaterThan(0);
    const days = values(observations(), 'days_covered', 'JAX');
    expect(days.get('2024-07')).toBe(18);
    expect(days.get('2024-06')).toBe(30);
    expect(days.get('2024-02')).toBe(29);
    // The days of the last 13 months, each the table's sum for that day; none after the data's last day.
    const daily = values(observations(), 'downloads_per_day', 'TensorFlow');
    expect([...daily.keys()][0]).toBe('2023-06-01');
    expect([...daily.keys()].at(-1)).toBe(DATA_END);
    const [day] = await srv.sql<{ n: number }>(
      "SELECT toUInt64(sum(count)) AS n FROM pypi.pypi_downloads_per_day WHERE project IN ('tensorflow','tensorflow-cpu') AND date = '2024-07-18'",
    );
    expect(daily.get(DATA_END)).toBe(Number(day!.n));
    // Provenance: the query that answers each value, never the password.
    expect(observations().find((o) => o.subject === 'TensorFlow' && o.period === '2024-06')!.query).toBe(
      "SELECT sum(count) FROM pypi.pypi_downloads_per_day WHERE project IN ('tensorflow', 'tensorflow-cpu') AND date BETWEEN '2024-06-01' AND '2024-06-30'",
    );
  });

  it('reads 64-bit integers quoted (servers before 25.8) as unquoted', async () => {
    const unquoted = (await collect(await serve())).observations();
    await server!.close();
    const srv = await serve({ quote64: true });
    const quoted = await collect(srv);
    expect(quoted.observations()).toEqual(unquoted);
  });

  it("is whole under the play user's max_result_rows with overflow mode break: one row per project", async () => {
    // A row per project and month would be 155 rows here, cut at 10 without a word.
    const srv = await serve({ maxResultRows: 10 });
    const { observations, summary } = await collect(srv);
    expect(summary.problems).toEqual([]);
    const expected = [...(await engineMonths(srv, ['keras']))].filter(([month]) => month >= '2022-01');
    expect(values(observations(), 'downloads', 'Keras')).toEqual(new Map(expected));
  });

  it('the next day asks from the month still filling and stores only it and the new days; the same day again asks nothing', async () => {
    const srv = await serve();
    const first = await collect(srv);
    const history = stored(first.observations(), 1);
    await srv.addRows(madeUpRows(TEST_SHAPES, '2024-07-19').filter((r) => r.date === '2024-07-19'));
    srv.reset();
    const next = await collect(srv, { asOf: '2024-07-21', history });
    expect(srv.requests).toHaveLength(1);
    expect(srv.requests[0]!.params).toMatchObject({ param_from: '2024-07-01', param_days_from: '2024-07-01', param_as_of: '2024-07-21' });
    const periods = (metric: string) => [...values(next.observations(), metric, 'PyTorch').keys()];
    expect(periods('downloads')).toEqual(['2024-07']);
    expect(values(next.observations(), 'days_covered', 'PyTorch').get('2024-07')).toBe(19);
    // Days whose count did not change are not stored again.
    expect(periods('downloads_per_day')).toEqual(['2024-07-19']);
    expect(values(next.observations(), 'downloads', 'PyTorch').get('2024-07')).toBe(
      (await engineMonths(srv, ['torch'], '2024-07-19')).get('2024-07'),
    );

    srv.reset();
    const again = await collect(srv, { asOf: '2024-07-21', history: [...history, ...stored(next.observations(), 2)] });
    expect(srv.requests).toHaveLength(0);
    expect(again.summary.stored).toBe(0);
    expect(again.log.lines.join('\n')).toMatch(/no request: every framework was counted as of 2024-07-21 already/);
  });

  it('--as-of in the past bounds the days exactly: that day is the last counted', async () => {
    const srv = await serve();
    const { observations } = await collect(srv, { asOf: '2024-03-10' });
    expect(srv.requests[0]!.params.param_as_of).toBe('2024-03-10');
    const months = values(observations(), 'downloads', 'JAX');
    expect([...months.keys()].at(-1)).toBe('2024-03');
    expect(values(observations(), 'days_covered', 'JAX').get('2024-03')).toBe(10);
    expect(months.get('2024-03')).toBe((await engineMonths(srv, ['jax'], '2024-03-10')).get('2024-03'));
    expect(observations().every((o) => o.observedAt === '2024-03-10' && o.period <= '2024-03-10')).toBe(true);
  });

  it('an unknown project is a problem naming it; its framework gets nothing stored, never 0, and the others are stored', async () => {
    const srv = await serve();
    const config = { ...CONFIG, frameworks: [...CONFIG.frameworks.slice(0, 3), { name: 'JAX', pypi: { packages: ['jax', 'jaxx-typo'] } }] };
    const { summary, observations } = await collect(srv, { config });
    expect(summary.problems).toEqual([
      'no downloads of project jaxx-typo in pypi.pypi_downloads_per_day up to 2024-07-20: check the name (https://pypi.org/project/jaxx-typo/); JAX is not stored',
    ]);
    expect(observations().some((o) => o.subject === 'JAX')).toBe(false);
    expect(values(observations(), 'downloads', 'Keras').size).toBe(31);
  });

  it('a spent quota stops the source for this run with one line naming it, after 1 request, nothing stored', async () => {
    const srv = await serve({ quotaQueries: 0 });
    const { error, observations } = await failure(srv);
    expect(error?.message).toBe(
      '[collector:pypi] ClickPy refused the query: QUOTA_EXCEEDED (code 201): Quota for user `demo` for 3600s has been exceeded: queries = 1/0. Interval will end at 2026-12-08 00:00:00. Name of quota template: `demo`; stopped for this run, not retried (the quota renews at the end of the interval the message names)',
    );
    expect(srv.requests.map((r) => [r.status, r.code])).toEqual([[500, 201]]);
    expect(observations()).toEqual([]);
  });

  it('too many simultaneous queries (202, also HTTP 500) stops it too, without a retry', async () => {
    const srv = await serve({
      faults: [
        {
          fault: {
            kind: 'error',
            code: 202,
            name: 'TOO_MANY_SIMULTANEOUS_QUERIES',
            message: 'Too many simultaneous queries. Maximum: 100',
          },
        },
      ],
    });
    const { error } = await failure(srv);
    expect(error?.message).toMatch(
      /^\[collector:pypi\] ClickPy refused the query: TOO_MANY_SIMULTANEOUS_QUERIES \(code 202\): .*; stopped for this run, not retried/,
    );
    expect(srv.requests).toHaveLength(1);
  });

  it('a 5xx without an exception code is retried as usual, and then the answer is stored', async () => {
    const srv = await serve({ faults: [{ times: 2, fault: { kind: 'raw', status: 503, body: 'upstream connect error' } }] });
    const { summary } = await collect(srv);
    expect(srv.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(summary.problems).toEqual([]);
  });

  it('an HTML page, a cut answer and an error written into a 200 each give one line and store nothing', async () => {
    const cases: [Parameters<ClickPyServer['addFault']>[0]['fault'], RegExp][] = [
      [
        {
          kind: 'raw',
          status: 200,
          body: '<!DOCTYPE html><html><head><title>Sign in to the proxy</title></head></html>',
          contentType: 'text/html',
        },
        /^\[collector:pypi\] ClickPy answered HTTP 200 with an HTML page instead of JSON \("Sign in to the proxy"\)/,
      ],
      [
        { kind: 'truncated', keep: 700 },
        /^\[collector:pypi\] ClickPy's answer is not valid JSON \(700 bytes, ends with .*\); it was probably cut off/,
      ],
      [
        {
          kind: 'streamed-error',
          form: 'tag',
          keep: 500,
          code: 159,
          name: 'TIMEOUT_EXCEEDED',
          message: 'Timeout exceeded: elapsed 60.01 seconds',
        },
        /^\[collector:pypi\] ClickHouse stopped the query after the answer had started: TIMEOUT_EXCEEDED \(code 159\): Timeout exceeded: elapsed 60\.01 seconds; nothing stored$/,
      ],
      [
        { kind: 'streamed-error', form: 'field', keep: 500, code: 241, name: 'MEMORY_LIMIT_EXCEEDED', message: 'Memory limit exceeded' },
        /ClickHouse stopped the query after the answer had started: MEMORY_LIMIT_EXCEEDED \(code 241\)/,
      ],
      [
        { kind: 'streamed-error', form: 'text', keep: 500, code: 394, name: 'QUERY_WAS_CANCELLED', message: 'Query was cancelled' },
        /ClickHouse stopped the query after the answer had started: QUERY_WAS_CANCELLED \(code 394\)/,
      ],
    ];
    const srv = await serve();
    for (const [fault, message] of cases) {
      srv.reset();
      srv.addFault({ fault });
      const { error, observations } = await failure(srv);
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain('\n');
      expect(observations()).toEqual([]);
      expect(srv.requests).toHaveLength(1);
    }
  });

  it('an answer that never comes ends at its deadline, retried a bounded number of times', async () => {
    const srv = await serve({ faults: [{ fault: { kind: 'hang' } }] });
    const started = Date.now();
    const { error } = await failure(srv, { timeoutMs: 200 });
    expect(error?.message).toMatch(/^\[collector:pypi\] POST http:\/\/127\.0\.0\.1:\d+\/\?\S+ failed after 6 attempts: /);
    expect(srv.requests).toHaveLength(6);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('sends the password as X-ClickHouse-Key and never lets it out; a refused one says what to check', async () => {
    const password = 'clickpy-SECRET-pw-42';
    const srv = await serve({ users: { reader: password } });
    const ok = await collect(srv, { env: { CLICKPY_USER: 'reader', CLICKPY_PASSWORD: password } });
    expect(srv.requests[0]).toMatchObject({ user: 'reader', key: password, status: 200 });
    const wrong = await failure(srv, { env: { CLICKPY_USER: 'reader', CLICKPY_PASSWORD: `${password}-old` } });
    expect(wrong.error?.message).toBe(
      '[collector:pypi] ClickPy refused the credentials: AUTHENTICATION_FAILED (code 516): reader: Authentication failed: password is incorrect, or there is no user with such name; check CLICKPY_USER and CLICKPY_PASSWORD',
    );
    const seen = JSON.stringify([ok.observations(), ok.log.lines, wrong.log.lines, wrong.error?.message]);
    expect(seen).not.toContain(password);
  });
});
