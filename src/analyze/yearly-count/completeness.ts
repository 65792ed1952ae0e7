import { mean } from 'simple-statistics';

/**
 * Lag-aware completeness: items reach a source weeks to months after their year's date, so by a given
 * month/day a year holds a smaller share of its final count than the calendar suggests. For a past year Y,
 * c_Y = visible by the same month/day (Y) / final (Y) measures that share; the partial year is divided by the
 * mean c. What "visible" is comes from the source (CompletenessBasis).
 */

/**
 * c_Y for every year that has both counts and a non-zero final count. A year with more records by the
 * cutoff than in all is left out: the two counts cannot describe the same search (they came from different
 * sources or queries), and c above 1 would "adjust" the partial year below its own raw count.
 */
export function completenessByYear(visibleByYear: ReadonlyMap<number, number>, finals: ReadonlyMap<number, number>): Map<number, number> {
  const ratios = new Map<number, number>();
  for (const [year, visible] of [...visibleByYear].sort(([a], [b]) => a - b)) {
    const final = finals.get(year);
    if (final !== undefined && final > 0 && visible <= final) ratios.set(year, visible / final);
  }
  return ratios;
}

/** How many complete years before the partial one are averaged (recent years reflect today's indexing lag). */
export const COMPLETENESS_YEARS = 3;

/**
 * The complete years an estimate of `year` rests on: its completeness is their mean, and its backtest scores
 * them (each against the others), so neither reads further back however many years the history holds.
 */
export function completenessYears(year: number): number[] {
  return Array.from({ length: COMPLETENESS_YEARS }, (_, i) => year - COMPLETENESS_YEARS + i);
}

/** Mean c over the last COMPLETENESS_YEARS complete years before `partialYear`; undefined when none is usable. */
export function meanCompleteness(ratios: ReadonlyMap<number, number>, partialYear: number): { c: number; years: number[] } | undefined {
  const years: number[] = [];
  for (const year of completenessYears(partialYear)) {
    const c = ratios.get(year);
    if (c !== undefined && c > 0) years.push(year);
  }
  if (years.length === 0) return undefined;
  return { c: mean(years.map((year) => ratios.get(year)!)), years };
}
