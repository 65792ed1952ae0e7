import { stringify } from 'csv-stringify/sync';

/**
 * CSV for spreadsheets: plain numbers (no thousands separators, `.` decimal, never exponent notation),
 * `true`/`false` for flags, empty for missing, LF line ends, UTF-8. Text that a spreadsheet would run as a
 * formula is defused; numbers are left alone, so a negative growth rate stays a number.
 */

/** A number written with a fixed number of decimals (share_pct 91.10, not 91.1); still a number to a spreadsheet. */
export interface Fixed {
  fixed: number;
  decimals: number;
}

export type Cell = string | number | boolean | Fixed | null | undefined;

export const fixed = (value: number | null, decimals = 2): Fixed | null => (value === null ? null : { fixed: value, decimals });

/** Leading characters that make Excel/LibreOffice/Sheets treat a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function plainNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  const text = String(value);
  // 1e-7 or 1e+21 would be read as text or as a different number by some spreadsheets.
  return /e/i.test(text) ? value.toFixed(12).replace(/\.?0+$/, '') : text;
}

/** Cells become text here, by their type, so only text is ever defused (a negative number stays a number). */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return defuseFormula(cell);
  if (typeof cell === 'number') return plainNumber(cell);
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  return Number.isFinite(cell.fixed) ? cell.fixed.toFixed(cell.decimals) : '';
}

export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[], options: { bom?: boolean } = {}): string {
  return stringify(
    rows.map((r) => r.map(cellText)),
    { header: true, columns: columns.map(defuseFormula), bom: options.bom ?? false, record_delimiter: 'unix' },
  );
}
