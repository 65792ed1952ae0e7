import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'vitest';
import { runCli, tempWorkdir, type CliResult } from '../helpers/cli.js';
import { exactQuery } from '../../collectors/huggingface/count-exact.js';
import { type DbSnapshot, readDb, type StoredRow } from '../helpers/db.js';
import {
  pubmedTranslation,
  replies,
  startEsearchServer,
  type EsearchReply,
  type EsearchRequest,
  type EsearchServer,
} from '../helpers/esearch-server.js';
import { startServer } from '../helpers/http-server.js';
import { pairedModels, startHfServer, tooManyRequests, type HfFault, type HfRequestInfo, type HfServer } from '../helpers/hf-server.js';

/*
 * Fault injection against the compiled CLI (dist/cli.js). Every case is two runs on one database:
 *
 *   1. a clean run as of DAY1 that stores the "earlier" values;
 *   2. a run as of DAY2 (so it must write new rows) while a local server injects one fault, and the
 *      servers' true counts have moved (so a stale or partial number cannot pass for a right one).
 *
 * Then: the exit code (0 = retried and succeeded, 1 = a source failed), a one-line error on stderr that
 * names the source and what failed (no stack trace, no API key), every DAY1 row unchanged, every DAY2 row
 * equal to the server's true DAY2 count, nothing at all stored for what failed, and PRAGMA integrity_check.
 *
 * Retry policy under test (src/http/retry.ts): 5 retries after the first attempt, equal-jitter backoff from
 * 500 ms (waits of 0.25–0.5, 0.5–1, 1–2, 2–4, 4–8 s), a RateLimit `r=0;t=T` header waits T+1 s, else
 * Retry-After; a wait longer than 330 s fails at once. So a fault that never ends costs 8–16 s of real
 * time: the cases are independent (own servers, own directory) and run concurrently. Each attempt ends
 * after --timeout without headers or between chunks, or 3 × --timeout after it was sent (a trickle).
 * A host is given up (src/http/host-health.ts) after 3 refused connections in a row over 5 s, 6 attempts
 * in a row without an answer over 5 s, or 6 rounds of 429 in a row.
 *
 * The PubMed numbers are test values, never PubMed data; Hub model ids are synthetic.
 */

const DAY1 = '2024-07-20';
const DAY2 = '2024-07-21';
/** Per-request timeout for the faulted run (seconds): stalls give up after this. */
const TIMEOUT_S = 1;
const API_KEY = 'faultsTESTkey0123456789';

