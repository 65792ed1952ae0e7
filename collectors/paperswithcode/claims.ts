import type { AuditBasis, AuditClaim, ClaimsAudit } from '../../src/analyze/claims-types.js';
import type { QuarterlyClaimsCheck } from '../../src/analyze/quarterly-share/spec.js';
import { previousQuarter, quarterOfDate } from '../../src/analyze/quarterly-share/quarters.js';
import type { QuarterlyComparison, QuarterlyReport } from '../../src/analyze/quarterly-share/types.js';
import { estimate } from '../../src/analyze/rounding.js';
import { acceptedRange, TOLERANCES } from '../huggingface/claims.js';

/**
 * The article's Papers with Code claims (shared/reference/article-pytorch-vs-tensorflow.txt, research section),
 * checked against the archive's shares, with the Hub claims' tolerances ("almost X": [X − 2, X]; "about X":
 * [X − 1.5, X + 1.5]; "nearly" is read as "almost", "just" as "about"):
 * - "grew from just about 7% to almost 85% of papers that use either PyTorch or TensorFlow": PyTorch's share of
 *   the papers with PyTorch or TensorFlow code, where the curve starts (the first quarter it reaches 5.5 %) and
 *   in the article's quarter;
 * - "out of the 3,319 repositories created this quarter, nearly 75% of them are implemented in PyTorch, with
 *   just 3% implemented in TensorFlow": each one's share of all repositories of the article's quarter. The
 *   archive has no repository creation date, so it is checked on the repositories of papers from that quarter.
 */

/** The article's date (20 July 2024): "this quarter" is its quarter. */
export const ARTICLE_DATE = '2024-07-20';
export const ARTICLE_QUARTER = quarterOfDate(ARTICLE_DATE);
/** "out of the 3,319 repositories created this quarter". */
export const ARTICLE_REPOSITORIES = 3319;

const METHOD = 'archive';

interface QuarterClaim {
  id: string;
  quote: string;
  framework: 'PyTorch' | 'TensorFlow';
  qualifier: 'almost' | 'about';
  stated_pct: number;
  intended_basis: string;
}

export const ARTICLE_CLAIMS: readonly QuarterClaim[] = [
  {
    id: 'pwc-papers-start',
    quote: 'grew from just about 7% … of papers that use either PyTorch or TensorFlow',
    framework: 'PyTorch',
    qualifier: 'about',
    stated_pct: 7,
    intended_basis: 'curve-start',
  },
  {
    id: 'pwc-papers-end',
    quote: '… to almost 85% of papers that use either PyTorch or TensorFlow',
    framework: 'PyTorch',
    qualifier: 'almost',
    stated_pct: 85,
    intended_basis: 'either-share',
  },
  {
    id: 'pwc-repos-pytorch',
    quote: 'out of the 3,319 repositories created this quarter, nearly 75% of them are implemented in PyTorch',
    framework: 'PyTorch',
    qualifier: 'almost',
    stated_pct: 75,
    intended_basis: 'repos-share',
  },
  {
    id: 'pwc-repos-tensorflow',
    quote: 'with just 3% implemented in TensorFlow',
    framework: 'TensorFlow',
    qualifier: 'about',
    stated_pct: 3,
    intended_basis: 'repos-share',
  },
];

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function eitherComparison(report: QuarterlyReport): QuarterlyComparison | undefined {
  return report.comparisons.find(
    (c) => c.frameworks.length === 2 && ['pytorch', 'tensorflow'].every((n) => c.frameworks.some((f) => same(f, n))),
  );
}

type Basis = Omit<AuditBasis, 'holds'>;

/** `PyTorch`'s share of papers with PyTorch or TensorFlow code, per quarter (quarters with a value only). */
function eitherShares(c: QuarterlyComparison, framework: string): { quarter: string; pct: number; partial: boolean }[] {
  return c.points
    .filter((p) => same(p.framework, framework) && p.count !== null && p.union)
    .map((p) => ({ quarter: p.quarter, pct: (100 * p.count!) / p.union!, partial: p.partial }));
}

function repoShare(report: QuarterlyReport, framework: string, quarter: string, unit: string): number | null {
  const point = report.points.find((p) => p.quarter === quarter && same(p.framework, framework));
  const total = report.totals.find((t) => t.quarter === quarter)?.counts[unit];
  const count = point?.counts[unit];
  return count === null || count === undefined || !total ? null : (100 * count) / total;
}

