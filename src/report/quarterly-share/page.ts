import type { SectionOf } from '../../analyze/report-types.js';
import { noFigures, type PagePart, pageTable } from '../page/page-part.js';
import { grouped } from '../svg.js';
import { curveLines, quarterlyNotes, quarterRows } from './summary.js';

/** The quarterly section of report.html: the last quarters' counts and shares, the curve of each comparison. */
export function quarterlyPage(section: SectionOf<'quarterly-share'>): PagePart {
  const data = section.data;
  if (data.observed_at === null) return noFigures(`no ${section.series.text.unit} counts stored yet`);
  return {
    observedAt: data.observed_at,
    missing: null,
    tables: [
      pageTable(
        `${section.series.text.label} (counted ${data.observed_at}, through ${data.counted_through})`,
        quarterRows(section, grouped),
      ),
    ],
    notes: [...curveLines(section), ...quarterlyNotes(section)],
  };
}
