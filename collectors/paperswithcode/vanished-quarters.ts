import type { StoredObservation } from '../../src/core/observation.js';
import type { QuarterCounts } from './count-links.js';
import { type Provenance, parseProvenance } from './provenance.js';

/**
 * The quarters a new snapshot no longer has, counted 0: a quarter the previous snapshot of the same archive
 * file counted (through a month at least as late) and the new one lacks has lost every paper, which the
 * collapse guard must see as the fall it is, not as a quarter nobody asked about. `stored`: the latest stored
 * totals per quarter (papers_all); only those observed by the as-of day count, as the guard compares them.
 */
export function vanishedQuarters(args: {
  counted: ReadonlyMap<string, QuarterCounts>;
  stored: readonly StoredObservation[];
  wanted: Provenance;
  asOf: string;
  blank: () => QuarterCounts;
}): Map<string, QuarterCounts> {
  const last = quarterOfMonth(args.wanted.through);
  const vanished = new Map<string, QuarterCounts>();
  for (const o of args.stored) {
    const p = parseProvenance(o.query);
    const sameFile = p !== undefined && p.dataset === args.wanted.dataset && p.file === args.wanted.file;
    if (!sameFile || o.observedAt > args.asOf || o.period > last || args.counted.has(o.period)) continue;
    vanished.set(o.period, args.blank());
  }
  return vanished;
}

/** `YYYY-MM` → `YYYY-Qn`. */
function quarterOfMonth(month: string): string {
  return `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;
}
