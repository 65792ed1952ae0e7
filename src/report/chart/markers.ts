import { num } from '../svg.js';
import type { Marker } from './series-style.js';

/** A marker centred on (x, y), filled or hollow (white inside: an estimate), about 8 px across. */
export function markerSvg(marker: Marker, x: number, y: number, colour: string, hollow: boolean): string {
  const paint = hollow ? `fill="#ffffff" stroke="${colour}" stroke-width="2.5"` : `fill="${colour}"`;
  const r = hollow ? 5 : 4;
  switch (marker) {
    case 'circle':
      return `<circle cx="${num(x)}" cy="${num(y)}" r="${r}" ${paint}/>`;
    case 'square':
      return `<rect x="${num(x - r + 0.5)}" y="${num(y - r + 0.5)}" width="${2 * r - 1}" height="${2 * r - 1}" ${paint}/>`;
    case 'diamond':
      return `<path d="M${num(x)} ${num(y - r - 1)}L${num(x + r + 1)} ${num(y)}L${num(x)} ${num(y + r + 1)}L${num(x - r - 1)} ${num(y)}Z" ${paint}/>`;
    case 'triangle':
      return `<path d="M${num(x)} ${num(y - r - 1)}L${num(x + r + 1)} ${num(y + r)}L${num(x - r - 1)} ${num(y + r)}Z" ${paint}/>`;
  }
}
