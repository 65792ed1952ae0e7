import { type Indicator, sharePercent, YEAR_DAYS, YEAR_TOLERANCE_DAYS, yearAgoSnapshot } from '../indicator.js';
import type { OverlapSnapshotSeries } from './spec.js';
import type { OverlapReport, OverlapSnapshot } from './types.js';

/**
 * Per comparison and framework: its availability share (items carrying it, alone or with others, of the
 * comparison's union) in the latest snapshot against the stored snapshot nearest to 365 days earlier (±45 days).
 * Stored history needed: the snapshots of the 90 days around a year before the latest, which the analysis
 * already keeps as each comparison's `history` (every usable date).
 */
export function overlapIndicators(series: OverlapSnapshotSeries, data: OverlapReport): Indicator[] {
  const { source, unit } = series.text;
  return data.comparisons.flatMap((c) => {
    const baseline = yearAgoSnapshot(c.history, (s) => s.observed_at, c.observed_at);
    const notes =
      baseline && baseline.method !== c.method ? [`counted ${c.method} on ${c.observed_at}, ${baseline.method} a year before`] : [];
    return c.availability.flatMap((a, i): Indicator[] => {
      const value = sharePercent(a.models, c.total);
      if (value === null) return [];
      const before = baseline ? availabilityPercent(baseline, i) : null;
      return [
        {
          framework: a.framework,
          indicator: `availability share of ${unit}, ${c.comparison}`,
          label: series.comparisons.length > 1 ? `${source} ${unit} (${c.comparison})` : `${source} ${unit}`,
          measure: 'share',
          unit: '%',
          latest: { period: c.observed_at, value, observedAt: c.observed_at },
          baseline:
            baseline && before !== null
              ? { period: baseline.observed_at, value: before, observedAt: baseline.observed_at }
              : { period: null, missing: noBaseline(c.history, c.observed_at) },
          notes,
        },
      ];
    });
  });
}

const availabilityPercent = (snapshot: OverlapSnapshot, member: number): number | null => {
  const a = snapshot.availability[member];
  return a ? sharePercent(a.models, snapshot.total) : null;
};

function noBaseline(history: readonly OverlapSnapshot[], latest: string): string {
  const earliest = history[0]?.observed_at ?? latest;
  const stored = earliest === latest ? `the earliest stored is ${latest} itself` : `the earliest stored is ${earliest}`;
  return `no snapshot is stored ${YEAR_DAYS - YEAR_TOLERANCE_DAYS}–${YEAR_DAYS + YEAR_TOLERANCE_DAYS} days before ${latest} (${stored})`;
}
