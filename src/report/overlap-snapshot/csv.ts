import type { SectionOf } from '../../analyze/report-types.js';
import { percent } from '../../analyze/rounding.js';
import { fixed, toCsv } from '../csv.js';

/**
 * `<files>.csv` (hf_models.csv): one row per segment per observation date and comparison, of the snapshots each
 * comparison's history keeps (kept-history.ts). The count column is named after the unit counted (`models`).
 */
export function overlapColumns(section: SectionOf<'overlap-snapshot'>): string[] {
  return ['observed_on', 'comparison', 'segment', 'frameworks', section.series.text.unit, 'share_pct'];
}

export function overlapCsv(section: SectionOf<'overlap-snapshot'>, options: { bom?: boolean } = {}): string {
  const rows = section.data.comparisons.flatMap((c) =>
    c.history.flatMap((snapshot) =>
      // Percent from the counts, not from the rounded fraction, so 2 decimals are exact.
      snapshot.segments.map((s) => [
        snapshot.observed_at,
        c.comparison,
        s.segment,
        s.frameworks.join('+'),
        s.models,
        fixed(percent(s.models / snapshot.total)),
      ]),
    ),
  );
  return toCsv(overlapColumns(section), rows, options);
}
