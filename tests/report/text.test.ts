import { describe, expect, it } from 'vitest';
import { renderAudit } from '../../src/report/audit-text.js';
import { renderSummary } from '../../src/report/summary.js';
import { textTable } from '../../src/report/text-table.js';
import { articleHub, hub, monthlyScenario, reportOf } from '../analyze/helpers.js';
import { articleObservations, articleReport, renderBacktest } from './fixtures.js';
import { manyKeywordsReport } from './many-series.js';

describe('src/report/text-table', () => {
  /**
   * Where each cell ends on screen, counting East Asian wide characters as two columns (what a terminal does;
   * written out here, not with the library under test) and combining marks as none.
   */
  const columns = (text: string) =>
    [...text].reduce((n, ch) => n + (/[\u0300-\u036f]/.test(ch) ? 0 : /[\u3000-\u9fff\uac00-\ud7af\uff00-\uff60]/.test(ch) ? 2 : 1), 0);
  const cellEnds = (line: string) => [...line.matchAll(/\S+(?: \S+)*/g)].map((m) => columns(line.slice(0, m.index + m[0].length)));

  it('pads cells by display width, so CJK and accented names keep the columns straight', () => {
    const text = textTable(
      [
        ['framework', 'papers', 'share'],
        ['PyTorch', '1234', '91.10 %'],
        ['深度学习框架', '56', '6.46 %'],
        ['Ünïcödé', '7', '2.44 %'],
        ['Cafe\u0301', '8', '0.01 %'],
      ],
      [false, true, true],
    );
    const lines = text.split('\n');
    // Right-aligned columns end at the same screen column on every line; the first column's padding follows.
    const ends = lines.map((line) => cellEnds(line).slice(1));
    for (const end of ends) expect(end).toEqual(ends[0]);
    expect(lines[2]).toBe('  深度学习框架      56   6.46 %');
  });
});

describe('src/report/summary', () => {
  it('prints the latest Hub and PubMed figures compactly', () => {
    const text = renderSummary(articleReport());
    expect(text).toContain('Adoption metrics as of 2024-07-20 (live data;');
    expect(text).toMatch(/PyTorch only +180549 +91\.10 %/);
    expect(text).toMatch(/available for TensorFlow +17642 +8\.90 %/);
    expect(text).toMatch(/2024 +1000\* \(500\) +300\* \(150\) +200\* \(100\)/);
    expect(text).toContain('2024 is partial: lag-aware estimate');
    expect(text).not.toContain('Warnings');
  });

  it('says in one line that PubMed was never collected, instead of a table of n/a or a warning per keyword', () => {
    const hfOnly = articleObservations().filter((o) => o.source === 'huggingface');
    const text = renderSummary(articleReport({ observations: hfOnly }));
    expect(text).toMatch(/PyTorch only +180549/);
    expect(text).toContain('PubMed papers per year: none stored yet for PyTorch, TensorFlow, Keras');
    expect(text).not.toContain('n/a');
    expect(text).toMatch(
      /pubmed: no counts stored yet for PyTorch, TensorFlow, Keras \(\d{4}–2024\); run `adoption-metrics collect --sources pubmed`/,
    );
    expect(text).not.toContain('has no stored count for');
  });

  it('shows the 6 largest of many keywords, says where the rest are, and stays narrow', () => {
    const text = renderSummary(manyKeywordsReport(50));
    const header = text.split('\n').find((line) => line.trimStart().startsWith('year'))!;
    expect(header.trim().split(/\s{2,}/)).toEqual(['year', 'PyTorch', 'TensorFlow', 'Keras', 'JAX', 'scikit-learn', 'Caffe']);
    expect(text).toContain('  … 44 more keywords in pubmed_by_year_wide.csv (the largest by latest value are shown)');
    expect(text).toContain('  observed: 2024-07-20 (50 keywords)');
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(110);
    // Up to 7 keywords, every one has its column.
    const seven = renderSummary(manyKeywordsReport(7));
    expect(seven).toMatch(/year +PyTorch +TensorFlow +Keras +JAX +scikit-learn +XGBoost +LightGBM/);
    expect(seven).not.toContain('more keywords');
    expect(seven).toContain('observed: PyTorch 2024-07-20, TensorFlow 2024-07-20');
  });

  it('adds a short trend line per comparison: each segment’s share of new models a year apart', () => {
    const text = renderSummary(articleReport());
    expect(text).toContain('Hugging Face Hub models created per month: PyTorch vs TensorFlow, as listed 2024-07-20 (exact counts)');
    expect(text).toContain('  198,191 models: 99,000 undated, 99,191 created 2023-06 to 2024-07');
    expect(text).toContain(
      '  share of new models, 2023-06 → 2024-06 (last full month): PyTorch only 78.3 % → 93.6 %; TensorFlow only 13.0 % → 4.3 %; PyTorch and TensorFlow 8.7 % → 2.1 %',
    );
    // Observed on 2024-02-01: 15 pytorch, 5 tf, 2 both (18 in the union); 17 of them still listed by 2024-03-15.
    const d = '2024-02-01';
    const scenario = renderSummary(reportOf([...monthlyScenario(), hub('pytorch', 15, d), hub('tf', 5, d), hub('pytorch+tf', 2, d)]));
    expect(scenario).toMatch(/observed 2024-02-01: 18 models; created by the end of 2024-01 and still listed: 17 \(gap \+1\)/);
  });

  it('says, instead of an empty table, that fast counts give no monthly history', () => {
    const text = renderSummary(reportOf(articleHub('2024-07-20', 'fast')));
    expect(text).toMatch(
      /Hugging Face Hub models created per month: none stored: monthly counts come only from exact counts.*--hf-method exact or both/,
    );
  });

  it('makes replayed data impossible to miss, and puts any notice right under the heading', () => {
    expect(renderSummary(articleReport({ replayed: true }))).toContain('REPLAYED data, not live');
    const lines = renderSummary(articleReport({ replayed: true, notices: ['the counts are ILLUSTRATIVE'] })).split('\n');
    expect(lines[1]).toBe('NOTICE: the counts are ILLUSTRATIVE');
  });
});

describe('src/report/audit-text', () => {
  it('prints each claim beside the recomputed figure', () => {
    const text = renderAudit(articleReport());
    expect(text).toMatch(/"Almost 93% of models are PyTorch exclusive" +almost 93 % +91-93 % +91\.10 % +yes/);
    expect(text).toMatch(/"about 24% of all models available for PyTorch" +about 24 % +22\.5-25\.5 % +93\.54 % +no/);
  });

  it('explains when the audit cannot run', () => {
    expect(renderAudit(articleReport({ observations: [] }))).toMatch(/not available/);
  });
});

describe('src/report/backtest-text', () => {
  it('prints per-year errors and the mean absolute error per method', () => {
    const text = renderBacktest(articleReport());
    expect(text).toMatch(/PyTorch +2021 +100 +200 +182 +-9\.20 % +200 +0\.00 %/);
    expect(text).toContain('Mean absolute error: linear 9.20 % (n=9), lag-aware 0.00 % (n=9)');
  });
});
