import type { ChartSeries } from './line-chart-input.js';

/**
 * Which series a chart draws on its own: all when they fit, else the `max - 1` with the largest latest value
 * (ties: input order), kept in input order, and the rest as one "others" series. Ranking uses the first
 * panel, so every panel draws the same series.
 */
export function topSeries(series: readonly ChartSeries[], max: number): { keep: number[]; rest: number[] } {
  const all = series.map((_, i) => i);
  if (series.length <= max) return { keep: all, rest: [] };
  const latest = (s: ChartSeries) => s.values.findLast((v) => v !== null) ?? Number.NEGATIVE_INFINITY;
  const ranked = [...all].sort((a, b) => latest(series[b]!) - latest(series[a]!) || a - b);
  const keep = new Set(ranked.slice(0, Math.max(max - 1, 0)));
  return { keep: all.filter((i) => keep.has(i)), rest: all.filter((i) => !keep.has(i)) };
}

/**
 * The sum of `members` per category. A category where any member is unknown is unknown (a partial sum would
 * read as a drop); one where any member is estimated is estimated.
 */
export function sumSeries(name: string, members: readonly ChartSeries[], categories: number): ChartSeries {
  const values: (number | null)[] = [];
  const estimated: boolean[] = [];
  for (let i = 0; i < categories; i++) {
    const parts = members.map((s) => s.values[i] ?? null);
    values.push(parts.some((v) => v === null) ? null : parts.reduce((sum: number, v) => sum + v!, 0));
    estimated.push(members.some((s) => s.estimated?.[i] === true));
  }
  return { name, values, estimated };
}
