import type { RowSelection } from '../../core/row-selection.js';
import { subsetSubjects } from './analyze.js';
import type { OverlapComparisonSpec, OverlapSnapshotSeries } from './spec.js';

/** Every stored subject of the comparisons' subsets (`pytorch`, `tf`, `pytorch+tf`), each once, in comparison order. */
export function comparisonSubjects(comparisons: readonly OverlapComparisonSpec[]): string[] {
  return [...new Set(comparisons.flatMap((spec) => [...subsetSubjects(spec).values()]))];
}

/**
 * What the overlap analysis reads: every snapshot of every subset by the as-of date, in the methods it knows,
 * since the report shows each date's shares (the history table and the year-ago comparisons).
 */
export function overlapRows(series: OverlapSnapshotSeries, asOf: string): RowSelection[] {
  const subjects = comparisonSubjects(series.comparisons);
  if (subjects.length === 0) return [];
  return [{ take: 'every', source: series.source, metrics: [series.metric], subjects, methods: [...series.methods], to: asOf }];
}
