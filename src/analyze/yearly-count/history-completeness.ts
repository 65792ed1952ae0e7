import { addDays, dayNumber } from '../../core/dates.js';
import type { StoredObservation } from '../../core/observation.js';
import type { RowSelection } from '../../core/row-selection.js';
import { describedOn } from '../backdated.js';
import { sameMonthDay } from './partial-year.js';
import type { CompletenessBasis } from './spec.js';

/**
 * A completeness basis from the tool's own history, for a source that serves only its present state and keeps
 * no record-creation dates to ask it the past with. Every run stores the current year's count as it stands that
 * day; a year later those rows say how much of the year was visible by each month/day. For a past year Y:
 * visible = the count of Y this tool observed on, or at most MAX_GAP_DAYS before, the same month/day of Y;
 * divided by Y's latest count (observed after Y ended) it is the share of a year a count on that day holds.
 * Until a year has been watched like that, there is nothing to divide by and the evidence rule falls back to
 * the linear estimate or none (evidence.ts), by itself.
 */

/** How old an observation may be and still stand for the same month/day: a weekly cron still gives history. */
export const MAX_GAP_DAYS = 7;

const YEAR = /^\d{4}$/;

const yearOf = (iso: string) => Number(iso.slice(0, 4));

/** `YYYY-01-01`, 31 January, the end of February and 31 March: the early-year cutoffs the backtest scores too. */
function earlyYearDates(year: number): string[] {
  const yyyy = String(year).padStart(4, '0');
  return [`${yyyy}-01-01`, `${yyyy}-01-31`, sameMonthDay('02-29', year), `${yyyy}-03-31`];
}

/** The basis for the yearly counts stored under `metric` (period `YYYY`, one row per run). */
export function storedHistoryCompleteness(metric: string): CompletenessBasis {
  /**
   * This keyword's yearly counts made during their own year, stored by `observedBy`. Made: a count stored under
   * a past date but counted later (`describedOn`) shows the year as it was on the later day, not on its date.
   */
  const inYear = (rows: readonly StoredObservation[], observedBy: string) =>
    rows.filter(
      (r) => r.metric === metric && YEAR.test(r.period) && r.observedAt <= observedBy && yearOf(describedOn(r)) === Number(r.period),
    );

  /**
   * Per keyword's rows and `observedBy`: the years that had ended (a year still running has no final count to
   * divide by) and the counts made during their own year. A report asks `visible` of one keyword's rows at several
   * days with one `observedBy` (the estimate's, the backtest's and its calibration dates'): filtered once.
   */
  const filtered = new WeakMap<readonly StoredObservation[], Map<string, { ended: Set<number>; during: StoredObservation[] }>>();
  const yearRows = (rows: readonly StoredObservation[], observedBy: string) => {
    const byDate = filtered.get(rows) ?? new Map<string, { ended: Set<number>; during: StoredObservation[] }>();
    filtered.set(rows, byDate);
    let found = byDate.get(observedBy);
    if (!found) {
      const ended = new Set(
        rows
          .filter(
            (r) => r.metric === metric && YEAR.test(r.period) && r.observedAt <= observedBy && yearOf(describedOn(r)) > Number(r.period),
          )
          .map((r) => Number(r.period)),
      );
      found = { ended, during: inYear(rows, observedBy).filter((r) => ended.has(Number(r.period))) };
      byDate.set(observedBy, found);
    }
    return found;
  };

  const asked = new Map<string, RowSelection[]>();
  return {
    visible(rows: readonly StoredObservation[], observedBy: string, at: string): Map<number, number> {
      const monthDay = at.slice(5);
      // Only years that have ended by both dates.
      const before = Math.min(yearOf(at), yearOf(observedBy));
      const best = new Map<number, StoredObservation>();
      for (const r of yearRows(rows, observedBy).during) {
        const year = Number(r.period);
        if (year >= before) continue;
        const target = sameMonthDay(monthDay, year);
        const gap = dayNumber(target) - dayNumber(describedOn(r));
        if (gap < 0 || gap > MAX_GAP_DAYS) continue;
        const seen = best.get(year);
        if (!seen || describedOn(r) > describedOn(seen) || (describedOn(r) === describedOn(seen) && r.runId > seen.runId))
          best.set(year, r);
      }
      return new Map([...best].sort(([a], [b]) => a - b).map(([year, r]) => [year, r.value]));
    },

    calibration: earlyYearDates,

    // Each past year's latest count in the days before its same month/day, and what had ended by observedBy.
    // A report asks the same again in each of its reads: answered once (thousands of dates for fifty keywords).
    // The window is on the stored date: a count a back-dated live run stored days before it was made
    // (describedOn) is read only when its stored date is in the window too.
    visibleRows({ source, subject }, observedBy, ats, years): RowSelection[] {
      const key = [source, subject, observedBy, ats.join(), years.join()].join('\u0000');
      const known = asked.get(key);
      if (known) return known;
      const counts = { take: 'latest', source, metrics: [metric], subjects: [subject] } as const;
      const need: RowSelection[] = [{ ...counts, to: observedBy }];
      for (const at of ats) {
        const before = Math.min(yearOf(at), yearOf(observedBy));
        for (const year of years) {
          if (year >= before) continue;
          const target = sameMonthDay(at.slice(5), year);
          need.push({ ...counts, periods: [String(year)], from: addDays(target, -MAX_GAP_DAYS), to: target });
        }
      }
      asked.set(key, need);
      return need;
    },

    // Each year's last count observed within the year.
    latestDateRows({ source, subject }, asOf, years): RowSelection[] {
      return years.map((year) => {
        const end = `${String(year).padStart(4, '0')}-12-31`;
        return { take: 'latest', source, metrics: [metric], subjects: [subject], periods: [String(year)], to: end < asOf ? end : asOf };
      });
    },

    latestDate(rows: readonly StoredObservation[]): string | undefined {
      let latest: string | undefined;
      for (const r of inYear(rows, '9999-12-31')) if (latest === undefined || describedOn(r) > latest) latest = describedOn(r);
      return latest;
    },

    text: {
      note: (year) =>
        `${year} divided by the mean share of past years' final counts this tool had already observed by the same month/day (its own stored history, last 3 complete years)`,
      methodology: `count / mean completeness c of the last 3 complete years, c_Y = the count of year Y this tool observed on, or at most ${MAX_GAP_DAYS} days before, the same month/day of Y (its own stored history) / Y's latest count, observed after Y ended`,
      backtest: `the count of year Y this tool observed on, or at most ${MAX_GAP_DAYS} days before, the same month/day of Y`,
      missing:
        "no count of a past year observed during that year is stored yet; this history builds up as runs store each year's count while it grows, and until then the partial year is estimated linearly or not at all",
    },
  };
}
