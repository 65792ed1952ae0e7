/** Rounding for outputs: half away from zero, so 91.105 → 91.11 and -2.5 → -3 alike. */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // The tiny nudge absorbs binary noise such as 1.005 * 100 = 100.49999999999999.
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * factor + 1e-9)) / factor;
  return rounded === 0 ? 0 : rounded; // no -0 in files
}

/** Fractions (shares, growth) keep 6 decimals: enough for 2-decimal percentages after any re-division. */
export const fraction = (value: number): number => roundTo(value, 6);

/** A count's share of its total as a fraction, or null when either is missing or the total is 0. */
export const share = (count: number | null, total: number | null): number | null =>
  count === null || total === null || total === 0 ? null : fraction(count / total);

/** Estimates and percentages keep 2 decimals. */
export const estimate = (value: number): number => roundTo(value, 2);

export const percent = (fractionValue: number): number => roundTo(fractionValue * 100, 2);
