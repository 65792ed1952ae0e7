import { PALETTE } from '../svg.js';

/**
 * How a series is told apart: colour, dash and marker together. The palette's colours come first with solid
 * lines and round markers, then again with long dashes and squares, then with dash-dots and diamonds, so
 * the first `DISTINCT_STYLES` series each get a style of their own (no two share both colour and dash).
 * Short dashes ("6 4") are kept for estimates, which every series draws the same way.
 */

export type Marker = 'circle' | 'square' | 'diamond' | 'triangle';

export interface SeriesStyle {
  colour: string;
  /** SVG stroke-dasharray, or null for a solid line. */
  dash: string | null;
  marker: Marker;
}

const VARIANTS: readonly { dash: string | null; marker: Marker }[] = [
  { dash: null, marker: 'circle' },
  { dash: '12 4', marker: 'square' },
  { dash: '10 3 2 3', marker: 'diamond' },
];

export const DISTINCT_STYLES = PALETTE.length * VARIANTS.length;

export function seriesStyle(index: number): SeriesStyle {
  const variant = VARIANTS[Math.floor(index / PALETTE.length) % VARIANTS.length]!;
  return { colour: PALETTE[index % PALETTE.length]!, ...variant };
}

/** The summed rest of the series ("others"): grey, which no series uses, with triangles. */
export const OTHERS_STYLE: SeriesStyle = { colour: '#8C8C8C', dash: null, marker: 'triangle' };

/** Estimated values: dashed from the previous point to a hollow marker. */
export const ESTIMATE_DASH = '6 4';
