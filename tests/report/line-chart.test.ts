import { describe, expect, it } from 'vitest';
import type { ChartSeries, LineChartInput } from '../../src/report/chart/line-chart-input.js';
import { lineChartSvg, othersLines } from '../../src/report/chart/line-chart.js';
import { DISTINCT_STYLES, seriesStyle } from '../../src/report/chart/series-style.js';
import { fitText, textWidth, wrapText } from '../../src/report/chart/text-width.js';
import { sumSeries, topSeries } from '../../src/report/chart/top-series.js';
import { yAxis } from '../../src/report/chart/y-axis.js';
import { countView, type YearlyView, yearlyChartSvg } from '../../src/report/yearly-count/chart.js';
import { pubmedSection } from '../analyze/helpers.js';
import { manyKeywordsReport } from './many-series.js';
import { estimatedTextBoxes, outside, overlapping, svgSize, textElements } from './svg-layout.js';

function chart(series: ChartSeries[], extra: Partial<LineChartInput> = {}): LineChartInput {
  return {
    title: 'Title',
    subtitle: 'Subtitle',
    categories: series[0]!.values.map((_, i) => String(2015 + i)),
    xLabel: 'Year',
    legendTitle: 'Keyword',
    panels: [{ yLabel: 'Count', scale: 'linear', integer: true, series }],
    emptyMessage: 'Nothing yet.',
    notices: [],
    ...extra,
  };
}
const log = (input: LineChartInput): LineChartInput => ({ ...input, panels: input.panels.map((p) => ({ ...p, scale: 'log' })) });

/** The filled markers of a colour in the plot, as [cx, cy] (the legend's sample, drawn last, left out). */
function markers(svg: string, colour: string): [number, number][] {
  const all = [...svg.matchAll(new RegExp(`<circle cx="([\\d.]+)" cy="([\\d.]+)" r="4" fill="${colour}"/>`, 'g'))];
  return all.slice(0, -1).map((m) => [Number(m[1]), Number(m[2])]);
}
/** y of the x axis (the plot's bottom). */
const axisBottom = (svg: string) =>
  Number(/<line x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="\1" stroke="#444444" stroke-width="1"\/>/.exec(svg)![1]);

