import { esc, fileLink } from './html.js';

/** A chart written beside the page, drawn inline: its SVG text and what report.json's `files` says of it. */
export interface PageChart {
  name: string;
  description: string;
  svg: string;
}

const OPEN_TAG = /^<svg\b[^>]*>/;

/**
 * The chart inline in a `<figure>`, named for assistive technology by its own `<title>` and a `<desc>` (what the
 * files guide says of it), with links to the data behind it. Ids are prefixed with `id` so several charts on one
 * page never share one.
 */
export function chartFigure(chart: PageChart, id: string, dataFiles: readonly string[]): string {
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const svg = chart.svg.trim();
  const open = OPEN_TAG.exec(svg)?.[0];
  if (!open) throw new Error(`${chart.name} does not start with an <svg> element`);
  const labelled = `${open.slice(0, -1)} role="img" aria-labelledby="${titleId} ${descId}" class="chart">`;
  const desc = `<desc id="${descId}">${esc(chart.description)}</desc>`;
  let rest = svg.slice(open.length);
  rest = rest.includes('<title>')
    ? // Functions, not strings: a `$` in a description must not be read as a replacement pattern.
      rest.replace('<title>', () => `<title id="${titleId}">`).replace('</title>', () => `</title>\n${desc}`)
    : `\n<title id="${titleId}">${esc(chart.name)}</title>\n${desc}${rest}`;
  const data = dataFiles.length > 0 ? ` The figures: ${dataFiles.map((f) => fileLink(f)).join(', ')}.` : '';
  return [
    `<figure id="${esc(id)}">`,
    // On a phone the chart keeps a legible size and scrolls sideways in its own box, like a wide table.
    `<div class="chart-box">`,
    labelled + rest,
    '</div>',
    `<figcaption>${esc(chart.description)}.${data} The chart alone: ${fileLink(chart.name)}.</figcaption>`,
    '</figure>',
  ].join('\n');
}
