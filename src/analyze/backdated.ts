import type { StoredObservation } from '../core/observation.js';

/** What the report needs to know about the run that stored an observation. */
export interface RunInfo {
  /** `live` or `replayed`. */
  origin: string;
  /** ISO timestamp (UTC) the run started: its date is when a live answer was actually given. */
  startedAt: string;
}

/**
 * The Hub API has no history: a live count is the Hub's on the day it was asked, whatever `--as-of` said.
 * One warning per (stored date, counting date) for live Hub rows stored under an earlier date than they
 * were counted, so a back-dated point in the history is never read as a measurement of that day.
 */
export function backdatedHubWarnings(rows: readonly StoredObservation[], runs: ReadonlyMap<number, RunInfo>): string[] {
  const pairs = new Set<string>();
  for (const row of rows) {
    if (row.source !== 'huggingface') continue;
    const run = runs.get(row.runId);
    if (run?.origin !== 'live') continue;
    const countedOn = run.startedAt.slice(0, 10);
    if (countedOn > row.observedAt) pairs.add(`${row.observedAt} ${countedOn}`);
  }
  return [...pairs].sort().map((pair) => {
    const [storedAs, countedOn] = pair.split(' ');
    return `huggingface: the counts stored as of ${storedAs} were counted on ${countedOn}; the Hub API has no history, so they are that day's`;
  });
}
