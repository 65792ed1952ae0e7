import type { MonthlyOverlapSeries } from '../analyze/monthly-overlap/spec.js';
import type { OverlapSnapshotSeries } from '../analyze/overlap-snapshot/spec.js';
import type { QuarterlyShareSeries } from '../analyze/quarterly-share/spec.js';
import type { YearlyCountSeries } from '../analyze/yearly-count/spec.js';

/**
 * What a collector declares it produces. Analysis and reports follow from a series' kind, never from the
 * source's name: src/analyze/<kind>/ and src/report/<kind>/ hold one analyzer and one set of writers each.
 */
export type SeriesSpec = YearlyCountSeries | OverlapSnapshotSeries | MonthlyOverlapSeries | QuarterlyShareSeries;

export type SeriesKind = SeriesSpec['kind'];

/** Every kind the analysis and the reports know (the contract test checks collectors declare only these). */
export const SERIES_KINDS: readonly SeriesKind[] = ['yearly-count', 'overlap-snapshot', 'monthly-overlap', 'quarterly-share'];
