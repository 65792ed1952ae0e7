import { describe, expect, it } from 'vitest';
import { ARTICLE_QUARTER, auditQuarterClaims } from '../../collectors/paperswithcode/claims.js';
import type { QuarterlyReport } from '../../src/analyze/quarterly-share/types.js';

/** A report with PyTorch's share of PyTorch-or-TensorFlow papers per quarter, and repository shares. */
function report(
  either: Record<string, number>,
  repos: Record<string, [number, number, number]>,
  partial: string | null = null,
): QuarterlyReport {
  const quarters = Object.keys(either).sort();
  return {
    observed_at: '2026-01-10',
    through: '2025-07-25',
    counted_through: '2025-07-25',
    partial_quarter: partial,
    quarters,
    frameworks: ['PyTorch', 'TensorFlow'],
    units: ['papers', 'repos'],
    totals: quarters.map((quarter) => ({
      quarter,
      counts: { papers: 1000, repos: repos[quarter]?.[2] ?? null },
      partial: quarter === partial,
    })),
    points: quarters.flatMap((quarter) =>
      ['PyTorch', 'TensorFlow'].map((framework, i) => ({
        quarter,
        framework,
        counts: { papers: 0, repos: repos[quarter]?.[i] ?? null },
        shares: { papers: 0, repos: null },
        partial: quarter === partial,
      })),
    ),
    comparisons: [
      {
        comparison: 'PyTorch vs TensorFlow',
        frameworks: ['PyTorch', 'TensorFlow'],
        points: quarters.flatMap((quarter) => [
          {
            quarter,
            framework: 'PyTorch',
            count: either[quarter]! * 10,
            union: 1000,
            share: either[quarter]! / 100,
            partial: quarter === partial,
          },
          { quarter, framework: 'TensorFlow', count: 1000 - either[quarter]! * 10, union: 1000, share: 0, partial: quarter === partial },
        ]),
      },
    ],
    left_out: [],
  };
}

describe('collectors/paperswithcode/claims', () => {
  it("checks the 7 % → 85 % curve where it starts and in the article's quarter, and the quarter's repository shares", () => {
    expect(ARTICLE_QUARTER).toBe('2024-Q3');
    const audit = auditQuarterClaims(
      report(
        { '2016-Q4': 1, '2017-Q1': 3.2, '2017-Q2': 6.8, '2018-Q1': 30, '2024-Q2': 83.5, '2024-Q3': 84.6, '2025-Q2': 88 },
        { '2024-Q2': [700, 40, 1000], '2024-Q3': [2440, 99, 3300] },
      ),
    );
    expect(audit.status).toBe('computed');
    const byId = Object.fromEntries(audit.claims.map((c) => [c.id, c]));
    expect(byId['pwc-papers-start']).toMatchObject({ recomputed_pct: 6.8, holds: true, checked_on: ['2017-Q2'] });
    expect(byId['pwc-papers-start']!.bases.find((b) => b.basis === 'first-quarter')).toMatchObject({ checked_on: '2016-Q4', pct: 1 });
    expect(byId['pwc-papers-end']).toMatchObject({ recomputed_pct: 84.6, holds: true, checked_on: ['2024-Q3'] });
    expect(byId['pwc-papers-end']!.holding_bases).toEqual(['either-share', 'previous-quarter']);
    // 2,440 of 3,300 repositories (73.94 %) are PyTorch; 99 (3.00 %) TensorFlow.
    expect(byId['pwc-repos-pytorch']).toMatchObject({ recomputed_pct: 73.94, holds: true, checked_on: ['2024-Q3'] });
    expect(byId['pwc-repos-tensorflow']).toMatchObject({ recomputed_pct: 3, holds: true });
    expect(byId['pwc-repos-pytorch']!.note).toBe(
      'the archive has no repository creation date, so "repositories created this quarter" is checked against the repositories of papers from 2024-Q3 (a paper\'s quarter is its arXiv id\'s): 3300 repositories, where the article counts 3,319',
    );
  });

  it('says which quarter matches when the one the wording names does not, and when the curve jumps past the start', () => {
    const audit = auditQuarterClaims(
      report({ '2017-Q1': 2, '2017-Q2': 12, '2024-Q2': 84, '2024-Q3': 86.2 }, { '2024-Q3': [600, 50, 1000] }, '2024-Q3'),
    );
    const byId = Object.fromEntries(audit.claims.map((c) => [c.id, c]));
    expect(byId['pwc-papers-start']!.verdict).toMatch(
      /^does not hold: .*the first quarter it reaches 5\.5 % \(2017-Q2\) is 12\.00 %, outside \[5\.5, 8\.5\]/,
    );
    expect(byId['pwc-papers-end']!.verdict).toMatch(
      /does not hold: .*\(2024-Q3\) is 86\.20 %, outside \[83, 85\]; it matches .*the quarter before the article's \(2024-Q2, 84\.00 %\)/,
    );
    expect(byId['pwc-papers-end']!.note).toBe('2024-Q3 is counted only through 2025-07-25 (partial)');
    expect(byId['pwc-repos-pytorch']!.holds).toBe(false);
  });

  it('is unavailable without data or without the comparison', () => {
    expect(auditQuarterClaims({ ...report({}, {}), observed_at: null }).reason).toMatch(/no Papers with Code counts are stored/);
    expect(auditQuarterClaims({ ...report({ '2024-Q3': 80 }, {}), comparisons: [] }).reason).toMatch(/no PyTorch vs TensorFlow comparison/);
  });
});
