import { calibrationCutoffs } from '../../collectors/pubmed/plan.js';
import { monthBounds } from '../../collectors/pubmed/query.js';
import { dayQuery, daysQuery, monthQuery } from '../../collectors/pypi/query.js';
import { daysInMonthIndex, firstDayOf, lastDayOf, monthIndexOfDate, monthOfIndex } from '../../src/analyze/months.js';
import type { AppConfig } from '../../src/config/types.js';
import { addDays, dayNumber } from '../../src/core/dates.js';
import type { Observation } from '../../src/core/observation.js';
import type { Store } from '../../src/store/store.js';
import { parseConfig } from '../../src/config/load.js';
import { COLLECTORS } from '../../src/registry.js';

/**
 * Two and a half years of runs of every source with what real histories hold, written through the store's own
 * append (so the drop guard marks what it marks): days without a run and a seven-week gap, re-runs the same day
 * with other values, keywords no longer collected, PubMed's completeness cutoffs once a month, OpenAlex every third
 * day, Hub days missing a subset or counted fast only (months whose first snapshot cannot be used, a comparison
 * whose last usable one is over a year old), monthly histograms stored whole once and then as changes, six weeks
 * whose histograms do not add up to their totals, a comparison never counted exact, Papers with Code snapshots once
 * a month (one that shrank), PyPI's months and daily counts (a day revised now and then, a framework no longer
 * collected), collapses held back then contradicted or confirmed, and runs that started a day after the date they
 * stored. Test values, never data from the sources.
 */

export const MESSY_FROM = '2022-11-20';
export const MESSY_TO = '2025-03-10';

/** As-of dates worth reading at: the last day, a gap, early January, days of held-back values, a failing histogram. */
export const MESSY_AS_OF = [
  MESSY_TO,
  '2025-01-01',
  '2024-12-01',
  '2024-11-01',
  '2024-09-06',
  '2024-09-05',
  '2024-07-05',
  '2024-03-10',
  '2024-03-08',
  '2024-01-02',
  '2023-09-10',
  '2023-01-15',
] as const;

export function messyConfig(): AppConfig {
  return parseConfig(
    {
      frameworks: [
        {
          name: 'PyTorch',
          huggingface: { tags: ['pytorch'] },
          pubmed: { term: 'pytorch' },
          openalex: { term: 'pytorch' },
          paperswithcode: { framework: 'pytorch' },
          pypi: { packages: ['torch'] },
        },
        {
          name: 'TensorFlow',
          huggingface: { tags: ['tf'] },
          pubmed: { term: 'tensorflow' },
          openalex: { term: 'tensorflow' },
          paperswithcode: { framework: 'tf' },
          pypi: { packages: ['tensorflow', 'tensorflow-cpu'] },
        },
        { name: 'Keras', pubmed: { term: 'keras' }, openalex: { term: 'keras' }, pypi: { packages: ['keras'] } },
        { name: 'JAX', huggingface: { tags: ['jax'] }, paperswithcode: { framework: 'jax' } },
      ],
      huggingface: {
        comparisons: [
          ['PyTorch', 'TensorFlow'],
          ['PyTorch', 'JAX'],
          ['TensorFlow', 'JAX'],
        ],
        method: 'both',
      },
      paperswithcode: { comparisons: [['PyTorch', 'TensorFlow']] },
      pubmed: { fromYear: 2020 },
      openalex: { fromYear: 2020 },
      pypi: { fromMonth: '2021-01', comparisons: [['PyTorch', 'TensorFlow']] },
    },
    COLLECTORS,
    'messy history',
  );
}

/** mulberry32: the same sequence on every machine. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const daysSince = (date: string, from: string) => (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

/** Share of year `y` visible on `date`: grows through the year and settles over the next. */
function share(y: number, date: string): number {
  const days = daysSince(date, `${y}-01-01`) + 1;
  return days <= 366 ? 0.8 * (Math.max(days, 1) / 366) ** 1.3 : Math.min(1, 0.8 + (0.2 * (days - 366)) / 365);
}

const YEARLY = { PyTorch: 900, TensorFlow: 600, Keras: 200 } as Record<string, number>;
const yearly = (keyword: string, y: number) => YEARLY[keyword]! * 1.3 ** (y - 2019);

