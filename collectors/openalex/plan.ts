import type { Observation } from '../../src/core/observation.js';
import { MAX_YEARS, OPENALEX_ID, type OpenAlexSourcePart } from './config.js';
import { ALL_WORKS, METHOD, WORKS, WORKS_ALL } from './names.js';
import { storedQuery } from './request.js';

/** A framework measured on OpenAlex: its name (the stored subject) and its search. */
export interface PlannedFramework {
  name: string;
  term: string;
}

/** One `/works?…&group_by=publication_year` request: every year of its range, stored as one batch. */
export interface PlannedRequest {
  /** The stored subject: a framework name, or ALL_WORKS for the yearly totals. */
  subject: string;
  metric: typeof WORKS | typeof WORKS_ALL;
  /** The `search=` text; undefined for the totals (a list call, not a search). */
  search?: string;
  fromYear: number;
  toYear: number;
}

export interface Plan {
  requests: PlannedRequest[];
  /** Years not asked because they are already stored with the same query (incremental runs). */
  skipped: number;
  fromYear: number;
  toYear: number;
  warnings: string[];
  /** Set when the configured range holds no year up to the as-of date: a config error, said every run. */
  error?: string;
}

/**
 * One request per framework, and one without a search for the totals: OpenAlex answers every year at once,
 * so a full refresh of N frameworks is N + 1 requests. Incremental runs narrow each request's range to the
 * years needed: the last `recentYears` years up to `toYear` (OpenAlex keeps adding works to them) and any year
 * not stored with the very same query (a new framework, a changed term). A series whose every needed year was
 * already stored today with the same query is not asked again: OpenAlex serves only its present state, so a
 * second run the same day would spend the allowance for the same answer. `--full` asks every year of every series.
 */
export function planRequests(args: {
  frameworks: readonly PlannedFramework[];
  source: OpenAlexSourcePart;
  /** `YYYY-MM-DD` */
  asOf: string;
  full: boolean;
  /** Latest stored observations of this source. */
  stored: readonly Pick<Observation, 'metric' | 'subject' | 'period' | 'method' | 'query' | 'observedAt'>[];
}): Plan {
  const warnings: string[] = [];
  const asOfYear = Number(args.asOf.slice(0, 4));
  let toYear = args.source.toYear ?? asOfYear;
  if (toYear > asOfYear) {
    warnings.push(
      `${OPENALEX_ID}.toYear ${toYear} is after the as-of year ${asOfYear}; counting up to ${asOfYear} (later years have no works yet)`,
    );
    toYear = asOfYear;
  }
  let fromYear = args.source.fromYear;
  if (fromYear > toYear) {
    // Nothing could ever be counted on this day: an error, or a daily cron would succeed with nothing every day.
    const error = `${OPENALEX_ID}.fromYear ${fromYear} is after the as-of year ${asOfYear}, so the configured range holds no year to count; set ${OPENALEX_ID}.fromYear to ${asOfYear} or earlier`;
    return { requests: [], skipped: 0, fromYear, toYear, warnings, error };
  }
  if (toYear - fromYear + 1 > MAX_YEARS) {
    const first = toYear - MAX_YEARS + 1;
    warnings.push(
      `${OPENALEX_ID}: ${fromYear}–${toYear} is more than ${MAX_YEARS} years, the groups of one answer; counting ${first}–${toYear}`,
    );
    fromYear = first;
  }
  const recentFrom = toYear - args.source.recentYears + 1;

  const storedRows = new Map<string, { query: string; observedAt: string }>();
  for (const o of args.stored) if (o.method === METHOD) storedRows.set(`${o.metric}\u0000${o.subject}\u0000${o.period}`, o);
  const storedAs = (metric: string, subject: string, year: number, search: string | undefined) => {
    const row = storedRows.get(`${metric}\u0000${subject}\u0000${year}`);
    return row?.query === storedQuery(search, year) ? row : undefined;
  };

  const requests: PlannedRequest[] = [];
  let skipped = 0;
  const series: Omit<PlannedRequest, 'fromYear' | 'toYear'>[] = [
    ...args.frameworks.map((f) => ({ subject: f.name, metric: WORKS as typeof WORKS, search: f.term })),
    ...(args.frameworks.length > 0 ? [{ subject: ALL_WORKS, metric: WORKS_ALL as typeof WORKS_ALL }] : []),
  ];
  for (const s of series) {
    const needed: number[] = [];
    // Every needed year already stored as of today with the same query: a second run the same day.
    let storedToday = true;
    for (let year = fromYear; year <= toYear; year++) {
      const row = storedAs(s.metric, s.subject, year, s.search);
      if (!args.full && year < recentFrom && row) continue;
      needed.push(year);
      if (row?.observedAt !== args.asOf) storedToday = false;
    }
    if (needed.length === 0 || (!args.full && storedToday)) {
      skipped += toYear - fromYear + 1;
      continue;
    }
    const from = Math.min(...needed);
    const to = Math.max(...needed);
    skipped += toYear - fromYear + 1 - (to - from + 1);
    requests.push({ ...s, fromYear: from, toYear: to });
  }
  return { requests, skipped, fromYear, toYear, warnings };
}
