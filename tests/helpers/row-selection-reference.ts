import { dedupeObservations } from '../../src/analyze/select-observations.js';
import type { StoredObservation } from '../../src/core/observation.js';
import type { RowSelection } from '../../src/core/row-selection.js';

/**
 * What a store must answer to row selections (src/core/row-selection.ts), written the plain way over the whole
 * history in memory: the contract every store's SQL is held to. `history`: every stored row, with `suspect` set
 * on the ones held back (Store.observations()).
 */
export function selectInMemory(
  history: readonly StoredObservation[],
  selections: readonly RowSelection[],
  upToId: number,
): StoredObservation[] {
  const usable = dedupeObservations(history.filter((o) => o.suspect === undefined && o.id <= upToId));
  const answered = new Map<number, StoredObservation>();
  for (const s of selections) {
    const rows = usable.filter(
      (o) =>
        o.source === s.source &&
        s.metrics.includes(o.metric) &&
        (s.subjects === undefined || s.subjects.includes(o.subject)) &&
        (s.methods === undefined || s.methods.includes(o.method)) &&
        (s.periods === undefined || s.periods.includes(o.period)) &&
        o.observedAt >= (s.from ?? '') &&
        o.observedAt <= s.to,
    );
    if (s.take === 'every') {
      for (const o of rows) answered.set(o.id, o);
      continue;
    }
    const latest = new Map<string, StoredObservation>();
    for (const o of s.perMonth ? firstPeriodOfEachMonth(rows) : rows) {
      const key = [o.source, o.metric, o.subject, o.method, o.period].join('\u0000');
      const seen = latest.get(key);
      const newer =
        !seen ||
        o.observedAt > seen.observedAt ||
        (o.observedAt === seen.observedAt && (o.runId > seen.runId || (o.runId === seen.runId && o.id > seen.id)));
      if (newer) latest.set(key, o);
    }
    for (const o of latest.values()) answered.set(o.id, o);
  }
  return [...answered.values()].sort((a, b) =>
    a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : a.runId - b.runId || a.id - b.id,
  );
}

/** perMonth: of each series' rows, those of the first period (a date) of each calendar month. */
function firstPeriodOfEachMonth(rows: readonly StoredObservation[]): StoredObservation[] {
  const first = new Map<string, string>();
  const keyOf = (o: StoredObservation) => [o.source, o.metric, o.subject, o.method, o.period.slice(0, 7)].join('\u0000');
  for (const o of rows) {
    const seen = first.get(keyOf(o));
    if (seen === undefined || o.period < seen) first.set(keyOf(o), o.period);
  }
  return rows.filter((o) => first.get(keyOf(o)) === o.period);
}
