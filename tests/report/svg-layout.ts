import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { textWidth } from '../../src/report/chart/text-width.js';

/**
 * Where a chart's text lands, read back from the SVG: each <text> element's box, both as the layout
 * estimates it (font-independent) and as resvg draws it with the DejaVu fonts (ink boxes), so tests can
 * check that no two labels overlap and that nothing leaves the canvas.
 */

export const FONT_FILES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf',
].filter((f) => existsSync(f));
export const HAVE_FONTS = FONT_FILES.length === 3;

export interface Box {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface TextElement {
  raw: string;
  attrs: Record<string, string>;
  content: string;
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

export function textElements(svg: string): TextElement[] {
  return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map((m) => ({
    raw: m[0],
    attrs: Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, unescapeXml(a[2]!)])),
    content: unescapeXml(m[2]!),
  }));
}

export function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg [^>]*width="([\d.]+)" height="([\d.]+)"/.exec(svg);
  if (!m) throw new Error('no svg size');
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** Boxes from the layout's width table: ascent 0.8 em over the baseline, descent 0.25 em under it. */
export function estimatedTextBoxes(svg: string): Box[] {
  return textElements(svg).map(({ attrs, content }) => {
    const size = Number(attrs['font-size']);
    const width = textWidth(content, { size, bold: attrs['font-weight'] === 'bold' });
    const x = Number(attrs.x);
    const y = Number(attrs.y);
    const anchor = attrs['text-anchor'] ?? 'start';
    const start = anchor === 'middle' ? x - width / 2 : anchor === 'end' ? x - width : x;
    if (attrs.transform?.startsWith('rotate(-90')) {
      // Turned a quarter left about its anchor: its length runs up the page, its ascent to the left.
      return { text: content, x0: x - 0.8 * size, x1: x + 0.25 * size, y0: y - (start + width - x), y1: y + (x - start) };
    }
    return { text: content, x0: start, x1: start + width, y0: y - 0.8 * size, y1: y + 0.25 * size };
  });
}

/** Ink boxes as resvg draws each text element alone on the chart's canvas (needs the DejaVu fonts). */
export function renderedTextBoxes(svg: string): Box[] {
  const root = /<svg [^>]*>/.exec(svg)![0];
  return textElements(svg).flatMap(({ raw, content }) => {
    const box = new Resvg(`${root}${raw}</svg>`, {
      font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'DejaVu Sans' },
    }).getBBox();
    return box ? [{ text: content, x0: box.x, y0: box.y, x1: box.x + box.width, y1: box.y + box.height }] : [];
  });
}

/** Pairs of boxes that intersect. */
export function overlapping(boxes: readonly Box[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1) pairs.push([a.text, b.text]);
    }
  return pairs;
}

/** Boxes not wholly inside the canvas. */
export function outside(boxes: readonly Box[], size: { width: number; height: number }): string[] {
  return boxes.filter((b) => b.x0 < 0 || b.y0 < 0 || b.x1 > size.width || b.y1 > size.height).map((b) => b.text);
}

export function render(svg: string) {
  const resvg = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'DejaVu Sans' } });
  const image = resvg.render();
  return { png: image.asPng(), pixels: image.pixels, width: image.width, height: image.height, bbox: resvg.getBBox() };
}

/** Legend samples: the short horizontal lines (24 px) before each legend name, as "colour dash" keys. */
export function legendSamples(svg: string): string[] {
  return [
    ...svg.matchAll(
      /<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="\2" stroke="([^"]+)" stroke-width="2.5"(?: stroke-dasharray="([^"]+)")?\/>/g,
    ),
  ]
    .filter((m) => Number(m[3]) - Number(m[1]) === 24)
    .map((m) => `${m[4]} ${m[5] ?? 'solid'}`);
}