// Hub: pytorch 2,500 → 2,600 models (3 pages of 1,000), tf 700 → 650, both 200 → 210.
const HF_COUNTS = {
  [DAY1]: { a: 2_500, b: 700, both: 200 },
  [DAY2]: { a: 2_600, b: 650, both: 210 },
} as const;
const PYTORCH = exactQuery(['pytorch']);
/** The stand-in's models are all created in 2024-01: each Hub count stores its total and these months. */
const HF_MONTHS = ['undated', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07'];
/**
 * Rows one Hub count stores on DAY2: its total and the one month that moved (2024-01). A histogram is
 * stored whole the first time, then only the months that changed.
 */
const HF_ROWS_DAY2 = 2;

// PubMed: counts by keyword and publication year as of DAY1; as of DAY2 each has 7 more records.
const PUBMED_COUNTS: Record<string, Record<number, number>> = {
  pytorch: { 2022: 260, 2023: 380 },
  tensorflow: { 2022: 230, 2023: 220 },
};
const PUBMED_SUBJECTS: Record<string, string> = { PyTorch: 'pytorch', TensorFlow: 'tensorflow' };
const DAY2_GROWTH = 7;
// The yearly totals of all records (the denominators of per_million), stored under this subject; as of DAY2
// each has 1,000 more records.
const PUBMED_TOTALS: Record<number, number> = { 2022: 1_700_000, 2023: 1_650_000 };
const ALL_RECORDS = '(all records)';
const DAY2_TOTAL_GROWTH = 1_000;

const CONFIG = {
  frameworks: [
    { name: 'PyTorch', huggingface: { tags: ['pytorch'] }, pubmed: { term: 'pytorch' } },
    { name: 'TensorFlow', huggingface: { tags: ['tf'] }, pubmed: { term: 'tensorflow' } },
  ],
  huggingface: { comparisons: [['PyTorch', 'TensorFlow']] },
  // Two frameworks × two years and the two years' totals = 6 requests per run; the as-of year is outside the
  // range, so no completeness queries.
  pubmed: { fromYear: 2022, toYear: 2023 },
};

/** The server's true counts on a day, keyed like `key()`. */
function truth(day: string): Map<string, number> {
  const hub = HF_COUNTS[day as keyof typeof HF_COUNTS];
  const out = new Map<string, number>();
  for (const [subject, total] of [
    ['pytorch', hub.a],
    ['tf', hub.b],
    ['pytorch+tf', hub.both],
  ] as const) {
    out.set(`huggingface ${subject}`, total);
    for (const month of HF_MONTHS) out.set(`huggingface ${subject} ${month}`, month === '2024-01' ? total : 0);
  }
  for (const [subject, keyword] of Object.entries(PUBMED_SUBJECTS)) {
    for (const [year, count] of Object.entries(PUBMED_COUNTS[keyword]!))
      out.set(`pubmed ${subject} ${year}`, count + (day === DAY2 ? DAY2_GROWTH : 0));
  }
  for (const [year, total] of Object.entries(PUBMED_TOTALS))
    out.set(`pubmed ${ALL_RECORDS} ${year}`, total + (day === DAY2 ? DAY2_TOTAL_GROWTH : 0));
  return out;
}

type Row = StoredRow;

function key(o: Pick<Row, 'source' | 'metric' | 'subject' | 'period'>): string {
  if (o.source === 'pubmed') return `pubmed ${o.subject} ${o.period}`;
  return o.metric === 'models_created' ? `huggingface ${o.subject} ${o.period}` : `huggingface ${o.subject}`;
}

type DbState = DbSnapshot;

type Source = 'huggingface' | 'pubmed';

/** One case: its own servers, directory and database; servers close when the test ends. */
async function fixture({ onTestFinished }: TestContext) {
  // Every Hub request passes through `faultFor`: it records arrival times and applies the current fault.
  let hfFault: ((req: HfRequestInfo) => HfFault | undefined) | undefined;
  const hfTimes = new Map<HfRequestInfo, number>();
  const hub: HfServer = await startHfServer({
    models: pairedModels(['pytorch', 'tf'], HF_COUNTS[DAY1]),
    faultFor: (req) => {
      hfTimes.set(req, Date.now());
      return hfFault?.(req);
    },
  });
  const ncbi: EsearchServer = await startEsearchServer({
    // PubMed's own form: `"pytorch"[All Fields] AND 2023/01/01:2023/12/31[Date - Publication] AND …[Date - Create]`.
    translate: (term) => pubmedTranslation(term),
    // Runs are as of a past date, so every query is bounded by record creation date (`…[crdt]`).
    count: (term, req) => {
      if (req.total?.createdBy) {
        const total = PUBMED_TOTALS[req.total.year];
        if (total === undefined) return undefined;
        return req.total.createdBy === DAY2.replaceAll('-', '/') ? total + DAY2_TOTAL_GROWTH : total;
      }
      const base = term ? PUBMED_COUNTS[term.keyword]?.[term.year] : undefined;
      if (base === undefined || !term?.createdBy) return undefined;
      return term.createdBy === DAY2.replaceAll('-', '/') ? base + DAY2_GROWTH : base;
    },
  });
  onTestFinished(async () => {
    await hub.close();
    await ncbi.close();
  });
  const dir = tempWorkdir('am-faults-');
  writeFileSync(join(dir, 'adoption.config.json'), JSON.stringify(CONFIG));
  const db = join(dir, 'output/adoption.sqlite');
  const env = { ...hub.env(), ...ncbi.env({ NCBI_API_KEY: API_KEY }) };

  return {
    dir,
    hub,
    ncbi,
    db: () => readDb(db),
    /** When the Hub received each request of the faulted run (ms since the epoch). */
    hfTime: (req: HfRequestInfo) => hfTimes.get(req)!,
    /** Hub requests of the faulted run for one listing page, in order. */
    hfPage: (queryKey: string, page: number) => hub.requests.filter((r) => r.queryKey === queryKey && r.page === page),

    /** Run 1, no faults: stores the earlier values. */
    async firstRun(sources: readonly Source[]): Promise<DbState> {
      const result = await runCli(['collect', '--sources', sources.join(','), '--as-of', DAY1], { cwd: dir, env });
      if (result.code !== 0) throw new Error(`first run failed (${result.code}):\n${result.stderr}`);
      const state = readDb(db);
      const expected = [...truth(DAY1)].filter(([k]) => sources.some((s) => k.startsWith(`${s} `)));
      const got = state.observations.map((o) => [key(o), o.value] as const);
      if (JSON.stringify(got.sort()) !== JSON.stringify(expected.sort()))
        throw new Error(`first run stored ${JSON.stringify(got)}, not ${JSON.stringify(expected)}`);
      return state;
    },

    /**
     * Run 2, as of DAY2, with whatever faults are now set, against the moved counts; `envOverride` points a
     * source elsewhere (a closed port, a name that does not resolve). `seconds` is its wall time.
     */
    async faultedRun(
      sources: readonly Source[],
      command: 'collect' | 'run' = 'collect',
      envOverride: Record<string, string> = {},
      extraArgs: readonly string[] = [],
    ): Promise<CliResult & { seconds: number }> {
      hub.reset();
      hfTimes.clear();
      hub.configure({ models: pairedModels(['pytorch', 'tf'], HF_COUNTS[DAY2]) });
      const started = Date.now();
      const result = await runCli(
        [command, '--sources', sources.join(','), '--as-of', DAY2, '--timeout', String(TIMEOUT_S), ...extraArgs],
        {
          cwd: dir,
          env: { ...env, ...envOverride },
        },
      );
      return { ...result, seconds: (Date.now() - started) / 1000 };
    },

    /** `adoption-metrics status` on the case's database. */
    status: () => runCli(['status'], { cwd: dir, env }),

    setHubFault(fault: ((req: HfRequestInfo) => HfFault | undefined) | undefined) {
      hfFault = fault;
    },
  };
}

/** A fault on the first `attempts` attempts of one page of one Hub listing (every attempt by default). */
function onHubPage(queryKey: string, page: number, fault: HfFault, attempts = Infinity) {
  return (req: HfRequestInfo) => (req.queryKey === queryKey && req.page === page && req.attempt <= attempts ? fault : undefined);
}

const isPytorch2023 = (req: EsearchRequest) => req.parsed?.keyword === 'pytorch' && req.parsed.year === 2023;

/**
 * What run 2 left in the database: run 1's rows untouched, every new row from run 2, dated DAY2 and equal
 * to the true DAY2 count, and exactly the expected keys stored (the rest: nothing, not a partial number).
 * Returns run 2's rows.
 */
function expectStore(
  t: TestContext,
  before: DbState,
  after: DbState,
  stored: readonly string[],
  outcome: 'success' | 'partial' | 'failed',
): Row[] {
  const { expect } = t;
  expect(after.integrity).toBe('ok');
  expect(after.runs.map((r) => r.outcome)).toEqual(['success', outcome]);
  const earlier = after.observations.filter((o) => o.run_id === 1);
  expect(earlier).toEqual(before.observations);
  const added = after.observations.filter((o) => o.run_id !== 1);
  const right = truth(DAY2);
  for (const o of added) {
    expect(o.run_id, `${key(o)} from an unexpected run`).toBe(2);
    expect(o.observed_at, key(o)).toBe(DAY2);
    expect(o.value, `${key(o)} stored a wrong value`).toBe(right.get(key(o)));
  }
  expect(added.map(key).sort()).toEqual([...stored].sort());
  return added;
}

/** Every key of these sources a clean DAY2 run stores: all totals and counts, and the Hub months that moved. */
function allKeys(...sources: Source[]): string[] {
  const day1 = truth(DAY1);
  return [...truth(DAY2)]
    .filter(([k, value]) => !HF_MONTH_KEY.test(k) || day1.get(k) !== value)
    .map(([k]) => k)
    .filter((k) => sources.some((s) => k.startsWith(`${s} `)));
}
const HF_MONTH_KEY = /^huggingface \S+ (undated|\d{4}-\d{2})$/;

/** `keys` without `missing` (and, for a Hub count, without its months: `huggingface tf 2024-01`). */
function except(keys: readonly string[], ...missing: string[]): string[] {
  return keys.filter((k) => !missing.some((m) => k === m || (m.startsWith('huggingface ') && k.startsWith(`${m} `))));
}

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('error'));
}

