import type { SectionOf } from '../../analyze/report-types.js';
import type { MonthlyComparison } from '../../analyze/monthly-overlap/types.js';
import { percent } from '../../analyze/rounding.js';
import { latestDate, noFigures, type PagePart, pageTable } from '../page/page-part.js';
import { grouped } from '../svg.js';
import { gapLine, totalLine, trendLine } from './summary.js';

/** Months in the page's table: the last full month and the same month a year before both fit. */
const PAGE_MONTHS = 13;

/** The monthly section of report.html: per comparison, each segment's share of the last months' new items. */
export function monthlyPage(section: SectionOf<'monthly-overlap'>): PagePart {
  const { comparisons, unavailable } = section.data;
  const { label, unit } = section.series.text;
  if (comparisons.length === 0) return noFigures(unavailable ?? 'no monthly counts stored');
  return {
    observedAt: latestDate(comparisons.map((c) => c.observed_at)),
    missing: null,
    tables: comparisons.map((c) =>
      pageTable(
        `${label} created per month: ${c.comparison}, share of the month's new ${unit}, as listed ${c.observed_at}`,
        monthRows(c, unit),
      ),
    ),
    notes: comparisons.flatMap((c) =>
      [totalLine(c, unit), trendLine(c, unit), gapLine(c, unit), runningMonth(c)].filter((l): l is string => l !== undefined),
    ),
  };
}

/** The observation month is still running when the histogram was listed: marked, as the partial periods elsewhere. */
function runningMonth(c: MonthlyComparison): string | undefined {
  const running = c.months.at(-1)?.month;
  return running !== undefined && c.last_full_month !== null && running > c.last_full_month
    ? `* ${running} was still running when the models were listed (${c.observed_at})`
    : undefined;
}

function monthRows(c: MonthlyComparison, unit: string): string[][] {
  const [first] = c.months;
  const shown = c.months.slice(-PAGE_MONTHS);
  return [
    ['month', ...(first?.segments.map((s) => s.segment) ?? []), `new ${unit}`],
    ...shown.map((m) => [
      `${m.month}${m.month > (c.last_full_month ?? m.month) ? '*' : ''}`,
      ...m.segments.map((s) => (s.share === null ? 'n/a' : `${percent(s.share).toFixed(2)} %`)),
      grouped(m.total),
    ]),
  ];
}
