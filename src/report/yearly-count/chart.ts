import type { Report, SectionOf } from '../../analyze/report-types.js';
import type { YearlyPoint } from '../../analyze/yearly-count/types.js';
import { methodWords } from './summary.js';
import { escapeXml, grouped, niceTicks, num, seriesColour, svgDocument, text } from '../svg.js';

/**
 * `<files>_trend.svg`, the article's chart: counts per year per keyword, lines with markers.
 * The partial year is drawn distinctly: a dashed segment to a hollow marker at its adjusted value, under a
 * shaded column labelled "adjusted for YYYY". Missing years break the line instead of being bridged.
 */

const WIDTH = 900;
const HEIGHT = 520;
const PLOT = { left: 84, right: 680, top: 92, bottom: 448 };

export function yearlyChartSvg(section: SectionOf<'yearly-count'>, report: Report): string {
  const { series, adjustment } = section.data;
  const years = [...new Set(series.flatMap((s) => s.points.map((p) => p.year)))].sort((a, b) => a - b);
  const { title, source, unit } = section.series.text;
  const subtitle = subtitleFor(section, report);
  const values = series.flatMap((s) => s.points.flatMap((p) => [p.adjusted, p.count])).filter((v): v is number => v !== null);
  if (values.length === 0) {
    return svgDocument(
      WIDTH,
      200,
      title,
      [
        text(24, 36, title, { 'font-size': 20, 'font-weight': 'bold', fill: '#222222' }),
        text(24, 62, subtitle, { 'font-size': 13, fill: '#555555' }),
        text(24, 110, `No ${source} counts are stored for the configured range yet.`, { 'font-size': 14, fill: '#222222' }),
      ],
      report.data_notices,
    );
  }

  // 8 % headroom keeps the top marker clear of the "adjusted for" label.
  const ticks = niceTicks(Math.max(...values, 1) * 1.08, 5, 1); // papers are whole numbers
  const yMax = ticks[ticks.length - 1]!;
  const x = (year: number) =>
    years.length === 1
      ? (PLOT.left + PLOT.right) / 2
      : PLOT.left + 20 + ((year - years[0]!) / (years[years.length - 1]! - years[0]!)) * (PLOT.right - PLOT.left - 40);
  const y = (value: number) => PLOT.bottom - (value / yMax) * (PLOT.bottom - PLOT.top);

  const body: string[] = [
    text(24, 36, title, { 'font-size': 20, 'font-weight': 'bold', fill: '#222222' }),
    text(24, 60, subtitle, { 'font-size': 13, fill: '#555555' }),
  ];

  const partialYears = years.filter((year) =>
    series.some((s) => s.points.some((p) => p.year === year && p.partial && p.adjusted !== null)),
  );
  for (const year of partialYears) {
    const band = Math.min(36, (PLOT.right - PLOT.left) / Math.max(years.length, 1));
    body.push(
      `<rect x="${num(x(year) - band / 2)}" y="${PLOT.top}" width="${num(band)}" height="${PLOT.bottom - PLOT.top}" fill="#f1f1f1"/>`,
    );
    body.push(
      text(x(year), PLOT.top - 8, `adjusted for ${year}`, {
        'font-size': 12,
        'text-anchor': 'middle',
        fill: '#444444',
        'font-style': 'italic',
      }),
    );
  }

  // Grid and axes.
  for (const tick of ticks) {
    body.push(`<line x1="${PLOT.left}" y1="${num(y(tick))}" x2="${PLOT.right}" y2="${num(y(tick))}" stroke="#e0e0e0" stroke-width="1"/>`);
    body.push(text(PLOT.left - 8, y(tick) + 4, grouped(tick), { 'font-size': 12, 'text-anchor': 'end', fill: '#444444' }));
  }
  body.push(`<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#444444" stroke-width="1"/>`);
  body.push(`<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#444444" stroke-width="1"/>`);
  const labelEvery = Math.ceil(years.length / 12);
  years.forEach((year, i) => {
    body.push(`<line x1="${num(x(year))}" y1="${PLOT.bottom}" x2="${num(x(year))}" y2="${PLOT.bottom + 5}" stroke="#444444"/>`);
    if (i % labelEvery === 0 || i === years.length - 1)
      body.push(text(x(year), PLOT.bottom + 20, String(year), { 'font-size': 12, 'text-anchor': 'middle', fill: '#444444' }));
  });
  body.push(
    text((PLOT.left + PLOT.right) / 2, PLOT.bottom + 44, section.series.text.yearAxis, {
      'font-size': 13,
      'text-anchor': 'middle',
      fill: '#222222',
    }),
  );
  const midY = (PLOT.top + PLOT.bottom) / 2;
  body.push(
    text(22, midY, `${unit.charAt(0).toUpperCase()}${unit.slice(1)} per year`, {
      'font-size': 13,
      'text-anchor': 'middle',
      fill: '#222222',
      transform: `rotate(-90 22 ${num(midY)})`,
    }),
  );

  // Series.
  series.forEach((s, i) => {
    const colour = seriesColour(i);
    const complete = s.points.filter((p) => !p.partial);
    body.push(`<path d="${linePath(complete, x, y)}" fill="none" stroke="${colour}" stroke-width="2.5" stroke-linejoin="round"/>`);
    for (const p of complete)
      if (p.count !== null) body.push(`<circle cx="${num(x(p.year))}" cy="${num(y(p.count))}" r="4" fill="${colour}"/>`);
    for (const p of s.points.filter((q) => q.partial && q.adjusted !== null)) {
      const previous = s.points.find((q) => q.year === p.year - 1 && q.adjusted !== null);
      if (previous) {
        body.push(
          `<line x1="${num(x(previous.year))}" y1="${num(y(previous.adjusted!))}" x2="${num(x(p.year))}" y2="${num(y(p.adjusted!))}" stroke="${colour}" stroke-width="2.5" stroke-dasharray="6 4"/>`,
        );
      }
      body.push(`<circle cx="${num(x(p.year))}" cy="${num(y(p.adjusted!))}" r="5" fill="#ffffff" stroke="${colour}" stroke-width="2.5"/>`);
    }
  });

  // Legend.
  const legendX = PLOT.right + 24;
  body.push(text(legendX, PLOT.top + 4, 'Keyword', { 'font-size': 13, 'font-weight': 'bold', fill: '#222222' }));
  series.forEach((s, i) => {
    const ly = PLOT.top + 26 + i * 22;
    body.push(`<line x1="${legendX}" y1="${ly}" x2="${legendX + 24}" y2="${ly}" stroke="${seriesColour(i)}" stroke-width="2.5"/>`);
    body.push(`<circle cx="${legendX + 12}" cy="${ly}" r="4" fill="${seriesColour(i)}"/>`);
    body.push(text(legendX + 32, ly + 4, s.keyword, { 'font-size': 13, fill: '#222222' }));
  });
  if (partialYears.length > 0) {
    const ly = PLOT.top + 26 + series.length * 22 + 10;
    body.push(
      `<line x1="${legendX}" y1="${ly}" x2="${legendX + 24}" y2="${ly}" stroke="#666666" stroke-width="2.5" stroke-dasharray="6 4"/>`,
    );
    body.push(`<circle cx="${legendX + 24}" cy="${ly}" r="5" fill="#ffffff" stroke="#666666" stroke-width="2.5"/>`);
    body.push(text(legendX + 36, ly + 4, 'partial year,', { 'font-size': 12, fill: '#444444' }));
    body.push(
      text(legendX + 36, ly + 20, adjustment.method === 'mixed' ? 'estimate per keyword' : `${adjustment.method} estimate`, {
        'font-size': 12,
        fill: '#444444',
      }),
    );
  }
  return svgDocument(WIDTH, HEIGHT, `${title}. ${subtitle}`, body, report.data_notices);
}

function subtitleFor(section: SectionOf<'yearly-count'>, report: Report): string {
  const { adjustment } = section.data;
  const parts = [`As of ${report.as_of}`];
  if (adjustment.partial_year !== null)
    parts.push(`${adjustment.partial_year} is partial: ${methodWords(adjustment)} from counts of ${adjustment.as_of}`);
  if (report.data_origin === 'replayed') parts.push('replayed data');
  return parts.join(' · ');
}

/** One polyline per run of consecutive observed years (a missing year breaks it). */
function linePath(points: readonly YearlyPoint[], x: (year: number) => number, y: (value: number) => number): string {
  let d = '';
  let previousYear: number | undefined;
  for (const p of points) {
    if (p.count === null) {
      previousYear = undefined;
      continue;
    }
    d += `${previousYear === p.year - 1 ? 'L' : 'M'}${num(x(p.year))} ${num(y(p.count))} `;
    previousYear = p.year;
  }
  return escapeXml(d.trim() || 'M0 0');
}
