/** Calendar quarters as `YYYY-Qn`: parsing, ordering and the quarter of a date. */

const QUARTER = /^(\d{4})-Q([1-4])$/;

export function isQuarter(text: string): boolean {
  return QUARTER.test(text);
}

/** `2024-07-20` → `2024-Q3`. */
export function quarterOfDate(date: string): string {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-Q${Math.ceil(month / 3)}`;
}

/** The last day of a quarter: `2024-Q3` → `2024-09-30`. */
export function quarterEnd(quarter: string): string {
  const [, year, q] = QUARTER.exec(quarter) ?? [];
  if (!year || !q) throw new Error(`not a quarter: ${quarter}`);
  const lastMonth = Number(q) * 3;
  const day = new Date(Date.UTC(Number(year), lastMonth, 0)).getUTCDate();
  return `${year}-${String(lastMonth).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The quarter before: `2024-Q1` → `2023-Q4`. */
export function previousQuarter(quarter: string): string {
  const [, year, q] = QUARTER.exec(quarter) ?? [];
  if (!year || !q) throw new Error(`not a quarter: ${quarter}`);
  return q === '1' ? `${Number(year) - 1}-Q4` : `${year}-Q${Number(q) - 1}`;
}
