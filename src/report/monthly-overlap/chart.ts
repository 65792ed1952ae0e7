import type { MonthlyComparison } from '../../analyze/monthly-overlap/types.js';
import type { Report, SectionOf } from '../../analyze/report-types.js';
import { percent } from '../../analyze/rounding.js';
import { grouped, niceTicks, num, seriesColour, svgDocument, text, wrapWords } from '../svg.js';

/**
 * The chart its spec names (hf_trend.svg): per comparison, two line panels over the months of its latest
 * histogram, new items per month per segment and each segment's share of the month's new items, then a line
 * stating the undated block, which is never drawn as a month. The month of the observation date is partial
 * and drawn dashed. The panels are plain data (`LinePanel`) drawn by `linePanel`, so they can move onto a
 * shared line renderer without changing what is shown.
 */

const WIDTH = 900;
const PANEL = { left: 84, right: 690, height: 200 };
const SHARED_COLOUR = '#7F7F7F';

/** One line: a value per category, null for none (the line breaks there). */
export interface LineSeries {
  label: string;
  colour: string;
  values: readonly (number | null)[];
}

export interface LinePanel {
  title: string;
  /** X categories, in order (months). */
  categories: readonly string[];
  series: readonly LineSeries[];
  /** Fixed axis top (100 for percentages); otherwise from the data. */
  yMax?: number;
  /** Tick and axis label text. */
  format(value: number): string;
  /** The last category is incomplete: its segment is dashed. */
  partialLast: boolean;
}

/** The panels of one comparison, as data. */
export function comparisonPanels(c: MonthlyComparison, unit: string): LinePanel[] {
  const categories = c.months.map((m) => m.month);
  const colourOf = segmentColours(c);
  const partialLast = c.last_full_month !== null && categories.at(-1) !== c.last_full_month;
  const series = (value: (month: MonthlyComparison['months'][number], i: number) => number | null) =>
    c.undated.segments.map((s, i) => ({ label: s.segment, colour: colourOf(s.frameworks), values: c.months.map((m) => value(m, i)) }));
  return [
    {
      title: `New ${unit} per month`,
      categories,
      series: series((m, i) => m.segments[i]!.created),
      format: grouped,
      partialLast,
    },
    {
      title: `Share of the month's new ${unit}`,
      categories,
      series: series((m, i) => {
        const share = m.segments[i]!.share;
        return share === null ? null : percent(share);
      }),
      yMax: 100,
      format: (v) => `${v} %`,
      partialLast,
    },
  ];
}

/** One colour per framework alone (config order), grey for all of them together, the palette's next for other overlaps. */
function segmentColours(c: MonthlyComparison): (frameworks: readonly string[]) => string {
  const overlaps = c.undated.segments.filter((s) => s.frameworks.length > 1 && s.frameworks.length < c.frameworks.length);
  return (frameworks) => {
    if (frameworks.length === 1) return seriesColour(c.frameworks.indexOf(frameworks[0]!));
    if (frameworks.length === c.frameworks.length) return SHARED_COLOUR;
    return seriesColour(c.frameworks.length + overlaps.findIndex((s) => s.frameworks.join() === frameworks.join()));
  };
}

export function monthlyChartSvg(section: SectionOf<'monthly-overlap'>, report: Report): string {
  const { title, unit, source } = section.series.text;
  const subtitle = [`As of ${report.as_of}`, `${unit} still listed, by the month they were created (UTC)`]
    .concat(report.data_origin === 'replayed' ? ['replayed data'] : [])
    .join(' · ');
  const body: string[] = [
    text(24, 36, title, { 'font-size': 20, 'font-weight': 'bold', fill: '#222222' }),
    text(24, 60, subtitle, { 'font-size': 13, fill: '#555555' }),
  ];
  let y = 96;
  if (section.data.comparisons.length === 0) {
    body.push(text(24, y, `No ${source} ${unit} per month are stored yet:`, { 'font-size': 14, fill: '#222222' }));
    body.push(text(24, y + 22, section.data.unavailable ?? '', { 'font-size': 12, fill: '#444444' }));
    y += 44;
  }
  for (const c of section.data.comparisons) {
    body.push(
      text(24, y, `${c.comparison}: ${grouped(c.total)} ${unit} listed ${c.observed_at} (${c.method} counts)`, {
        'font-size': 15,
        'font-weight': 'bold',
        fill: '#222222',
      }),
    );
    y += 20;
    const panels = comparisonPanels(c, unit);
    for (const [i, panel] of panels.entries()) {
      body.push(...linePanel(panel, y, i === 0));
      y += PANEL.height + 64;
    }
    const parts = c.undated.segments.map((s) => `${s.segment} ${grouped(s.created)}`).join(', ');
    const undated = `Undated, not drawn as a month: ${grouped(c.undated.total)} ${unit} created before the source stored creation dates (${parts}).`;
    for (const line of wrapWords(undated, 120)) {
      body.push(text(24, y, line, { 'font-size': 12, 'font-style': 'italic', fill: '#444444' }));
      y += 17;
    }
    y += 20;
  }
  return svgDocument(WIDTH, y, `${title}. ${subtitle}`, body, report.data_notices);
}

