import { daysBetween, type Indicator, type IndicatorMeasure, isMissing } from './indicator.js';
import { estimate } from './rounding.js';
import type { SeriesSpec } from './series.js';

/**
 * The scorecard: every series' indicators (each kind computes its own, see indicator.ts), per framework, with a
 * direction from one rule. A share moves in percentage points: gaining above +1 pp, losing below -1 pp; a rate
 * (per million) moves in percent of its baseline: gaining above +10 %, losing below -10 %; steady in between;
 * n/a without a baseline. The change is taken between the two values as written (2 decimals), so a reader can
 * redo it from the table.
 */

export type Direction = 'gaining' | 'losing' | 'steady' | 'n/a';
/** The order directions are listed in when their counts tie. */
export const DIRECTIONS: readonly Direction[] = ['gaining', 'losing', 'steady', 'n/a'];

/** Thresholds of the rule: a share's change in percentage points, a rate's in percent. */
export const SHARE_THRESHOLD_PP = 1;
export const RATE_THRESHOLD_PCT = 10;

export const DIRECTION_RULE =
  `shares: change in percentage points (pp), gaining above +${SHARE_THRESHOLD_PP} pp, losing below -${SHARE_THRESHOLD_PP} pp; ` +
  `rates per million: change in % of the baseline, gaining above +${RATE_THRESHOLD_PCT} %, losing below -${RATE_THRESHOLD_PCT} %; ` +
  'steady in between; n/a when the baseline a year before is missing (the note says why)';

export type ChangeUnit = 'pp' | '%';

/** One row of scorecard.csv (and of report.json's `scorecard.rows`, which adds series, label and baseline_observed_at). */
export interface ScorecardRow {
  framework: string;
  /** The collector id, as in observations.csv. */
  source: string;
  /** The series' report key (its section in report.json). */
  series: string;
  /** Short heading for tables: `<source> mentions`. */
  label: string;
  indicator: string;
  period: string;
  value: number;
  unit: string;
  baseline_period: string | null;
  baseline_value: number | null;
  change: number | null;
  change_unit: ChangeUnit;
  direction: Direction;
  observed_at: string;
  baseline_observed_at: string | null;
  /** The as-of date minus `observed_at`, in days. */
  age_days: number;
  note: string | null;
}

export interface FrameworkVerdict {
  framework: string;
  indicators: number;
  counts: Record<Direction, number>;
  /** `TensorFlow: losing on 5 of 6 indicators, steady on 1`. */
  summary: string;
}

/** A configured series that gave no indicator, and what to do about it. */
export interface SeriesWithoutIndicators {
  series: string;
  source: string;
  label: string;
  reason: string;
  /** The command that stores its data, when nothing of its source is stored. */
  collect: string | null;
}

/**
 * The series without indicators as a reader is told them: one line per label, reason and command (a source's
 * two series of one label, with nothing stored, are one line).
 */
