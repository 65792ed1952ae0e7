import { percent } from './rounding.js';
import { dayNumber } from '../core/dates.js';

/**
 * What a series kind gives the scorecard (scorecard.ts): per framework, one measure in the latest settled period
 * beside the same measure a year before, computed from the kind's own analysed figures. The scorecard applies
 * the one direction rule; a kind only says what it measured, when, and what a reader must know about it.
 */

/** `share`: a percentage of a whole (change in percentage points); `rate`: a ratio such as per million (change in %). */
export type IndicatorMeasure = 'share' | 'rate';

/** One side of the comparison. */
export interface IndicatorValue {
  /** `YYYY`, `YYYY-Qn`, `YYYY-MM`, or `YYYY-MM-DD` for a snapshot. */
  period: string;
  /** In `unit`: a share in percent (2 decimals, as the kind's CSV writes it), a rate as its CSV writes it. */
  value: number;
  /** Observation date (`YYYY-MM-DD`) of the stored counts the value comes from. */
  observedAt: string;
}

/** A baseline that could not be had: the period it would be (null when none is defined) and why it is missing. */
export interface MissingBaseline {
  period: string | null;
  missing: string;
}

export interface Indicator {
  framework: string;
  /** What is measured, in words (scorecard.csv's `indicator`): `share of keyword mentions`. */
  indicator: string;
  /** Short name for table headings, the source first: `<source> mentions`. */
  label: string;
  measure: IndicatorMeasure;
  /** Unit of the values: `%` for a share, `per million <all items of the source>` for a rate. */
  unit: string;
  latest: IndicatorValue;
  baseline: IndicatorValue | MissingBaseline;
  /** Caveats that apply to these values (partial data, say); the series' own caveat is added by the scorecard. */
  notes: string[];
}

export const isMissing = (baseline: Indicator['baseline']): baseline is MissingBaseline => 'missing' in baseline;

/** A share in percent with 2 decimals, from the counts (not a rounded fraction): what the kinds' CSVs write. */
export const sharePercent = (part: number, whole: number): number | null => (whole > 0 ? percent(part / whole) : null);

/** Whole days from `from` to `to` (both `YYYY-MM-DD`, UTC). */
export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

/** A snapshot baseline is the stored one nearest to this many days before the latest… */
export const YEAR_DAYS = 365;
/** …and no further from it than this. */
export const YEAR_TOLERANCE_DAYS = 45;

/**
 * Of dated snapshots (any order), the one nearest to 365 days before `latest`, within ±45 days; on a tie the more
 * recent. Undefined when none is that close.
 */
export function yearAgoSnapshot<T>(snapshots: readonly T[], dateOf: (s: T) => string, latest: string): T | undefined {
  let best: { snapshot: T; distance: number; days: number } | undefined;
  for (const snapshot of snapshots) {
    const days = daysBetween(dateOf(snapshot), latest);
    const distance = Math.abs(days - YEAR_DAYS);
    if (distance > YEAR_TOLERANCE_DAYS) continue;
    if (!best || distance < best.distance || (distance === best.distance && days < best.days)) best = { snapshot, distance, days };
  }
  return best?.snapshot;
}
