import type { MonthlyCountSeries } from '../../src/analyze/monthly-count/spec.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { obs } from './helpers.js';

/** Builders for the monthly-count analyzer and report tests: a series, and the rows a run of its collector stores. */

/** A monthly-count series over test rows: the analysis knows no source, only what the series declares. */
export function monthlySpec(overrides: Partial<MonthlyCountSeries> = {}): MonthlyCountSeries {
  return {
    kind: 'monthly-count',
    key: 'downloads',
    source: 'src',
    metric: 'downloads',
    method: 'sums',
    daysMetric: 'days_covered',
    dailyMetric: 'downloads_per_day',
    files: 'src_downloads',
    chart: 'src_trend.svg',
    fromMonth: '2022-01',
    frameworks: [
      { name: 'A', members: ['a'] },
      { name: 'B', members: ['b', 'b-extra'] },
      { name: 'C', members: ['c'] },
    ],
    comparisons: [{ label: 'A vs B', members: ['A', 'B'] }],
    text: {
      source: 'Test index',
      label: 'Test downloads per month',
      unit: 'downloads',
      title: 'Test downloads',
      members: 'packages',
      counted: 'made-up downloads',
      caveats: ['not users'],
    },
    ...overrides,
  };
}

const DAY = 86_400_000;
export const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};
export const daysIn = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();

/**
 * What a run stores, as the collector does: for each framework every month from `from` through `through` with the
 * days it covers, and the daily counts from `daysFrom`. `perDay(framework, date)` gives the made-up counts.
 */
export function run(
  perDay: (framework: string, date: string) => number,
  options: { from?: string; through: string; daysFrom?: string; observedAt?: string; runId?: number; frameworks?: string[] },
): StoredObservation[] {
  const { through, observedAt = through, runId = 1 } = options;
  const frameworks = options.frameworks ?? ['A', 'B', 'C'];
  const rows: StoredObservation[] = [];
  const base = { source: 'src', method: 'sums', observedAt, runId };
  for (const f of frameworks) {
    const byMonth = new Map<string, number>();
    for (const d of days(`${options.from ?? '2022-01'}-01`, through))
      byMonth.set(d.slice(0, 7), (byMonth.get(d.slice(0, 7)) ?? 0) + perDay(f, d));
    for (const [month, value] of byMonth) {
      rows.push(obs({ ...base, metric: 'downloads', subject: f, period: month, value }));
      const covered = month === through.slice(0, 7) ? Number(through.slice(8)) : daysIn(month);
      rows.push(obs({ ...base, metric: 'days_covered', subject: f, period: month, value: covered }));
    }
    for (const d of days(options.daysFrom ?? '2023-06-01', through))
      rows.push(obs({ ...base, metric: 'downloads_per_day', subject: f, period: d, value: perDay(f, d) }));
  }
  return rows;
}

/** Steady counts with a weekly rhythm (weekends lower): the first days of a month predict it well. */
export const steady = (f: string, date: string) => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const scale = { A: 1000, B: 500, C: 10 }[f] ?? 1;
  return scale * (weekday === 0 || weekday === 6 ? 6 : 10);
};
