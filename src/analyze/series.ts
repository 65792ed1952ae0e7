import type { MonthlyCountSeries } from './monthly-count/spec.js';
import type { MonthlyCountMethodology, MonthlyCountReport } from './monthly-count/types.js';
import type { MonthlyOverlapSeries } from './monthly-overlap/spec.js';
import type { MonthlyMethodology, MonthlyReport } from './monthly-overlap/types.js';
import type { OverlapSnapshotSeries } from './overlap-snapshot/spec.js';
import type { OverlapMethodology, OverlapReport } from './overlap-snapshot/types.js';
import type { QuarterlyShareSeries } from './quarterly-share/spec.js';
import type { QuarterlyMethodology, QuarterlyReport } from './quarterly-share/types.js';
import type { YearlyCountSeries } from './yearly-count/spec.js';
import type { YearlyMethodology, YearlyReport } from './yearly-count/types.js';

/**
 * Every series kind, by name: what a collector declares (`series`), what its analysis computes (`data`) and
 * how it says it computed it (`methodology`). A new kind is one line here, its analysis in src/analyze/<kind>/
 * (registered in kinds.ts) and its writers in src/report/<kind>/ (registered in src/report/kinds.ts); both
 * registries are typed by this table, so a kind without an analyzer or writers does not compile.
 */
export interface KindTypes {
  'yearly-count': { series: YearlyCountSeries; data: YearlyReport; methodology: YearlyMethodology };
  'overlap-snapshot': { series: OverlapSnapshotSeries; data: OverlapReport; methodology: OverlapMethodology };
  'monthly-overlap': { series: MonthlyOverlapSeries; data: MonthlyReport; methodology: MonthlyMethodology };
  'quarterly-share': { series: QuarterlyShareSeries; data: QuarterlyReport; methodology: QuarterlyMethodology };
  'monthly-count': { series: MonthlyCountSeries; data: MonthlyCountReport; methodology: MonthlyCountMethodology };
}

export type SeriesKind = keyof KindTypes;

/** What a collector declares it produces, as one of the kinds the analysis knows. */
export type SeriesSpec = KindTypes[SeriesKind]['series'];

/** One analysed series: its declaration, its figures and its methodology, tagged by kind. */
export type SectionOf<K extends SeriesKind> = { kind: K } & KindTypes[K];

export type Section = { [K in SeriesKind]: SectionOf<K> }[SeriesKind];
