import { linearRegression, linearRegressionLine, rSquared } from 'simple-statistics';
import type { TrendLine } from './statistics-types.js';

/** Least-squares line through (year, count) of complete years only; an estimate would bend the fit. */
export function trendLine(points: readonly { year: number; value: number }[]): TrendLine | undefined {
  if (points.length < 2) return undefined;
  const data = points.map((p) => [p.year, p.value]);
  const { m, b } = linearRegression(data);
  const years = points.map((p) => p.year);
  const r2 = rSquared(data, linearRegressionLine({ m, b }));
  return {
    slope_per_year: m,
    intercept: b,
    // A flat series has no variance to explain (0/0); the flat line fits it exactly.
    r_squared: Number.isFinite(r2) ? r2 : 1,
    from_year: Math.min(...years),
    to_year: Math.max(...years),
    n: points.length,
  };
}