/** A titled line panel whose plot area starts at `top`; the legend beside it when `legend`. */
export function linePanel(panel: LinePanel, top: number, legend: boolean): string[] {
  const plot = { top: top + 22, bottom: top + 22 + PANEL.height };
  const n = panel.categories.length;
  const values = panel.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const ticks = panel.yMax !== undefined ? niceTicks(panel.yMax, 4) : niceTicks(Math.max(...values, 1) * 1.05, 4, 1);
  const yMax = ticks[ticks.length - 1]!;
  const x = (i: number) => (n <= 1 ? (PANEL.left + PANEL.right) / 2 : PANEL.left + 10 + (i / (n - 1)) * (PANEL.right - PANEL.left - 20));
  const y = (v: number) => plot.bottom - (v / yMax) * (plot.bottom - plot.top);
  const out: string[] = [text(PANEL.left, top + 12, panel.title, { 'font-size': 13, 'font-weight': 'bold', fill: '#222222' })];

  for (const tick of ticks) {
    out.push(`<line x1="${PANEL.left}" y1="${num(y(tick))}" x2="${PANEL.right}" y2="${num(y(tick))}" stroke="#e0e0e0" stroke-width="1"/>`);
    out.push(text(PANEL.left - 8, y(tick) + 4, panel.format(tick), { 'font-size': 11, 'text-anchor': 'end', fill: '#444444' }));
  }
  out.push(`<line x1="${PANEL.left}" y1="${plot.bottom}" x2="${PANEL.right}" y2="${plot.bottom}" stroke="#444444" stroke-width="1"/>`);
  // Every k-th label counted back from the last, so the last month is always labelled and never crowded.
  const every = Math.max(1, Math.ceil(n / 10));
  panel.categories.forEach((category, i) => {
    if ((n - 1 - i) % every !== 0) return;
    out.push(`<line x1="${num(x(i))}" y1="${plot.bottom}" x2="${num(x(i))}" y2="${plot.bottom + 4}" stroke="#444444"/>`);
    out.push(text(x(i), plot.bottom + 18, category, { 'font-size': 11, 'text-anchor': 'middle', fill: '#444444' }));
  });

  for (const s of panel.series) {
    const last = panel.partialLast ? n - 1 : n;
    out.push(`<path d="${path(s.values, last, x, y)}" fill="none" stroke="${s.colour}" stroke-width="2" stroke-linejoin="round"/>`);
    // A marker per value, so a month between two empty ones (no line to it) still shows.
    s.values.forEach((v, i) => {
      if (v !== null) out.push(`<circle cx="${num(x(i))}" cy="${num(y(v))}" r="2.5" fill="${s.colour}"/>`);
    });
    const [before, after] = [s.values[n - 2], s.values[n - 1]];
    if (panel.partialLast && n >= 2 && before != null && after != null) {
      out.push(
        `<line x1="${num(x(n - 2))}" y1="${num(y(before))}" x2="${num(x(n - 1))}" y2="${num(y(after))}" stroke="${s.colour}" stroke-width="2" stroke-dasharray="5 4"/>`,
      );
    }
  }
  if (panel.partialLast && n >= 1) {
    out.push(text(x(n - 1), plot.top - 4, 'partial', { 'font-size': 11, 'text-anchor': 'end', 'font-style': 'italic', fill: '#444444' }));
  }
  if (legend) {
    const lx = PANEL.right + 24;
    panel.series.forEach((s, i) => {
      const ly = plot.top + 8 + i * 22;
      out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${s.colour}" stroke-width="2.5"/>`);
      out.push(text(lx + 32, ly + 4, s.label, { 'font-size': 12, fill: '#222222' }));
    });
  }
  return out;
}

/** One polyline through the first `count` values; a null breaks it. */
function path(values: readonly (number | null)[], count: number, x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  let drawing = false;
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      drawing = false;
      continue;
    }
    d += `${drawing ? 'L' : 'M'}${num(x(i))} ${num(y(v))} `;
    drawing = true;
  }
  return d.trim() || 'M0 0';
}
