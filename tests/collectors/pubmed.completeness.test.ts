import { describe, expect, it } from 'vitest';
import { crdtCompleteness } from '../../collectors/pubmed/completeness.js';
import { completenessInputs as inputs } from '../../src/analyze/yearly-count/adjustment.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { createdBy, papers, pubmedSeriesSpec } from '../analyze/helpers.js';

const completenessInputs = (rows: readonly StoredObservation[], date: string) => {
  const { visible, finals } = inputs(pubmedSeriesSpec(), crdtCompleteness, rows, Number(date.slice(0, 4)), date);
  return { createdBy: visible, papers: finals };
};

describe('collectors/pubmed/completeness', () => {
  // Records of 2023 created by 1 July 2023: 300; by 31 July 2023: 362 (test values).
  const rows = [...createdBy('PyTorch', 2023, 300, '2024-07-01', 362), papers('PyTorch', 2023, 1000, '2024-07-01')];

  it('interpolates the as-of day between the cutoffs on the first and last day of its month', () => {
    expect(completenessInputs(rows, '2024-07-01').createdBy.get(2023)).toBe(300);
    expect(completenessInputs(rows, '2024-07-31').createdBy.get(2023)).toBe(362);
    // 20 July: 19 of the month's 30 steps, 300 + 62 × 19/30.
    expect(completenessInputs(rows, '2024-07-20').createdBy.get(2023)).toBeCloseTo(300 + (62 * 19) / 30, 9);
    expect(completenessInputs(rows, '2024-07-20').papers.get(2023)).toBe(1000);
  });

  it('reuses cutoffs stored earlier in the month, and leaves a year out when a cutoff it needs is missing', () => {
    expect(completenessInputs(rows, '2024-07-25').createdBy.get(2023)).toBeCloseTo(300 + (62 * 24) / 30, 9);
    const onlyFirst = rows.filter((o) => o.period !== '2023-07-31');
    expect(completenessInputs(onlyFirst, '2024-07-01').createdBy.get(2023)).toBe(300);
    expect(completenessInputs(onlyFirst, '2024-07-20').createdBy.has(2023)).toBe(false);
    // Another month needs that month's cutoffs; cutoffs stored after the date are not known yet.
    expect(completenessInputs(rows, '2024-08-10').createdBy.has(2023)).toBe(false);
    expect(completenessInputs(rows, '2024-06-30').createdBy.has(2023)).toBe(false);
  });
});
