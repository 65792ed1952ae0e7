import type { Report, SectionOf } from '../../analyze/report-types.js';
import { percent } from '../../analyze/rounding.js';
import type { OverlapComparison, OverlapSegment } from '../../analyze/overlap-snapshot/types.js';
import type { BarChartInput, BarGroup, BarRow } from '../chart/bar-chart-input.js';
import { barChartSvg } from '../chart/bar-chart.js';
import { grouped, PALETTE } from '../svg.js';

/**
 * `<files>.svg` (hf_models.svg): per comparison (latest date), one horizontal bar per segment (items in
 * exactly that set of frameworks) labelled with count and share, then the frameworks' availability.
 * Bars share one scale within a comparison: the union of all its items = full width. A framework's own
 * segment has its colour (hatched past the palette), shared segments are grey; with three or more frameworks
 * a row of dots shows each segment's members in their colours. Segments grow as 2^n - 1: past
 * MAX_SEGMENT_ROWS, the largest are drawn and the rest summed in one row.
 */

const SHARED_COLOUR = '#7F7F7F';
const MAX_SEGMENT_ROWS = 31;

export function overlapChartInput(section: SectionOf<'overlap-snapshot'>, report: Report): BarChartInput {
  const { title, unit, source } = section.series.text;
  const subtitle = [`As of ${report.as_of}`, `share of ${unit} carrying at least one of the frameworks compared`]
    .concat(report.data_origin === 'replayed' ? ['replayed data'] : [])
    .join(' · ');
  return {
    title,
    subtitle,
    groups: section.data.comparisons.map((c) => comparisonGroup(c, unit)),
    emptyMessage: `No complete ${source} comparison is stored yet.`,
    notices: report.data_notices,
  };
}

export function overlapChartSvg(section: SectionOf<'overlap-snapshot'>, report: Report): string {
  return barChartSvg(overlapChartInput(section, report));
}

function comparisonGroup(c: OverlapComparison, unit: string): BarGroup {
  const n = c.frameworks.length;
  const paint = (framework: string) => {
    const i = c.frameworks.indexOf(framework);
    return { colour: PALETTE[i % PALETTE.length]!, hatched: Math.floor(i / PALETTE.length) % 2 === 1 };
  };
  const label = (items: number) => `${grouped(items)} (${percent(items / c.total).toFixed(2)} %)`;
  const dots = (members: readonly string[]) =>
    n >= 3 ? c.frameworks.map((f) => (members.includes(f) ? { colour: paint(f).colour, ring: paint(f).hatched } : null)) : undefined;
  const segmentRow = (s: OverlapSegment): BarRow => {
    const own = s.frameworks.length === 1 ? paint(s.frameworks[0]!) : { colour: SHARED_COLOUR, hatched: false };
    return {
      kind: 'bar',
      label: s.segment,
      value: s.models,
      valueLabel: label(s.models),
      colour: own.colour,
      fill: own.hatched ? 'hatched' : 'solid',
      dots: dots(s.frameworks),
    };
  };
  const { shown, rest } = largestSegments(c.segments);
  const rows: BarGroup['rows'][number][] = shown.map(segmentRow);
  if (rest.length > 0) {
    const items = rest.reduce((sum, s) => sum + s.models, 0);
    rows.push({
      kind: 'bar',
      label: `${rest.length} smaller segments`,
      value: items,
      valueLabel: label(items),
      colour: '#BDBDBD',
      fill: 'solid',
    });
  }
  rows.push({ kind: 'caption', text: 'Available for (alone or with others):' });
  for (const a of c.availability) {
    const own = paint(a.framework);
    rows.push({
      kind: 'bar',
      label: a.framework,
      value: a.models,
      valueLabel: label(a.models),
      colour: own.colour,
      fill: 'hollow',
      dots: dots([a.framework]),
    });
  }
  return { heading: `${c.comparison}: ${grouped(c.total)} ${unit} (${c.observed_at}, ${c.method} counts)`, max: c.total, rows };
}

/** All segments when they fit, else the largest MAX_SEGMENT_ROWS - 1 (in segment order) and the rest. */
function largestSegments(segments: readonly OverlapSegment[]): { shown: OverlapSegment[]; rest: OverlapSegment[] } {
  if (segments.length <= MAX_SEGMENT_ROWS) return { shown: [...segments], rest: [] };
  const ranked = segments.map((s, i) => ({ s, i })).sort((a, b) => b.s.models - a.s.models || a.i - b.i);
  const keep = new Set(ranked.slice(0, MAX_SEGMENT_ROWS - 1).map((r) => r.i));
  return { shown: segments.filter((_, i) => keep.has(i)), rest: segments.filter((_, i) => !keep.has(i)) };
}
