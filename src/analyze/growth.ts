import type { Cagr } from './statistics-types.js';

/** Year-over-year growth as a fraction; undefined when either value is missing or the base is 0. */
export function yoyGrowth(previous: number | null | undefined, current: number | null | undefined): number | undefined {
  if (previous === null || previous === undefined || current === null || current === undefined || previous <= 0) return undefined;
  return current / previous - 1;
}

/**
 * Compound annual growth from the first year with a count above 0 to the last complete year. Starting at the
 * first non-zero year avoids an infinite rate; stopping at the last complete year keeps an estimate out.
 */
export function cagr(points: readonly { year: number; value: number | null; complete: boolean }[]): Cagr | undefined {
  const usable = points.filter((p) => p.complete && p.value !== null).sort((a, b) => a.year - b.year);
  const first = usable.find((p) => p.value! > 0);
  const last = usable[usable.length - 1];
  if (!first || !last || last.year <= first.year) return undefined;
  return { from_year: first.year, to_year: last.year, rate: (last.value! / first.value!) ** (1 / (last.year - first.year)) - 1 };
}
