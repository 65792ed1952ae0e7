/**
 * Small helpers for hand-written SVG. Charts are built as strings with fixed geometry and fixed number
 * formatting, so the same report always produces byte-identical files (no library; text widths come from a
 * table, chart/text-width.ts, never from fonts measured at run time).
 */
import { wrapText } from './chart/text-width.js';

/** Colour-blind-safe (Okabe–Ito) series colours, in config order. */
export const PALETTE = ['#D55E00', '#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#000000'] as const;

export function seriesColour(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

export const FONT = "DejaVu Sans, 'Liberation Sans', Arial, Helvetica, sans-serif";

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Coordinates with at most 2 decimals keep files small and stable. */
export function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** 185382 → `185,382` for labels (files carry plain numbers; charts are read by people). */
export function grouped(value: number): string {
  const [int, frac] = String(Math.round(value * 100) / 100).split('.');
  return int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? `.${frac}` : '');
}

/** Axis ticks from 0 to at least `max`, with a 1/2/2.5/5 × 10^k step of at least `minStep` (1 for counts). */
export function niceTicks(max: number, target = 5, minStep = 0): number[] {
  if (!(max > 0)) return [0, Math.max(minStep, 1)];
  const raw = Math.max(max / target, minStep);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) {
    ticks.push(Math.round(v * 1e6) / 1e6);
    if (v >= max) break;
  }
  return ticks;
}

export function text(x: number, y: number, content: string, attrs: Record<string, string | number> = {}): string {
  const extra = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`)
    .join('');
  return `<text x="${num(x)}" y="${num(y)}"${extra}>${escapeXml(content)}</text>`;
}

const NOTICE_LINE = 18;

/**
 * The document; `notices` (report.data_notices) go in a band under the chart and into the title, so a chart
 * shared on its own still says that, say, its numbers are illustrative.
 */
export function svgDocument(width: number, height: number, title: string, body: string[], notices: readonly string[] = []): string {
  // Wrapped by measured width (bold 12 px), so a notice in wide letters stays on the canvas too.
  const lines = notices.flatMap((notice) => wrapText(`NOTICE: ${notice}`, width - 48, { size: 12, bold: true }));
  const total = height + (lines.length > 0 ? 8 + lines.length * NOTICE_LINE : 0);
  const noticeText = lines.map((line, i) =>
    text(24, height + (i + 1) * NOTICE_LINE, line, { 'font-size': 12, 'font-weight': 'bold', fill: '#A50021' }),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="${escapeXml(FONT)}">`,
    `<title>${escapeXml([title, ...notices.map((n) => `NOTICE: ${n}`)].join(' '))}</title>`,
    `<rect width="${width}" height="${total}" fill="#ffffff"/>`,
    ...body,
    ...noticeText,
    '</svg>',
    '',
  ].join('\n');
}
