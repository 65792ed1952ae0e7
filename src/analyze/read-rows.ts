import type { StoredObservation } from '../core/observation.js';
import { type RowSelection, selectionKey } from '../core/row-selection.js';
import { rowsNeeded } from './kinds.js';
import type { SeriesSpec } from './series.js';

/** A store's answer to row selections (Store.selectRows): sync for SQLite, a promise for a database server. */
export type SelectRows = (selections: readonly RowSelection[]) => readonly StoredObservation[] | Promise<readonly StoredObservation[]>;

/**
 * Reads cannot chain forever: a kind's need settles in a few rounds (the yearly kind in three at most, the
 * monthly one widening through its windows in seven), so more means a kind that never stops asking.
 */
const MAX_ROUNDS = 16;

/**
 * The rows a report over `series` as of `asOf` reads, oldest first: what each series' kind says its analysis
 * reads, asked round by round until no kind asks for anything new. Each selection is asked once.
 */
export async function readReportRows(series: readonly SeriesSpec[], asOf: string, select: SelectRows): Promise<StoredObservation[]> {
  const byId = new Map<number, StoredObservation>();
  const asked = new Set<string>();
  // A series that asked for nothing new, with the rows of its source it had then: asked again only when more came.
  const settled = new Map<SeriesSpec, number>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const known = [...byId.values()];
    const read = { rows: known, has: (...selections: readonly RowSelection[]) => selections.every((s) => asked.has(selectionKey(s))) };
    const bySource = new Map<string, number>();
    for (const o of known) bySource.set(o.source, (bySource.get(o.source) ?? 0) + 1);
    const fresh = new Map<string, RowSelection>();
    for (const s of series) {
      const rows = bySource.get(s.source) ?? 0;
      if (settled.get(s) === rows) continue;
      let asksMore = false;
      for (const selection of rowsNeeded(s, asOf, read)) {
        const key = selectionKey(selection);
        if (asked.has(key)) continue;
        fresh.set(key, selection);
        asksMore = true;
      }
      if (asksMore) settled.delete(s);
      else settled.set(s, rows);
    }
    if (fresh.size === 0) return known.sort(byStorage);
    for (const key of fresh.keys()) asked.add(key);
    for (const row of await select([...fresh.values()])) byId.set(row.id, row);
  }
  throw new Error(`the rows of the report as of ${asOf} were still growing after ${MAX_ROUNDS} reads; a series kind keeps asking for more`);
}

/** The store's order: observation date, then run, then storage order. */
function byStorage(a: StoredObservation, b: StoredObservation): number {
  return a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : a.runId - b.runId || a.id - b.id;
}