/** Writes the history into `store`; returns how many rows it stored. */
export async function writeMessyHistory(store: Store): Promise<number> {
  const rnd = random(22);
  const cutoffsStored = new Set<string>();
  const histograms = new Map<string, Map<string, number>>();
  let pwcMonth = '';
  let stored = 0;
  // The one-day collapses happen on the first run that counts them on or after their day.
  const collapse = { blip: '2024-03-08', tf: '2024-12-01' };
  let runMonth = '';
  const pypiStored = new Map<string, string>();
  for (let date = MESSY_FROM; date <= MESSY_TO; date = addDays(date, 1)) {
    const gap = date >= '2023-08-10' && date <= '2023-09-25';
    if (gap || (date !== MESSY_FROM && rnd() < 0.25)) continue;
    // The first day of a month with runs: the snapshot history keeps one a month before its last 14 months, so
    // two months whose first snapshot cannot be used (the Hub's next usable one that month is kept instead).
    const monthFirst = date.slice(0, 7) !== runMonth;
    runMonth = date.slice(0, 7);
    const tfUncounted = monthFirst && runMonth === '2023-04';
    const inconsistent = monthFirst && runMonth === '2023-02';
    const reruns = rnd() < 0.08 ? 2 : 1;
    for (let run = 0; run < reruns; run++) {
      const batch: Observation[] = [];
      const at = (o: Omit<Observation, 'observedAt' | 'collectorVersion' | 'query'> & { query?: string }) =>
        batch.push({ query: `${o.source} ${o.metric} ${o.subject} ${o.period}`, ...o, observedAt: date, collectorVersion: 't' });
      const year = Number(date.slice(0, 4));
      const month = Number(date.slice(5, 7));
      const wobble = run === 0 ? 0 : 3;
      // PubMed: three recent years (every year on the first day), totals, completeness cutoffs on a month's first run.
      for (const keyword of ['PyTorch', 'TensorFlow', 'Keras']) {
        if ((keyword === 'Keras' && date > '2024-06-30') || rnd() < 0.1) continue;
        for (let y = date === MESSY_FROM ? 2020 : year - 2; y <= year; y++) {
          let value = Math.round(yearly(keyword, y) * share(y, date)) + wobble;
          // Collapses: PyTorch 2024 to 1 for a day (a blip), TensorFlow 2023 to 40 % from 5 September on (real).
          if (keyword === 'PyTorch' && y === 2024 && date >= collapse.blip && run === 0) {
            value = 1;
            collapse.blip = '9999';
          }
          if (keyword === 'TensorFlow' && y === 2023 && date >= '2024-09-05') value = Math.round(value * 0.4);
          at({ source: 'pubmed', metric: 'papers', subject: keyword, period: String(y), method: 'esearch', value });
        }
        for (let y = year - 3; y < year; y++) {
          const { first, last } = monthBounds(y, date);
          for (const cutoff of [first, last, ...calibrationCutoffs(y)]) {
            if (cutoffsStored.has(`${keyword} ${cutoff}`)) continue;
            cutoffsStored.add(`${keyword} ${cutoff}`);
            const value = Math.round(yearly(keyword, y) * share(y, cutoff));
            at({ source: 'pubmed', metric: 'papers_created_by', subject: keyword, period: cutoff, method: 'esearch', value });
          }
        }
      }
      if (rnd() > 0.15) {
        for (let y = year - 2; y <= year; y++) {
          const value = Math.round(400_000 * 1.05 ** (y - 2019) * share(y, date)) + wobble;
          at({ source: 'pubmed', metric: 'papers_all', subject: '(all records)', period: String(y), method: 'esearch', value });
        }
      }
      // OpenAlex every third day; TensorFlow no longer after October 2024, Keras only up to 2023 (as if it had a
      // year range of its own): its last count during a year is of 2023, re-counted since.
      if (daysSince(date, MESSY_FROM) % 3 === 0) {
        for (let y = date === MESSY_FROM ? 2020 : year - 2; y <= year; y++) {
          for (const keyword of date > '2024-10-31' ? ['PyTorch', 'Keras'] : ['PyTorch', 'TensorFlow', 'Keras']) {
            if (keyword === 'Keras' && y > 2023) continue;
            const value = Math.round(3 * yearly(keyword, y) * share(y, date)) + wobble;
            at({ source: 'openalex', metric: 'works', subject: keyword, period: String(y), method: 'group_by', value });
          }
          const value = Math.round(9_000_000 * 1.03 ** (y - 2019) * share(y, date));
          at({ source: 'openalex', metric: 'works_all', subject: '(all works)', period: String(y), method: 'group_by', value });
        }
      }
      // The Hub: exact counts and histograms of the first comparison, fast counts of both some days.
      const grow = daysSince(date, MESSY_FROM) * 7 + wobble;
      const totals: Record<string, number> = { pytorch: 5000 + grow, tf: 2000 + grow / 7, 'pytorch+tf': 300 + grow / 70 };
      for (const subject of ['pytorch', 'tf', 'pytorch+tf']) {
        const total = Math.round(totals[subject]!);
        if ((subject === 'tf' && rnd() < 0.05) || (subject === 'tf' && tfUncounted)) continue;
        // Six weeks whose pytorch total does not match its histogram; a day tf collapses to 0; a day whose
        // pytorch+tf count exceeds tf's (a negative TensorFlow-only segment).
        let counted = subject === 'pytorch' && date >= '2024-09-20' && date <= '2024-11-05' ? total + 5 : total;
        if (subject === 'pytorch+tf' && inconsistent) counted = Math.round(totals.tf!) + 10;
        const collapsed = subject === 'tf' && date >= collapse.tf && run === 0;
        if (collapsed) collapse.tf = '9999';
        const query = `/api/models?filter=${subject.split('+').join('&filter=')}`;
        at({ source: 'huggingface', metric: 'models', subject, period: date, method: 'exact', value: collapsed ? 0 : counted, query });
        let histogram = histograms.get(subject);
        if (!histogram) {
          histogram = new Map([
            ['undated', Math.round(total * 0.6)],
            ['2022-10', total - Math.round(total * 0.6)],
          ]);
          histograms.set(subject, histogram);
          for (const [period, value] of histogram)
            at({ source: 'huggingface', metric: 'models_created', subject, period, method: 'exact', value });
          continue;
        }
        const current = date.slice(0, 7);
        let others = 0;
        for (const [m, v] of histogram) if (m !== current) others += v;
        // Now and then a model of an old month is deleted, moving one to this month.
        if (rnd() < 0.1 && (histogram.get('2022-10') ?? 0) > 0) {
          histogram.set('2022-10', histogram.get('2022-10')! - 1);
          others -= 1;
          at({
            source: 'huggingface',
            metric: 'models_created',
            subject,
            period: '2022-10',
            method: 'exact',
            value: histogram.get('2022-10')!,
          });
        }
        if (histogram.get(current) !== total - others) {
          histogram.set(current, total - others);
          at({ source: 'huggingface', metric: 'models_created', subject, period: current, method: 'exact', value: total - others });
        }
      }
      // Fast counts some days (not on those two); tf+jax's only until October 2023, so the TensorFlow vs JAX
      // comparison's latest usable snapshot is older than the days its history shows daily.
      if (rnd() < 0.3 && !tfUncounted && !inconsistent) {
        for (const [subject, value] of [
          ['pytorch', 5000 + grow],
          ['tf', 2000 + grow / 7],
          ['pytorch+tf', 300 + grow / 70],
          ['jax', 800 + grow / 3],
          ['pytorch+jax', 100 + grow / 30],
          ...(date <= '2023-10-31' ? ([['tf+jax', 60 + grow / 50]] as const) : []),
        ] as const)
          at({
            source: 'huggingface',
            metric: 'models',
            subject,
            period: date,
            method: 'fast',
            value: Math.round(value) - 2,
            query: subject,
          });
      }
      // Papers with Code: a whole snapshot on a month's first run, through January 2025; May 2024's lost a year.
      if (date.slice(0, 7) !== pwcMonth && date <= '2025-01-31') {
        pwcMonth = date.slice(0, 7);
        const query = `pwc snapshot ${pwcMonth}`;
        for (let y = pwcMonth === '2024-05' ? 2020 : 2019; y <= year; y++) {
          for (let q = 1; q <= (y === year ? Math.ceil(month / 3) : 4); q++) {
            const period = `${y}-Q${q}`;
            const base = 50 * (y - 2018) + 5 * q + (run === 0 ? 0 : 1);
            ['PyTorch', 'TensorFlow', 'JAX'].forEach((subject, i) => {
              at({
                source: 'paperswithcode',
                metric: 'papers',
                subject,
                period,
                method: 'archive',
                value: Math.round(base / (i + 1)),
                query,
              });
              at({
                source: 'paperswithcode',
                metric: 'repos',
                subject,
                period,
                method: 'archive',
                value: Math.round(base / (i + 1)) + 3,
                query,
              });
            });
            at({ source: 'paperswithcode', metric: 'papers_all', subject: 'all', period, method: 'archive', value: base * 2, query });
            at({ source: 'paperswithcode', metric: 'repos_all', subject: 'all', period, method: 'archive', value: base * 2 + 9, query });
            const union = Math.round(base * 1.4);
            at({
              source: 'paperswithcode',
              metric: 'papers_union',
              subject: 'PyTorch vs TensorFlow',
              period,
              method: 'archive',
              value: union,
              query,
            });
          }
        }
        for (const reason of ['no-arxiv-id', 'after-cutoff'])
          at({ source: 'paperswithcode', metric: 'papers_left_out', subject: reason, period: date, method: 'archive', value: 20, query });
      }
      pypiRun(date, run, pypiStored, at);
      // Some runs started the day after the date they stored (a back-dated --as-of).
      const startedAt = `${rnd() < 0.05 ? addDays(date, 1) : date}T06:0${run}:00.000Z`;
      const runId = await store.beginRun({
        command: 'run',
        collectors: ['huggingface', 'openalex', 'paperswithcode', 'pubmed', 'pypi'],
        asOf: date,
        dataOrigin: 'live',
        toolVersion: 't',
        startedAt,
      });
      stored += (await store.appendObservations(runId, batch, { at: startedAt })).added;
      await store.finishRun(runId, 'success', [], startedAt);
    }
  }
  return stored;
}