/** The bases of each claim, the intended one first; those the data lacks are left out. */
function basesFor(claim: QuarterClaim, report: QuarterlyReport, c: QuarterlyComparison, range: [number, number]): Basis[] {
  const shares = eitherShares(c, claim.framework).filter((s) => s.quarter <= ARTICLE_QUARTER);
  const either = `${claim.framework}'s share of papers with PyTorch or TensorFlow code`;
  const at = (quarter: string) => shares.find((s) => s.quarter === quarter);
  const out: (Basis | undefined)[] = [];
  if (claim.intended_basis === 'curve-start') {
    const start = shares.find((s) => s.pct >= range[0]);
    const first = shares.find((s) => s.pct > 0);
    out.push(
      start && {
        basis: 'curve-start',
        description: `${either}, the first quarter it reaches ${range[0]} %`,
        pct: start.pct,
        checked_on: start.quarter,
      },
    );
    out.push(
      first && { basis: 'first-quarter', description: `${either}, its first quarter above 0 %`, pct: first.pct, checked_on: first.quarter },
    );
  } else if (claim.intended_basis === 'either-share') {
    const previous = at(previousQuarter(ARTICLE_QUARTER));
    const article = at(ARTICLE_QUARTER);
    const latest = eitherShares(c, claim.framework)
      .filter((s) => !s.partial)
      .at(-1);
    out.push(
      article && { basis: 'either-share', description: `${either}, the article's quarter`, pct: article.pct, checked_on: article.quarter },
    );
    out.push(
      previous && {
        basis: 'previous-quarter',
        description: `${either}, the quarter before the article's`,
        pct: previous.pct,
        checked_on: previous.quarter,
      },
    );
    out.push(
      latest && {
        basis: 'latest-complete',
        description: `${either}, the archive's last complete quarter`,
        pct: latest.pct,
        checked_on: latest.quarter,
      },
    );
  } else {
    const [papers, repos] = report.units;
    const add = (basis: string, description: string, quarter: string, unit: string | undefined) => {
      const pct = unit === undefined ? null : repoShare(report, claim.framework, quarter, unit);
      out.push(pct === null ? undefined : { basis, description, pct, checked_on: quarter });
    };
    add(
      'repos-share',
      `${claim.framework}'s share of all repositories of the quarter's papers, the article's quarter`,
      ARTICLE_QUARTER,
      repos,
    );
    add(
      'repos-previous-quarter',
      `${claim.framework}'s share of all repositories, the quarter before the article's`,
      previousQuarter(ARTICLE_QUARTER),
      repos,
    );
    add('papers-share', `${claim.framework}'s share of all papers with code, the article's quarter`, ARTICLE_QUARTER, papers);
  }
  return out.filter((b): b is Basis => b !== undefined);
}

function verdict(claim: QuarterClaim, range: [number, number], bases: AuditBasis[]): string {
  const interval = `[${range[0]}, ${range[1]}]`;
  const intended = bases.find((b) => b.basis === claim.intended_basis);
  if (!intended) return `not checked: the archive has no ${claim.framework} share for the basis the wording names`;
  const what = `${intended.description} (${intended.checked_on}) is ${intended.pct.toFixed(2)} %`;
  if (intended.holds) return `holds: ${what}, within ${interval}`;
  const others = bases.filter((b) => b !== intended && b.holds);
  const head = `does not hold: ${what}, outside ${interval}`;
  if (others.length > 0)
    return `${head}; it matches ${others.map((b) => `${b.description} (${b.checked_on}, ${b.pct.toFixed(2)} %)`).join(', ')} instead`;
  return `${head}; no other basis is in range`;
}

function noteFor(claim: QuarterClaim, report: QuarterlyReport): string | null {
  const notes: string[] = [];
  if (claim.intended_basis === 'repos-share') {
    const [, repos] = report.units;
    const total = report.totals.find((t) => t.quarter === ARTICLE_QUARTER)?.counts[repos ?? ''] ?? null;
    notes.push(
      `the archive has no repository creation date, so "repositories created this quarter" is checked against the repositories of papers from ${ARTICLE_QUARTER} (a paper's quarter is its arXiv id's): ${total ?? 'no'} repositories, where the article counts ${ARTICLE_REPOSITORIES.toLocaleString('en-US')}`,
    );
  }
  if (claim.intended_basis !== 'curve-start' && report.partial_quarter === ARTICLE_QUARTER) {
    notes.push(`${ARTICLE_QUARTER} is counted only through ${report.counted_through} (partial)`);
  }
  return notes.length > 0 ? notes.join('; ') : null;
}

export function auditQuarterClaims(report: QuarterlyReport): ClaimsAudit {
  const base = { tolerances: { ...TOLERANCES }, method: METHOD, observed_at: report.observed_at };
  const comparison = eitherComparison(report);
  const unavailable = (reason: string): ClaimsAudit => ({ ...base, status: 'unavailable', reason, comparison: null, claims: [] });
  if (report.observed_at === null) return unavailable('no Papers with Code counts are stored (run the paperswithcode collector)');
  if (!comparison) {
    return unavailable('no PyTorch vs TensorFlow comparison in the Papers with Code series (configure both frameworks and the comparison)');
  }
  const claims = ARTICLE_CLAIMS.map((claim): AuditClaim | undefined => {
    const accepted = acceptedRange(claim.qualifier, claim.stated_pct);
    const within = (pct: number) => pct >= accepted[0] && pct <= accepted[1];
    const bases = basesFor(claim, report, comparison, accepted).map(
      (b): AuditBasis => ({ ...b, pct: estimate(b.pct), holds: within(b.pct) }),
    );
    const intended = bases.find((b) => b.basis === claim.intended_basis);
    if (!intended) return undefined;
    return {
      ...claim,
      accepted,
      recomputed_pct: intended.pct,
      holds: intended.holds,
      bases,
      holding_bases: bases.filter((b) => b.holds).map((b) => b.basis),
      checked_on: [intended.checked_on!],
      verdict: verdict(claim, accepted, bases),
      note: noteFor(claim, report),
    };
  }).filter((c): c is AuditClaim => c !== undefined);
  if (claims.length === 0)
    return unavailable(`the archive's counts have no PyTorch or TensorFlow share up to ${ARTICLE_QUARTER}, the article's quarter`);
  return { ...base, status: 'computed', reason: null, comparison: comparison.comparison, claims };
}

/** The Papers with Code series' claims extension. */
export const articleClaims: QuarterlyClaimsCheck = {
  audit: auditQuarterClaims,
  methodology: `${TOLERANCES.almost} ("nearly" read as "almost"); ${TOLERANCES.about} ("just" read as "about"); the start of the 7 % → 85 % curve is the first quarter PyTorch's share of papers with PyTorch or TensorFlow code reaches the interval's lower end, its end the article's quarter (${ARTICLE_QUARTER}); "repositories created this quarter" are the repositories of papers from ${ARTICLE_QUARTER}, since the archive has no repository creation date`,
};
