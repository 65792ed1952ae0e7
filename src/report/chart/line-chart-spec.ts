import { drawnSeries } from './drawn-series.js';
import type { LineChartInput } from './line-chart-input.js';
import { ESTIMATE_DASH } from './series-style.js';
import { type VegaLiteSpec, vegaLiteDocument } from './vega-lite.js';

/**
 * The line chart as a Vega-Lite spec with its data inline, for anyone to open in the Vega editor and restyle:
 * the same series, colours, dashes and scale as the SVG. Rows: one per series, category and panel, `line`
 * "observed" (a null value breaks the line) or "estimate" (an estimate, `estimated`, and the point before it,
 * joined by a dashed line).
 * On a log scale zeros have no place and leave a gap; the SVG draws them on a baseline of their own.
 */
export function lineChartSpec(input: LineChartInput): VegaLiteSpec {
  const { drawn } = drawnSeries(input);
  const legend = [...drawn.filter((d) => !d.others), ...drawn.filter((d) => d.others)];
  const rows: Record<string, unknown>[] = [];
  input.panels.forEach((_, panel) => {
    for (const d of legend) {
      const s = d.panels[panel]!;
      s.values.forEach((value, i) => {
        const estimated = s.estimated?.[i] === true;
        const row = { panel, category: input.categories[i], series: d.name };
        if (!estimated) rows.push({ ...row, line: 'observed', estimated, value });
        else if (value !== null) {
          const before = s.values[i - 1];
          if (before !== undefined && before !== null)
            rows.push({ ...row, category: input.categories[i - 1], line: 'estimate', estimated: false, value: before });
          rows.push({ ...row, line: 'estimate', estimated, value });
        }
      });
    }
  });
  const names = legend.map((d) => d.name);
  const colour = {
    field: 'series',
    type: 'nominal',
    title: input.legendTitle,
    sort: names,
    scale: { domain: names, range: legend.map((d) => d.style.colour) },
  };
  const shape = {
    field: 'series',
    type: 'nominal',
    sort: names,
    scale: { domain: names, range: legend.map((d) => (d.style.marker === 'triangle' ? 'triangle-up' : d.style.marker)) },
  };
  const panels = input.panels.map((p, panel) => ({
    width: 560,
    height: 356,
    transform: [
      { filter: `datum.panel === ${panel}` },
      // A log scale has no place for zero: a gap in the line (the SVG has a zero baseline instead).
      ...(p.scale === 'log' ? [{ calculate: 'datum.value > 0 ? datum.value : null', as: 'value' }] : []),
    ],
    encoding: {
      x: { field: 'category', type: 'ordinal', sort: input.categories, title: input.xLabel, axis: { labelAngle: 0 } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: p.yLabel,
        scale: { type: p.scale, ...(p.scale === 'linear' ? { zero: true } : {}) },
      },
      color: colour,
    },
    layer: [
      {
        transform: [{ filter: "datum.line === 'observed'" }],
        mark: { type: 'line', strokeWidth: 2.5, invalid: 'break-paths-filter-domains' },
        encoding: {
          strokeDash: {
            field: 'series',
            type: 'nominal',
            sort: names,
            scale: { domain: names, range: legend.map((d) => (d.style.dash ?? '').split(' ').filter(Boolean).map(Number)) },
          },
        },
      },
      {
        transform: [{ filter: "datum.line === 'observed' && datum.value !== null" }],
        mark: { type: 'point', filled: true, size: 50, opacity: 1 },
        encoding: { shape },
      },
      {
        transform: [{ filter: "datum.line === 'estimate'" }],
        mark: { type: 'line', strokeWidth: 2.5, strokeDash: ESTIMATE_DASH.split(' ').map(Number) },
        encoding: { detail: { field: 'series', type: 'nominal' } },
      },
      {
        transform: [{ filter: 'datum.estimated' }],
        mark: { type: 'point', filled: false, size: 80, strokeWidth: 2.5, fill: '#ffffff', opacity: 1 },
        encoding: { shape },
      },
    ],
  }));
  const body: VegaLiteSpec = panels.length === 1 ? panels[0]! : { vconcat: panels, resolve: { scale: { y: 'independent' } } };
  return vegaLiteDocument(
    input.title,
    input.subtitle,
    input.notices,
    `Open in https://vega.github.io/editor to restyle. Same data as the SVG beside it${input.dataFile ? `; every series is in ${input.dataFile}` : ''}.`,
    { data: { values: rows }, ...body },
  );
}
