import { type ArxivPlacement, placeByArxivId } from './arxiv.js';
import type { LinkRow } from './read-links.js';

/** Why a paper is in no quarter: stored as the subject of `papers_left_out`. */
export const LEFT_OUT_REASONS = {
  'no-arxiv-id': 'without an arXiv id',
  'unusable-arxiv-id': 'with an arXiv id older than April 2007 or not of the YYMM.NNNNN form',
  'after-cutoff': 'with an arXiv id after the month counted through',
} as const;
export type LeftOutReason = keyof typeof LEFT_OUT_REASONS;

export interface QuarterCounts {
  /** Per configured framework (config order): distinct papers with a repository of it, distinct such repositories. */
  papers: number[];
  repos: number[];
  /** Distinct papers and repositories with any link (any framework, `none` and missing included). */
  papersAll: number;
  reposAll: number;
  /** Per comparison: distinct papers with a repository of any of its frameworks. */
  unions: number[];
}

export interface LinkCounts {
  /** By quarter (`YYYY-Qn`), sorted. */
  quarters: Map<string, QuarterCounts>;
  /** Distinct papers placed in no quarter, per reason. */
  leftOut: Record<LeftOutReason, number>;
  /** Rows read; rows without a paper or repository URL (counted nowhere). */
  links: number;
  unusableLinks: number;
  /** Papers whose rows give different quarters (the first one is kept). */
  conflicts: number;
}

export interface CountOptions {
  /** The archive's `framework` value of each configured framework, lower-case, in config order (at most 30). */
  frameworks: readonly string[];
  /** Each comparison as indexes into `frameworks`. */
  comparisons: readonly (readonly number[])[];
  /** `YYYY-MM`: papers with a later arXiv month are left out (`after-cutoff`). */
  throughMonth: string;
}

/**
 * Distinct papers and repositories per quarter and framework, counted as rows stream by. Memory: one entry per
 * paper (its quarter and a bit per framework packed in a number) and one per (quarter, repository), never the
 * rows themselves.
 */
export function createLinkCounter(options: CountOptions) {
  const n = options.frameworks.length;
  if (n > 30) throw new Error(`at most 30 frameworks can be counted at once, not ${n}`);
  const span = 2 ** n;
  const bitOf = new Map(options.frameworks.map((f, i) => [f, 1 << i]));
  const quarterIndex = new Map<string, number>();
  const quarterNames: string[] = [];
  /** paper_url → quarter index × span + framework mask. */
  const papers = new Map<string, number>();
  /** Per quarter index: repo_url → framework mask. */
  const repos: Map<string, number>[] = [];
  const unplaced = new Map<string, LeftOutReason>();
  let links = 0;
  let unusableLinks = 0;
  let conflicts = 0;

  const indexOf = (quarter: string): number => {
    let i = quarterIndex.get(quarter);
    if (i === undefined) {
      i = quarterNames.length;
      quarterIndex.set(quarter, i);
      quarterNames.push(quarter);
      repos.push(new Map());
    }
    return i;
  };

  function add(row: LinkRow): void {
    links++;
    const paper = row.paper_url?.trim();
    const repo = row.repo_url?.trim();
    if (!paper || !repo) {
      unusableLinks++;
      return;
    }
    const bit = bitOf.get(row.framework?.trim().toLowerCase() ?? '') ?? 0;
    const placed: ArxivPlacement = placeByArxivId(row.paper_arxiv_id);
    const known = papers.get(paper);
    let q: number;
    if (placed.quarter === null || placed.month > options.throughMonth) {
      // A row without a usable id still counts when another row of the same paper placed it.
      if (known === undefined) {
        if (!unplaced.has(paper)) unplaced.set(paper, placed.quarter === null ? placed.reason : 'after-cutoff');
        return;
      }
      q = Math.floor(known / span);
    } else {
      q = indexOf(placed.quarter);
      if (known !== undefined && Math.floor(known / span) !== q) {
        conflicts++;
        q = Math.floor(known / span);
      }
    }
    const mask = known === undefined ? 0 : known % span;
    papers.set(paper, q * span + (mask | bit));
    const quarterRepos = repos[q]!;
    quarterRepos.set(repo, (quarterRepos.get(repo) ?? 0) | bit);
  }

  function result(): LinkCounts {
    const blank = (): QuarterCounts => ({
      papers: new Array(n).fill(0),
      repos: new Array(n).fill(0),
      papersAll: 0,
      reposAll: 0,
      unions: new Array(options.comparisons.length).fill(0),
    });
    const byIndex = quarterNames.map(blank);
    const comparisonMasks = options.comparisons.map((members) => members.reduce((m, i) => m | (1 << i), 0));
    for (const value of papers.values()) {
      const counts = byIndex[Math.floor(value / span)]!;
      const mask = value % span;
      counts.papersAll++;
      for (let i = 0; i < n; i++) if (mask & (1 << i)) counts.papers[i]!++;
      comparisonMasks.forEach((m, c) => {
        if (mask & m) counts.unions[c]!++;
      });
    }
    repos.forEach((quarterRepos, q) => {
      const counts = byIndex[q]!;
      counts.reposAll = quarterRepos.size;
      for (const mask of quarterRepos.values()) for (let i = 0; i < n; i++) if (mask & (1 << i)) counts.repos[i]!++;
    });
    const leftOut: Record<LeftOutReason, number> = { 'no-arxiv-id': 0, 'unusable-arxiv-id': 0, 'after-cutoff': 0 };
    for (const [paper, reason] of unplaced) if (!papers.has(paper)) leftOut[reason]++;
    const quarters = new Map(quarterNames.map((name, i) => [name, byIndex[i]!] as const).sort(([a], [b]) => a.localeCompare(b)));
    return { quarters, leftOut, links, unusableLinks, conflicts };
  }

  return { add, result };
}
