import type { SectionOf } from '../../analyze/report-types.js';
import type { Backtest } from '../../analyze/yearly-count/types.js';
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
    ...byMonthDay(backtest),
    `Adjustment in use: ${section.data.adjustment.method} (${section.data.adjustment.note})`,
    '',
  ].join('\n');
}

/** The mean errors at the as-of month/day and the early-year cutoffs: the measurement behind withholding. */
function byMonthDay(backtest: Backtest): string[] {
  if (backtest.by_month_day.length === 0) return [];
  const mape = (value: number | null, n: number) => (value === null ? 'n/a' : `${value.toFixed(2)} % (n=${n})`);
  return [
    'Mean absolute error by month/day (every keyword; a method off by more than 25 % is not shown on such a day):',
    textTable(
      [
        ['month/day', 'linear', 'lag-aware'],
        ...backtest.by_month_day.map((c) => [c.month_day, mape(c.mape.linear, c.n.linear), mape(c.mape.lag_aware, c.n.lag_aware)]),
      ],
      [false, true, true],
    ),
  ];
}
