import type { Report, SectionOf } from '../../analyze/report-types.js';
import { percent } from '../../analyze/rounding.js';
import type { OverlapComparison } from '../../analyze/overlap-snapshot/types.js';
import { grouped, num, seriesColour, svgDocument, text } from '../svg.js';

/**
 * `<files>.svg` (hf_models.svg): per comparison (latest date), one horizontal bar per segment (items in
 * exactly that set of frameworks) labelled with count and share, then the frameworks' availability.
 * Bars share one scale within a comparison: the union of all its items = full width.
 */

const WIDTH = 860;
const LABEL_W = 250;
const BAR_X = 24 + LABEL_W;
const BAR_MAX = 400;
const ROW = 26;
const SHARED_COLOUR = '#7F7F7F';

export function overlapChartSvg(section: SectionOf<'overlap-snapshot'>, report: Report): string {
  const { title, unit, source } = section.series.text;
  const subtitle = [`As of ${report.as_of}`, `share of ${unit} carrying at least one of the frameworks compared`]
    .concat(report.data_origin === 'replayed' ? ['replayed data'] : [])
    .join(' · ');
  const body: string[] = [
    text(24, 36, title, { 'font-size': 20, 'font-weight': 'bold', fill: '#222222' }),
    text(24, 60, subtitle, { 'font-size': 13, fill: '#555555' }),
  ];
  let y = 96;
  if (section.data.comparisons.length === 0) {
    body.push(text(24, y, `No complete ${source} comparison is stored yet.`, { 'font-size': 14, fill: '#222222' }));
    y += 24;
  }
  for (const comparison of section.data.comparisons) y = drawComparison(comparison, unit, y, body);
  return svgDocument(WIDTH, y + 16, `${title}. ${subtitle}`, body, report.data_notices);
}

function drawComparison(c: OverlapComparison, unit: string, top: number, body: string[]): number {
  let y = top;
  body.push(
    text(24, y, `${c.comparison}: ${grouped(c.total)} ${unit} (${c.observed_at}, ${c.method} counts)`, {
      'font-size': 15,
      'font-weight': 'bold',
      fill: '#222222',
    }),
  );
  y += 14;
  const colourOf = (frameworks: readonly string[]) =>
    frameworks.length === 1 ? seriesColour(c.frameworks.indexOf(frameworks[0]!)) : SHARED_COLOUR;
  const bar = (label: string, items: number, colour: string, hollow: boolean) => {
    const width = c.total > 0 ? (items / c.total) * BAR_MAX : 0;
    body.push(text(BAR_X - 10, y + 17, label, { 'font-size': 13, 'text-anchor': 'end', fill: '#222222' }));
    body.push(
      hollow
        ? `<rect x="${BAR_X}" y="${y + 4}" width="${num(width)}" height="${ROW - 8}" fill="#ffffff" stroke="${colour}" stroke-width="2"/>`
        : `<rect x="${BAR_X}" y="${y + 4}" width="${num(width)}" height="${ROW - 8}" fill="${colour}"/>`,
    );
    body.push(
      text(BAR_X + width + 8, y + 17, `${grouped(items)} (${percent(items / c.total).toFixed(2)} %)`, {
        'font-size': 13,
        fill: '#222222',
      }),
    );
    y += ROW;
  };
  for (const s of c.segments) bar(s.segment, s.models, colourOf(s.frameworks), false);
  y += 8;
  body.push(text(24, y + 14, 'Available for (alone or with others):', { 'font-size': 12, 'font-style': 'italic', fill: '#555555' }));
  y += 20;
  for (const a of c.availability) bar(a.framework, a.models, colourOf([a.framework]), true);
  return y + 20;
}