export function withoutIndicatorLines(scorecard: Scorecard): SeriesWithoutIndicators[] {
  const seen = new Set<string>();
  return scorecard.without_indicators.filter((w) => {
    const key = `${w.label}\u0000${w.reason}\u0000${w.collect}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface Scorecard {
  rule: string;
  frameworks: FrameworkVerdict[];
  rows: ScorecardRow[];
  without_indicators: SeriesWithoutIndicators[];
}

export interface Change {
  change: number | null;
  change_unit: ChangeUnit;
  direction: Direction;
  /** Why there is no change though there is a baseline. */
  note?: string;
}

/** The direction rule. `baseline` null: no baseline (n/a). */
export function changeOf(measure: IndicatorMeasure, latest: number, baseline: number | null): Change {
  const change_unit: ChangeUnit = measure === 'share' ? 'pp' : '%';
  if (baseline === null) return { change: null, change_unit, direction: 'n/a' };
  if (measure === 'share') {
    const change = estimate(latest - baseline);
    return { change, change_unit, direction: directionOf(change, SHARE_THRESHOLD_PP) };
  }
  if (baseline === 0) return { change: null, change_unit, direction: 'n/a', note: 'the baseline is 0, so a change in % is not defined' };
  const change = estimate((latest / baseline - 1) * 100);
  return { change, change_unit, direction: directionOf(change, RATE_THRESHOLD_PCT) };
}

/** On the change as written (2 decimals), so +1.00 pp is steady and +1.01 pp gaining. */
function directionOf(change: number, threshold: number): Direction {
  return change > threshold ? 'gaining' : change < -threshold ? 'losing' : 'steady';
}

export interface SeriesIndicators {
  series: SeriesSpec;
  indicators: readonly Indicator[];
  /** Whether anything of the series' source is stored (else the scorecard says what to collect). */
  stored: boolean;
}

/** Every series' indicators, framework by framework (in order of first appearance), with the rule applied. */
export function buildScorecard(entries: readonly SeriesIndicators[], asOf: string): Scorecard {
  const rows: ScorecardRow[] = [];
  const without: SeriesWithoutIndicators[] = [];
  for (const { series, indicators, stored } of entries) {
    if (indicators.length === 0) {
      without.push({
        series: series.key,
        source: series.source,
        label: series.text.label,
        reason: stored ? 'the stored data gives no indicator yet (its section says why)' : 'no data is stored',
        collect: stored ? null : `adoption-metrics collect --sources ${series.source}`,
      });
    }
    for (const indicator of indicators) rows.push(rowOf(series, indicator, asOf));
  }
  const frameworks = [...new Set(rows.map((r) => r.framework))];
  const ordered = frameworks.flatMap((f) => rows.filter((r) => r.framework === f));
  return {
    rule: DIRECTION_RULE,
    frameworks: frameworks.map((f) =>
      verdict(
        f,
        ordered.filter((r) => r.framework === f),
      ),
    ),
    rows: ordered,
    without_indicators: without,
  };
}

function rowOf(series: SeriesSpec, indicator: Indicator, asOf: string): ScorecardRow {
  const { latest, baseline } = indicator;
  const missing = isMissing(baseline);
  const change = changeOf(indicator.measure, latest.value, missing ? null : baseline.value);
  const notes = [
    ...(missing ? [`no baseline: ${baseline.missing}`] : []),
    ...(change.note ? [change.note] : []),
    ...indicator.notes,
    ...(series.text.caveat ? [series.text.caveat] : []),
  ];
  return {
    framework: indicator.framework,
    source: series.source,
    series: series.key,
    label: indicator.label,
    indicator: indicator.indicator,
    period: latest.period,
    value: latest.value,
    unit: indicator.unit,
    baseline_period: baseline.period,
    baseline_value: missing ? null : baseline.value,
    change: change.change,
    change_unit: change.change_unit,
    direction: change.direction,
    observed_at: latest.observedAt,
    baseline_observed_at: missing ? null : baseline.observedAt,
    age_days: daysBetween(latest.observedAt, asOf),
    note: notes.length > 0 ? notes.join('; ') : null,
  };
}

function verdict(framework: string, rows: readonly ScorecardRow[]): FrameworkVerdict {
  const counts = Object.fromEntries(DIRECTIONS.map((d) => [d, rows.filter((r) => r.direction === d).length])) as Record<Direction, number>;
  return { framework, indicators: rows.length, counts, summary: summaryLine(framework, counts, rows.length) };
}

/** `TensorFlow: losing on 5 of 6 indicators, steady on 1`: the commonest direction first, then each other one present. */
export function summaryLine(framework: string, counts: Readonly<Record<Direction, number>>, total: number): string {
  const present = DIRECTIONS.filter((d) => counts[d] > 0).sort(
    (a, b) => counts[b] - counts[a] || DIRECTIONS.indexOf(a) - DIRECTIONS.indexOf(b),
  );
  const [first, ...rest] = present;
  if (!first) return `${framework}: no indicator`;
  const head = `${framework}: ${first} on ${counts[first]} of ${total} indicator${total === 1 ? '' : 's'}`;
  return [head, ...rest.map((d) => `${d} on ${counts[d]}`)].join(', ');
}
