import { describe, expect, it } from 'vitest';
import { backtest as runBacktest, type BacktestInput } from '../../src/analyze/yearly-count/backtest.js';

const TEXT = { missing: 'no data', visible: 'visible by then' };
const backtest = (inputs: BacktestInput[]) => runBacktest(inputs, TEXT);

describe('src/analyze/yearly-count/backtest', () => {
  it('scores both adjustments on past years at the same month/day (lag-aware leaves the year out)', () => {
    // Completeness by 07-20: 2021 0.5, 2022 0.6, 2023 0.7.
    const result = backtest([
      {
        keyword: 'PyTorch',
        monthDay: '07-20',
        visible: new Map([
          [2021, 100],
          [2022, 240],
          [2023, 350],
        ]),
        finals: new Map([
          [2021, 200],
          [2022, 400],
          [2023, 500],
        ]),
      },
    ]);
    const linear = 365 / 201; // 20 July is day 201 of 365 in 2021–2023
    const expected = [
      { year: 2021, linear: 100 * linear, lag: 100 / 0.65 },
      { year: 2022, linear: 240 * linear, lag: 240 / 0.6 },
      { year: 2023, linear: 350 * linear, lag: 350 / 0.55 },
    ];
    const actual = { 2021: 200, 2022: 400, 2023: 500 } as Record<number, number>;
    for (const [i, row] of result.rows.entries()) {
      const e = expected[i]!;
      expect(row.year).toBe(e.year);
      expect(row.linear).toBeCloseTo(e.linear, 2);
      expect(row.lag_aware!).toBeCloseTo(e.lag, 2);
      expect(row.linear_error_pct).toBeCloseTo((100 * (e.linear - actual[e.year]!)) / actual[e.year]!, 2);
      expect(row.lag_aware_error_pct!).toBeCloseTo((100 * (e.lag - actual[e.year]!)) / actual[e.year]!, 2);
    }
    // By hand: linear errors -9.20, +8.96, +27.11 → MAPE 15.09; lag-aware -23.08, 0, +27.27 → 16.78.
    expect(result.mape.linear).toBeCloseTo(15.09, 2);
    expect(result.mape.lag_aware).toBeCloseTo(16.78, 2);
    expect(result.n).toEqual({ linear: 3, lag_aware: 3 });
    expect(result.month_day).toBe('07-20');
  });

  it('rounds the visible count, which is interpolated within the month, like the estimates', () => {
    const result = backtest([
      {
        keyword: 'PyTorch',
        monthDay: '07-20',
        visible: new Map([
          [2022, 239.13333333333333],
          [2023, 350],
        ]),
        finals: new Map([
          [2022, 400],
          [2023, 500],
        ]),
      },
    ]);
    expect(result.rows.map((r) => r.visible)).toEqual([239.13, 350]);
  });

  it('has no lag-aware estimate for a keyword with a single year of completeness data', () => {
    const result = backtest([{ keyword: 'JAX', monthDay: '07-20', visible: new Map([[2023, 10]]), finals: new Map([[2023, 20]]) }]);
    expect(result.rows[0]!.lag_aware).toBeNull();
    expect(result.mape.lag_aware).toBeNull();
    expect(result.n).toEqual({ linear: 1, lag_aware: 0 });
  });

  it('says so when there is nothing to test', () => {
    const result = backtest([]);
    expect(result.rows).toEqual([]);
    expect(result.note).toBe('no data');
    expect(backtest([{ keyword: 'JAX', monthDay: '07-20', visible: new Map([[2023, 10]]), finals: new Map([[2023, 20]]) }]).note).toBe(
      "visible = visible by then; scored on the 3 complete years before the estimated one, whose completeness the lag-aware estimate is the mean of (each year's lag-aware estimate from the others); errors are (estimate - final) / final",
    );
  });
});
