import { daysInMonthIndex, firstDayOf, lastDayOf, monthIndex, monthIndexOfDate, monthOfIndex } from '../../src/analyze/months.js';
import { addDays } from '../../src/core/dates.js';
import type { Observation } from '../../src/core/observation.js';
import { DAYS_COVERED, DOWNLOADS, DOWNLOADS_PER_DAY, METHOD } from './names.js';
import { dayQuery, type DownloadsQuery, monthQuery } from './query.js';

/** A framework measured on PyPI: its name (the stored subject) and its normalized packages. */
export interface PlannedFramework {
  name: string;
  packages: readonly string[];
}

/**
 * Months of daily counts kept before the as-of month: the partial month (the as-of month, or the one before
 * while the data lags into it) is backtested on the 12 complete months before it.
 */
export const DAILY_MONTHS = 13;

export interface FrameworkPlan {
  /** The first month this run stores for the framework (index, months.ts). */
  fromMonth: number;
  /** The first day whose count this run stores for the framework. */
  daysFrom: string;
}

export interface Plan {
  /** What the one request asks; undefined when nothing needs asking. */
  request?: DownloadsQuery;
  /** Why nothing is asked, when so. */
  skipped?: string;
  frameworks: Map<string, FrameworkPlan>;
  /** The latest stored value per day and framework (`<framework>\0<day>`), to store a day only when it changed. */
  storedDays: Map<string, number>;
}

type Stored = Pick<Observation, 'metric' | 'subject' | 'period' | 'method' | 'query' | 'observedAt' | 'value'>;

/**
 * One request for every framework, from the earliest month any of them needs: a full refresh asks every month
 * from `fromMonth`; an incremental one asks from the first month that is not stored complete with the same
 * packages (the month the data ended in last time, usually), and the daily counts of the last DAILY_MONTHS months
 * that are not stored yet. A run whose every framework was already counted on the as-of date asks nothing: the
 * table changes once a day. Only rows observed by the as-of date count, so a run as of a past date asks again
 * what later runs stored.
 */
export function planRequest(args: {
  frameworks: readonly PlannedFramework[];
  fromMonth: string;
  /** `YYYY-MM-DD` */
  asOf: string;
  full: boolean;
  /** Latest stored observations of this source. */
  stored: readonly Stored[];
}): Plan {
  const fromIndex = monthIndex(args.fromMonth)!;
  const asOfIndex = monthIndexOfDate(args.asOf);
  const windowStart = firstDayOf(Math.max(fromIndex, asOfIndex - DAILY_MONTHS));
  const frameworks = new Map<string, FrameworkPlan>();
  const storedDays = new Map<string, number>();
  if (fromIndex > asOfIndex)
    return { skipped: `${args.fromMonth} is after the as-of date ${args.asOf}; nothing to count`, frameworks, storedDays };

  const rows = new Map<string, Stored>();
  for (const o of args.stored)
    if (o.method === METHOD && o.observedAt <= args.asOf) rows.set(`${o.metric}\u0000${o.subject}\u0000${o.period}`, o);
  let today = true;
  for (const f of args.frameworks) {
    const month = (index: number) => {
      const label = monthOfIndex(index);
      const count = rows.get(`${DOWNLOADS}\u0000${f.name}\u0000${label}`);
      // Stored with other packages, it counts something else: asked again.
      if (count?.query !== monthQuery(f.packages, firstDayOf(index), lastDayOf(index))) return undefined;
      return { count, days: rows.get(`${DAYS_COVERED}\u0000${f.name}\u0000${label}`)?.value };
    };
    let from = fromIndex;
    if (!args.full) {
      while (from <= asOfIndex && month(from)?.days === daysInMonthIndex(from)) from++;
    }
    // Counted today already: the latest month stored today, and every month before it stored complete.
    let latest = asOfIndex;
    while (latest >= from && month(latest) === undefined) latest--;
    const counted = latest >= fromIndex ? month(latest) : undefined;
    if (args.full || counted?.count.observedAt !== args.asOf || from < latest) today = false;

    let daysFrom = firstDayOf(from);
    if (args.full || windowStart < daysFrom) {
      for (let day = windowStart; day < firstDayOf(from); day = addDays(day, 1)) {
        const row = rows.get(`${DOWNLOADS_PER_DAY}\u0000${f.name}\u0000${day}`);
        if (args.full || row?.query !== dayQuery(f.packages, day)) {
          daysFrom = day;
          break;
        }
      }
    }
    if (daysFrom < windowStart) daysFrom = windowStart;
    for (const o of rows.values()) {
      if (o.metric === DOWNLOADS_PER_DAY && o.subject === f.name && o.query === dayQuery(f.packages, o.period)) {
        storedDays.set(`${f.name}\u0000${o.period}`, o.value);
      }
    }
    frameworks.set(f.name, { fromMonth: from, daysFrom });
  }
  const plans = [...frameworks.values()];
  if (plans.every((p) => p.fromMonth > asOfIndex)) {
    return { skipped: `every month up to ${args.asOf} is stored complete`, frameworks, storedDays };
  }
  if (today)
    return {
      skipped: `every framework was counted as of ${args.asOf} already (the table changes once a day; --full asks again)`,
      frameworks,
      storedDays,
    };
  const from = Math.min(...plans.map((p) => p.fromMonth));
  return {
    request: {
      projects: [...new Set(args.frameworks.flatMap((f) => f.packages))].sort(),
      from: firstDayOf(from),
      daysFrom: plans.map((p) => p.daysFrom).sort()[0]!,
      asOf: args.asOf,
    },
    frameworks,
    storedDays,
  };
}
