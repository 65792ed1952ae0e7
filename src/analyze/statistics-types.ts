/** Shapes of the statistics shared by the series kinds (report.json, snake_case). */

export interface Cagr {
  from_year: number;
  to_year: number;
  rate: number;
}

export interface TrendLine {
  slope_per_year: number;
  intercept: number;
  r_squared: number;
  from_year: number;
  to_year: number;
  n: number;
}

export interface Crossover {
  leader: string;
  trailer: string;
  /** `crossed`: first year the leader exceeds the trailer after a year it did not; otherwise it never changed. */
  status: 'crossed' | 'ahead_from_start' | 'never_ahead';
  year: number | null;
  partial: boolean;
  /** Whether the leader is ahead in the last year both have values (the current standing). */
  ahead_in_last_year: boolean;
}
