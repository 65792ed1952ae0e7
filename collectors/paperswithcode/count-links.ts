import { placeByArxivId } from './arxiv.js';
import type { LinkRow } from './read-links.js';
import { monthIndexOfDate } from '../../src/analyze/months.js';

/** Why a paper is in no quarter: stored as the subject of `papers_left_out`. */
export const LEFT_OUT_REASONS = {
  'no-arxiv-id': 'without an arXiv id',
  'unusable-arxiv-id': 'with an arXiv id older than April 2007, dated after the day it was counted, or not of the YYMM.NNNNN form',
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
  /** Links of a placed paper whose own arXiv id gives another quarter than the paper's (its earliest). */
  conflicts: number;
}

export interface CountOptions {
  /** The archive's `framework` value of each configured framework, lower-case, in config order (at most 30). */
  frameworks: readonly string[];
  /** Each comparison as indexes into `frameworks`. */
  comparisons: readonly (readonly number[])[];
  /** `YYYY-MM`: papers with a later arXiv month are left out (`after-cutoff`). */
  throughMonth: string;
  /** `YYYY-MM`, the month of the day the archive is read: an id dated later cannot exist yet (`unusable-arxiv-id`). */
  latestMonth: string;
}

/** Months are numbered year × 12 + month − 1 (months.ts monthIndexOfDate), so quarters are `Math.floor(month / 3)`. */
const quarterName = (quarter: number): string => `${Math.floor(quarter / 4)}-Q${(quarter % 4) + 1}`;
/** Later than any month: a row or paper without a usable arXiv month. */
const NO_MONTH = 2 ** 31 - 1;
/** A paper flag: one of its rows had an arXiv id that dates nothing. */
const UNUSABLE_SEEN = 1;

/** A list of 32-bit integers that grows as pushed: a quarter of the memory of a JavaScript array of doubles. */
class IntList {
  private data = new Int32Array(1024);
  length = 0;
  push(value: number): number {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = value;
    return this.length++;
  }
  at(i: number): number {
    return this.data[i]!;
  }
  set(i: number, value: number): void {
    this.data[i] = value;
  }
}

/**
 * Distinct papers and repositories per quarter and framework. The counts do not depend on the order of the
 * rows: a paper's quarter is that of the earliest arXiv month among all its rows, decided only once every row
 * is read, so a row without an id (or a later one) met before the dated row still gives the paper its
 * repository and framework. Memory: the paper and repository URLs once each, and four numbers per link,
 * never the rows themselves.
 */
