import { describe, expect, it } from 'vitest';
import { dedupeObservations, observedBy } from '../../src/analyze/select-observations.js';
import { analyzeYearly } from '../../src/analyze/yearly-count/analyze.js';
import { yearlyMethodology } from '../../src/analyze/yearly-count/methodology.js';
import type { YearlyCountSeries } from '../../src/analyze/yearly-count/spec.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { allRecords, config, papers, pubmedHistory, pubmedSeriesSpec } from './helpers.js';

/** per_million of the yearly-count kind, on the series PubMed declares (its denominator: all PubMed records). */

function analyze(rows: StoredObservation[], asOf = '2024-07-20', series: YearlyCountSeries = pubmedSeriesSpec(config())) {
  return analyzeYearly(series, dedupeObservations(observedBy(rows, asOf)), asOf);
}

const perMillion = (result: ReturnType<typeof analyze>, keyword: string) =>
  result.report.series.find((s) => s.keyword === keyword)!.points.map((p) => [p.year, p.per_million]);

describe('src/analyze/yearly-count per_million', () => {
  it('divides each count by all records of its year; the partial year raw by raw, as observed the same day', () => {
    const result = analyze(pubmedHistory());
    // Totals 1, 1.25, 1.6 and 2 million, and 1 million so far in 2024 (counts 100, 200, 400, 800; 500 so far).
    expect(perMillion(result, 'PyTorch')).toEqual([
      [2020, 100],
      [2021, 160],
      [2022, 250],
      [2023, 400],
      [2024, 500],
    ]);
    // Never the adjusted 2024 count (1,000) over a raw total: that would be a share of nothing.
    expect(result.report.series[0]!.points.at(-1)).toMatchObject({ count: 500, adjusted: 1000, per_million: 500 });
    expect(result.warnings).toEqual([]);
    // The totals are provenance like the counts.
    expect(result.usedRows.filter((o) => o.metric === 'papers_all')).toHaveLength(5);
  });

  it('takes a complete year total observed after the year ended, and a partial year total only from the same day', () => {
    const rows = [
      papers('PyTorch', 2023, 800, '2024-07-20'),
      papers('PyTorch', 2024, 500, '2024-07-20'),
      // 2023: an old total from before the year ended, and the settled one from 2024.
      allRecords(2023, 999, '2023-06-01'),
      allRecords(2023, 2_000_000, '2024-02-01'),
      // 2024: a total from the day before the count, which holds less of the year than the count does.
      allRecords(2024, 900_000, '2024-07-19'),
    ];
    const result = analyze(rows, '2024-07-20', pubmedSeriesSpec(config({ pubmed: ['PyTorch'], fromYear: 2023 })));
    expect(perMillion(result, 'PyTorch')).toEqual([
      [2023, 400],
      [2024, null],
    ]);
    expect(result.warnings).toContain('pubmed: per_million is empty for 2024: no total of all PubMed records is stored for it yet');
  });

  it('leaves per_million empty for a total of 0, and for a series without a denominator', () => {
    const zero = analyze([papers('PyTorch', 2023, 8, '2024-07-20'), allRecords(2023, 0, '2024-07-20')]);
    expect(zero.report.series[0]!.points.find((p) => p.year === 2023)!.per_million).toBeNull();
    const { denominator: _, ...withoutDenominator } = pubmedSeriesSpec(config());
    const none = analyze(pubmedHistory(), '2024-07-20', withoutDenominator);
    expect(none.report.series.every((s) => s.points.every((p) => p.per_million === null))).toBe(true);
    expect(none.warnings.some((w) => w.includes('per_million'))).toBe(false);
    expect(yearlyMethodology(withoutDenominator).per_million).toBeNull();
  });

  it('leaves per_million empty and warns when a total is smaller than the count (over 1,000,000 per million: a broken totals answer)', () => {
    const rows = [
      papers('PyTorch', 2022, 400, '2024-07-20'),
      papers('PyTorch', 2023, 800, '2024-07-20'),
      papers('TensorFlow', 2023, 300, '2024-07-20'),
      allRecords(2022, 1_600_000, '2024-07-20'),
      // A totals answer that lost most of its records: 500 for the whole of 2023.
      allRecords(2023, 500, '2024-07-20'),
    ];
    const result = analyze(
      rows,
      '2024-07-20',
      pubmedSeriesSpec(config({ pubmed: ['PyTorch', 'TensorFlow'], fromYear: 2022, toYear: 2023 })),
    );
    // PyTorch's 800 of 500 would be 1,600,000 per million: withheld. TensorFlow's 300 of 500 is possible, if odd.
    expect(perMillion(result, 'PyTorch')).toEqual([
      [2022, 250],
      [2023, null],
    ]);
    expect(perMillion(result, 'TensorFlow')).toEqual([
      [2022, null],
      [2023, 600_000],
    ]);
    expect(result.warnings).toContain(
      "pubmed: per_million is left empty for PyTorch 2023 (800 over a total of 500, observed 2024-07-20): a year's total of all PubMed records cannot be smaller than one keyword's count, so the stored total is wrong (a broken totals answer); `collect --full` asks it again",
    );
    // The counts themselves are kept: only the ratio is withheld.
    expect(result.report.series[0]!.points.find((p) => p.year === 2023)).toMatchObject({ count: 800, per_million: null });
  });

  it('says in the methodology how the partial year is divided', () => {
    expect(yearlyMethodology(pubmedSeriesSpec(config())).per_million).toMatch(
      /^per_million = count \/ all PubMed records of the same year \* 1,000,000, where the total is the count of every PubMed record .*raw count by the raw total observed the same day/,
    );
  });

  it('lists the years without a total as ranges, in one short line', () => {
    const rows = [2015, 2016, 2017, 2018, 2020].map((y) => papers('PyTorch', y, 10, '2024-07-20'));
    const result = analyze(rows, '2024-07-20', pubmedSeriesSpec(config({ pubmed: ['PyTorch'], fromYear: 2015, toYear: 2020 })));
    expect(result.warnings).toContain(
      'pubmed: per_million is empty for 2015–2018, 2020: no total of all PubMed records is stored for it yet',
    );
  });
});
