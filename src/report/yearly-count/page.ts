import type { SectionOf } from '../../analyze/report-types.js';
import { roundTo } from '../../analyze/rounding.js';
import { latestDate, noFigures, type PagePart, pageTable } from '../page/page-part.js';
import { grouped } from '../svg.js';
import { cell, shownSeries, yearlyNotes, yearRows } from './summary.js';

/** The yearly section of report.html: the last years' counts and, with a denominator, per million items. */
export function yearlyPage(section: SectionOf<'yearly-count'>): PagePart {
  const { series } = section.data;
  const { text, denominator } = section.series;
  const observedAt = latestDate(series.map((s) => s.observed_at).filter((d): d is string => d !== null));
  if (observedAt === null) {
    const keywords = series.map((s) => s.keyword).join(', ');
    return noFigures(keywords ? `no counts stored yet for ${keywords}` : 'no keywords configured');
  }
  const shown = shownSeries(series);
  const tables = [
    pageTable(
      `${text.label} (* partial year: estimate, count so far in parentheses)`,
      yearRows(section, shown, (p) => cell(p, grouped)),
    ),
  ];
  if (denominator) {
    const perMillion = yearRows(section, shown, (p) =>
      p?.per_million == null ? 'n/a' : `${roundTo(p.per_million, 1).toFixed(1)}${p.partial ? '*' : ''}`,
    );
    tables.push(pageTable(`${text.unit} per million ${denominator.text.unit} of the year (* partial year: share so far)`, perMillion));
  }
  return { observedAt, missing: null, tables, notes: yearlyNotes(section, shown) };
}
