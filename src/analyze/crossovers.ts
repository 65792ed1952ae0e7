import type { Crossover } from './statistics-types.js';

export interface YearValue {
  year: number;
  value: number | null;
  partial: boolean;
}

/**
 * For every ordered pair (leader, trailer): the first year the leader exceeds the trailer after a year in which
 * it did not. Years where either value is missing are skipped rather than guessed; a crossover found in the
 * partial year (on its adjusted value) is flagged. `ahead_in_last_year` tells whether a lead held from the
 * start still stands.
 */
export function crossovers(series: readonly { keyword: string; points: readonly YearValue[] }[]): Crossover[] {
  const result: Crossover[] = [];
  // Each series' points by year and in year order once, not once per pair (50 keywords make 2,450 pairs).
  const byYear = new Map(series.map((s) => [s, new Map(s.points.map((p) => [p.year, p]))]));
  const inOrder = new Map(series.map((s) => [s, [...s.points].sort((a, b) => a.year - b.year)]));
  for (const leader of series) {
    for (const trailer of series) {
      if (leader === trailer) continue;
      const theirs = byYear.get(trailer)!;
      // Walks the years both have, remembering only the first, the previous and the latest comparison.
      let first: boolean | undefined;
      let previous: boolean | undefined;
      let crossing: { year: number; partial: boolean } | undefined;
      for (const p of inOrder.get(leader)!) {
        const other = theirs.get(p.year);
        if (p.value === null || other === undefined || other.value === null) continue;
        const ahead = p.value > other.value;
        if (crossing === undefined && previous === false && ahead) crossing = { year: p.year, partial: p.partial || other.partial };
        first ??= ahead;
        previous = ahead;
      }
      const base = { leader: leader.keyword, trailer: trailer.keyword, ahead_in_last_year: previous ?? false };
      if (crossing) result.push({ ...base, status: 'crossed', year: crossing.year, partial: crossing.partial });
      else result.push({ ...base, status: first ? 'ahead_from_start' : 'never_ahead', year: null, partial: false });
    }
  }
  return result;
}
