import type { ClaimsAudit } from '../claims-types.js';
import type { SeriesIdentity, SeriesText } from '../../core/series.js';
import type { OverlapComparison } from './types.js';

/**
 * A point-in-time count per combination of frameworks, with overlaps: how many items carry every framework
 * of a subset (models tagged both `pytorch` and `tf`, say), counted on each observation date. The analysis
 * recovers the exclusive segments by inclusion–exclusion and their shares per comparison. `metric` is the
 * "carries all of these" counts (period: the observation date); the outputs are `<files>.csv` and `<files>.svg`.
 */
export interface OverlapSnapshotSeries extends SeriesIdentity {
  kind: 'overlap-snapshot';
  text: SeriesText & {
    /** Chart title, e.g. `<source> models by framework`. */
    title: string;
    /** What one stored count is, for the methodology: `the API counts models carrying all of a set of tags`. */
    counted: string;
    /** How a date's method is chosen, for the methodology. */
    methodChoice: string;
  };
  comparisons: readonly OverlapComparisonSpec[];
  /** Counting methods in order of preference: a date uses the first one that counted every subset. */
  methods: readonly string[];
  /** The method the configuration asks for (shown in the report), or null. */
  configuredMethod: string | null;
  /** Extension point: claims about these shares to check against the data (the article's, say). */
  claims?: ClaimsCheck;
}

export interface OverlapComparisonSpec {
  /** `PyTorch vs TensorFlow`. */
  label: string;
  /** The frameworks compared, in comparison order, each with the subject its own count is stored under. */
  members: readonly { name: string; subject: string }[];
  /** The stored subject of the count of items carrying all of `subjects` (members' subjects, in member order). */
  subsetSubject(subjects: readonly string[]): string;
}

export interface ClaimsCheck {
  audit(comparisons: readonly OverlapComparison[]): ClaimsAudit;
  /** How the claims are checked: methodology text. */
  methodology: string;
}
