import type { SectionOf } from '../../analyze/report-types.js';
import { noFigures, type PagePart, pageTable } from '../page/page-part.js';
import { monthlyCountNotes, monthRows, SUMMARY_MONTHS } from './summary.js';

/** The monthly-count section of report.html: the last 13 months' counts and shares, the partial month, where data starts. */
export function monthlyCountPage(section: SectionOf<'monthly-count'>): PagePart {
  const data = section.data;
  if (data.through === null || data.observed_at === null) return noFigures(`no ${section.series.text.unit} counts stored yet`);
  return {
    observedAt: data.observed_at,
    missing: null,
    tables: [
      pageTable(
        `${section.series.text.label}, the last ${SUMMARY_MONTHS} months (data through ${data.through}; * partial month)`,
        monthRows(section),
      ),
    ],
    notes: monthlyCountNotes(section),
  };
}
