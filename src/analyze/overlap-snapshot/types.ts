/** The report.json section of an overlap-snapshot series (snake_case, as on disk). Shares are fractions 0–1. */

export interface OverlapSegment {
  /** `PyTorch only`, `PyTorch and TensorFlow`. */
  segment: string;
  frameworks: string[];
  /** Stored subject of the "has all of these" count (`pytorch+tf`). */
  subject: string;
  models: number;
  share: number;
}

export interface Availability {
  framework: string;
  subject: string;
  models: number;
  share: number;
}

export interface OverlapSnapshot {
  observed_at: string;
  method: string;
  /** Items carrying at least one of the comparison's frameworks (the union). */
  total: number;
  segments: OverlapSegment[];
  availability: Availability[];
}

export interface OverlapComparison extends OverlapSnapshot {
  /** `PyTorch vs TensorFlow`. */
  comparison: string;
  frameworks: string[];
  /**
   * The snapshots the history keeps (kept-history.ts), oldest first: every usable date of the newest snapshot's
   * month and the 14 months before it, and before that the first usable date of each month. The top-level figures
   * are the last entry.
   */
  history: OverlapSnapshot[];
  /** `YYYY-MM-DD`: the history keeps every snapshot from this day on, and before it the first of each month. */
  daily_from: string;
}

export interface OverlapSkip {
  comparison: string;
  observed_at: string | null;
  reason: string;
}

export interface OverlapReport {
  configured_method: string | null;
  comparisons: OverlapComparison[];
  skipped: OverlapSkip[];
}

/** The methodology block of an overlap-snapshot series in report.json. */
export interface OverlapMethodology {
  configured_method: string | null;
  method_choice: string;
  segments: string;
  shares: string;
  /** Which snapshots each comparison's history keeps. */
  history: string;
}
