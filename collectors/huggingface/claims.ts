import type { AuditBasis, AuditClaim, ClaimsAudit, ShareBasis } from '../../src/analyze/claims-types.js';
import type { ClaimsCheck } from '../../src/analyze/overlap-snapshot/spec.js';
import type { OverlapComparison } from '../../src/analyze/overlap-snapshot/types.js';
import { estimate } from '../../src/analyze/rounding.js';

/**
 * The article's claims about Hub shares (shared/reference/article-pytorch-vs-tensorflow.txt), the Hub series'
 * extension: checks the article's percentages against recomputed ones. Tolerances, in percentage points:
 * - "almost X": the true value is just below X, within [X − 2, X] (over X would be "over", not "almost").
 * - "about X": within [X − 1.5, X + 1.5] (a rounding-level difference either way).
 * Each claim is checked on the basis its wording names, and on every other basis, so the audit can say which
 * reading of the article (if any) the data supports.
 */

export const TOLERANCES = {
  almost: 'almost X holds for a value in [X - 2, X] percentage points',
  about: 'about X holds for a value in [X - 1.5, X + 1.5] percentage points',
} as const;

interface ArticleClaim {
  id: string;
  quote: string;
  framework: 'PyTorch' | 'TensorFlow';
  qualifier: 'almost' | 'about';
  stated_pct: number;
  intended_basis: ShareBasis;
}

/** The article's sentence: "Almost 93% of models are PyTorch exclusive, only about 7% are TensorFlow exclusive,
 * with about 24% of all models available for PyTorch." */
export const ARTICLE_CLAIMS: readonly ArticleClaim[] = [
  {
    id: 'pytorch-exclusive',
    quote: 'Almost 93% of models are PyTorch exclusive',
    framework: 'PyTorch',
    qualifier: 'almost',
    stated_pct: 93,
    intended_basis: 'exclusive',
  },
  {
    id: 'tensorflow-exclusive',
    quote: 'only about 7% are TensorFlow exclusive',
    framework: 'TensorFlow',
    qualifier: 'about',
    stated_pct: 7,
    intended_basis: 'exclusive',
  },
  {
    id: 'pytorch-available',
    quote: 'about 24% of all models available for PyTorch',
    framework: 'PyTorch',
    qualifier: 'about',
    stated_pct: 24,
    intended_basis: 'availability',
  },
];

const PAIR = ['pytorch', 'tensorflow'];

export function acceptedRange(qualifier: 'almost' | 'about', stated: number): [number, number] {
  return qualifier === 'almost' ? [stated - 2, stated] : [stated - 1.5, stated + 1.5];
}

/** The PyTorch-vs-TensorFlow comparison (either order, names case-insensitive). */
export function findArticleComparison(comparisons: readonly OverlapComparison[]): OverlapComparison | undefined {
  return comparisons.find((c) => c.frameworks.length === 2 && PAIR.every((name) => c.frameworks.some((f) => f.toLowerCase() === name)));
}

function basesFor(comparison: OverlapComparison, framework: string, range: [number, number]): AuditBasis[] {
  const lower = framework.toLowerCase();
  const exclusive = comparison.segments.find((s) => s.frameworks.length === 1 && s.frameworks[0]!.toLowerCase() === lower)!;
  const shared = comparison.segments.find((s) => s.frameworks.length === comparison.frameworks.length)!;
  const available = comparison.availability.find((a) => a.framework.toLowerCase() === lower)!;
  const pct = (models: number) => (100 * models) / comparison.total;
  const within = (value: number) => value >= range[0] && value <= range[1];
  return [
    { basis: 'exclusive', description: `${exclusive.frameworks[0]} only, share of all models`, pct: pct(exclusive.models) },
    { basis: 'availability', description: `available for ${available.framework}, share of all models`, pct: pct(available.models) },
    { basis: 'shared', description: `${shared.segment}, share of all models`, pct: pct(shared.models) },
  ].map((b) => ({ basis: b.basis as ShareBasis, description: b.description, pct: estimate(b.pct), holds: within(b.pct) }));
}

function verdict(claim: ArticleClaim, range: [number, number], bases: AuditBasis[]): string {
  const intended = bases.find((b) => b.basis === claim.intended_basis)!;
  const interval = `[${range[0]}, ${range[1]}]`;
  const others = bases.filter((b) => b.basis !== claim.intended_basis && b.holds);
  if (intended.holds) return `holds: ${intended.description} is ${intended.pct.toFixed(2)} %, within ${interval}`;
  const nearest = [...bases].sort((a, b) => Math.abs(a.pct - claim.stated_pct) - Math.abs(b.pct - claim.stated_pct))[0]!;
  const head = `does not hold: ${intended.description} is ${intended.pct.toFixed(2)} %, outside ${interval}`;
  if (others.length > 0) return `${head}; it matches ${others.map((b) => `${b.description} (${b.pct.toFixed(2)} %)`).join(', ')} instead`;
  return `${head}; no share basis is in range (nearest: ${nearest.description}, ${nearest.pct.toFixed(2)} %)`;
}

export function auditClaims(comparisons: readonly OverlapComparison[]): ClaimsAudit {
  const comparison = findArticleComparison(comparisons);
  const base = { tolerances: { ...TOLERANCES } };
  if (!comparison) {
    return {
      ...base,
      status: 'unavailable',
      reason: 'no usable PyTorch vs TensorFlow Hub comparison in the stored data (configure it and run the huggingface collector)',
      comparison: null,
      observed_at: null,
      method: null,
      claims: [],
    };
  }
  const claims = ARTICLE_CLAIMS.map((claim): AuditClaim => {
    const accepted = acceptedRange(claim.qualifier, claim.stated_pct);
    const bases = basesFor(comparison, claim.framework, accepted);
    const intended = bases.find((b) => b.basis === claim.intended_basis)!;
    return {
      ...claim,
      accepted,
      recomputed_pct: intended.pct,
      holds: intended.holds,
      bases,
      holding_bases: bases.filter((b) => b.holds).map((b) => b.basis),
      checked_on: [comparison.observed_at],
      verdict: verdict(claim, accepted, bases),
      note: null,
    };
  });
  return {
    ...base,
    status: 'computed',
    reason: null,
    comparison: comparison.comparison,
    observed_at: comparison.observed_at,
    method: comparison.method,
    claims,
  };
}

/** The Hub series' claims extension. */
export const articleClaims: ClaimsCheck = {
  audit: auditClaims,
  methodology: `${TOLERANCES.almost}; ${TOLERANCES.about}; checked against the latest usable date of the PyTorch vs TensorFlow comparison`,
};
