import { describe, expect, it } from 'vitest';
import { acceptedRange, auditClaims } from '../../collectors/huggingface/claims.js';
import { comparisonSnapshots } from '../../src/analyze/overlap-snapshot/analyze.js';
import type { OverlapComparison } from '../../src/analyze/overlap-snapshot/types.js';
import { articleHub, hub, hfSeriesSpec } from '../analyze/helpers.js';

function comparisonFrom(rows = articleHub()): OverlapComparison {
  const series = hfSeriesSpec();
  const spec = series.comparisons[0]!;
  const { snapshots } = comparisonSnapshots(series, spec, rows);
  return { comparison: spec.label, frameworks: ['PyTorch', 'TensorFlow'], ...snapshots.at(-1)!, history: snapshots, daily_from: '' };
}

describe('collectors/huggingface/claims', () => {
  it('defines the tolerances explicitly', () => {
    expect(acceptedRange('almost', 93)).toEqual([91, 93]);
    expect(acceptedRange('about', 7)).toEqual([5.5, 8.5]);
  });

  it('checks the three article claims against the recomputed shares', () => {
    const audit = auditClaims([comparisonFrom()]);
    expect(audit.status).toBe('computed');
    expect(audit.observed_at).toBe('2024-07-20');
    const byId = Object.fromEntries(audit.claims.map((c) => [c.id, c]));

    // "Almost 93 % PyTorch exclusive": 91.10 % is in [91, 93]; availability 93.54 % is over 93, so not "almost".
    expect(byId['pytorch-exclusive']!.recomputed_pct).toBe(91.1);
    expect(byId['pytorch-exclusive']!.holds).toBe(true);
    expect(byId['pytorch-exclusive']!.holding_bases).toEqual(['exclusive']);

    // "About 7 % TensorFlow exclusive": 6.46 % holds; TensorFlow availability 8.90 % would not.
    expect(byId['tensorflow-exclusive']!.recomputed_pct).toBe(6.46);
    expect(byId['tensorflow-exclusive']!.holds).toBe(true);
    expect(byId['tensorflow-exclusive']!.bases.find((b) => b.basis === 'availability')).toMatchObject({ pct: 8.9, holds: false });

    // "About 24 % of all models available for PyTorch": 93.54 %, and no basis comes near 24 %.
    expect(byId['pytorch-available']!.recomputed_pct).toBe(93.54);
    expect(byId['pytorch-available']!.holds).toBe(false);
    expect(byId['pytorch-available']!.holding_bases).toEqual([]);
    expect(byId['pytorch-available']!.verdict).toMatch(/does not hold.*no share basis is in range/);
  });

  it('names the basis that makes a claim hold when the intended one does not', () => {
    // Availability of PyTorch lands at 92 % while its exclusive share is far below.
    const d = '2024-07-20';
    const audit = auditClaims([comparisonFrom([hub('pytorch', 92, d), hub('tf', 60, d), hub('pytorch+tf', 52, d)])]);
    const claim = audit.claims.find((c) => c.id === 'pytorch-exclusive')!;
    expect(claim.holds).toBe(false);
    expect(claim.holding_bases).toEqual(['availability']);
    expect(claim.verdict).toMatch(/matches available for PyTorch/);
  });

  it('is unavailable without a PyTorch vs TensorFlow comparison', () => {
    const audit = auditClaims([]);
    expect(audit.status).toBe('unavailable');
    expect(audit.claims).toEqual([]);
    expect(audit.reason).toMatch(/PyTorch vs TensorFlow/);
  });
});
