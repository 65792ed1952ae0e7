import type { Report } from '../analyze/report-types.js';
import { percent } from '../analyze/rounding.js';
import { fixed, toCsv } from './csv.js';

/** hf_models.csv: one row per segment per observation date and comparison (the Hub history). */
export const HF_MODELS_COLUMNS = ['observed_on', 'comparison', 'segment', 'frameworks', 'models', 'share_pct'] as const;

export function hfModelsCsv(report: Report, options: { bom?: boolean } = {}): string {
  const rows = report.huggingface.comparisons.flatMap((c) =>
    c.history.flatMap((snapshot) =>
      // Percent from the counts, not from the rounded fraction, so 2 decimals are exact.
      snapshot.segments.map((s) => [
        snapshot.observed_at,
        c.comparison,
        s.segment,
        s.frameworks.join('+'),
        s.models,
        fixed(percent(s.models / snapshot.total)),
      ]),
    ),
  );
  return toCsv(HF_MODELS_COLUMNS, rows, options);
}
