import { num, svgDocument, text } from '../svg.js';
import { CHART_WIDTH, chartHeader, MARGIN } from './header.js';
import type { ChartPanel, ChartSeries, LineChartInput } from './line-chart-input.js';
import { markerSvg } from './markers.js';
import { ESTIMATE_DASH, type SeriesStyle } from './series-style.js';
import { fitText, textWidth, wrapText } from './text-width.js';
import { type Drawn, drawnSeries } from './drawn-series.js';
import { type YAxis, yAxis } from './y-axis.js';

/**
 * The line chart every series kind draws (yearly counts; monthly and quarterly shares): panels of lines with
 * markers over shared x categories, a legend beside them, estimates dashed to hollow markers under shaded,
 * labelled columns, and the NOTICE band. Layout is computed from text widths (text-width.ts), so labels
 * never overlap and the legend never leaves the canvas: past `maxSeries`, the largest series are drawn and
 * the rest summed as "others" and named under the chart; the canvas grows for what does not fit.
 */

const WIDTH = CHART_WIDTH;
const PANEL_HEIGHT = 356;
const PANEL_GAP = 40;
const LEGEND_ROW = 22;
/** Lines naming the series summed as others; past it, "… and N more". */
const OTHERS_LINES = 4;

const F = {
  legendTitle: { size: 13, bold: true },
  legend: { size: 13 },
  small: { size: 12 },
  axisTitle: { size: 13 },
} as const;

export function lineChartSvg(input: LineChartInput): string {
  const body: string[] = [];
  let y = chartHeader(input.title, input.subtitle, body);
  const docTitle = `${input.title}. ${input.subtitle}`;
  const n = input.categories.length;
  const hasValue = input.panels.some((p) => p.series.some((s) => s.values.some((v) => v !== null)));
  if (!hasValue || n === 0) {
    body.push(text(MARGIN, y + 50, input.emptyMessage, { 'font-size': 14, fill: '#222222' }));
    return svgDocument(WIDTH, y + 90, docTitle, body, input.notices);
  }

  const { drawn, rest } = drawnSeries(input);
  const legend = legendLayout(input, drawn);
  const plotTop = y + 32;
  const right = WIDTH - MARGIN - legend.width - 24;
  const panelTop = (i: number) => plotTop + i * (PANEL_HEIGHT + PANEL_GAP);
  const axes = input.panels.map((panel, i) => {
    const values = drawn.flatMap((d) => d.panels[i]!.values.filter((v): v is number => v !== null));
    return yAxis(values, panel.scale, panelTop(i), panelTop(i) + PANEL_HEIGHT, panel.integer ?? false, panel.max);
  });
  // Tick labels end 8 px left of the plot; the rotated axis title sits left of the widest.
  const tickWidth = Math.max(...axes.flatMap((a) => a.ticks.map((t) => textWidth(t.label, F.small))));
  const left = Math.max(84, 40 + tickWidth + 8);
  const x = (i: number) => (n === 1 ? (left + right) / 2 : left + 20 + (i / (n - 1)) * (right - left - 40));

  drawHighlights(
    input,
    x,
    left,
    right,
    plotTop,
    input.panels.map((_, i) => panelTop(i)),
    body,
  );
  input.panels.forEach((panel, i) => {
    drawAxes(panel, axes[i]!, left, right, panelTop(i), body);
    for (const d of drawn) drawSeries(d.panels[i]!, d.style, x, axes[i]!.y, body);
  });
  const bottom = panelTop(input.panels.length - 1) + PANEL_HEIGHT;
  drawXAxis(
    input,
    x,
    left,
    right,
    input.panels.map((_, i) => panelTop(i) + PANEL_HEIGHT),
    body,
  );
  const legendBottom = drawLegend(input, drawn, legend, right + 24, plotTop, body);

  y = Math.max(bottom + 44, legendBottom);
  if (rest.length > 0) {
    for (const line of othersLines(rest, input.dataFile, WIDTH - 2 * MARGIN)) {
      y += 18;
      body.push(text(MARGIN, y, line, { 'font-size': 12, fill: '#444444' }));
    }
  }
  return svgDocument(WIDTH, y + 28, docTitle, body, input.notices);
}

interface LegendLayout {
  width: number;
  /** Legend order: the named series, then others. */
  entries: Drawn[];
}

