import { text } from '../svg.js';
import { wrapText } from './text-width.js';

/** Width of every chart, and the margin its text keeps from the edges. */
export const CHART_WIDTH = 900;
export const MARGIN = 24;

/** Title (20 px bold) and subtitle (13 px) wrapped to the canvas; returns the baseline of the last line. */
export function chartHeader(title: string, subtitle: string, body: string[], width = CHART_WIDTH): number {
  let y = 10;
  for (const line of wrapText(title, width - 2 * MARGIN, { size: 20, bold: true })) {
    y += 26;
    body.push(text(MARGIN, y, line, { 'font-size': 20, 'font-weight': 'bold', fill: '#222222' }));
  }
  y += 6;
  for (const line of wrapText(subtitle, width - 2 * MARGIN, { size: 13 })) {
    y += 18;
    body.push(text(MARGIN, y, line, { 'font-size': 13, fill: '#555555' }));
  }
  return y;
}
