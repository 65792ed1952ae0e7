import type { StoredObservation } from '../../core/observation.js';
import { fraction } from '../rounding.js';
import { exactSegments, maskMembers, nonEmptySubsets } from './inclusion-exclusion.js';
import { dailyFrom, keptHistory } from './kept-history.js';
import type { OverlapComparisonSpec, OverlapSnapshotSeries } from './spec.js';
import type { Availability, OverlapComparison, OverlapReport, OverlapSegment, OverlapSkip, OverlapSnapshot } from './types.js';

/** Shares per comparison and observation date, from the "items carrying all of these" counts. */

/** Stored subject for each subset of the comparison (`pytorch`, `tf`, `pytorch+tf`). */
export function subsetSubjects(spec: OverlapComparisonSpec): Map<number, string> {
  const n = spec.members.length;
  const subjects = new Map<number, string>();
  for (const mask of nonEmptySubsets(n)) {
    subjects.set(mask, spec.subsetSubject(maskMembers(mask, n).map((i) => spec.members[i]!.subject)));
  }
  return subjects;
}

/** `PyTorch only`, `PyTorch and TensorFlow`, `PyTorch, TensorFlow and JAX`. */
export function segmentName(names: readonly string[], isAll: boolean): string {
  const joined = names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return isAll && names.length > 1 ? joined : `${joined} only`;
}

interface DateRows {
  method: string;
  bySubject: Map<string, StoredObservation>;
}

/** Rows by observation date, then method, then subject: one pass, so years of daily snapshots stay linear. */
function groupByDate(rows: readonly StoredObservation[]): Map<string, Map<string, Map<string, StoredObservation>>> {
  const byDate = new Map<string, Map<string, Map<string, StoredObservation>>>();
  for (const o of rows) {
    let byMethod = byDate.get(o.observedAt);
    if (!byMethod) {
      byMethod = new Map();
      byDate.set(o.observedAt, byMethod);
    }
    let bySubject = byMethod.get(o.method);
    if (!bySubject) {
      bySubject = new Map();
      byMethod.set(o.method, bySubject);
    }
    bySubject.set(o.subject, o);
  }
  return byDate;
}

export interface SnapshotsResult {
  snapshots: OverlapSnapshot[];
  skipped: OverlapSkip[];
  /** Rows behind the latest snapshot, for provenance (queries). */
  latestRows: StoredObservation[];
  /** The newest date with a count of any subset in one of the series' methods (usable or not). */
  newest: string | undefined;
}

/**
 * One snapshot per observation date on which every subset was counted with one method (methods are not mixed:
 * exact and fast counts of different subsets would not add up). Incomplete or inconsistent dates are skipped
 * with the reason, never filled in or clamped.
 * `rows` must be deduplicated rows observed by the as-of date.
 */