/**
 * A run's retries at the default level: one summary line for the local host, naming `reason`, and no line per
 * attempt (those are at debug level, shown with -v).
 */
function expectRetrySummary(t: TestContext, stderr: string, retries: number, reason: string): void {
  const lines = stderr.split('\n').filter((l) => /^warn {2}http:\/\/127\.0\.0\.1:\d+: /.test(l));
  t.expect(lines, stderr).toHaveLength(1);
  t.expect(lines[0]).toMatch(
    new RegExp(
      `^warn {2}http://127\\.0\\.0\\.1:\\d+: ${retries} retr(y|ies) of 1 request this run \\(.*(${reason}) ×\\d.*\\); 1 got their answer on a retry; -v shows every attempt$`,
    ),
  );
  t.expect(stderr).not.toMatch(/; retry \d+\/\d+ in /);
}

/** Exit 0, no error logged, no stack trace, no key. */
function expectRecovered(t: TestContext, result: CliResult): void {
  t.expect(errorLines(result.stderr), result.stderr).toEqual([]);
  t.expect(result.code, result.stderr).toBe(0);
  t.expect(result.stderr).not.toContain(API_KEY);
}

/** Exit 1 with a one-line error naming what failed; no stack trace, no key. */
function expectFailed(t: TestContext, result: CliResult, message: RegExp): void {
  const { expect } = t;
  expect(result.code, result.stderr).toBe(1);
  const errors = errorLines(result.stderr);
  expect(
    errors.some((l) => message.test(l)),
    `no error line matches ${message}:\n${result.stderr}`,
  ).toBe(true);
  expect(result.stderr).not.toMatch(/^\s+at\s/m);
  expect(result.stderr).not.toMatch(/\b(TypeError|ReferenceError|SyntaxError|Unhandled|uncaught)\b/i);
  expect(result.stderr).not.toContain(API_KEY);
}

function collectorRun(state: DbState, collector: Source) {
  return state.collectorRuns.find((c) => c.run_id === 2 && c.collector === collector);
}

/** Gaps in ms between consecutive requests. */
function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

