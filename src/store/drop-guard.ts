/**
 * Real sources answer "nothing" during incidents: an HTTP 200 with an empty list, a count of 0 for a year that
 * had thousands. Stored as a fact, such an answer would silently replace good history in every report. A value
 * that falls sharply from the last good one of its series is therefore stored as *suspect*: kept, marked, and
 * left out of reports until an independent later observation sees the same value again (confirmed) or the
 * operator runs with --accept-drops (accepted).
 *
 * What is a drop, what is the same series and what confirms one are decided here, in pure functions, so every
 * store (SQLite today, PostgreSQL later) applies the same rules; a store only fetches the series' recent rows
 * (`sameSeries`) and records the verdicts.
 */
import type { Observation } from '../core/observation.js';

export const DROP_RULE = {
  /** Values below this are too small for a fall to say anything (a framework with 3 papers may have 1). */
  minPrevious: 10,
  /** A value under this share of the last good one is a collapse, not a change. */
  maxRatio: 0.5,
  /** A later value within this share of a suspect one confirms it. */
  confirmTolerance: 0.1,
  /**
   * A repeat stored this long after the suspect value was is an independent observation: an outage of a few
   * minutes or hours (the operator re-running by hand) does not get to confirm its own answers.
   */
  independentAfterHours: 6,
  /**
   * With no good value before it (a back-dated backfill run newest day first), a value is compared with the good
   * one observed nearest after it, up to this many days later: no real count halves within a week.
   */
  laterDays: 7,
} as const;

/** `next` is a collapse from `previous`. */
export function isDrop(previous: number, next: number): boolean {
  return previous >= DROP_RULE.minPrevious && next < previous * DROP_RULE.maxRatio;
}

/** `next` says the same as the suspect value `suspect` (the fall was real). */
export function confirms(suspect: number, next: number): boolean {
  return Math.abs(next - suspect) <= Math.max(1, DROP_RULE.confirmTolerance * Math.max(suspect, next));
}

/**
 * What an observation is compared with beyond its source, metric, subject, method and period: its
 * `seriesKey` when the collector gives one, else its exact query. A collector gives one when its query names
 * something that changes from run to run without changing what is counted (the as-of bound of a back-dated
 * query, the commit of a re-uploaded archive), so that a collapse behind such a change is still seen.
 */
export function seriesKeyOf(o: Pick<Observation, 'query' | 'seriesKey'>): string {
  return o.seriesKey ?? o.query;
}

/** A snapshot: a value of the day it was observed (a count of models today), not of a period of its own. */
export function isSnapshot(o: Pick<Observation, 'period' | 'observedAt'>): boolean {
  return o.period === o.observedAt;
}

type SeriesFields = Pick<Observation, 'source' | 'metric' | 'subject' | 'method' | 'period' | 'observedAt' | 'query' | 'seriesKey'>;

/**
 * Two observations are of the same series for the guard when they share source, metric, subject, method and
 * series key (`seriesKeyOf`), and either the same period (a year's count, counted again on later days) or are
 * both snapshots (each day's count of models follows the earlier days'). The guard compares a value with the
 * rows of its series observed on or before it.
 */
export function sameSeries(a: SeriesFields, b: SeriesFields): boolean {
  return (
    a.source === b.source &&
    a.metric === b.metric &&
    a.subject === b.subject &&
    a.method === b.method &&
    seriesKeyOf(a) === seriesKeyOf(b) &&
    (a.period === b.period || (isSnapshot(a) && isSnapshot(b)))
  );
}

/**
 * A suspect value may only be confirmed by an independent later observation: one stored at least
 * `independentAfterHours` after the suspect one was. Only time counts, not the observation date: a hand re-run
 * minutes after midnight has a later date but asks during the same outage, and so does a back-dated run of the
 * next as-of day. A daily run, 24 h later, always qualifies.
 */
export function isIndependentRepeat(
  suspect: { observedAt: string; markedAt: string | null },
  repeat: { observedAt: string; at: string },
): boolean {
  // A mark made before marks had times (schema 3, backfilled from its run's start) is old by now.
  if (suspect.markedAt === null) return true;
  const hours = (Date.parse(repeat.at) - Date.parse(suspect.markedAt)) / 3_600_000;
  return hours >= DROP_RULE.independentAfterHours;
}

/** When a repeat of a value marked at `markedAt` confirms it whatever its date (ISO, UTC). */
export function confirmableFrom(markedAt: string): string {
  return new Date(Date.parse(markedAt) + DROP_RULE.independentAfterHours * 3_600_000).toISOString();
}

/** Where a stored row stands: never marked (null), suspect, or its latest resolution. */
export type MarkState = null | 'suspect' | 'confirmed' | 'accepted' | 'contradicted';

/** A row reports use: never marked, or marked and then confirmed or accepted. */
export const isGoodState = (state: MarkState): boolean => state === null || state === 'confirmed' || state === 'accepted';

