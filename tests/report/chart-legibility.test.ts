import { describe, expect, it } from 'vitest';
import { drawnSeries } from '../../src/report/chart/drawn-series.js';
import { overlapChartSvg } from '../../src/report/overlap-snapshot/chart.js';
import { yearlyChartInput, yearlyChartSvg } from '../../src/report/yearly-count/chart.js';
import { PALETTE } from '../../src/report/svg.js';
import { hfSection, pubmedSection } from '../analyze/helpers.js';
import { FRAMEWORK_NAMES, manyFrameworksHubReport, manyKeywordsReport } from './many-series.js';
import {
  estimatedTextBoxes,
  HAVE_FONTS,
  legendSamples,
  outside,
  overlapping,
  render,
  renderedTextBoxes,
  svgSize,
  textElements,
} from './svg-layout.js';

/** Every chart must read well whatever the number of series: checked on the SVG's text boxes and its PNG. */
function expectLegible(svg: string): void {
  const size = svgSize(svg);
  const boxes = estimatedTextBoxes(svg);
  expect(overlapping(boxes)).toEqual([]);
  expect(outside(boxes, size)).toEqual([]);
  const { png, width, height, bbox } = render(svg);
  expect(png.length).toBeGreaterThan(1000);
  expect([width, height]).toEqual([size.width, size.height]);
  // Nothing drawn (lines, markers, legend samples included) leaves the canvas.
  expect(bbox!.x).toBeGreaterThanOrEqual(0);
  expect(bbox!.y).toBeGreaterThanOrEqual(0);
  expect(bbox!.x + bbox!.width).toBeLessThanOrEqual(size.width);
  expect(bbox!.y + bbox!.height).toBeLessThanOrEqual(size.height);
  if (HAVE_FONTS) {
    // The same with the glyphs as drawn, in case the layout's width table were wrong.
    const ink = renderedTextBoxes(svg);
    expect(ink).toHaveLength(boxes.length);
    expect(overlapping(ink)).toEqual([]);
    expect(outside(ink, size)).toEqual([]);
  }
}

const notices = ["Demo archive: the Hub counts are the article's of 20 July 2024; the PubMed counts are ILLUSTRATIVE, not PubMed data."];

describe('yearly chart with 1, 4 and 50 keywords', () => {
  for (const count of [1, 4, 50]) {
    for (const scale of ['linear', 'log'] as const) {
      it(`${count} keyword(s), ${scale} scale: legend inside the canvas, no label overlaps, each series its own style`, () => {
        const report = manyKeywordsReport(count, { zeros: true });
        const section = pubmedSection(report);
        const svg = yearlyChartSvg(section, { ...report, data_notices: notices }, { scale });
        expectLegible(svg);

        const { drawn, rest } = drawnSeries(yearlyChartInput(section, report, { scale }));
        // At most 10 lines: all keywords up to 10, else the 9 largest and the rest summed.
        expect(drawn).toHaveLength(Math.min(count, 10));
        expect(rest).toHaveLength(count > 10 ? count - 9 : 0);
        // Every line (and the partial-year sample) has a colour and dash pair no other has.
        const samples = legendSamples(svg);
        expect(samples).toHaveLength(drawn.length + 1);
        expect(new Set(samples).size).toBe(samples.length);
        const texts = textElements(svg).map((t) => t.content);
        for (const d of drawn) expect(texts).toContain(d.name);
        expect(texts).toContain('adjusted for 2024');
        expect(texts.some((t) => t.startsWith('NOTICE: Demo archive'))).toBe(true);
      });
    }
  }

  it('with 50 keywords, names the 41 summed as others under the chart, within four lines', () => {
    const report = manyKeywordsReport(50);
    const svg = yearlyChartSvg(pubmedSection(report), report);
    const texts = textElements(svg).map((t) => t.content);
    expect(texts).toContain('others (41, summed)');
    const othersLines = texts.slice(texts.findIndex((t) => t.startsWith('Others (41), summed in the grey line:')));
    expect(othersLines.length).toBeLessThanOrEqual(4);
    const named = othersLines.join(' ');
    // The smallest keywords are among the others, the largest are drawn on their own.
    expect(named).toContain('Pyro');
    expect(named).not.toContain('PyTorch,');
    expect(named).toContain('(every series is in pubmed_by_year_wide.csv)');
    // The canvas stays the chart's size plus the lines naming the others, not a legend 1,248 px long.
    expect(svgSize(svg).height).toBeLessThan(620);
  });
});

describe('overlap chart with many frameworks compared', () => {
  for (const count of [2, 3, 5, 6, 8]) {
    it(`${count} frameworks (${2 ** count - 1} segments): no label overlaps, own segments in distinct fills`, () => {
      const report = manyFrameworksHubReport(count);
      const svg = overlapChartSvg(hfSection(report), { ...report, data_notices: notices });
      expectLegible(svg);
      const texts = textElements(svg).map((t) => t.content);
      // Past 31 rows, the largest 30 segments and one row for the rest.
      const segments = 2 ** count - 1;
      if (segments > 31) expect(texts).toContain(`${segments - 30} smaller segments`);
      const bars = svg.match(/<rect [^>]*height="18"/g) ?? [];
      expect(bars).toHaveLength(Math.min(segments, 31) + count); // segments, then each framework's availability
      // Each framework's own segment: a fill (colour and solid or hatched) no other framework's has.
      const own = FRAMEWORK_NAMES.slice(0, count).map((name) => {
        const row = svg.indexOf(`>${name} only</text>`);
        const rect = /<rect [^>]*fill="([^"]+)"/.exec(svg.slice(row))!;
        return rect[1];
      });
      expect(new Set(own).size).toBe(count);
      for (const fill of own) expect([...PALETTE, ...PALETTE.map((c) => `url(#hatch-${c.slice(1)})`)]).toContain(fill);
    });
  }
});
