import type { SectionOf } from '../../analyze/report-types.js';
import { latestDate, noFigures, type PagePart, pageTable } from '../page/page-part.js';
import { grouped } from '../svg.js';
import { comparisonRows } from './summary.js';

/** The overlap section of report.html: each comparison's latest segments and availability. */
export function overlapPage(section: SectionOf<'overlap-snapshot'>): PagePart {
  const { comparisons } = section.data;
  const { label, unit } = section.series.text;
  if (comparisons.length === 0) return noFigures('no complete comparison stored');
  return {
    observedAt: latestDate(comparisons.map((c) => c.observed_at)),
    missing: null,
    tables: comparisons.map((c) =>
      pageTable(`${label}: ${c.comparison}, observed ${c.observed_at} (${c.method} counts)`, comparisonRows(c, unit, grouped)),
    ),
    notes: comparisons.map(
      (c) =>
        `${section.series.files}.csv holds ${c.history.length} of ${c.comparison}'s snapshots: each one from ${c.daily_from}, and before that the first of each month; every stored day is in the database (adoption-metrics export writes them all).`,
    ),
  };
}
