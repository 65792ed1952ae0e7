import { num, svgDocument, text } from '../svg.js';
import type { BarChartInput, BarGroup, BarRow } from './bar-chart-input.js';
import { CHART_WIDTH, chartHeader, MARGIN } from './header.js';
import { textWidth, wrapText } from './text-width.js';

/**
 * Horizontal bars in labelled groups (a comparison's segments, then its availability), each group on its own
 * scale. Labels wrap inside a label column sized to the longest one (rows grow to fit), optional dot columns
 * show membership, and the value label follows each bar, so nothing overlaps however many rows there are.
 */

const WIDTH = CHART_WIDTH;
const ROW = 26;
const LINE = 16;
const DOT_STEP = 14;
/** Bars never get narrower than this; long labels wrap instead. */
const MIN_BAR = 240;
const LABEL_FONT = { size: 13 };
const HEADING_FONT = { size: 15, bold: true };

export function barChartSvg(input: BarChartInput): string {
  const body: string[] = [];
  let y = chartHeader(input.title, input.subtitle, body);
  const docTitle = `${input.title}. ${input.subtitle}`;
  y += 36;
  if (input.groups.length === 0) {
    body.push(text(MARGIN, y, input.emptyMessage, { 'font-size': 14, fill: '#222222' }));
    return svgDocument(WIDTH, y + 40, docTitle, body, input.notices);
  }
  const bars = input.groups.flatMap((g) => g.rows.filter((r): r is BarRow => r.kind === 'bar'));
  const valueWidth = Math.max(...bars.map((b) => textWidth(b.valueLabel, LABEL_FONT)), 0);
  const dotsWidth = Math.max(...bars.map((b) => (b.dots?.length ?? 0) * DOT_STEP), 0);
  const room = WIDTH - 2 * MARGIN - 10 - dotsWidth - MIN_BAR - 8 - valueWidth;
  const labelWidth = Math.max(Math.min(Math.max(...bars.map((b) => textWidth(b.label, LABEL_FONT)), 0), room), 120);
  const barX = MARGIN + labelWidth + 10 + dotsWidth;
  const barMax = WIDTH - MARGIN - 8 - valueWidth - barX;
  hatchPatterns(bars, body);
  for (const group of input.groups) y = drawGroup(group, { labelWidth, barX, barMax, dotsWidth }, y, body);
  return svgDocument(WIDTH, y + 8, docTitle, body, input.notices);
}

interface Columns {
  labelWidth: number;
  barX: number;
  barMax: number;
  dotsWidth: number;
}

function drawGroup(group: BarGroup, c: Columns, top: number, body: string[]): number {
  let y = top;
  for (const [i, line] of wrapText(group.heading, WIDTH - 2 * MARGIN, HEADING_FONT).entries()) {
    if (i > 0) y += 20;
    body.push(text(MARGIN, y, line, { 'font-size': 15, 'font-weight': 'bold', fill: '#222222' }));
  }
  y += 14;
  for (const row of group.rows) {
    if (row.kind === 'caption') {
      y += 8;
      for (const line of wrapText(row.text, WIDTH - 2 * MARGIN, { size: 12 })) {
        body.push(text(MARGIN, y + 14, line, { 'font-size': 12, 'font-style': 'italic', fill: '#555555' }));
        y += LINE;
      }
      y += 4;
      continue;
    }
    const lines = wrapText(row.label, c.labelWidth, LABEL_FONT);
    const height = Math.max(ROW, lines.length * LINE + 10);
    const mid = y + height / 2;
    lines.forEach((line, i) => {
      body.push(
        text(c.barX - 10 - c.dotsWidth, mid + 5 + (i - (lines.length - 1) / 2) * LINE, line, {
          'font-size': 13,
          'text-anchor': 'end',
          fill: '#222222',
        }),
      );
    });
    row.dots?.forEach((dot, i) => {
      const cx = num(c.barX - c.dotsWidth - 2 + DOT_STEP / 2 + i * DOT_STEP);
      if (dot?.ring) body.push(`<circle cx="${cx}" cy="${num(mid)}" r="3.5" fill="#ffffff" stroke="${dot.colour}" stroke-width="2"/>`);
      else body.push(`<circle cx="${cx}" cy="${num(mid)}" r="4.5" fill="${dot?.colour ?? '#e3e3e3'}"/>`);
    });
    const width = group.max > 0 ? (Math.max(row.value, 0) / group.max) * c.barMax : 0;
    body.push(barRect(row, c.barX, mid - 9, width));
    body.push(text(c.barX + width + 8, mid + 5, row.valueLabel, { 'font-size': 13, fill: '#222222' }));
    y += height;
  }
  return y + 30;
}

function barRect(row: BarRow, x: number, y: number, width: number): string {
  const at = `x="${num(x)}" y="${num(y)}" width="${num(width)}" height="18"`;
  switch (row.fill) {
    case 'solid':
      return `<rect ${at} fill="${row.colour}"/>`;
    case 'hollow':
      return `<rect ${at} fill="#ffffff" stroke="${row.colour}" stroke-width="2"/>`;
    case 'hatched':
      return `<rect ${at} fill="url(#${hatchId(row.colour)})" stroke="${row.colour}" stroke-width="2"/>`;
  }
}

const hatchId = (colour: string) => `hatch-${colour.replace(/[^0-9A-Za-z]/g, '')}`;

/** One stripe pattern per colour used hatched, in first-use order. */
function hatchPatterns(bars: readonly BarRow[], body: string[]): void {
  const colours = [...new Set(bars.filter((b) => b.fill === 'hatched').map((b) => b.colour))];
  if (colours.length === 0) return;
  body.push(
    '<defs>',
    ...colours.map(
      (colour) =>
        `<pattern id="${hatchId(colour)}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="${colour}"/></pattern>`,
    ),
    '</defs>',
  );
}
