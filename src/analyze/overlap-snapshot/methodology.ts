import { keptHistoryText } from './kept-history.js';
import type { OverlapSnapshotSeries } from './spec.js';
import type { OverlapMethodology } from './types.js';

/** How an overlap-snapshot series was computed, in words a reader can check against the numbers. */
export function overlapMethodology(series: OverlapSnapshotSeries): OverlapMethodology {
  const { unit } = series.text;
  return {
    configured_method: series.configuredMethod,
    method_choice: series.text.methodChoice,
    segments: `${series.text.counted}; ${unit} in exactly one subset follow by inclusion-exclusion (sum over supersets T of (-1)^(|T|-|S|) count(T)); a negative result is reported as inconsistent data and the date skipped`,
    shares: `segment ${unit} / ${unit} carrying at least one framework of the comparison (the union); availability = ${unit} carrying a framework (alone or with others) / the union, so availabilities add up to more than 100 %`,
    history: `each comparison's history (and ${series.files}.csv) holds ${keptHistoryText(unit)}`,
  };
}
