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

/**
 * Leading characters that make Excel/LibreOffice/Sheets treat a cell as a formula (OWASP CSV injection), with
 * the full-width forms Apple Numbers normalises into them (the list csv-stringify's `escape_formulas` uses).
 */
const FORMULA_START = new Set([...'=+-@\t\r\uFF1D\uFF0B\uFF0D\uFF20'].map((c) => c.charCodeAt(0)));

export function defuseFormula(text: string): string {
  return FORMULA_START.has(text.charCodeAt(0)) ? `'${text}` : text;
}

export function plainNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  const text = String(value);
  if (!text.includes('e')) return text;
  // 1e-7 or 1e+21 would be read as text or as a different number by some spreadsheets: move the point
  // instead, keeping JavaScript's shortest digits (toFixed would round small values and fails from 1e21).
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, rest = '', exponent] = match;
  const digits = lead! + rest;
  const point = 1 + Number(exponent);
  return point <= 0 ? `${sign}0.${'0'.repeat(-point)}${digits}` : `${sign}${digits.padEnd(point, '0')}`;
}

/** Cells become text here, by their type, so only text is ever defused (a negative number stays a number). */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return defuseFormula(cell);
  if (typeof cell === 'number') return plainNumber(cell);
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  return Number.isFinite(cell.fixed) ? cell.fixed.toFixed(cell.decimals) : '';
}

const NEEDS_QUOTES = /[",\r\n]/;
const BOM = '\uFEFF';

/**
 * One record without its line end: RFC 4180 quoting (a field with `"`, `,`, CR or LF is quoted, `"` doubled).
 * Written here rather than with csv-stringify because the history CSV has tens of thousands of records and
 * csv-stringify spent about five times as long per record (a quarter of `report` over ten years of daily
 * runs); tests hold the output byte for byte to csv-stringify's.
 */
export function csvRecord(cells: readonly Cell[]): string {
  let record = '';
  for (let i = 0; i < cells.length; i++) {
    const text = cellText(cells[i]);
    if (i > 0) record += ',';
    record += NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  }
  return record;
}

/** A header row (defused like any text) and the records, each line ending in LF, UTF-8 BOM only when asked. */
export function toCsv(columns: readonly string[], rows: Iterable<readonly Cell[]>, options: { bom?: boolean } = {}): string {
  const lines = [csvRecord(columns)];
  for (const row of rows) lines.push(csvRecord(row));
  return `${options.bom ? BOM : ''}${lines.join('\n')}\n`;
}
