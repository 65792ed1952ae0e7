import type { ChartSeries, LineChartInput } from './line-chart-input.js';
import { OTHERS_STYLE, type SeriesStyle, seriesStyle } from './series-style.js';
import { sumSeries, topSeries } from './top-series.js';

/** A series as a chart draws it (the SVG and the Vega-Lite spec alike): its name, style and data per panel. */
export interface Drawn {
  name: string;
  style: SeriesStyle;
  /** The series in each panel. */
  panels: ChartSeries[];
  /** The sum of the series not drawn on their own. */
  others: boolean;
}

/** Series drawn on their own when the input does not say (the rest summed as others). */
export const DEFAULT_MAX_SERIES = 10;

/** The series drawn, others first (drawn under the rest), and the names summed as others. */
export function drawnSeries(input: LineChartInput): { drawn: Drawn[]; rest: string[] } {
  const first = input.panels[0]!.series;
  for (const panel of input.panels) {
    if (panel.series.length !== first.length || panel.series.some((s, i) => s.name !== first[i]!.name))
      throw new Error('every panel of a line chart must have the same series in the same order');
  }
  const { keep, rest } = topSeries(first, Math.max(input.maxSeries ?? DEFAULT_MAX_SERIES, 2));
  const drawn: Drawn[] = [];
  if (rest.length > 0) {
    // Drawn first, under the named series.
    const name = `others (${rest.length}, summed)`;
    const panels = input.panels.map((p) =>
      sumSeries(
        name,
        rest.map((i) => p.series[i]!),
        input.categories.length,
      ),
    );
    drawn.push({ name, style: OTHERS_STYLE, panels, others: true });
  }
  keep.forEach((index, position) => {
    drawn.push({
      name: first[index]!.name,
      style: seriesStyle(position),
      panels: input.panels.map((p) => p.series[index]!),
      others: false,
    });
  });
  return { drawn, rest: rest.map((i) => first[i]!.name) };
}