export function createLinkCounter(options: CountOptions) {
  const n = options.frameworks.length;
  if (n > 30) throw new Error(`at most 30 frameworks can be counted at once, not ${n}`);
  const bitOf = new Map(options.frameworks.map((f, i) => [f, 1 << i]));
  const through = monthIndexOfDate(options.throughMonth);
  const paperIndex = new Map<string, number>();
  /** Per paper: the earliest usable arXiv month of its rows (NO_MONTH when none), and flags. */
  const earliest = new IntList();
  const flags = new IntList();
  const repoIndex = new Map<string, number>();
  /** Per link: its paper, repository, framework bit and its own arXiv month (NO_MONTH when none). */
  const linkPaper = new IntList();
  const linkRepo = new IntList();
  const linkBit = new IntList();
  const linkMonth = new IntList();
  let links = 0;
  let unusableLinks = 0;

  function add(row: LinkRow): void {
    links++;
    const paper = row.paper_url?.trim();
    const repo = row.repo_url?.trim();
    if (!paper || !repo) {
      unusableLinks++;
      return;
    }
    let p = paperIndex.get(paper);
    if (p === undefined) {
      p = earliest.push(NO_MONTH);
      flags.push(0);
      paperIndex.set(paper, p);
    }
    let r = repoIndex.get(repo);
    if (r === undefined) {
      r = repoIndex.size;
      repoIndex.set(repo, r);
    }
    const placed = placeByArxivId(row.paper_arxiv_id, options.latestMonth);
    const month = placed.quarter === null ? NO_MONTH : monthIndexOfDate(placed.month);
    if (placed.quarter === null && placed.reason === 'unusable-arxiv-id') flags.set(p, flags.at(p) | UNUSABLE_SEEN);
    if (month < earliest.at(p)) earliest.set(p, month);
    linkPaper.push(p);
    linkRepo.push(r);
    linkBit.push(bitOf.get(row.framework?.trim().toLowerCase() ?? '') ?? 0);
    linkMonth.push(month);
  }

  function result(): LinkCounts {
    // Each paper's quarter (-1: left out), from its earliest month over every row.
    const papers = earliest.length;
    const paperQuarter = new Int32Array(papers);
    for (let p = 0; p < papers; p++) paperQuarter[p] = earliest.at(p) <= through ? Math.floor(earliest.at(p) / 3) : -1;
    const masks = new Int32Array(papers);
    /** Per quarter number: its links (indexes), so each quarter's repositories are told apart in one pass. */
    const quarterLinks = new Map<number, IntList>();
    let conflicts = 0;
    for (let i = 0; i < linkPaper.length; i++) {
      const p = linkPaper.at(i);
      const q = paperQuarter[p]!;
      if (q < 0) continue;
      const month = linkMonth.at(i);
      if (month !== NO_MONTH && Math.floor(month / 3) !== q) conflicts++;
      masks[p]! |= linkBit.at(i);
      let list = quarterLinks.get(q);
      if (!list) {
        list = new IntList();
        quarterLinks.set(q, list);
      }
      list.push(i);
    }
    const blank = (): QuarterCounts => ({
      papers: new Array(n).fill(0),
      repos: new Array(n).fill(0),
      papersAll: 0,
      reposAll: 0,
      unions: new Array(options.comparisons.length).fill(0),
    });
    const byQuarter = new Map<number, QuarterCounts>();
    const countsOf = (q: number) => {
      let counts = byQuarter.get(q);
      if (!counts) {
        counts = blank();
        byQuarter.set(q, counts);
      }
      return counts;
    };
    const comparisonMasks = options.comparisons.map((members) => members.reduce((m, i) => m | (1 << i), 0));
    const leftOut: Record<LeftOutReason, number> = { 'no-arxiv-id': 0, 'unusable-arxiv-id': 0, 'after-cutoff': 0 };
    paperQuarter.forEach((q, p) => {
      if (q < 0) {
        // The most telling reason of any of its rows: a usable (later) id, else an unusable one, else none.
        leftOut[earliest.at(p) !== NO_MONTH ? 'after-cutoff' : flags.at(p) & UNUSABLE_SEEN ? 'unusable-arxiv-id' : 'no-arxiv-id']++;
        return;
      }
      const counts = countsOf(q);
      const mask = masks[p]!;
      counts.papersAll++;
      for (let i = 0; i < n; i++) if (mask & (1 << i)) counts.papers[i]!++;
      comparisonMasks.forEach((m, c) => {
        if (mask & m) counts.unions[c]!++;
      });
    });
    // Distinct repositories per quarter: a repository's mask is reset the first time a quarter meets it.
    const repoMask = new Int32Array(repoIndex.size);
    const repoQuarter = new Int32Array(repoIndex.size).fill(-1);
    for (const [q, list] of quarterLinks) {
      const counts = countsOf(q);
      const met: number[] = [];
      for (let k = 0; k < list.length; k++) {
        const i = list.at(k);
        const r = linkRepo.at(i);
        if (repoQuarter[r] !== q) {
          repoQuarter[r] = q;
          repoMask[r] = 0;
          met.push(r);
        }
        repoMask[r]! |= linkBit.at(i);
      }
      counts.reposAll = met.length;
      for (const r of met) for (let f = 0; f < n; f++) if (repoMask[r]! & (1 << f)) counts.repos[f]!++;
    }
    const quarters = new Map([...byQuarter].sort(([a], [b]) => a - b).map(([q, counts]) => [quarterName(q), counts] as const));
    return { quarters, leftOut, links, unusableLinks, conflicts };
  }

  return { add, result };
}
