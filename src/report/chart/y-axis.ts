import { grouped, niceTicks } from '../svg.js';

/**
 * The value axis of a panel: linear from 0, or logarithmic over the decades the values span. On a log axis
 * a zero (a year with no papers, say) has no position, so zeros sit on a baseline of their own under the
 * lowest decade, labelled 0 and set apart by a gap and an axis break; lines still reach it.
 */

export type ChartScale = 'linear' | 'log';
export const CHART_SCALES: readonly ChartScale[] = ['linear', 'log'];

export interface Tick {
  value: number;
  /** Empty for a tick drawn without a label (labels kept at least MIN_LABEL_GAP apart). */
  label: string;
}

export interface YAxis {
  ticks: Tick[];
  /** Pixel row of a value (values ≤ 0 on a log axis: the zero baseline). */
  y(value: number): number;
  /** Where the axis break is drawn (log axis with zeros), else null. */
  breakAt: number | null;
}

/** Gap under the lowest decade for the zero baseline of a log axis. */
const ZERO_GAP = 26;
/** Tick labels are 12 px: rows closer than this would touch. */
const MIN_LABEL_GAP = 18;
/** Headroom over the largest value keeps the top marker clear of the labels above the plot. */
const HEADROOM = 1.08;

/** `max`: the most a value can be (100 %); the headroom never takes a linear axis past it (a share axis to 125 %). */
export function yAxis(values: readonly number[], scale: ChartScale, top: number, bottom: number, integer: boolean, max = Infinity): YAxis {
  return scale === 'log' ? logAxis(values, top, bottom, integer) : linearAxis(values, top, bottom, integer, max);
}

function linearAxis(values: readonly number[], top: number, bottom: number, integer: boolean, cap: number): YAxis {
  const highest = Math.max(...values, 0);
  const ticks = niceTicks(Math.min(highest * HEADROOM, Math.max(cap, highest)), 5, integer ? 1 : 0);
  const max = ticks[ticks.length - 1]!;
  const y = (value: number) => bottom - (value / max) * (bottom - top);
  return {
    ticks: thin(
      ticks.map((value) => ({ value, label: tickLabel(value) })),
      y,
    ),
    y,
    breakAt: null,
  };
}

function logAxis(values: readonly number[], top: number, bottom: number, integer: boolean): YAxis {
  const positive = values.filter((v) => v > 0);
  const hasZero = values.some((v) => v <= 0);
  let lo = positive.length > 0 ? Math.floor(Math.log10(Math.min(...positive))) : 0;
  if (integer) lo = Math.max(lo, 0); // counts: nothing between 0 and 1
  // The top is the largest value with headroom, not the next decade, which could leave most of the plot empty.
  const hi = Math.max(positive.length > 0 ? Math.log10(Math.max(...positive) * HEADROOM) : 1, lo + 1);
  const logBottom = hasZero ? bottom - ZERO_GAP : bottom;
  const y = (value: number) => (value <= 0 ? bottom : logBottom - ((Math.log10(value) - lo) / (hi - lo)) * (logBottom - top));
  // Few decades: 2 and 5 between them too, so the axis is still readable.
  const steps = hi - lo <= 2.5 ? [1, 2, 5] : [1];
  const values10: number[] = [];
  for (let k = lo; k <= Math.floor(hi); k++)
    for (const m of steps) if (Math.log10(m * 10 ** k) <= hi + 1e-9) values10.push(round(m * 10 ** k));
  const ticks: Tick[] = values10.map((value) => ({ value, label: tickLabel(value) }));
  const labelled = thin(ticks, y);
  return {
    ticks: hasZero ? [{ value: 0, label: '0' }, ...labelled] : labelled,
    y,
    breakAt: hasZero ? bottom - ZERO_GAP / 2 : null,
  };
}

/** Drops labels (not ticks) that would come closer than MIN_LABEL_GAP to the previous labelled one. */
function thin(ticks: Tick[], y: (value: number) => number): Tick[] {
  let last: number | undefined;
  return ticks.map((tick) => {
    const row = y(tick.value);
    if (last !== undefined && Math.abs(last - row) < MIN_LABEL_GAP) return { ...tick, label: '' };
    last = row;
    return tick;
  });
}

/** 1,000 for counts; small values (per-million rates, say) with their significant digits. */
export function tickLabel(value: number): string {
  if (value === 0 || Math.abs(value) >= 1) return grouped(value);
  return String(round(value));
}

const round = (value: number) => Number(value.toPrecision(6));