describe.concurrent('Hub faults (adoption-metrics collect --sources huggingface)', () => {
  // The slow cases first: they take 8–20 s of backoff each and the concurrent pool holds 5 tests.
  it('a 429 storm that never ends fails that count after 6 attempts, ≥ 1 s apart; nothing partial is stored, earlier counts kept', async (t) => {
    const f = await fixture(t);
    const before = await f.firstRun(['huggingface']);
    f.setHubFault(onHubPage(PYTORCH, 2, tooManyRequests({ retryAfter: 1 })));
    const result = await f.faultedRun(['huggingface']);

    expectFailed(
      t,
      result,
      new RegExp(
        `^error huggingface: pytorch \\(exact\\): ${escapeRegExp(PYTORCH)}: page 2: GET http://127\\.0\\.0\\.1:\\d+/api/models\\?\\S+ failed after 6 attempts: HTTP 429$`,
      ),
    );
    // Gaps are stamped by the server; a loaded CI machine delays arrivals by up to ~100 ms, hence 900 for 1 s.
    const page2 = f.hfPage(PYTORCH, 2);
    t.expect(page2.map((r) => r.fault)).toEqual(Array(6).fill('status'));
    for (const gap of gaps(page2.map(f.hfTime))) t.expect(gap).toBeGreaterThanOrEqual(900);
    t.expect(f.hfPage(PYTORCH, 3)).toEqual([]);
    const after = f.db();
    // 1,000 models read on page 1 are not a count: nothing for pytorch on DAY2; its DAY1 count stays the latest.
    expectStore(t, before, after, except(allKeys('huggingface'), 'huggingface pytorch'), 'partial');
    t.expect(collectorRun(after, 'huggingface')).toMatchObject({ outcome: 'partial', stored: 2 * HF_ROWS_DAY2 });
  });

  it('a stall that never ends times out on every attempt and fails that count clearly', async (t) => {
    const f = await fixture(t);
    const before = await f.firstRun(['huggingface']);
    f.setHubFault(onHubPage(PYTORCH, 2, { kind: 'stall', phase: 'headers' }));
    const result = await f.faultedRun(['huggingface']);

    expectFailed(
      t,
      result,
      /^error huggingface: pytorch \(exact\): .*page 2: GET \S+ failed after 6 attempts: network error UND_ERR_HEADERS_TIMEOUT/,
    );
    t.expect(f.hfPage(PYTORCH, 2)).toHaveLength(6);
    expectStore(t, before, f.db(), except(allKeys('huggingface'), 'huggingface pytorch'), 'partial');
  });

  it('a trickle that never ends is abandoned at each 3 × --timeout deadline and fails that count with one line', async (t) => {
    const f = await fixture(t);
    const before = await f.firstRun(['huggingface']);
    f.setHubFault(onHubPage(PYTORCH, 2, { kind: 'trickle' }));
    const result = await f.faultedRun(['huggingface']);

    expectFailed(
      t,
      result,
      new RegExp(
        `^error huggingface: pytorch \\(exact\\): .*page 2: GET \\S+ failed after 6 attempts: no complete answer within ${3 * TIMEOUT_S} s$`,
      ),
    );
    t.expect(f.hfPage(PYTORCH, 2)).toHaveLength(6);
    // Each attempt lasts the whole-answer deadline (3 s), not the 1 s chunk timeout; the server stamps arrivals,
    // which a loaded CI machine delays by up to a few hundred ms (the client's gaps also hold ≥ 0.25 s of backoff).
    for (const gap of gaps(f.hfPage(PYTORCH, 2).map(f.hfTime))) t.expect(gap).toBeGreaterThanOrEqual(3 * TIMEOUT_S * 1000 - 500);
    // Six deadlines and at most 15.5 s of backoff between them (plus start-up, on a loaded machine).
    t.expect(result.seconds).toBeLessThan(6 * 3 * TIMEOUT_S + 15.5 + 10);
    expectStore(t, before, f.db(), except(allKeys('huggingface'), 'huggingface pytorch'), 'partial');
  });

  it('a 429 storm with Retry-After: 1 is waited out (≥ 1 s per retry) and every count is stored', async (t) => {
    const f = await fixture(t);
    const before = await f.firstRun(['huggingface']);
    f.setHubFault(onHubPage(PYTORCH, 2, tooManyRequests({ retryAfter: 1 }), 3));
    const result = await f.faultedRun(['huggingface']);

    expectRecovered(t, result);
    expectRetrySummary(t, result.stderr, 3, 'HTTP 429');
    const page2 = f.hfPage(PYTORCH, 2);
    t.expect(page2.map((r) => r.fault ?? 'ok')).toEqual(['status', 'status', 'status', 'ok']);
    // Backoff alone would retry after 0.25–0.5 s the first time: Retry-After was honoured.
    for (const gap of gaps(page2.map(f.hfTime))) t.expect(gap).toBeGreaterThanOrEqual(900);
    expectStore(t, before, f.db(), allKeys('huggingface'), 'success');
  });

  it('a 429 storm with only the Hub RateLimit header waits t+1 s each time and every count is stored', async (t) => {
    const f = await fixture(t);
    const before = await f.firstRun(['huggingface']);
    f.setHubFault(onHubPage(PYTORCH, 2, tooManyRequests({ rateLimitReset: 1 }), 2));
    const result = await f.faultedRun(['huggingface']);

    expectRecovered(t, result);
    const page2 = f.hfPage(PYTORCH, 2);
    t.expect(page2.map((r) => r.fault ?? 'ok')).toEqual(['status', 'status', 'ok']);
    // `"api";r=0;t=1` means 2 s (backoff alone: 0.25–0.5 s, then 0.5–1 s).
    for (const gap of gaps(page2.map(f.hfTime))) t.expect(gap).toBeGreaterThanOrEqual(1_800);
    expectStore(t, before, f.db(), allKeys('huggingface'), 'success');
  });

  it('a Retry-After beyond the 330 s the client accepts ends the Hub at once with "try again later"; what was stored stays', async (t) => {
    const f = await fixture(t);
    const before = await f.firstRun(['huggingface']);
    f.setHubFault(onHubPage(PYTORCH, 2, tooManyRequests({ retryAfter: 400 })));
    const result = await f.faultedRun(['huggingface']);

    // Asking the host anything sooner would ignore it, and waiting that long is not allowed: the source ends.
    expectFailed(
      t,
      result,
      /^error \[collector:huggingface\] GET http:\/\/127\.0\.0\.1:\d+\/api\/models\?\S+ failed: HTTP 429 and the server asks to wait 400 s, more than the 330 s allowed; try again later$/,
    );
    t.expect(errorLines(result.stderr)).toHaveLength(1);
    t.expect(f.hfPage(PYTORCH, 2)).toHaveLength(1);
    const after = f.db();
    expectStore(t, before, after, except(allKeys('huggingface'), 'huggingface pytorch'), 'partial');
    t.expect(collectorRun(after, 'huggingface')).toMatchObject({ outcome: 'partial', stored: 2 * HF_ROWS_DAY2 });
  });

  // Transient faults on the first attempt(s) of page 2 of the pytorch listing: retried, then the count completes.
  const recovered: Array<[string, HfFault, number, RegExp]> = [
    ['a 429 storm without any rate-limit header (backoff only)', tooManyRequests(), 3, /HTTP 429; retry 3\/5/],
    ['a 503 JSON error, twice', { kind: 'status', status: 503 }, 2, /HTTP 503; retry 2\/5/],
    ['a 502 HTML error page (a proxy answering)', { kind: 'html', status: 502 }, 1, /HTTP 502; retry 1\/5/],
    ['a connection reset before any answer, twice', { kind: 'reset' }, 2, /network error (ECONNRESET|UND_ERR_SOCKET); retry 2\/5/],
    [
      'a connection dropped mid-body (JSON cut off)',
      { kind: 'truncated', abort: true },
      1,
      /network error (ECONNRESET|UND_ERR_SOCKET); retry 1\/5/,
    ],
    [
      'a stall before the headers, past --timeout',
      { kind: 'stall', phase: 'headers' },
      1,
      /network error UND_ERR_HEADERS_TIMEOUT; retry 1\/5/,
    ],
    ['a stall mid-body, past --timeout', { kind: 'stall', phase: 'body' }, 1, /network error UND_ERR_BODY_TIMEOUT; retry 1\/5/],
    [
      'an answer that trickles in a byte at a time, past the 3 × --timeout deadline',
      { kind: 'trickle' },
      1,
      new RegExp(`no complete answer within ${3 * TIMEOUT_S} s; retry 1/5`),
    ],
  ];
  for (const [name, fault, attempts, warning] of recovered) {
    it(`${name}: retried, and the count completes with the right value`, async (t) => {
      const f = await fixture(t);
      const before = await f.firstRun(['huggingface']);
      f.setHubFault(onHubPage(PYTORCH, 2, fault, attempts));
      const result = await f.faultedRun(['huggingface']);

      expectRecovered(t, result);
      expectRetrySummary(t, result.stderr, attempts, warning.source.replace(/; retry .*$/, ''));
      const page2 = f.hfPage(PYTORCH, 2);
      t.expect(page2.map((r) => r.fault ?? 'ok')).toEqual([...Array<string>(attempts).fill(fault.kind), 'ok']);
      // The pages after the faulted one were read too: three pages of the 2,600 pytorch models.
      t.expect(f.hfPage(PYTORCH, 3)).toHaveLength(1);
      if (fault.kind === 'stall') {
        // The client gave up after --timeout, not before.
        t.expect(f.hfTime(page2[1]!) - f.hfTime(page2[0]!)).toBeGreaterThanOrEqual(TIMEOUT_S * 1000 - 150);
      }
      if (fault.kind === 'trickle') {
        // Each byte came within --timeout: only the whole-answer deadline ended it, and not before.
        t.expect(f.hfTime(page2[1]!) - f.hfTime(page2[0]!)).toBeGreaterThanOrEqual(3 * TIMEOUT_S * 1000 - 500);
      }
      expectStore(t, before, f.db(), allKeys('huggingface'), 'success');
    });
  }

  // Faults that no retry can fix (or that are not retried): that count fails, the others are stored.
  const failed: Array<[string, HfFault, RegExp]> = [
    ['an HTML error page with HTTP 200', { kind: 'html' }, /page 2: body is not JSON \(starts "<!DOCTYPE html>/],
    ['JSON cut off inside a well-formed HTTP 200', { kind: 'truncated' }, /page 2: body is not JSON \(starts "\[\{/],
    [
      'a Link that loops back to the same page',
      { kind: 'link-loop' },
      /page 2: Link next URL loops back to a page already read \(http:\/\/127\.0\.0\.1:\d+\/api\/models\?\S+cursor=/,
    ],
    [
      'a Link that loops back to the first page',
      { kind: 'link-loop', to: 'first' },
      new RegExp(`page 2: Link next URL loops back to a page already read \\(http://127\\.0\\.0\\.1:\\d+${escapeRegExp(PYTORCH)}\\)`),
    ],
  ];
  for (const [name, fault, message] of failed) {
    it(`${name}: that count fails with a one-line error, nothing partial is stored for it, the others are`, async (t) => {
      const f = await fixture(t);
      const before = await f.firstRun(['huggingface']);
      f.setHubFault(onHubPage(PYTORCH, 2, fault));
      const result = await f.faultedRun(['huggingface']);

      const line = new RegExp(`^error huggingface: pytorch \\(exact\\): ${escapeRegExp(PYTORCH)}: ${message.source}`);
      expectFailed(t, result, line);
      // Page 2 was asked once: not retried (the answer arrived, it is just wrong), and a loop is not followed.
      t.expect(f.hub.requests.filter((r) => r.queryKey === PYTORCH).map((r) => r.page)).toEqual([1, 2]);
      const after = f.db();
      // The 1,000 or 2,000 models read by then are not a count: nothing stored for pytorch on DAY2.
      expectStore(t, before, after, except(allKeys('huggingface'), 'huggingface pytorch'), 'partial');
      t.expect(collectorRun(after, 'huggingface')).toMatchObject({ outcome: 'partial', stored: 2 * HF_ROWS_DAY2 });
      t.expect(collectorRun(after, 'huggingface')?.message).toMatch(new RegExp(line.source.replace(/^\^error huggingface: /, '^')));
    });
  }
});

describe.concurrent('PubMed faults (adoption-metrics collect --sources pubmed)', () => {
  /** NCBI's rate-limit JSON with HTTP 429, optionally with Retry-After seconds. */
  const rateLimited =
    (retryAfter?: number) =>
    (req: EsearchRequest): EsearchReply => ({
      status: 429,
      json: { error: 'API rate limit exceeded', 'api-key': req.params.api_key ?? '127.0.0.1', count: '11', limit: '10' },
      ...(retryAfter === undefined ? {} : { headers: { 'retry-after': String(retryAfter) } }),
    });

  // The slow cases first (8–16 s of backoff each).
  it('a 429 storm that never ends stops PubMed with one clear message; that count is not stored, earlier counts kept', async (t) => {
    const f = await fixture(t);
    const before = await f.firstRun(['pubmed']);
    f.ncbi.reset();
    f.ncbi.addFault({ match: isPytorch2023, reply: rateLimited(1) });
    const result = await f.faultedRun(['pubmed']);

    expectFailed(
      t,
      result,
      /^error \[collector:pubmed\] NCBI kept answering "API rate limit exceeded" after retries; stopped so the IP is not blocked\. .*\(GET http:\/\/127\.0\.0\.1:\d+\/entrez\/eutils\/esearch\.fcgi\?\S+ failed after 6 attempts: HTTP 429\)$/,
    );
    const tries = f.ncbi.requests.filter(isPytorch2023);
    t.expect(tries.map((r) => r.status)).toEqual(Array(6).fill(429));
    for (const gap of gaps(tries.map((r) => r.at))) t.expect(gap).toBeGreaterThanOrEqual(900);
    // The other three counts and the two totals had their answers before the storm outlasted the retries.
    const after = f.db();
    expectStore(t, before, after, except(allKeys('pubmed'), 'pubmed PyTorch 2023'), 'partial');
    t.expect(collectorRun(after, 'pubmed')).toMatchObject({ outcome: 'partial', stored: 5 });
    t.expect(collectorRun(after, 'pubmed')?.message).toMatch(/^\[collector:pubmed\] NCBI kept answering "API rate limit exceeded"/);
  });

  it('an HTML 503 page that outlasts the retries fails that (keyword, year) only', async (t) => {
    const f = await fixture(t);
    const before = await f.firstRun(['pubmed']);
    f.ncbi.reset();
    f.ncbi.addFault({ match: isPytorch2023, reply: replies.html(503) });
    const result = await f.faultedRun(['pubmed']);

    expectFailed(
      t,
      result,
      /^error pubmed: PyTorch 2023 \(papers, term .*\): GET http:\/\/127\.0\.0\.1:\d+\/entrez\/eutils\/esearch\.fcgi\?\S+ failed after 6 attempts: HTTP 503$/,
    );
    t.expect(f.ncbi.requests.filter(isPytorch2023)).toHaveLength(6);
    expectStore(t, before, f.db(), except(allKeys('pubmed'), 'pubmed PyTorch 2023'), 'partial');
  });

  it('a 429 rate-limit storm with Retry-After: 1 is waited out (≥ 1 s per retry) and every count is stored', async (t) => {
    const f = await fixture(t);
    const before = await f.firstRun(['pubmed']);
    f.ncbi.reset();
    f.ncbi.addFault({ match: isPytorch2023, times: 3, reply: rateLimited(1) });
    const result = await f.faultedRun(['pubmed']);

    expectRecovered(t, result);
    expectRetrySummary(t, result.stderr, 3, 'HTTP 429');
    const tries = f.ncbi.requests.filter(isPytorch2023);
    t.expect(tries.map((r) => r.status)).toEqual([429, 429, 429, 200]);
    for (const gap of gaps(tries.map((r) => r.at))) t.expect(gap).toBeGreaterThanOrEqual(900);
    expectStore(t, before, f.db(), allKeys('pubmed'), 'success');
  });

  // Transient faults on the first attempt(s) of the PyTorch 2023 query: retried, then stored.
  const recovered: Array<[string, EsearchReply | ((req: EsearchRequest) => EsearchReply), number, RegExp]> = [
    ['a 429 rate-limit storm without Retry-After (backoff only)', rateLimited(), 3, /HTTP 429; retry 3\/5/],
    ['the rate-limit JSON inside HTTP 200', replies.rateLimited(200, 10), 2, /NCBI "API rate limit exceeded" inside HTTP 200; retry 2\/5/],
    ['an HTML 502 page', replies.html(502), 1, /HTTP 502; retry 1\/5/],
    ['an HTML 503 page, twice', replies.html(503), 2, /HTTP 503; retry 2\/5/],
    ['a connection reset before any answer, twice', replies.reset(), 2, /network error (ECONNRESET|UND_ERR_SOCKET); retry 2\/5/],
    ['a stall before the headers, past --timeout', replies.stall(), 1, /network error UND_ERR_HEADERS_TIMEOUT; retry 1\/5/],
    ['a stall mid-body, past --timeout', replies.stallBody(), 1, /network error UND_ERR_BODY_TIMEOUT; retry 1\/5/],
    [
      'an answer that trickles in a byte at a time, past the 3 × --timeout deadline',
      replies.trickle(),
      1,
      new RegExp(`no complete answer within ${3 * TIMEOUT_S} s; retry 1/5`),
    ],
    [
      'NCBI\'s load-balancer refusal {"error":"/lbsm/eutils_lb -> Neg"}, twice',
      replies.loadBalancerRefusal(),
      2,
      /NCBI's load balancer refused the request \(HTTP 200, "\/lbsm\/eutils_lb -> Neg"\); retry 2\/5/,
    ],
  ];
  for (const [name, reply, times, warning] of recovered) {
    it(`${name}: retried, and every count is stored with the right value`, async (t) => {
      const f = await fixture(t);
      const before = await f.firstRun(['pubmed']);
      f.ncbi.reset();
      f.ncbi.addFault({ match: isPytorch2023, times, reply });
      const result = await f.faultedRun(['pubmed']);

      expectRecovered(t, result);
      expectRetrySummary(t, result.stderr, times, warning.source.replace(/; retry .*$/, ''));
      const tries = f.ncbi.requests.filter(isPytorch2023);
      t.expect(tries.map((r) => r.outcome)).toEqual([
        ...Array<string>(times).fill(tries[0]!.outcome === 'stalled' ? 'stalled' : 'fault'),
        'count',
      ]);
      if (typeof reply !== 'function' && 'stall' in reply) {
        // The client gave up after --timeout, not before.
        t.expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(TIMEOUT_S * 1000 - 150);
      }
      if (typeof reply !== 'function' && 'trickle' in reply) {
        t.expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(3 * TIMEOUT_S * 1000 - 500);
      }
      expectStore(t, before, f.db(), allKeys('pubmed'), 'success');
    });
  }

  it("NCBI's load-balancer refusal on every attempt of a term: one line per failing request and one retry summary for the host; -v shows every attempt", async (t) => {
    const f = await fixture(t);
    const before = await f.firstRun(['pubmed']);
    f.ncbi.reset();
    const isPytorch = (req: EsearchRequest) => req.parsed?.keyword === 'pytorch';
    f.ncbi.addFault({ match: isPytorch, reply: replies.loadBalancerRefusal() });
    const result = await f.faultedRun(['pubmed']);

    t.expect(result.code, result.stderr).toBe(1);
    const refused = f.ncbi.requests.filter(isPytorch);
    const requests = new Set(refused.map((r) => r.term)).size;
    // Every refused request made its 6 attempts…
    t.expect(refused).toHaveLength(6 * requests);
    t.expect(requests).toBeGreaterThanOrEqual(2);
    // …and the default level says one line per request that failed and one line for the host's retries, not
    // one line per attempt (before: 5 warnings per request).
    const errors = errorLines(result.stderr);
    t.expect(errors).toHaveLength(requests);
    for (const line of errors) t.expect(line).toMatch(/^error pubmed: PyTorch \d{4} .* failed after 6 attempts: /);
    const warnings = result.stderr.split('\n').filter((l) => l.startsWith('warn'));
    t.expect(
      warnings.filter((l) => l.includes('retr')),
      result.stderr,
    ).toEqual([
      t.expect.stringMatching(
        new RegExp(
          `^warn {2}http://127\\.0\\.0\\.1:\\d+: ${5 * requests} retries of ${requests} requests this run \\(NCBI's load balancer refused the request \\(HTTP 200, "/lbsm/eutils_lb -> Neg"\\) ×${5 * requests}\\); ${requests} failed \\(said above\\); -v shows every attempt$`,
        ),
      ),
    ]);
    expectStore(
      t,
      before,
      f.db(),
      allKeys('pubmed').filter((k) => !k.startsWith('pubmed PyTorch ')),
      'partial',
    );

    // With -v every attempt is there, at debug level.
    const verbose = await f.faultedRun(['pubmed'], 'collect', {}, ['-v']);
    const attempts = verbose.stderr
      .split('\n')
      .filter((l) => /^debug GET \S+esearch\.fcgi\?\S+: NCBI's load balancer refused the request .*; retry \d\/5 in /.test(l));
    t.expect(attempts).toHaveLength(5 * requests);
  });

  // Answers that carry no count: that (keyword, year) is reported and not stored, the others are.
  const failed: Array<[string, EsearchReply, RegExp]> = [
    ['ERROR inside HTTP 200', replies.errorIn200(), /PubMed answered ERROR "Search Backend failed: syntax error"/],
    [
      'JSON cut off inside a well-formed HTTP 200',
      replies.truncated(),
      /PubMed's answer is not valid JSON \(60 bytes, ends with .*\); it was probably cut off, try again/,
    ],
    [
      'an HTML page with HTTP 200',
      replies.html(200),
      /NCBI answered HTTP 200 with an HTML page instead of JSON \("Service unavailable"\); the service may be down or NCBI_EUTILS_URL may be wrong/,
    ],
  ];
  for (const [name, reply, message] of failed) {
    it(`${name}: that (keyword, year) fails with a one-line error and is not stored, the others are`, async (t) => {
      const f = await fixture(t);
      const before = await f.firstRun(['pubmed']);
      f.ncbi.reset();
      f.ncbi.addFault({ match: isPytorch2023, reply });
      const result = await f.faultedRun(['pubmed']);

      const line = new RegExp(
        `^error pubmed: PyTorch 2023 \\(papers, term "\\(pytorch\\) AND 2023:2023\\[dp\\] AND 1800/01/01:2024/07/21\\[crdt\\]"\\): ${message.source}`,
      );
      expectFailed(t, result, line);
      // Not retried: the answer arrived, it just holds no count.
      t.expect(f.ncbi.requests.filter(isPytorch2023)).toHaveLength(1);
      const after = f.db();
      expectStore(t, before, after, except(allKeys('pubmed'), 'pubmed PyTorch 2023'), 'partial');
      t.expect(collectorRun(after, 'pubmed')).toMatchObject({ outcome: 'partial', stored: 5 });
      // PyTorch 2023 keeps its DAY1 count as the latest value.
      const latest = after.observations.filter((o) => key(o) === 'pubmed PyTorch 2023');
      t.expect(latest.map((o) => [o.observed_at, o.value])).toEqual([[DAY1, PUBMED_COUNTS.pytorch![2023]]]);
    });
  }
});

/** A URL nothing listens on: a port bound once, then closed, so connections to it are refused. */
async function refusingUrl(): Promise<string> {
  const server = await startServer(() => undefined);
  await server.close();
  return server.url;
}

describe.concurrent('a whole source is down: given up in bounded time with one line, the other source goes on', () => {
  const unreachable: Array<[string, Source, () => Promise<Record<string, string>>, (url: string) => RegExp]> = [
    [
      'the Hub refuses connections',
      'huggingface',
      async () => ({ HF_ENDPOINT: await refusingUrl() }),
      (url) =>
        new RegExp(`^error \\[collector:huggingface\\] gave up on ${escapeRegExp(url)}: the connection was refused \\(ECONNREFUSED\\)`),
    ],
    [
      'E-utilities refuses connections',
      'pubmed',
      async () => ({ NCBI_EUTILS_URL: `${await refusingUrl()}/entrez/eutils` }),
      (url) =>
        new RegExp(
          `^error \\[collector:pubmed\\] gave up on ${escapeRegExp(new URL(url).origin)}: the connection was refused \\(ECONNREFUSED\\)`,
        ),
    ],
    [
      "E-utilities' name does not resolve (the reserved .invalid TLD)",
      'pubmed',
      async () => ({ NCBI_EUTILS_URL: 'http://eutils.adoption-metrics.invalid/entrez/eutils' }),
      () => /^error \[collector:pubmed\] gave up on http:\/\/eutils\.adoption-metrics\.invalid: its name does not resolve \(ENOTFOUND\)/,
    ],
  ];
  for (const [name, down, override, message] of unreachable) {
    it(`${name}: that source is given up within 30 s with one line naming the host; nothing stored is touched`, async (t) => {
      const f = await fixture(t);
      const before = await f.firstRun(['huggingface', 'pubmed']);
      const env = await override();
      const result = await f.faultedRun(['huggingface', 'pubmed'], 'collect', env);

      const url = Object.values(env)[0]!;
      expectFailed(t, result, message(url));
      t.expect(result.stderr).toMatch(
        /\d+ times in a row over \d+(\.\d)? s; check the network \(DNS, proxy, firewall\) and that this address is right\n/,
      );
      // One error line, one warning for the whole streak: not one per request and retry.
      t.expect(errorLines(result.stderr)).toHaveLength(1);
      t.expect(result.stderr.split('\n').filter((l) => l.startsWith('warn  GET')).length).toBeLessThanOrEqual(1);
      t.expect(result.seconds).toBeLessThan(30);
      const other: Source = down === 'pubmed' ? 'huggingface' : 'pubmed';
      const after = f.db();
      expectStore(t, before, after, allKeys(other), 'partial');
      t.expect(collectorRun(after, down)).toMatchObject({ outcome: 'failed', stored: 0 });
    });
  }

  it('E-utilities accepts connections and never answers: given up once the timeouts in a row span 5 s, with one line', async (t) => {
    const f = await fixture(t);
    const before = await f.firstRun(['pubmed']);
    f.ncbi.reset();
    f.ncbi.addFault({ reply: replies.stall() });
    const result = await f.faultedRun(['pubmed']);

    expectFailed(
      t,
      result,
      /^error \[collector:pubmed\] gave up on http:\/\/127\.0\.0\.1:\d+: no complete answer to \d+ requests in a row over \d+(\.\d)? s \(last: network error UND_ERR_HEADERS_TIMEOUT\); the service seems down or overloaded, try again later$/,
    );
    t.expect(errorLines(result.stderr)).toHaveLength(1);
    // The 6 requests (4 counts, 2 totals) time out together and are retried together; once 6 silences in a row
    // span 5 s the host is given up (with --timeout 1 in the third or fourth round; at the default 30 s, in the
    // second), not after each request's own 6 attempts (36).
    t.expect(f.ncbi.requests.length).toBeLessThanOrEqual(24);
    t.expect(result.seconds).toBeLessThan(15);
    expectStore(t, before, f.db(), [], 'failed');
  });

  it("NCBI's real 429 (Retry-After: 2) on every request: one line, no request inside a Retry-After window, bounded time", async (t) => {
    const f = await fixture(t);
    const before = await f.firstRun(['pubmed']);
    f.ncbi.reset();
    f.ncbi.addFault({ reply: replies.ncbi429() });
    const result = await f.faultedRun(['pubmed']);

    expectFailed(
      t,
      result,
      /^error \[collector:pubmed\] NCBI kept answering "API rate limit exceeded" after retries; stopped so the IP is not blocked\. .*gave up on http:\/\/127\.0\.0\.1:\d+: HTTP 429 6 times in a row, each after waiting as asked/,
    );
    t.expect(errorLines(result.stderr)).toHaveLength(1);
    const arrivals = f.ncbi.requests.map((r) => r.at);
    t.expect(f.ncbi.requests.every((r) => r.status === 429)).toBe(true);
    // Every answer paused the whole host for its Retry-After, the last one too: nothing was sent inside one.
    for (const gap of gaps(arrivals)) t.expect(gap).toBeGreaterThanOrEqual(1_800);
    // Six rounds, whatever the number of queries; then nothing more is sent.
    t.expect(arrivals.length).toBe(6);
    t.expect(result.seconds).toBeLessThan(20);
    expectStore(t, before, f.db(), [], 'failed');
  });

  it('a translation that lost the publication year is never stored, though its [crdt] bound holds the year', async (t) => {
    const f = await fixture(t);
    const before = await f.firstRun(['pubmed']);
    // Counting up to the as-of year (2024): queries for 2024 and the completeness cutoffs carry a creation
    // bound in the counted year itself, e.g. `1800/01/01:2024/07/21[Date - Create]` for 2024.
    writeFileSync(join(f.dir, 'adoption.config.json'), JSON.stringify({ ...CONFIG, pubmed: { fromYear: 2022 } }));
    f.ncbi.reset();
    f.ncbi.addFault({
      match: (req) => req.parsed?.keyword === 'pytorch',
      reply: (req) => ({
        json: {
          header: { type: 'esearch', version: '0.3' },
          esearchresult: {
            count: '20246',
            retmax: '0',
            retstart: '0',
            idlist: [],
            translationset: [],
            querytranslation: pubmedTranslation(req.term!, { lostYear: true }),
          },
        },
      }),
    });
    const result = await f.faultedRun(['pubmed']);

    const pytorch = f.ncbi.requests.filter((r) => r.parsed?.keyword === 'pytorch');
    t.expect(pytorch.length).toBe(22); // papers 2021–2024, 6 completeness cutoffs of the month and 12 calibration cutoffs
    expectFailed(
      t,
      result,
      /^error pubmed: PyTorch 2024 \(papers, term "\(pytorch\) AND 2024:2024\[dp\] AND 1800\/01\/01:2024\/07\/21\[crdt\]"\): PubMed's query translation "\\"pytorch\\"\[All Fields\] AND 1800\/01\/01:2024\/07\/21\[Date - Create\]" lost the publication year 2024 \(no 2024 \[Date - Publication\] range\), so the count is not for 2024; not stored$/,
    );
    t.expect(errorLines(result.stderr).filter((l) => l.includes('lost the publication year'))).toHaveLength(22);
    const after = f.db();
    t.expect(after.integrity).toBe('ok');
    t.expect(after.observations.filter((o) => o.run_id === 1)).toEqual(before.observations);
    const added = after.observations.filter((o) => o.run_id === 2);
    t.expect(added.filter((o) => o.subject === 'PyTorch')).toEqual([]);
    t.expect(added.filter((o) => o.value === 20_246)).toEqual([]);
    // TensorFlow's 22 are stored; its translations kept the year.
    t.expect(added.filter((o) => o.subject === 'TensorFlow')).toHaveLength(22);
  });

  it('a 13 KB term goes by POST, and every line on stderr and in status stays short when NCBI refuses it', async (t) => {
    const f = await fixture(t);
    const before = await f.firstRun(['pubmed']);
    const long = Array.from({ length: 650 }, (_, i) => `synonym${i}[tiab]`).join(' OR ');
    writeFileSync(
      join(f.dir, 'adoption.config.json'),
      JSON.stringify({ ...CONFIG, frameworks: [...CONFIG.frameworks, { name: 'Synonyms', pubmed: { term: long } }] }),
    );
    f.ncbi.reset();
    // NCBI's answer echoes the whole term: a 30 KB error body.
    f.ncbi.addFault({
      match: (req) => req.term?.includes('synonym0') === true,
      reply: (req) => ({ status: 400, json: { error: `Invalid query: ${req.term}`.repeat(2) } }),
    });
    const result = await f.faultedRun(['pubmed']);

    expectFailed(
      t,
      result,
      /^error pubmed: Synonyms 2022 \(papers, term "\(synonym0\[tiab\] OR .*…"\): POST http:\/\/127\.0\.0\.1:\d+\/\S+… failed: HTTP 400 \{"error":"Invalid query: .*…$/,
    );
    const long_ = f.ncbi.requests.filter((r) => r.term?.includes('synonym0'));
    t.expect(long_.map((r) => r.method)).toEqual(['POST', 'POST']);
    t.expect(f.ncbi.requests.filter((r) => r.outcome === 'too-long')).toEqual([]);
    for (const line of result.stderr.split('\n')) t.expect(line.length, line.slice(0, 80)).toBeLessThan(500);
    const status = await f.status();
    t.expect(status.code).toBe(0);
    for (const line of status.stdout.split('\n')) t.expect(line.length, line.slice(0, 80)).toBeLessThan(500);
    // The other frameworks' counts are stored; the long term's are not.
    expectStore(t, before, f.db(), allKeys('pubmed'), 'partial');
  });
});

describe.concurrent('one source fails, the other succeeds (adoption-metrics run)', () => {
  it('exits 1, stores the good source, keeps the failed one at its earlier values, and still writes the reports', async (t) => {
    const { expect } = t;
    const f = await fixture(t);
    const before = await f.firstRun(['huggingface', 'pubmed']);
    // Every attempt at the tf listing gets an HTML page with HTTP 200; PubMed answers normally.
    f.setHubFault((req) => (req.query.getAll('filter').join() === 'tf' ? { kind: 'html' } : undefined));
    const result = await f.faultedRun(['huggingface', 'pubmed'], 'run');

    expectFailed(
      t,
      result,
      new RegExp(`^error huggingface: tf \\(exact\\): ${escapeRegExp(exactQuery(['tf']))}: page 1: body is not JSON`),
    );
    expect(errorLines(result.stderr).filter((l) => /pubmed/.test(l))).toEqual([]);
    const after = f.db();
    expectStore(t, before, after, except(allKeys('huggingface', 'pubmed'), 'huggingface tf'), 'partial');
    expect(collectorRun(after, 'pubmed')).toMatchObject({ outcome: 'success', stored: 6 });
    expect(collectorRun(after, 'huggingface')).toMatchObject({ outcome: 'partial', stored: 2 * HF_ROWS_DAY2 });

    // Reports were written by the failed run, each series with its own observation date.
    const reportPath = join(f.dir, 'output/report.json');
    expect(existsSync(reportPath)).toBe(true);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report.as_of).toBe(DAY2);
    for (const series of report.pubmed.series) {
      expect(series.observed_at).toBe(DAY2);
      const keyword = PUBMED_SUBJECTS[series.keyword]!;
      for (const p of series.points) {
        expect(p.count).toBe(PUBMED_COUNTS[keyword]![p.year]! + DAY2_GROWTH);
        expect(p.observed_at).toBe(DAY2);
        // Per million records of the same year, from the total stored beside the counts.
        expect(p.per_million).toBeCloseTo((1e6 * p.count) / (PUBMED_TOTALS[p.year]! + DAY2_TOTAL_GROWTH), 2);
      }
    }
    // The Hub comparison falls back to the last complete day (DAY1's counts), and says why DAY2 is skipped.
    const comparison = report.huggingface.comparisons[0];
    expect(comparison.observed_at).toBe(DAY1);
    expect(comparison.total).toBe(HF_COUNTS[DAY1].a + HF_COUNTS[DAY1].b - HF_COUNTS[DAY1].both);
    expect(report.huggingface.skipped).toEqual([
      expect.objectContaining({ observed_at: DAY2, reason: expect.stringMatching(/incomplete: exact counts lack tf/) }),
    ]);
    const csv = readFileSync(join(f.dir, 'output/observations.csv'), 'utf8');
    expect(csv.split('\n').filter((l) => l.startsWith('pubmed,') && l.includes(`,${DAY2},`))).toHaveLength(6);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