/**
 * Why a value is marked: it fell (`fall`), or it came in the same answer (one batch) as a value that fell and
 * is held back with it (`answer`): an answer that collapsed in one place is not trusted in another, so reports
 * keep the previous answer whole rather than a mixture of two.
 */
export type MarkCause = 'fall' | 'answer';

/** A stored row of the observation's series, as the guard sees it (the store lists them newest first). */
export interface GuardRow {
  id: number;
  value: number;
  observedAt: string;
  state: MarkState;
  /** For a marked row: when it was marked (ISO), why, and the last good value it fell from. */
  markedAt: string | null;
  cause: MarkCause | null;
  previousId: number | null;
  previousValue: number | null;
  previousObservedAt: string | null;
}

/** A value held back as suspect, or accepted with --accept-drops: what the run reports about it. */
export interface HeldValue {
  subject: string;
  metric: string;
  period: string;
  value: number;
  previous: number;
  previousObservedAt: string;
  /** Set when it repeats a suspect value too soon to confirm it: when that one was stored. */
  repeatOf?: string;
  /** `answer` for a value held back with its answer, not for a fall of its own. */
  cause?: MarkCause;
}

/** A fall an independent later observation saw again: it is shown from now on. */
export interface Confirmation extends HeldValue {
  /** When the suspect value was stored (ISO). */
  since: string | null;
}

export type Resolution = 'confirmed' | 'accepted' | 'contradicted';

/** What the store records for one observation, and what the run says about it. */
export interface Verdict {
  /** Resolutions of earlier rows of the series. */
  resolve: Array<{ id: number; resolution: Resolution }>;
  /** Mark the newly stored value as a fall from `previousId`; `accepted` with --accept-drops. */
  mark?: { previousId: number; reason: string; accepted: boolean };
  held?: HeldValue;
  accepted?: HeldValue;
  confirmed: Confirmation[];
  /** The last good row it fell from, for the rest of its answer to be held back with it. */
  fellFrom?: number;
}

/**
 * Judges one observation against `rows`, the rows of its series (`sameSeries`) observed on or before it, newest
 * first, read before it was stored. `inserted`: it is a new row; false when the very same row (same date and
 * value) was stored before, by an earlier run of the same day. `at`: now (ISO).
 */
export function judge(
  o: Pick<Observation, 'subject' | 'metric' | 'period' | 'value' | 'observedAt'>,
  rows: readonly GuardRow[],
  context: { inserted: boolean; at: string; acceptDrops: boolean; later?: GuardRow },
): Verdict {
  const verdict: Verdict = { resolve: [], confirmed: [] };
  // With no good row before it (a backfill going back in time), the nearest good one after it is the level.
  const good = rows.find((r) => isGoodState(r.state)) ?? context.later;
  const pending = rows.filter((r) => r.state === 'suspect');
  const describe = (from: { value: number; observedAt: string }, repeatOf?: string | null): HeldValue => ({
    subject: o.subject,
    metric: o.metric,
    period: o.period,
    value: o.value,
    previous: from.value,
    previousObservedAt: from.observedAt,
    ...(repeatOf ? { repeatOf } : {}),
  });
  const previousOf = (r: GuardRow) => ({ value: r.previousValue ?? r.value, observedAt: r.previousObservedAt ?? r.observedAt });
  /** Confirms `marks` (newest first), said once for the series: since the oldest of them. */
  const confirm = (marks: readonly GuardRow[]) => {
    const oldest = marks.at(-1);
    if (!oldest) return;
    for (const r of marks) verdict.resolve.push({ id: r.id, resolution: 'confirmed' });
    verdict.confirmed.push({ ...describe(previousOf(oldest)), since: oldest.markedAt, cause: oldest.cause ?? 'fall' });
  };
  const repeat = { observedAt: o.observedAt, at: context.at };

  if (!context.inserted) {
    // The very same row was stored by an earlier run of the same day: this run saw it again.
    const same = rows.find((r) => r.value === o.value && r.observedAt === o.observedAt);
    if (!same) return verdict;
    if (same.state === 'suspect') {
      if (isIndependentRepeat(same, repeat)) confirm([same]);
      else if (context.acceptDrops) {
        verdict.resolve.push({ id: same.id, resolution: 'accepted' });
        verdict.accepted = describe(previousOf(same));
      } else {
        verdict.held = { ...describe(previousOf(same), same.markedAt), cause: same.cause ?? 'fall' };
        if (same.previousId !== null) verdict.fellFrom = same.previousId;
      }
    } else if (same.state === 'contradicted') {
      const from = rows.find((r) => isGoodState(r.state) && r.id !== same.id) ?? same;
      if (context.acceptDrops) {
        verdict.resolve.push({ id: same.id, resolution: 'accepted' });
        verdict.accepted = describe(from);
      } else {
        verdict.held = describe(from);
        verdict.fellFrom = from.id;
      }
    } else for (const p of pending) verdict.resolve.push({ id: p.id, resolution: 'contradicted' });
    return verdict;
  }

  const latest = rows[0];
  const repeats = latest?.state === 'suspect' && confirms(latest.value, o.value);
  if (repeats && isIndependentRepeat(latest, repeat)) {
    // Every pending value that says the same is confirmed with it (a fall held twice during one outage).
    confirm(pending.filter((p) => confirms(p.value, o.value)));
    for (const p of pending) if (!confirms(p.value, o.value)) verdict.resolve.push({ id: p.id, resolution: 'contradicted' });
    return verdict;
  }
  // Pending values this one agrees with (a repeat too soon to confirm them) stay pending; the others were blips.
  for (const p of pending) {
    if (!(repeats && confirms(p.value, o.value))) verdict.resolve.push({ id: p.id, resolution: 'contradicted' });
  }
  if (good && isDrop(good.value, o.value)) {
    const held = describe(good, repeats ? latest.markedAt : undefined);
    verdict.mark = { previousId: good.id, reason: dropReason(held), accepted: context.acceptDrops };
    if (context.acceptDrops) {
      verdict.accepted = held;
      // The operator says the fall is real: the earlier marks of it are too.
      if (repeats) for (const p of pending) if (confirms(p.value, o.value)) verdict.resolve.push({ id: p.id, resolution: 'accepted' });
    } else {
      verdict.held = held;
      verdict.fellFrom = good.id;
    }
  }
  return verdict;
}