function legendLayout(input: LineChartInput, drawn: Drawn[]): LegendLayout {
  const entries = [...drawn.filter((d) => !d.others), ...drawn.filter((d) => d.others)];
  const widest = Math.max(
    textWidth(input.legendTitle, F.legendTitle),
    ...entries.map((d) => 32 + textWidth(d.name, F.legend)),
    ...(input.estimateLegend ?? []).map((line) => 36 + textWidth(line, F.small)),
  );
  return { width: Math.min(Math.max(Math.ceil(widest), 140), 260), entries };
}

function drawLegend(input: LineChartInput, drawn: Drawn[], layout: LegendLayout, lx: number, top: number, body: string[]): number {
  body.push(
    text(lx, top + 4, fitText(input.legendTitle, layout.width, F.legendTitle), { 'font-size': 13, 'font-weight': 'bold', fill: '#222222' }),
  );
  let y = top + 4;
  for (const d of layout.entries) {
    y += LEGEND_ROW;
    const ly = y - 4;
    body.push(
      `<line x1="${num(lx)}" y1="${num(ly)}" x2="${num(lx + 24)}" y2="${num(ly)}" stroke="${d.style.colour}" stroke-width="2.5"${dashAttr(d.style.dash)}/>`,
    );
    body.push(markerSvg(d.style.marker, lx + 12, ly, d.style.colour, false));
    body.push(text(lx + 32, y, fitText(d.name, layout.width - 32, F.legend), { 'font-size': 13, fill: '#222222' }));
  }
  const estimate = input.estimateLegend ?? [];
  if (estimate.length > 0 && drawn.some((d) => d.panels.some((p) => p.estimated?.some(Boolean)))) {
    y += LEGEND_ROW + 10;
    const ly = y - 4;
    body.push(
      `<line x1="${num(lx)}" y1="${num(ly)}" x2="${num(lx + 24)}" y2="${num(ly)}" stroke="#666666" stroke-width="2.5"${dashAttr(ESTIMATE_DASH)}/>`,
    );
    body.push(markerSvg('circle', lx + 24, ly, '#666666', true));
    estimate.forEach((line, i) => {
      if (i > 0) y += 16;
      body.push(text(lx + 36, y, fitText(line, layout.width - 36, F.small), { 'font-size': 12, fill: '#444444' }));
    });
  }
  return y + 8;
}

function drawHighlights(
  input: LineChartInput,
  x: (i: number) => number,
  left: number,
  right: number,
  labelTop: number,
  panelTops: number[],
  body: string[],
): void {
  const n = input.categories.length;
  const band = Math.min(36, (right - left) / Math.max(n, 1));
  const placed: [number, number][] = [];
  for (const { category, label } of input.highlights ?? []) {
    if (category < 0 || category >= n) continue;
    for (const top of panelTops)
      body.push(`<rect x="${num(x(category) - band / 2)}" y="${num(top)}" width="${num(band)}" height="${PANEL_HEIGHT}" fill="#f1f1f1"/>`);
    // Centred over its column, but kept over the plot (the legend is to the right) and off other labels.
    const w = textWidth(label, F.small);
    const cx = Math.min(Math.max(x(category), left + w / 2), right - w / 2);
    if (placed.some(([a, b]) => cx - w / 2 < b + 8 && cx + w / 2 > a - 8)) continue;
    placed.push([cx - w / 2, cx + w / 2]);
    body.push(text(cx, labelTop - 8, label, { 'font-size': 12, 'text-anchor': 'middle', fill: '#444444', 'font-style': 'italic' }));
  }
}

function drawAxes(panel: ChartPanel, axis: YAxis, left: number, right: number, top: number, body: string[]): void {
  const bottom = top + PANEL_HEIGHT;
  for (const tick of axis.ticks) {
    const ty = axis.y(tick.value);
    body.push(`<line x1="${num(left)}" y1="${num(ty)}" x2="${num(right)}" y2="${num(ty)}" stroke="#e0e0e0" stroke-width="1"/>`);
    if (tick.label !== '') body.push(text(left - 8, ty + 4, tick.label, { 'font-size': 12, 'text-anchor': 'end', fill: '#444444' }));
  }
  body.push(`<line x1="${num(left)}" y1="${bottom}" x2="${num(right)}" y2="${bottom}" stroke="#444444" stroke-width="1"/>`);
  body.push(`<line x1="${num(left)}" y1="${top}" x2="${num(left)}" y2="${bottom}" stroke="#444444" stroke-width="1"/>`);
  if (axis.breakAt !== null) {
    // A gap in the axis with two slashes: the zero baseline is not on the log scale.
    const b = axis.breakAt;
    body.push(`<rect x="${num(left - 6)}" y="${num(b - 3)}" width="12" height="6" fill="#ffffff"/>`);
    body.push(
      `<path d="M${num(left - 6)} ${num(b)}L${num(left + 6)} ${num(b - 6)}M${num(left - 6)} ${num(b + 6)}L${num(left + 6)} ${num(b)}" stroke="#444444" stroke-width="1" fill="none"/>`,
    );
  }
  const mid = (top + bottom) / 2;
  body.push(
    text(22, mid, fitText(panel.yLabel, PANEL_HEIGHT, F.axisTitle), {
      'font-size': 13,
      'text-anchor': 'middle',
      fill: '#222222',
      transform: `rotate(-90 22 ${num(mid)})`,
    }),
  );
}

