/**
 * A generated history for `npm run bench -- history`: daily runs of every source over years, stored as each
 * collector stores them, with test values (never data from the sources). Per day: PubMed and OpenAlex re-count
 * the 3 recent years of each framework and the yearly totals behind per_million; PubMed adds its completeness
 * cutoffs (papers_created_by) once each, on the first run of a month; the Hub stores each subset's exact count and
 * the months of its histogram that changed; Papers with Code stores a whole quarterly snapshot when the month it
 * counts through changes, until its archive ends; PyPI stores the built-in frameworks' months not yet stored
 * complete (every month since 2016-01 on the first run) and the daily counts not stored yet of the last 13 months.
 */
import Database from 'better-sqlite3';
import { calibrationCutoffs } from '../collectors/pubmed/plan.js';
import { monthBounds } from '../collectors/pubmed/query.js';
import { DAILY_MONTHS } from '../collectors/pypi/plan.js';
import { dayQuery, daysQuery, monthQuery } from '../collectors/pypi/query.js';
import { daysInMonthIndex, firstDayOf, lastDayOf, monthIndexOfDate, monthOfIndex } from '../src/analyze/months.js';
import { addDays } from '../src/core/dates.js';
import type { Observation } from '../src/core/observation.js';
import { openSqliteStore } from '../src/store/sqlite/driver.js';

export interface HistoryShape {
  /** `YYYY-MM-DD` of the first daily run. */
  from: string;
  days: number;
  /** Frameworks measured on PubMed and OpenAlex (the first four are the built-in ones). */
  frameworks: number;
  /** The first year PubMed and OpenAlex count (the config's `fromYear`): the first run counts every year since. */
  fromYear: number;
}

const BUILT_IN = [
  { name: 'PyTorch', term: 'pytorch', tag: 'pytorch', pwc: 'pytorch', pypi: 'torch' },
  { name: 'TensorFlow', term: 'tensorflow', tag: 'tf', pwc: 'tf', pypi: 'tensorflow' },
  { name: 'JAX', term: 'jax', tag: 'jax', pwc: 'jax', pypi: 'jax' },
  { name: 'Keras', term: 'keras', tag: undefined, pwc: undefined, pypi: 'keras' },
] as const;

export interface BenchFramework {
  name: string;
  term: string;
  tag?: string;
  pwc?: string;
  /** Its package on PyPI. */
  pypi?: string;
}

export function benchFrameworks(count: number): BenchFramework[] {
  const list: BenchFramework[] = BUILT_IN.slice(0, count).map((f) => ({ ...f }));
  for (let i = list.length; i < count; i++) list.push({ name: `Framework ${String(i + 1).padStart(2, '0')}`, term: `framework${i + 1}` });
  return list;
}

/** The config a report over this history reads: every framework on PubMed and OpenAlex, the Hub's default comparison. */
export function benchConfig(shape: HistoryShape): unknown {
  const { fromYear } = shape;
  return {
    frameworks: benchFrameworks(shape.frameworks).map((f) => ({
      name: f.name,
      pubmed: { term: f.term },
      openalex: { term: f.term },
      ...(f.tag ? { huggingface: { tags: [f.tag] } } : {}),
      ...(f.pwc ? { paperswithcode: { framework: f.pwc } } : {}),
      ...(f.pypi ? { pypi: { packages: [f.pypi] } } : {}),
    })),
    huggingface: { comparisons: [['PyTorch', 'TensorFlow']] },
    paperswithcode: { comparisons: [['PyTorch', 'TensorFlow']] },
    pubmed: { fromYear },
    openalex: { fromYear },
    pypi: { fromMonth: PYPI_FROM, comparisons: [['PyTorch', 'TensorFlow']] },
  };
}

