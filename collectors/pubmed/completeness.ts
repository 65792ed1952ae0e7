import type { CompletenessBasis } from '../../src/analyze/yearly-count/spec.js';
import { latestBy } from '../../src/analyze/select-observations.js';
import type { StoredObservation } from '../../src/core/observation.js';
import type { RowSelection } from '../../src/core/row-selection.js';
import { PAPERS_CREATED_BY } from './names.js';
import { calibrationCutoffs } from './plan.js';
import { daysInMonth, monthBounds } from './query.js';

const CUTOFF = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The PubMed series' completeness basis: for a past year Y, the papers of Y whose PubMed record was created
 * (`[crdt]`) by the same month/day of Y. The collector stores that count for the first and the last day of the
 * as-of month (plan.ts); the day itself is interpolated linearly between them, so the same two cutoffs serve
 * every day of a month. It also stores the calibration cutoffs (1 and 31 January, the ends of February and
 * March) once, so the backtest covers the first weeks of a year. A year lacking a cutoff it needs is left out.
 */
export const crdtCompleteness: CompletenessBasis = {
  visible(rows: readonly StoredObservation[], observedBy: string, at: string): Map<number, number> {
    const cutoffs = new Map<string, number>();
    const stored = rows.filter((r) => r.metric === PAPERS_CREATED_BY && CUTOFF.test(r.period) && r.observedAt <= observedBy);
    for (const o of latestBy(stored, (r) => r.period).values()) cutoffs.set(o.period, o.value);
    const date = at;
    const month = Number(date.slice(5, 7));
    const day = Number(date.slice(8, 10));
    const monthLength = daysInMonth(Number(date.slice(0, 4)), month);
    // Where the day falls in its month: 0 on the 1st, 1 on the last day.
    const position = monthLength > 1 ? (day - 1) / (monthLength - 1) : 0;
    const visible = new Map<number, number>();
    for (const year of new Set([...cutoffs.keys()].map((period) => Number(period.slice(0, 4))))) {
      const { first, last } = monthBounds(year, date);
      const low = cutoffs.get(first);
      const high = cutoffs.get(last);
      if (position === 0 && low !== undefined) visible.set(year, low);
      else if (position === 1 && high !== undefined) visible.set(year, high);
      else if (low !== undefined && high !== undefined) visible.set(year, low + (high - low) * position);
    }
    return visible;
  },

  calibration: calibrationCutoffs,

  // The cutoffs `visible` interpolates between: the first and last day of each date's month, in every year.
  visibleRows({ source, subject }, observedBy, ats, years): RowSelection[] {
    const periods = new Set<string>();
    for (const at of ats) {
      for (const year of years) {
        const { first, last } = monthBounds(year, at);
        periods.add(first).add(last);
      }
    }
    if (periods.size === 0) return [];
    return [{ take: 'latest', source, metrics: [PAPERS_CREATED_BY], subjects: [subject], periods: [...periods].sort(), to: observedBy }];
  },

  latestDateRows: ({ source, subject }, asOf): RowSelection[] => [
    { take: 'latest', source, metrics: [PAPERS_CREATED_BY], subjects: [subject], to: asOf },
  ],

  latestDate(rows: readonly StoredObservation[]): string | undefined {
    let latest: string | undefined;
    for (const o of rows) {
      if (o.metric === PAPERS_CREATED_BY && CUTOFF.test(o.period) && (latest === undefined || o.observedAt > latest)) latest = o.observedAt;
    }
    return latest;
  },

  text: {
    note: (year) =>
      `${year} divided by the mean share of past years' final counts whose records existed by the same month/day (papers_created_by / papers, last 3 complete years)`,
    methodology:
      'count / mean completeness c of the last 3 complete years, c_Y = papers of Y whose record was created by the same month/day of Y (interpolated between the first and last day of that month) / papers of Y',
    backtest: 'papers of year Y whose record was created by the same month/day of Y',
    missing: 'no completeness data (papers_created_by) stored yet; run the pubmed collector to enable the backtest',
  },
};