/** Category ticks on every panel; labels under the last, every k-th counted back from the last so it is always labelled. */
function drawXAxis(input: LineChartInput, x: (i: number) => number, left: number, right: number, bottoms: number[], body: string[]): void {
  const n = input.categories.length;
  const spacing = n > 1 ? x(1) - x(0) : Number.POSITIVE_INFINITY;
  const widest = Math.max(...input.categories.map((c) => textWidth(c, F.small)));
  const every = Math.max(1, Math.ceil((widest + 10) / spacing));
  const bottom = bottoms[bottoms.length - 1]!;
  input.categories.forEach((category, i) => {
    for (const b of bottoms) body.push(`<line x1="${num(x(i))}" y1="${b}" x2="${num(x(i))}" y2="${b + 5}" stroke="#444444"/>`);
    if ((n - 1 - i) % every === 0)
      body.push(text(x(i), bottom + 20, category, { 'font-size': 12, 'text-anchor': 'middle', fill: '#444444' }));
  });
  body.push(
    text((left + right) / 2, bottom + 44, fitText(input.xLabel, right - left, F.axisTitle), {
      'font-size': 13,
      'text-anchor': 'middle',
      fill: '#222222',
    }),
  );
}

function drawSeries(s: ChartSeries, style: SeriesStyle, x: (i: number) => number, y: (v: number) => number, body: string[]): void {
  const estimated = (i: number) => s.estimated?.[i] === true;
  // One path per run of consecutive observed values: a missing value breaks the line.
  let d = '';
  let previous: number | undefined;
  s.values.forEach((v, i) => {
    if (v === null || estimated(i)) {
      previous = undefined;
      return;
    }
    d += `${previous === i - 1 ? 'L' : 'M'}${num(x(i))} ${num(y(v))} `;
    previous = i;
  });
  if (d !== '')
    body.push(
      `<path d="${d.trim()}" fill="none" stroke="${style.colour}" stroke-width="2.5" stroke-linejoin="round"${dashAttr(style.dash)}/>`,
    );
  s.values.forEach((v, i) => {
    if (v !== null && !estimated(i)) body.push(markerSvg(style.marker, x(i), y(v), style.colour, false));
  });
  s.values.forEach((v, i) => {
    if (v === null || !estimated(i)) return;
    const before = s.values[i - 1];
    if (before !== undefined && before !== null)
      body.push(
        `<line x1="${num(x(i - 1))}" y1="${num(y(before))}" x2="${num(x(i))}" y2="${num(y(v))}" stroke="${style.colour}" stroke-width="2.5"${dashAttr(ESTIMATE_DASH)}/>`,
      );
    body.push(markerSvg(style.marker, x(i), y(v), style.colour, true));
  });
}

const dashAttr = (dash: string | null) => (dash === null ? '' : ` stroke-dasharray="${dash}"`);

/** "Others, summed in the grey line: a, b, …" wrapped to `width`; cut to OTHERS_LINES lines with what is left counted. */
export function othersLines(names: readonly string[], dataFile: string | undefined, width: number): string[] {
  const head = `Others (${names.length}), summed in the grey line:`;
  const where = dataFile ? ` (every series is in ${dataFile})` : '';
  const lines = (shown: number) => {
    const more = shown < names.length ? `, … and ${names.length - shown} more` : '';
    return wrapText(`${head} ${names.slice(0, shown).join(', ')}${more}${where}`, width, F.small);
  };
  if (lines(names.length).length <= OTHERS_LINES) return lines(names.length);
  // The most names that fit, found by bisection (the line count grows with the names shown).
  let lo = 0;
  let hi = names.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (lines(mid).length <= OTHERS_LINES) lo = mid;
    else hi = mid - 1;
  }
  return lines(lo);
}
