import type { ScorecardRow } from '../analyze/scorecard.js';
import { type Cell, fixed, toCsv } from './csv.js';

export const SCORECARD_CSV = 'scorecard.csv';

/** The columns of scorecard.csv, in this order (issue 21). */
export const SCORECARD_COLUMNS = [
  'framework',
  'source',
  'indicator',
  'period',
  'value',
  'unit',
  'baseline_period',
  'baseline_value',
  'change',
  'change_unit',
  'direction',
  'observed_at',
  'age_days',
  'note',
] as const;

export const SCORECARD_DESCRIPTION = `one row per framework and indicator: ${SCORECARD_COLUMNS.join(',')}; the latest settled period against the same measure a year before; shares in percent with the change in percentage points (pp), rates per million with the change in %; direction gaining, losing, steady or n/a (no baseline: note says why)`;

/** A share with 2 decimals, as the kinds' share_pct columns; a rate as its per_million column (a plain number). */
const valueCell = (row: ScorecardRow, value: number | null): Cell => (row.change_unit === 'pp' ? fixed(value) : value);

export function scorecardCsv(rows: readonly ScorecardRow[], options: { bom?: boolean } = {}): string {
  return toCsv(
    SCORECARD_COLUMNS,
    rows.map((r) => [
      r.framework,
      r.source,
      r.indicator,
      r.period,
      valueCell(r, r.value),
      r.unit,
      r.baseline_period,
      valueCell(r, r.baseline_value),
      fixed(r.change),
      r.change_unit,
      r.direction,
      r.observed_at,
      r.age_days,
      r.note,
    ]),
    options,
  );
}
