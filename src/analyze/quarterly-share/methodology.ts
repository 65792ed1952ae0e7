import type { QuarterlyShareSeries } from './spec.js';
import type { QuarterlyMethodology } from './types.js';

/** How a quarterly-share series was computed, in words a reader can check against the numbers. */
export function quarterlyMethodology(series: QuarterlyShareSeries): QuarterlyMethodology {
  const units = series.units;
  const [first] = units;
  const leftOut = series.leftOut;
  return {
    counted: `${series.text.counted}; ${units.map((u) => `${u.name}: ${u.description}`).join('; ')}`,
    shares: `share of ${units.map((u) => u.name).join(' (or ')}${units.length > 1 ? ')' : ''} = the framework's count ÷ the quarter's count over every framework (items of no framework, or of an unknown one, included), so shares need not add up to 100 %`,
    comparisons: `per comparison, a framework's share = ${first?.name ?? 'items'} with that framework ÷ ${first?.name ?? 'items'} with any framework of the comparison (the union, counted once however many it has)`,
    partial_quarter: `counted through the as-of date (or the day the snapshot shown was counted, when earlier: a later report never takes its last quarter as whole), or the day the data ends when that is earlier${series.dataEnd ? ` (${series.dataEnd})` : ''}${series.datedByMonth ? `; since ${series.datedByMonth} only, the as-of date's whole month is counted` : ''}; that quarter is marked partial unless the as-of date is its last day, and is never extrapolated; later quarters are left out`,
    left_out: leftOut
      ? `${leftOut.unit} that no quarter can be given are left out of every count and said per reason (${Object.values(leftOut.reasons).join('; ')})`
      : null,
    snapshot:
      'every figure comes from the latest observation date by the as-of date (one run), so counts and their totals always belong together',
  };
}