export function comparisonSnapshots(
  series: Pick<OverlapSnapshotSeries, 'source' | 'metric' | 'methods'>,
  spec: OverlapComparisonSpec,
  rows: readonly StoredObservation[],
): SnapshotsResult {
  const n = spec.members.length;
  const subjects = subsetSubjects(spec);
  const wanted = new Set(subjects.values());
  const mine = rows.filter((o) => o.source === series.source && o.metric === series.metric && wanted.has(o.subject));
  const grouped = groupByDate(mine);
  const full = (1 << n) - 1;
  // Names and labels per segment, the same for every date.
  const segmentInfo = nonEmptySubsets(n).map((mask) => ({
    mask,
    frameworks: namesOf(spec, mask),
    segment: segmentName(namesOf(spec, mask), mask === full),
    subject: subjects.get(mask)!,
  }));
  const dates = [...grouped.keys()].sort();
  let newest: string | undefined;
  for (const date of dates) if (series.methods.some((method) => grouped.get(date)!.has(method))) newest = date;
  const snapshots: OverlapSnapshot[] = [];
  const skipped: OverlapSkip[] = [];
  let latestRows: StoredObservation[] = [];

  for (const date of dates) {
    let chosen: DateRows | undefined;
    const gaps: string[] = [];
    for (const method of series.methods) {
      const bySubject = grouped.get(date)?.get(method);
      if (!bySubject || bySubject.size === 0) continue;
      const missing = [...subjects.values()].filter((s) => !bySubject.has(s));
      if (missing.length === 0) {
        chosen = { method, bySubject };
        break;
      }
      gaps.push(`${method} counts lack ${missing.join(', ')}`);
    }
    if (!chosen) {
      skipped.push({ comparison: spec.label, observed_at: date, reason: `incomplete: ${gaps.join('; ')}` });
      continue;
    }

    const countAll = new Map<number, number>();
    for (const [mask, subject] of subjects) countAll.set(mask, chosen.bySubject.get(subject)!.value);
    const segments = exactSegments(n, countAll);
    const negative = [...segments].filter(([, models]) => models < 0);
    if (negative.length > 0) {
      const what = negative.map(([mask, models]) => `${segmentName(namesOf(spec, mask), mask === (1 << n) - 1)} = ${models}`);
      const counts = [...subjects].map(([mask, subject]) => `${subject}=${countAll.get(mask)}`).join(', ');
      skipped.push({
        comparison: spec.label,
        observed_at: date,
        reason: `inconsistent ${chosen.method} counts (${counts}) give negative segments: ${what.join('; ')}`,
      });
      continue;
    }
    const total = [...segments.values()].reduce((sum, models) => sum + models, 0);
    if (total === 0) {
      skipped.push({ comparison: spec.label, observed_at: date, reason: 'no models carry any of these frameworks' });
      continue;
    }

    snapshots.push({
      observed_at: date,
      method: chosen.method,
      total,
      segments: segmentInfo.map(
        ({ mask, segment, frameworks, subject }): OverlapSegment => ({
          segment,
          frameworks: [...frameworks],
          subject,
          models: segments.get(mask)!,
          share: fraction(segments.get(mask)! / total),
        }),
      ),
      availability: spec.members.map((member, i): Availability => {
        const models = countAll.get(1 << i)!;
        return { framework: member.name, subject: member.subject, models, share: fraction(models / total) };
      }),
    });
    latestRows = [...chosen.bySubject.values()];
  }
  return { snapshots, skipped, latestRows, newest };
}

/** The framework names of a subset, in comparison order. */
export function namesOf(spec: OverlapComparisonSpec, mask: number): string[] {
  return maskMembers(mask, spec.members.length).map((i) => spec.members[i]!.name);
}

export interface OverlapAnalysis {
  report: OverlapReport;
  warnings: string[];
  /** The rows behind each comparison's latest snapshot, for provenance. */
  usedRows: StoredObservation[];
}

/**
 * Every comparison of the series: its latest usable snapshot and its history (kept-history.ts: daily for the
 * newest snapshot's month and the 14 before it, then the first of each month); dates that cannot be used in that
 * time are listed with why.
 */
export function analyzeOverlap(series: OverlapSnapshotSeries, rows: readonly StoredObservation[]): OverlapAnalysis {
  const warnings: string[] = [];
  const report: OverlapReport = { configured_method: series.configuredMethod, comparisons: [], skipped: [] };
  const usedRows: StoredObservation[] = [];
  for (const spec of series.comparisons) {
    const all = comparisonSnapshots(series, spec, rows);
    const from = all.newest === undefined ? '' : dailyFrom(all.newest);
    const snapshots = keptHistory(all.snapshots, (s) => s.observed_at, from);
    const skipped = all.skipped.filter((s) => s.observed_at! >= from);
    const { latestRows } = all;
    report.skipped.push(...skipped);
    for (const s of skipped) warnings.push(`${series.source}: ${s.comparison} on ${s.observed_at} skipped: ${s.reason}`);
    const latest = snapshots.at(-1);
    if (!latest) {
      // Nothing stored at all is the usual state of a source not collected yet: said as the other kinds say it.
      const none = skipped.length === 0;
      report.skipped.push({
        comparison: spec.label,
        observed_at: null,
        reason: none ? 'no counts stored yet' : 'no observation date has every count this comparison needs',
      });
      warnings.push(
        none
          ? `${series.source}: no counts stored yet for ${spec.label}; run \`adoption-metrics collect --sources ${series.source}\``
          : `${series.source}: ${spec.label} has no usable observation date`,
      );
      continue;
    }
    const comparison: OverlapComparison = {
      comparison: spec.label,
      frameworks: spec.members.map((m) => m.name),
      ...latest,
      history: snapshots,
      daily_from: from,
    };
    report.comparisons.push(comparison);
    usedRows.push(...latestRows);
  }
  return { report, warnings, usedRows };
}
