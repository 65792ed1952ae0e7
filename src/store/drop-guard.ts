/**
 * Real sources answer "nothing" during incidents: an HTTP 200 with an empty list, a count of 0 for a year that
 * had thousands. Stored as a fact, such an answer would silently replace good history in every report. A value
 * that falls sharply from the last good one of its series (same source, metric, subject, period, method and
 * query, observed on or before it) is therefore stored as *suspect*: kept, marked, and left out of reports until
 * a later run sees the same value again (confirmed) or the operator runs with --accept-drops (accepted).
 */
export const DROP_RULE = {
  /** Values below this are too small for a fall to say anything (a framework with 3 papers may have 1). */
  minPrevious: 10,
  /** A value under this share of the last good one is a collapse, not a change. */
  maxRatio: 0.5,
  /** A later value within this share of a suspect one confirms it. */
  confirmTolerance: 0.1,
} as const;

/** `next` is a collapse from `previous`. */
export function isDrop(previous: number, next: number): boolean {
  return previous >= DROP_RULE.minPrevious && next < previous * DROP_RULE.maxRatio;
}

/** `next` says the same as the suspect value `suspect` (the fall was real). */
export function confirms(suspect: number, next: number): boolean {
  return Math.abs(next - suspect) <= Math.max(1, DROP_RULE.confirmTolerance * Math.max(suspect, next));
}

/** A value held back as suspect, or accepted with --accept-drops: what the run reports about it. */
export interface HeldValue {
  subject: string;
  metric: string;
  period: string;
  value: number;
  previous: number;
  previousObservedAt: string;
}

/** One line for the values of one collector that fell: the first few named, the rest counted. */
export function describeHeld(held: readonly HeldValue[], shown = 3): string {
  const named = held
    .slice(0, shown)
    .map((h) => `${h.subject} ${h.metric} ${h.period}: ${h.previous} → ${h.value}`)
    .join('; ');
  return held.length > shown ? `${named}; and ${held.length - shown} more` : named;
}

/** The reason stored with a suspect value. */
export function dropReason(held: HeldValue): string {
  return `fell from ${held.previous} (observed ${held.previousObservedAt}) to ${held.value}, more than half`;
}