describe('src/report/chart/line-chart', () => {
  it('draws a zero on a log axis on a baseline of its own, labelled 0, under an axis break', () => {
    const svg = lineChartSvg(log(chart([{ name: 'A', values: [0, 10, 100, 1000] }])));
    const texts = textElements(svg).map((t) => t.content);
    expect(texts).toEqual(expect.arrayContaining(['0', '10', '100', '1,000']));
    const points = markers(svg, seriesStyle(0).colour);
    expect(points).toHaveLength(4);
    expect(points[0]![1]).toBe(axisBottom(svg)); // the zero sits on the axis
    // Equal ratios are equal steps, and the zero is below the lowest decade.
    expect(points[1]![1] - points[2]![1]).toBeCloseTo(points[2]![1] - points[3]![1], 1);
    expect(points[0]![1] - points[1]![1]).toBeGreaterThan(20);
    expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+L[\d.]+ [\d.]+M[\d.]+ [\d.]+L[\d.]+ [\d.]+" stroke="#444444"/); // the break's two slashes
    // One line from the zero through every point.
    expect(svg).toMatch(new RegExp(`<path d="M[^"M]+" fill="none" stroke="${seriesStyle(0).colour}"`));

    const noZero = lineChartSvg(log(chart([{ name: 'A', values: [10, 100, 1000] }])));
    expect(textElements(noZero).map((t) => t.content)).not.toContain('0');
    expect(markers(noZero, seriesStyle(0).colour)[0]![1]).toBe(axisBottom(noZero));
  });

  it('draws a chart of nothing but zeros on a log axis without breaking', () => {
    const svg = lineChartSvg(log(chart([{ name: 'A', values: [0, 0, 0] }])));
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(markers(svg, seriesStyle(0).colour).every(([, y]) => y === axisBottom(svg))).toBe(true);
  });

  it('breaks the line at a missing value and dashes an estimate to a hollow marker', () => {
    const svg = lineChartSvg(chart([{ name: 'A', values: [1, 2, null, 4, 5, 8], estimated: [false, false, false, false, false, true] }]));
    const colour = seriesStyle(0).colour;
    const path = new RegExp(`<path d="([^"]+)" fill="none" stroke="${colour}"`).exec(svg)![1]!;
    expect(path.match(/M/g)).toHaveLength(2);
    expect(markers(svg, colour)).toHaveLength(4);
    expect(svg).toMatch(new RegExp(`<line [^>]*stroke="${colour}" stroke-width="2.5" stroke-dasharray="6 4"/>`));
    expect(svg).toMatch(new RegExp(`<circle [^>]*r="5" fill="#ffffff" stroke="${colour}"`));
  });

  it('keeps category labels apart however many there are, and always labels the last', () => {
    const values = Array.from({ length: 120 }, (_, i) => i);
    const categories = values.map((i) => `${2015 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    const svg = lineChartSvg(chart([{ name: 'A', values }], { categories }));
    const labels = textElements(svg).filter((t) => /^\d{4}-\d{2}$/.test(t.content));
    expect(labels.length).toBeGreaterThan(5);
    expect(labels.at(-1)!.content).toBe('2024-12');
    expect(overlapping(estimatedTextBoxes(svg))).toEqual([]);
  });

  it('wraps a long title and subtitle and cuts long legend names, inside the canvas', () => {
    const long = 'A framework name so long it could never fit in any legend column at all';
    const svg = lineChartSvg(chart([{ name: long, values: [1, 2] }], { title: 'word '.repeat(40), subtitle: 'other '.repeat(40) }));
    const boxes = estimatedTextBoxes(svg);
    expect(overlapping(boxes)).toEqual([]);
    expect(outside(boxes, svgSize(svg))).toEqual([]);
    expect(textElements(svg).some((t) => t.content.endsWith('…') && long.startsWith(t.content.slice(0, -1)))).toBe(true);
  });

  it('says so instead of drawing axes when there is no value', () => {
    const svg = lineChartSvg(chart([{ name: 'A', values: [null, null] }]));
    expect(svg).toContain('Nothing yet.');
    expect(svg).not.toContain('<path');
  });

  it('is deterministic, and refuses panels whose series differ', () => {
    const input = chart([{ name: 'A', values: [1, 2] }]);
    expect(lineChartSvg(input)).toBe(lineChartSvg(structuredClone(input)));
    const mismatched = {
      ...input,
      panels: [...input.panels, { yLabel: 'B', scale: 'linear' as const, series: [{ name: 'B', values: [1, 2] }] }],
    };
    expect(() => lineChartSvg(mismatched)).toThrow(/same series/);
  });
});

describe('yearly chart panels (another value per point, e.g. per million papers)', () => {
  it('draws a second panel from another value accessor under the counts, sharing legend and x axis', () => {
    const report = manyKeywordsReport(4);
    const section = pubmedSection(report);
    // A stand-in for the coming per_million field: the count per million of a fixed 2 million papers a year.
    const perMillion: YearlyView = {
      yLabel: 'Per million papers',
      integer: false,
      value: (p) => {
        const count = countView(section).value(p);
        return count === null ? null : count / 2;
      },
    };
    const one = yearlyChartSvg(section, report);
    const two = yearlyChartSvg(section, report, { views: [countView(section), perMillion] });
    const texts = textElements(two).map((t) => t.content);
    expect(texts).toEqual(expect.arrayContaining(['Papers per year', 'Per million papers']));
    expect(texts.filter((t) => t === 'PyTorch')).toHaveLength(1); // one legend
    expect(texts.filter((t) => t === 'Publication year')).toHaveLength(1);
    expect(svgSize(two).height).toBe(svgSize(one).height + 356 + 40);
    expect(overlapping(estimatedTextBoxes(two))).toEqual([]);
    expect(outside(estimatedTextBoxes(two), svgSize(two))).toEqual([]);
    // Both panels shade the partial year; the label is said once, above the top one.
    expect(two.match(/fill="#f1f1f1"/g)).toHaveLength(2);
    expect(texts.filter((t) => t === 'adjusted for 2024')).toHaveLength(1);
  });
});

describe('src/report/chart helpers', () => {
  it('ranks series by their latest value, keeps input order, and sums the rest strictly', () => {
    const s = (name: string, values: (number | null)[], estimated?: boolean[]) => ({ name, values, ...(estimated ? { estimated } : {}) });
    const series = [s('a', [1, 1]), s('b', [5, null]), s('c', [2, 9]), s('d', [3, 3]), s('e', [null, null])];
    expect(topSeries(series, 5)).toEqual({ keep: [0, 1, 2, 3, 4], rest: [] });
    // Latest values: a 1, b 5 (its last known), c 9, d 3, e none.
    expect(topSeries(series, 3)).toEqual({ keep: [1, 2], rest: [0, 3, 4] });
    expect(sumSeries('others', [s('a', [1, 2], [false, true]), s('d', [3, null])], 2)).toEqual({
      name: 'others',
      values: [4, null],
      estimated: [false, true],
    });
  });

  it('names the others within four lines, counting those left out', () => {
    const names = Array.from({ length: 500 }, (_, i) => `Framework number ${i}`);
    const lines = othersLines(names, 'x_by_year_wide.csv', 852);
    expect(lines).toHaveLength(4);
    expect(lines.join(' ')).toMatch(/… and \d+ more \(every series is in x_by_year_wide\.csv\)$/);
    for (const line of lines) expect(textWidth(line, { size: 12 })).toBeLessThanOrEqual(852);
    expect(othersLines(['a', 'b'], undefined, 852)).toEqual(['Others (2), summed in the grey line: a, b']);
  });

  it('gives the first 21 series a colour and dash pair of their own', () => {
    const pairs = Array.from({ length: DISTINCT_STYLES }, (_, i) => `${seriesStyle(i).colour} ${seriesStyle(i).dash}`);
    expect(DISTINCT_STYLES).toBe(21);
    expect(new Set(pairs).size).toBe(21);
  });

  it('measures, cuts and wraps text by the DejaVu widths', () => {
    expect(textWidth('PyTorch', { size: 13 })).toBeCloseTo(((604 + 592 + 611 + 612 + 412 + 550 + 634) / 1000) * 13, 6);
    expect(textWidth('W', { size: 10, bold: true })).toBeCloseTo(11.04, 6);
    expect(textWidth('日本', { size: 10 })).toBe(20);
    expect(fitText('TensorFlow', 1000, { size: 13 })).toBe('TensorFlow');
    const cut = fitText('TensorFlow', 50, { size: 13 });
    expect(cut).toMatch(/^Tens.*…$/);
    expect(textWidth(cut, { size: 13 })).toBeLessThanOrEqual(50);
    expect(wrapText('aa bb cc', textWidth('aa bb', { size: 12 }), { size: 12 })).toEqual(['aa bb', 'cc']);
  });

  it('ticks a log axis at decades, with 2 and 5 between few of them, and small values with their digits', () => {
    const labels = (values: number[]) => yAxis(values, 'log', 0, 356, false).ticks.map((t) => t.label);
    expect(labels([1, 100_000])).toEqual(['1', '10', '100', '1,000', '10,000', '100,000']);
    expect(labels([1_000, 9_000])).toEqual(['1,000', '2,000', '5,000', '10,000']);
    expect(labels([0.02, 0.9])).toEqual(['0.01', '0.02', '0.05', '0.1', '0.2', '0.5']);
    expect(labels([0, 5, 50])).toEqual(['0', '1', '2', '5', '10', '20', '50']);
    // Counts never step below 1 on either scale.
    expect(yAxis([0, 1], 'linear', 0, 356, true).ticks.map((t) => t.value)).toEqual([0, 1, 2]);
    // The headroom over the top value stops at the most a value can be (a share's 100 %).
    const top = (values: number[], max?: number) => yAxis(values, 'linear', 0, 356, false, max).ticks.at(-1)?.value;
    expect(top([10, 98.5])).toBe(125);
    expect(top([10, 98.5], 100)).toBe(100);
    expect(top([10, 40], 100)).toBe(50);
  });
});