const DAY_MS = 86_400_000;
const dateAt = (start: number, d: number) => new Date(start + d * DAY_MS).toISOString().slice(0, 10);
const dayOfYear = (date: string) => (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${date.slice(0, 4)}-01-01T00:00:00Z`)) / DAY_MS + 1;

/** Share of a year's final count visible `days` after it began: slow in the year, settling over the next two. */
function visibleShare(days: number): number {
  if (days <= 366) return 0.85 * (Math.max(days, 1) / 366) ** 1.2;
  return Math.min(1, 0.85 + (0.15 * (days - 366)) / 730);
}

/** A framework's final yearly count: grows by year, differs by framework. */
const finalCount = (index: number, year: number) => Math.round((4000 / (index + 1)) * 1.25 ** (year - 2014));
const finalTotal = (year: number) => Math.round(1_200_000 * 1.04 ** (year - 2014));

function count(final: number, year: number, date: string): number {
  const days = (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / DAY_MS + 1;
  return Math.round(final * visibleShare(days));
}

/** The history, one daily run at a time: its date and what it stores. */
export function* dailyRuns(shape: HistoryShape): Generator<{ date: string; batch: Observation[] }> {
  const start = Date.parse(`${shape.from}T00:00:00Z`);
  const frameworks = benchFrameworks(shape.frameworks);
  const cutoffsStored = new Set<string>();
  const histograms = new Map<string, Map<string, number>>();
  let pwcThrough: string | undefined;
  const pypiStored = new Map<string, string>();
  for (let d = 0; d < shape.days; d++) {
    const date = dateAt(start, d);
    const year = Number(date.slice(0, 4));
    const batch: Observation[] = [];
    const at = (o: Omit<Observation, 'observedAt' | 'collectorVersion'>): void => {
      batch.push({ ...o, observedAt: date, collectorVersion: 'bench' });
    };
    // PubMed and OpenAlex: every year on the first run, then the 3 recent years of each framework, and the totals.
    for (let y = d === 0 ? shape.fromYear : year - 2; y <= year; y++) {
      frameworks.forEach((f, i) => {
        const final = finalCount(i, y);
        at({
          source: 'pubmed',
          metric: 'papers',
          subject: f.name,
          period: String(y),
          method: 'esearch',
          value: count(final, y, date),
          query: `(${f.term}) AND ${y}:${y}[dp]`,
        });
        at({
          source: 'openalex',
          metric: 'works',
          subject: f.name,
          period: String(y),
          method: 'group_by',
          value: count(final * 3, y, date),
          query: `/works?search=${f.term}&group_by=publication_year&filter=publication_year:${y}`,
        });
      });
      at({
        source: 'pubmed',
        metric: 'papers_all',
        subject: '(all records)',
        period: String(y),
        method: 'esearch',
        value: count(finalTotal(y), y, date),
        query: `all[sb] AND ${y}:${y}[dp]`,
      });
      at({
        source: 'openalex',
        metric: 'works_all',
        subject: '(all works)',
        period: String(y),
        method: 'group_by',
        value: count(finalTotal(y) * 8, y, date),
        query: `/works?group_by=publication_year&filter=publication_year:${y}`,
      });
    }
    // PubMed's completeness cutoffs of the 3 past years: this month's first and last day, and the early-year ones.
    for (let y = year - 3; y < year; y++) {
      const { first, last } = monthBounds(y, date);
      for (const cutoff of [first, last, ...calibrationCutoffs(y)]) {
        if (cutoffsStored.has(cutoff)) continue;
        cutoffsStored.add(cutoff);
        frameworks.forEach((f, i) => {
          at({
            source: 'pubmed',
            metric: 'papers_created_by',
            subject: f.name,
            period: cutoff,
            method: 'esearch',
            value: Math.round(finalCount(i, y) * visibleShare(dayOfYear(cutoff))),
            query: `(${f.term}) AND ${y}:${y}[dp] AND 1800/01/01:${cutoff.replaceAll('-', '/')}[crdt]`,
          });
        });
      }
    }
    // The Hub: each subset of the default comparison's exact count, and the months of its histogram that changed.
    // By date, not by day of the history, so a shorter history of the same days holds the same counts.
    for (const [subject, total] of hubTotals(date)) {
      const query = `/api/models?filter=${subject.split('+').join('&filter=')}&sort=createdAt&direction=-1&expand=createdAt&limit=1000`;
      const hf = { source: 'huggingface', subject, method: 'exact', query };
      at({ ...hf, metric: 'models', period: date, value: total });
      for (const [period, value] of histogramChanges(histograms, subject, total, date))
        at({ ...hf, metric: 'models_created', period, value });
    }
    // Papers with Code: a whole snapshot when the month counted through changes, until the archive ends.
    const through = (date < '2025-07-25' ? date : '2025-07-25').slice(0, 7);
    if (through !== pwcThrough) {
      pwcThrough = through;
      pwcSnapshot(date, through, frameworks, at);
    }
    pypiRun(date, frameworks, pypiStored, at);
    yield { date, batch };
  }
}

/**
 * Writes the history into a new database at `path`, one run per day, as the tool's own schema holds it. Loaded
 * in bulk (one transaction per year of runs, no sync) rather than through the store's per-run transactions,
 * which take minutes for a million rows; returns the rows stored.
 */
export async function writeHistory(path: string, shape: HistoryShape): Promise<number> {
  await openSqliteStore(path).close();
  const db = new Database(path);
  try {
    db.pragma('synchronous = OFF');
    const run = db.prepare(
      `INSERT INTO runs (started_at, finished_at, command, collectors, as_of, data_origin, outcome, tool_version)
       VALUES (?, ?, 'run', '["huggingface","openalex","paperswithcode","pubmed","pypi"]', ?, 'live', 'success', 'bench')`,
    );
    const insert = db.prepare(
      `INSERT INTO observations (source, metric, subject, period, method, value, observed_at, run_id, query, collector_version)
       VALUES (@source, @metric, @subject, @period, @method, @value, @observedAt, @runId, @query, @collectorVersion)`,
    );
    let rows = 0;
    const load = db.transaction((runs: Array<{ date: string; batch: Observation[] }>) => {
      for (const { date, batch } of runs) {
        const runId = Number(run.run(`${date}T06:17:00.000Z`, `${date}T06:20:00.000Z`, date).lastInsertRowid);
        for (const o of batch) rows += insert.run({ ...o, runId }).changes;
      }
    });
    let pending: Array<{ date: string; batch: Observation[] }> = [];
    for (const day of dailyRuns(shape)) {
      pending.push(day);
      if (pending.length === 365) {
        load(pending);
        pending = [];
      }
    }
    load(pending);
    return rows;
  } finally {
    db.close();
  }
}

/** The Hub's models listed on `date`: the same on a date whatever day the history starts, since HUB_EPOCH. */
const HUB_EPOCH = '2016-12-08';
function hubTotals(date: string): Array<[string, number]> {
  const grow = 1 + (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${HUB_EPOCH}T00:00:00Z`)) / DAY_MS / 400;
  return [
    ['pytorch', Math.round(20_000 * grow * grow)],
    ['tf', Math.round(9_000 * grow)],
    ['pytorch+tf', Math.round(1_500 * grow)],
  ];
}

