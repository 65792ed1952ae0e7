import type { StoredObservation } from '../core/observation.js';

/** What the report needs to know about the run that stored an observation. */
export interface RunInfo {
  /** `live` or `replayed`. */
  origin: string;
  /** ISO timestamp (UTC) the run started: its date is when a live answer was actually given. */
  startedAt: string;
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
