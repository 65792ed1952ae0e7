import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { textWidth, wrapText } from '../../src/report/chart/text-width.js';
import { niceTicks, seriesColour } from '../../src/report/svg.js';
import { articleHub, pubmedSection, reportOf } from '../analyze/helpers.js';
import { articleReport, hfChartSvg, hfTrendSvg, pubmedChartSvg } from './fixtures.js';

/** Fonts are optional: the pixel checks below look at line and bar colours only, never at glyphs. */
const FONT_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'].filter((f) =>
  existsSync(f),
);

function render(svg: string) {
  const image = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'DejaVu Sans' } }).render();
  return { png: image.asPng(), pixels: image.pixels, width: image.width, height: image.height };
}

function countColour(pixels: Buffer, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let count = 0;
  for (let i = 0; i < pixels.length; i += 4)
    if (pixels[i] === r && pixels[i + 1] === g && pixels[i + 2] === b && pixels[i + 3] === 255) count++;
  return count;
}

describe('src/report/pubmed-chart', () => {
  it('renders every series in its colour and labels the adjusted partial year', () => {
    const report = articleReport();
    const svg = pubmedChartSvg(report);
    expect(svg).toContain('adjusted for 2024');
    for (const keyword of ['PyTorch', 'TensorFlow', 'Keras']) expect(svg).toContain(`>${keyword}</text>`);
    expect(svg).toContain('stroke-dasharray');
    expect(svg).not.toContain('replayed data');

    const { png, pixels, width, height } = render(svg);
    expect(png.length).toBeGreaterThan(1000);
    // Two panels: the counts, and under them per million PubMed records (the history stores the totals).
    expect(svg).toContain('>Per million PubMed records</text>');
    expect([width, height]).toEqual([900, 520 + 356 + 40]);
    for (const [i] of pubmedSection(report).data.series.entries()) expect(countColour(pixels, seriesColour(i))).toBeGreaterThan(50);
  });

  it('says "replayed data" when the data was replayed, and is deterministic', () => {
    const svg = pubmedChartSvg(articleReport({ replayed: true }));
    expect(svg).toContain('replayed data');
    expect(pubmedChartSvg(articleReport({ replayed: true }))).toBe(svg);
  });

  it('carries a notice under each chart and in its title, growing the image to fit', () => {
    const notice = 'Demo archive: the PubMed counts are ILLUSTRATIVE, not PubMed data.';
    const long = `${'word '.repeat(24)}end`; // 124 characters: two lines
    for (const chart of [pubmedChartSvg, hfChartSvg, hfTrendSvg]) {
      const plain = chart(articleReport({ replayed: true }));
      const noted = chart(articleReport({ replayed: true, notices: [notice] }));
      expect(plain).not.toContain('NOTICE');
      expect(noted).toMatch(new RegExp(`<title>[^<]*NOTICE: ${notice}</title>`));
      expect(noted).toMatch(new RegExp(`<text [^>]*>NOTICE: ${notice}</text>`));
      expect(render(noted).height).toBe(render(plain).height + 8 + 18);
      expect(render(chart(articleReport({ notices: [long] }))).height).toBe(render(plain).height + 8 + 2 * 18);
    }
    expect(pubmedChartSvg(articleReport({ observations: [], notices: [notice] }))).toContain(`NOTICE: ${notice}`);
  });

  it('draws a readable placeholder when nothing is stored', () => {
    const svg = pubmedChartSvg(articleReport({ observations: [] }));
    expect(svg).toContain('No PubMed counts are stored');
    expect(render(svg).png.length).toBeGreaterThan(100);
  });
});

describe('src/report/hub-chart', () => {
  it('draws one bar per segment with counts and shares', () => {
    const svg = hfChartSvg(articleReport());
    for (const label of [
      'PyTorch only',
      'TensorFlow only',
      'PyTorch and TensorFlow',
      '180,549 (91.10 %)',
      '12,809 (6.46 %)',
      '4,833 (2.44 %)',
      '185,382 (93.54 %)',
    ]) {
      expect(svg).toContain(label);
    }
    const { pixels } = render(svg);
    expect(countColour(pixels, seriesColour(0))).toBeGreaterThan(1000); // the long PyTorch-only bar
    expect(countColour(pixels, seriesColour(1))).toBeGreaterThan(50);
  });
});

describe('src/report/monthly-overlap/chart (hf_trend.svg)', () => {
  it('draws new models and shares per month per segment, the partial month dashed, and states the undated block', () => {
    const svg = hfTrendSvg(articleReport());
    expect(svg).toContain('>New models per month</text>');
    expect(svg).toContain(">Share of the month's new models (%)</text>");
    for (const label of ['PyTorch only', 'TensorFlow only', 'PyTorch and TensorFlow', '2024-07', 'current month,', 'still filling'])
      expect(svg).toContain(`>${label}</text>`);
    expect(svg).toMatch(/99,000 models undated \(created before dates were stored\), not drawn/);
    expect(svg).not.toContain('>2022-03<'); // the placeholder date is no month
    expect(svg).toContain('stroke-dasharray'); // the month still filling
    expect(hfTrendSvg(articleReport())).toBe(svg);

    const { pixels, width } = render(svg);
    expect(width).toBe(900);
    expect(countColour(pixels, seriesColour(0))).toBeGreaterThan(100); // PyTorch only
    expect(countColour(pixels, seriesColour(1))).toBeGreaterThan(100); // TensorFlow only
  });

  it('says why there is no chart when only fast counts are stored', () => {
    const svg = hfTrendSvg(reportOf(articleHub('2024-07-20', 'fast')));
    expect(svg).toMatch(/No Hub models per month are stored yet: monthly counts come only from exact counts/);
    expect(svg.replace(/<\/text>\s*<text[^>]*>/g, ' ')).toMatch(/--hf-method exact or both/);
    expect(render(svg).png.length).toBeGreaterThan(100);
  });
});

describe('src/report/svg', () => {
  it('wraps words into lines no wider than asked, breaking a word wider than a line rather than losing it', () => {
    const font = { size: 10 };
    const width = (s: string) => textWidth(s, font);
    expect(wrapText('NOTICE: the counts are  ILLUSTRATIVE', width('ILLUSTRATIVE'), font)).toEqual([
      'NOTICE: the',
      'counts are',
      'ILLUSTRATIVE',
    ]);
    const broken = wrapText('a verylongwordindeed b', width('veryl'), font);
    expect(broken.slice(0, 2)).toEqual(['a', 'veryl']);
    expect(broken.join('')).toBe('averylongwordindeed b'); // every letter kept, in order
    for (const line of broken) expect(width(line)).toBeLessThanOrEqual(width('veryl'));
    expect(wrapText('', 50, font)).toEqual([]);
  });

  it('picks round axis steps that cover the maximum', () => {
    expect(niceTicks(1080)).toEqual([0, 250, 500, 750, 1000, 1250]);
    expect(niceTicks(9)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('never splits a count axis below whole numbers', () => {
    expect(niceTicks(3, 5, 1)).toEqual([0, 1, 2, 3]);
  });
});