/**
 * The Hub's histogram on `date`, by date alone as the Hub lists it: the models of HUB_EPOCH undated, then each
 * month's growth in its month (what the daily runs below store since HUB_EPOCH).
 */
function hubHistogram(subject: string, date: string): Map<string, number> {
  const totalOn = (day: string) => hubTotals(day).find(([s]) => s === subject)![1];
  const histogram = new Map([['undated', totalOn(HUB_EPOCH)]]);
  let before = totalOn(HUB_EPOCH);
  for (let month = monthIndexOfDate(HUB_EPOCH); month <= monthIndexOfDate(date); month++) {
    const end = lastDayOf(month);
    const total = totalOn(end < date ? end : date);
    if (total !== before) histogram.set(monthOfIndex(month), total - before);
    before = total;
  }
  return histogram;
}

/**
 * The Hub collector's histogram rows: whole once (every month of the Hub's histogram that day), then only the
 * months that changed: this month takes the growth.
 */
function histogramChanges(
  histograms: Map<string, Map<string, number>>,
  subject: string,
  total: number,
  date: string,
): Array<[string, number]> {
  const month = date.slice(0, 7);
  let histogram = histograms.get(subject);
  if (!histogram) {
    histogram = hubHistogram(subject, date);
    histograms.set(subject, histogram);
    return [...histogram];
  }
  let others = 0;
  for (const [m, v] of histogram) if (m !== month) others += v;
  if (histogram.get(month) === total - others) return [];
  histogram.set(month, total - others);
  return [[month, total - others]];
}

