import type { BarChartInput, BarRow } from './bar-chart-input.js';
import { type VegaLiteSpec, vegaLiteDocument } from './vega-lite.js';

/**
 * The bar chart as a Vega-Lite spec with its data inline, for the Vega editor: one block per group and
 * caption (a comparison's segments, then its availability), bars on the group's scale with their value
 * labels, colours and fills as in the SVG.
 */
export function barChartSpec(input: BarChartInput): VegaLiteSpec {
  const rows: Record<string, unknown>[] = [];
  const blocks: { group: number; block: number; title: string; max: number }[] = [];
  input.groups.forEach((group, g) => {
    let block = 0;
    let title = group.heading;
    let order = 0;
    const open = () => blocks.push({ group: g, block, title, max: group.max });
    open();
    for (const row of group.rows) {
      if (row.kind === 'caption') {
        block++;
        title = row.text;
        open();
        continue;
      }
      rows.push(barRow(row, g, block, order++));
    }
  });
  const used = blocks.filter((b) => rows.some((r) => r.group === b.group && r.block === b.block));
  const charts = used.map((b) => ({
    title: { text: b.title, anchor: 'start', fontSize: 14 },
    width: 420,
    transform: [{ filter: `datum.group === ${b.group} && datum.block === ${b.block}` }],
    encoding: {
      y: { field: 'label', type: 'nominal', sort: { field: 'order', op: 'min' }, title: null, axis: { labelLimit: 400 } },
      x: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, b.max] }, axis: null },
    },
    layer: [
      {
        mark: { type: 'bar', height: 18, strokeWidth: 2 },
        encoding: {
          color: { field: 'colour', type: 'nominal', scale: null },
          stroke: { field: 'colour', type: 'nominal', scale: null },
          fillOpacity: { condition: { test: "datum.fill === 'hollow'", value: 0 }, value: 1 },
        },
      },
      { mark: { type: 'text', align: 'left', dx: 6 }, encoding: { text: { field: 'value_label' } } },
    ],
  }));
  return vegaLiteDocument(
    input.title,
    input.subtitle,
    input.notices,
    'Open in https://vega.github.io/editor to restyle. Same data as the SVG beside it.',
    {
      data: { values: rows },
      vconcat: charts,
      resolve: { scale: { y: 'independent', x: 'independent' } },
    },
  );
}

function barRow(row: BarRow, group: number, block: number, order: number): Record<string, unknown> {
  return { group, block, order, label: row.label, value: row.value, value_label: row.valueLabel, colour: row.colour, fill: row.fill };
}
