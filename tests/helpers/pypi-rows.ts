import type { DayRow } from './clickpy-server.js';

/**
 * Made-up daily downloads for the ClickPy stand-in (never PyPI's numbers): each project its own level, a weekly
 * rhythm (weekends lower), growth over time and a little deterministic noise, from its first day to `to`.
 */
export interface ProjectShape {
  project: string;
  /** First day with downloads. */
  from: string;
  /** Downloads on a weekday at `from`. */
  level: number;
  /** Growth per year, as a fraction. */
  growth: number;
  /** From this day on, this growth per year instead (a framework that peaks, say). */
  bend?: { at: string; growth: number };
}

const DAY = 86_400_000;

export function madeUpRows(shapes: readonly ProjectShape[], to: string): DayRow[] {
  const rows: DayRow[] = [];
  for (const shape of shapes) {
    const start = Date.parse(`${shape.from}T00:00:00Z`);
    for (let t = start; t <= Date.parse(`${to}T00:00:00Z`); t += DAY) {
      const date = new Date(t).toISOString().slice(0, 10);
      const bend = shape.bend ? Date.parse(`${shape.bend.at}T00:00:00Z`) : Number.POSITIVE_INFINITY;
      const years = (Math.min(t, bend) - start) / (365 * DAY);
      const after = Math.max(0, t - bend) / (365 * DAY);
      const trend = (1 + shape.growth) ** years * (1 + (shape.bend?.growth ?? 0)) ** after;
      const weekday = new Date(t).getUTCDay();
      const week = weekday === 0 || weekday === 6 ? 0.6 : 1;
      // A fixed pseudo-random wobble of ±5 %, so sums are not round and no two days are alike.
      const wobble = 1 + 0.05 * Math.sin(t / DAY / 1.7 + shape.project.length);
      rows.push({ date, project: shape.project, count: Math.round(shape.level * trend * week * wobble) });
    }
  }
  return rows;
}

/** The built-in frameworks' packages, made up, from 2022 (torch starting mid-March, to show months of 0). */
export const TEST_SHAPES: readonly ProjectShape[] = [
  { project: 'torch', from: '2022-03-15', level: 900_000, growth: 0.4 },
  { project: 'tensorflow', from: '2021-06-01', level: 700_000, growth: -0.05 },
  { project: 'tensorflow-cpu', from: '2021-06-01', level: 40_000, growth: 0 },
  { project: 'keras', from: '2021-06-01', level: 300_000, growth: 0.1 },
  { project: 'jax', from: '2021-06-01', level: 50_000, growth: 0.8 },
  // Never asked by the built-in frameworks: the answer must not mix it in.
  { project: 'numpy', from: '2021-06-01', level: 5_000_000, growth: 0 },
];
