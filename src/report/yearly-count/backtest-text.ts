import type { SectionOf } from '../../analyze/report-types.js';
import { textTable } from '../text-table.js';

/** `report --backtest`: how each partial-year adjustment would have done on past years of one yearly series. */
export function renderBacktest(section: SectionOf<'yearly-count'>): string {
  const { backtest } = section.data;
  if (backtest.rows.length === 0) return `Partial-year backtest: ${backtest.note}\n`;
  const signed = (value: number | null) => (value === null ? 'n/a' : `${value > 0 ? '+' : ''}${value.toFixed(2)} %`);
  const mape = (value: number | null, n: number) => (value === null ? 'n/a' : `${value.toFixed(2)} % (n=${n})`);
  return [
    `Partial-year backtest at month/day ${backtest.month_day}: estimate from what was visible then vs the final count`,
    textTable(
      [
        ['keyword', 'year', 'visible', 'final', 'linear', 'error', 'lag-aware', 'error'],
        ...backtest.rows.map((r) => [
          r.keyword,
          String(r.year),
          String(r.visible),
          String(r.actual),
          r.linear.toFixed(0),
          signed(r.linear_error_pct),
          r.lag_aware === null ? 'n/a' : r.lag_aware.toFixed(0),
          signed(r.lag_aware_error_pct),
        ]),
      ],
      [false, false, true, true, true, true, true, true],
    ),
    `Mean absolute error: linear ${mape(backtest.mape.linear, backtest.n.linear)}, lag-aware ${mape(backtest.mape.lag_aware, backtest.n.lag_aware)}`,
    `Adjustment in use: ${section.data.adjustment.method} (${section.data.adjustment.note})`,
    '',
  ].join('\n');
}
