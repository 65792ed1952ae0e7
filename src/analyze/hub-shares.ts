import type { StoredObservation } from '../core/observation.js';
import { combinationSubject } from '../../collectors/huggingface/labels.js';
import type { HubComparisonSpec } from './hub-config.js';
import { exactSegments, maskMembers, nonEmptySubsets } from './inclusion-exclusion.js';
import type { HubAvailability, HubSegment, HubSkip, HubSnapshot } from './report-types.js';
import { fraction } from './rounding.js';

/** Hub shares per comparison and observation date, from the "models carrying all of these" counts. */

export const HUB_SOURCE = 'huggingface';
export const HUB_METRIC = 'models';
/** `exact` counts every model; `fast` is an estimate. Prefer exact when a date has both. */
const METHOD_PREFERENCE = ['exact', 'fast'] as const;

/** Stored subject for each subset of the comparison (`pytorch`, `tf`, `pytorch+tf`). */
export function subsetSubjects(spec: HubComparisonSpec): Map<number, string> {
  const n = spec.members.length;
  const subjects = new Map<number, string>();
  for (const mask of nonEmptySubsets(n)) {
    subjects.set(mask, combinationSubject(maskMembers(mask, n).map((i) => spec.members[i]!.label)));
  }
  return subjects;
}

/** `PyTorch only`, `PyTorch and TensorFlow`, `PyTorch, TensorFlow and JAX`. */
export function segmentName(names: readonly string[], isAll: boolean): string {
  const joined = names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return isAll && names.length > 1 ? joined : `${joined} only`;
}

interface DateRows {
  method: 'exact' | 'fast';
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

export interface HubSnapshotsResult {
  snapshots: HubSnapshot[];
  skipped: HubSkip[];
  /** Rows behind the latest snapshot, for provenance (queries). */
  latestRows: StoredObservation[];
}

/**
 * One snapshot per observation date on which every subset was counted with one method (methods are not mixed:
 * exact and fast counts of different subsets would not add up). Incomplete or inconsistent dates are skipped
 * with the reason, never filled in or clamped.
 * `rows` must be deduplicated Hub `models` rows observed by the as-of date.
 */
export function hubSnapshots(spec: HubComparisonSpec, rows: readonly StoredObservation[]): HubSnapshotsResult {
  const n = spec.members.length;
  const subjects = subsetSubjects(spec);
  const wanted = new Set(subjects.values());
  const mine = rows.filter((o) => o.source === HUB_SOURCE && o.metric === HUB_METRIC && wanted.has(o.subject));
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
  const snapshots: HubSnapshot[] = [];
  const skipped: HubSkip[] = [];
  let latestRows: StoredObservation[] = [];

  for (const date of dates) {
    let chosen: DateRows | undefined;
    const gaps: string[] = [];
    for (const method of METHOD_PREFERENCE) {
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
        ({ mask, segment, frameworks, subject }): HubSegment => ({
          segment,
          frameworks: [...frameworks],
          subject,
          models: segments.get(mask)!,
          share: fraction(segments.get(mask)! / total),
        }),
      ),
      availability: spec.members.map((member, i): HubAvailability => {
        const models = countAll.get(1 << i)!;
        return { framework: member.name, subject: member.label, models, share: fraction(models / total) };
      }),
    });
    latestRows = [...chosen.bySubject.values()];
  }
  return { snapshots, skipped, latestRows };
}

function namesOf(spec: HubComparisonSpec, mask: number): string[] {
  return maskMembers(mask, spec.members.length).map((i) => spec.members[i]!.name);
}
