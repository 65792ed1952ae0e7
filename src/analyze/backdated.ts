import type { StoredObservation } from '../core/observation.js';

/** What the report needs to know about the run that stored an observation. */
export interface RunInfo {
  /** `live` or `replayed`. */
  origin: string;
  /** ISO timestamp (UTC) the run started: its date is when a live answer was actually given. */
  startedAt: string;
}

/**
 * The day a row's value describes: the day its count was made when a report knows it was later than the
 * observation date (`countedOn`), else the observation date.
 */
export function describedOn(row: Pick<StoredObservation, 'observedAt' | 'countedOn'>): string {
  return row.countedOn ?? row.observedAt;
}

/**
 * The rows, each live count of a source that serves only its present state (`presentOnly`) carrying the day it
 * was actually made (`countedOn`, its run's start date) when that is later than the date it is stored under:
 * `--as-of 2024-07-20` run today stores today's counts, in which 2024 is over. A replayed run's answers
 * describe the day the run was told they describe, its as-of date: an archive recorded as of 2024-07-20 holds
 * that day's answers, so its rows keep their observation date (and the demo its partial year). Pure; rows
 * that change are copied.
 */
export function withCountingDays(
  rows: readonly StoredObservation[],
  presentOnly: ReadonlyMap<string, string> | undefined,
  runs: ReadonlyMap<number, RunInfo> | undefined,
): StoredObservation[] {
  if (!presentOnly || presentOnly.size === 0 || !runs) return [...rows];
  return rows.map((row) => {
    if (!presentOnly.has(row.source)) return row;
    const run = runs.get(row.runId);
    if (run?.origin !== 'live') return row;
    const countedOn = run.startedAt.slice(0, 10);
    return countedOn > row.observedAt ? { ...row, countedOn } : row;
  });
}

/**
 * A source that serves only its present state (no history) answers with the day it was asked, whatever
 * `--as-of` said. One warning per (stored date, counting date) for its live rows stored under an earlier date
 * than they were counted, so a back-dated point in the history is never read as a measurement of that day.
 * `api` names the source in the sentence (`the … API`).
 */
export function backdatedWarnings(
  source: string,
  api: string,
  rows: readonly StoredObservation[],
  runs: ReadonlyMap<number, RunInfo>,
): string[] {
  const pairs = new Set<string>();
  for (const row of rows) {
    if (row.source !== source) continue;
    const run = runs.get(row.runId);
    if (run?.origin !== 'live') continue;
    const countedOn = run.startedAt.slice(0, 10);
    if (countedOn > row.observedAt) pairs.add(`${row.observedAt} ${countedOn}`);
  }
  return [...pairs].sort().map((pair) => {
    const [storedAs, countedOn] = pair.split(' ');
    return `${source}: the counts stored as of ${storedAs} were counted on ${countedOn}; ${api} has no history, so they are that day's`;
  });
}