const PYPI = [
  { name: 'PyTorch', packages: ['torch'], level: 900, until: '9999' },
  { name: 'TensorFlow', packages: ['tensorflow', 'tensorflow-cpu'], level: 700, until: '9999' },
  // No longer collected after June 2024: its data ends before the others'.
  { name: 'Keras', packages: ['keras'], level: 300, until: '2024-06-30' },
];

/** A framework's downloads on a day: growing, lower at weekends (test values). */
function pypiDay(level: number, day: string): number {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return Math.round(level * (1 + (dayNumber(day) - dayNumber('2021-01-01')) / 900) * (weekday === 0 || weekday === 6 ? 0.6 : 1));
}

/**
 * PyPI as its collector stores it: the data ends two days before the run; the first run stores every month from
 * 2021-01 and the daily counts of the 13 months before, later runs the months not yet stored complete and the
 * days not stored yet; now and then a day is revised a week later (stored again, one more download).
 */
function pypiRun(
  date: string,
  run: number,
  stored: Map<string, string>,
  at: (o: Omit<Observation, 'observedAt' | 'collectorVersion' | 'query'> & { query?: string }) => void,
): void {
  const through = addDays(date, -2);
  const last = monthIndexOfDate(through);
  for (const f of PYPI) {
    if (date > f.until) continue;
    const complete = stored.get(`${f.name} month`);
    const from = complete === undefined ? monthIndexOfDate('2021-01-01') : monthIndexOfDate(`${complete}-01`) + 1;
    const common = { source: 'pypi', subject: f.name, method: 'per_day_sums' };
    for (let m = from; m <= last; m++) {
      const days = m < last ? daysInMonthIndex(m) : Number(through.slice(8, 10));
      let sum = 0;
      for (let d = 0; d < days; d++) sum += pypiDay(f.level, addDays(firstDayOf(m), d));
      const [first, end] = [firstDayOf(m), lastDayOf(m)];
      at({ ...common, metric: 'downloads', period: monthOfIndex(m), value: sum + run, query: monthQuery(f.packages, first, end) });
      at({ ...common, metric: 'days_covered', period: monthOfIndex(m), value: days, query: daysQuery(f.packages, first, end) });
      if (days === daysInMonthIndex(m)) stored.set(`${f.name} month`, monthOfIndex(m));
    }
    const lastDay = stored.get(`${f.name} day`);
    const window = firstDayOf(monthIndexOfDate(date) - 13);
    for (let day = lastDay === undefined || lastDay < window ? window : addDays(lastDay, 1); day <= through; day = addDays(day, 1)) {
      at({ ...common, metric: 'downloads_per_day', period: day, value: pypiDay(f.level, day), query: dayQuery(f.packages, day) });
      stored.set(`${f.name} day`, day);
    }
    if (date.endsWith('5')) {
      const revised = addDays(through, -7);
      at({
        ...common,
        metric: 'downloads_per_day',
        period: revised,
        value: pypiDay(f.level, revised) + 1,
        query: dayQuery(f.packages, revised),
      });
    }
  }
}