/** One line for the values of one collector that fell: the first few named, the rest counted, in series order. */
export function describeHeld(held: readonly HeldValue[], shown = 3): string {
  // Answers arrive in any order: the same run says the same line.
  const named = [...held]
    .sort((a, b) => byCodePoint(a.subject, b.subject) || byCodePoint(a.metric, b.metric) || byCodePoint(a.period, b.period))
    .slice(0, shown)
    .map((h) => `${h.subject} ${h.metric} ${h.period}: ${h.previous} → ${h.value}`)
    .join('; ');
  return held.length > shown ? `${named}; and ${held.length - shown} more` : named;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The reason stored with a suspect value. */
export function dropReason(held: HeldValue): string {
  return `fell from ${held.previous} (observed ${held.previousObservedAt}) to ${held.value}, more than half`;
}

/** The reason stored with a value held back with the rest of its answer. */
export function answerReason(falls: readonly HeldValue[]): string {
  return `held back with its answer, in which ${falls.length} value(s) fell by more than half (${describeHeld(falls, 1)})`;
}

/** `2026-11-27 06:17 UTC`. */
function utcMinute(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The one line a collector's held-back values get (an error: the run exits 1), or undefined when none: the falls,
 * what was held back with them, and which were seen again too soon to be confirmed.
 */
export function heldBackLine(falls: readonly HeldValue[], heldWith: number): string | undefined {
  if (falls.length === 0 && heldWith === 0) return undefined;
  const parts: string[] = [];
  if (falls.length > 0) {
    parts.push(
      `${falls.length} value(s) fell by more than half since the last good run and are held back as suspect (${describeHeld(falls)})`,
    );
  }
  if (heldWith > 0) parts.push(`${heldWith} other value(s) of the same answer(s) are held back with them`);
  const repeats = falls.filter((h) => h.repeatOf !== undefined);
  if (repeats.length > 0) {
    const first = repeats.map((h) => h.repeatOf!).sort()[0]!;
    parts.push(
      `${repeats.length} of them ${repeats.length === 1 ? 'repeats' : 'repeat'} a fall first stored at ${utcMinute(first)}, too soon to confirm it (a repeat confirms only ${DROP_RULE.independentAfterHours} h after, from ${utcMinute(confirmableFrom(first))})`,
    );
  }
  return `${parts.join('; ')}; reports keep the last good values until an independent later run sees the same (confirming them), or run with --accept-drops if the fall is real`;
}

/** The one line for the suspect values a collector's run confirmed, or undefined when none. */
export function confirmedLine(confirmed: readonly Confirmation[]): string | undefined {
  if (confirmed.length === 0) return undefined;
  const falls = confirmed.filter((c) => c.cause !== 'answer');
  const with_ = confirmed.length - falls.length;
  const since = confirmed
    .map((c) => c.since)
    .filter((s): s is string => s !== null)
    .sort()[0];
  const what = falls.length > 0 ? `${falls.length} fall(s)` : `${with_} value(s) held back with a fall`;
  const also = falls.length > 0 && with_ > 0 ? ` and ${with_} value(s) held back with them` : '';
  const named = falls.length > 0 ? ` (${describeHeld(falls)})` : '';
  return `confirmed ${what}${also} seen again${since ? ` since ${utcMinute(since)}` : ''}${named}; reports now show them`;
}