function pwcSnapshot(
  date: string,
  through: string,
  frameworks: readonly BenchFramework[],
  at: (o: Omit<Observation, 'observedAt' | 'collectorVersion'>) => void,
): void {
  const query = `https://huggingface.co/datasets/pwc-archive/links-between-paper-and-code/resolve/bench/data/train-00000-of-00001.parquet (arXiv ids through ${through})`;
  const pwc = { source: 'paperswithcode', method: 'archive', query };
  const lastYear = Number(through.slice(0, 4));
  const lastQuarter = Math.ceil(Number(through.slice(5, 7)) / 3);
  const members = frameworks.filter((f) => f.pwc);
  for (let y = 2016; y <= lastYear; y++) {
    for (let q = 1; q <= (y === lastYear ? lastQuarter : 4); q++) {
      const period = `${y}-Q${q}`;
      const base = 200 * (y - 2015) + 40 * q;
      members.forEach((f, i) => {
        at({ ...pwc, metric: 'papers', subject: f.name, period, value: Math.round(base / (i + 1)) });
        at({ ...pwc, metric: 'repos', subject: f.name, period, value: Math.round((base * 1.2) / (i + 1)) });
      });
      at({ ...pwc, metric: 'papers_all', subject: 'all', period, value: base * 2 });
      at({ ...pwc, metric: 'repos_all', subject: 'all', period, value: Math.round(base * 2.4) });
      at({ ...pwc, metric: 'papers_union', subject: 'PyTorch vs TensorFlow', period, value: Math.round(base * 1.4) });
    }
  }
  for (const reason of ['no-arxiv-id', 'unusable-arxiv-id', 'after-cutoff'])
    at({ ...pwc, metric: 'papers_left_out', subject: reason, period: date, value: 100 });
}

/** The first month PyPI counts (the config's `fromMonth`, the built-in default) and the first day with downloads. */
const PYPI_FROM = '2016-01';

/** A package's downloads on a day: by date alone, growing, lower at weekends (test values). */
function pypiDownloads(index: number, day: string): number {
  const t = (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${PYPI_FROM}-01T00:00:00Z`)) / DAY_MS;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return Math.round((400_000 / (index + 1)) * (1 + t / 700) * (weekday === 0 || weekday === 6 ? 0.6 : 1));
}

/**
 * One PyPI run on `date`, as its collector stores it (collectors/pypi/plan.ts): ClickPy's data ends two days
 * before; the months not yet stored complete (every month from PYPI_FROM on the first run) with the days they
 * cover, and the daily counts of the last DAILY_MONTHS months not stored yet.
 */
function pypiRun(
  date: string,
  frameworks: readonly BenchFramework[],
  stored: Map<string, string>,
  at: (o: Omit<Observation, 'observedAt' | 'collectorVersion'>) => void,
): void {
  const through = addDays(date, -2);
  const last = monthIndexOfDate(through);
  frameworks.forEach((f, index) => {
    if (!f.pypi) return;
    const packages = [f.pypi];
    const common = { source: 'pypi', subject: f.name, method: 'per_day_sums' };
    const complete = stored.get(`${f.name} month`);
    const from = complete === undefined ? monthIndexOfDate(`${PYPI_FROM}-01`) : monthIndexOfDate(`${complete}-01`) + 1;
    for (let m = from; m <= last; m++) {
      const [first, end] = [firstDayOf(m), lastDayOf(m)];
      const days = m < last ? daysInMonthIndex(m) : Number(through.slice(8, 10));
      let sum = 0;
      for (let d = 0; d < days; d++) sum += pypiDownloads(index, addDays(first, d));
      at({ ...common, metric: 'downloads', period: monthOfIndex(m), value: sum, query: monthQuery(packages, first, end) });
      at({ ...common, metric: 'days_covered', period: monthOfIndex(m), value: days, query: daysQuery(packages, first, end) });
      if (days === daysInMonthIndex(m)) stored.set(`${f.name} month`, monthOfIndex(m));
    }
    const window = firstDayOf(Math.max(monthIndexOfDate(`${PYPI_FROM}-01`), monthIndexOfDate(date) - DAILY_MONTHS));
    const after = stored.get(`${f.name} day`);
    let day = after === undefined || after < window ? window : addDays(after, 1);
    for (; day <= through; day = addDays(day, 1)) {
      at({ ...common, metric: 'downloads_per_day', period: day, value: pypiDownloads(index, day), query: dayQuery(packages, day) });
      stored.set(`${f.name} day`, day);
    }
  });
}
