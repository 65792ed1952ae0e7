import { tagSetKey } from './config.js';
import { combinationSubject, frameworkLabel, type HfFrameworkPart } from './labels.js';

/** A framework named in a comparison, with its parsed Hub definition. */
export interface PlannedFramework {
  name: string;
  part: HfFrameworkPart;
}

/** One number to measure: the models that count for every framework of a subset. */
export interface PlannedCount {
  /** Stored subject: the frameworks' labels joined by `+`, in comparison order (`pytorch+tf`). */
  subject: string;
  /** Framework names, in comparison order. */
  frameworks: string[];
  /**
   * The count as a union of conjunctions (disjunctive normal form): a model counts when it carries every
   * tag of at least one term. One term per choice of one alternative per framework, redundant ones removed.
   */
  terms: string[][];
}

/**
 * Every non-empty subset of every comparison, smallest first and in comparison order (A, B, A+B), each
 * once even when two comparisons share it.
 */
export function planCounts(comparisons: readonly (readonly PlannedFramework[])[]): PlannedCount[] {
  const planned: PlannedCount[] = [];
  const seen = new Set<string>();
  for (const frameworks of comparisons) {
    for (const indices of subsets(frameworks.length)) {
      const members = indices.map((i) => frameworks[i]!);
      const key = members
        .map((f) => f.name.toLowerCase())
        .sort()
        .join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      planned.push({
        subject: combinationSubject(members.map((f) => frameworkLabel(f.part))),
        frameworks: members.map((f) => f.name),
        terms: conjunctionTerms(members.map((f) => f.part)),
      });
    }
  }
  return planned;
}

/** Non-empty subsets of {0..n-1} as sorted index lists, by size, then in lexicographic order. */
export function subsets(n: number): number[][] {
  const all: number[][] = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) members.push(i);
    all.push(members);
  }
  return all.sort((a, b) => a.length - b.length || compareLex(a, b));
}

function compareLex(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * AND of ORs → OR of ANDs: one term per combination of one alternative per framework, whose tags are the
 * union of the chosen alternatives' tags (in order of appearance, so queries read naturally). Duplicate
 * terms are dropped, and so is any term whose tags include another term's tags (its models are already
 * counted by the smaller term).
 */
export function conjunctionTerms(parts: readonly HfFrameworkPart[]): string[][] {
  let combos: string[][] = [[]];
  for (const part of parts) {
    combos = combos.flatMap((prefix) => part.tags.map((alternative) => [...new Set([...prefix, ...alternative])]));
  }
  const unique = new Map<string, string[]>();
  for (const combo of combos) if (!unique.has(tagSetKey(combo))) unique.set(tagSetKey(combo), combo);
  const terms = [...unique.values()];
  return terms.filter(
    (term) => !terms.some((other) => other !== term && other.length < term.length && other.every((t) => term.includes(t))),
  );
}
