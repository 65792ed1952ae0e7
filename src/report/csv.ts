/**
 * CSV for spreadsheets, written by csv-stringify: plain numbers (no thousands separators, `.` decimal, never
 * exponent notation), `true`/`false` for flags, empty for missing, LF line ends, UTF-8 (a byte order mark only
 * when asked). Text that a spreadsheet would run as a formula is defused; numbers are left alone, so a
 * negative growth rate stays a number.
 */
import { type Options, type Stringifier, stringify as stringifyStream } from 'csv-stringify';
import { stringify } from 'csv-stringify/sync';

/** A number written with a fixed number of decimals (share_pct 91.10, not 91.1); still a number to a spreadsheet. */
export interface Fixed {
  fixed: number;
  decimals: number;
}

export type Cell = string | number | boolean | Fixed | null | undefined;

export const fixed = (value: number | null, decimals = 2): Fixed | null => (value === null ? null : { fixed: value, decimals });

/**
 * Leading characters that make Excel/LibreOffice/Sheets treat a cell as a formula (OWASP CSV injection), with
 * the full-width forms Apple Numbers normalises into them (the list of csv-stringify's `escape_formulas`).
 * Defused here rather than with `escape_formulas`, which judges a leading `-` by the cell's JavaScript type
 * and so would turn a fixed-decimal -16.67 (an object until cast) into the text '-16.67.
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

const flagText = (flag: boolean): string => (flag ? 'true' : 'false');
const fixedText = (cell: Fixed): string => (Number.isFinite(cell.fixed) ? cell.fixed.toFixed(cell.decimals) : '');

/** A cell's text as it is written (before quoting): by its type, so only text is ever defused. */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return defuseFormula(cell);
  if (typeof cell === 'number') return plainNumber(cell);
  if (typeof cell === 'boolean') return flagText(cell);
  return fixedText(cell);
}

/**
 * The options of every CSV here. RFC 4180 quoting (a field with `"`, `,`, CR or LF is quoted, `"` doubled):
 * csv-stringify quotes LF as the record delimiter, and `quoted_match` a lone CR, which spreadsheets read as a
 * line end (its `quote_record_delimiter` does the same at a quarter more time per record). Null and
 * undefined are written empty.
 */
function csvOptions(columns: readonly string[] | undefined, bom: boolean): Options {
  return {
    bom,
    ...(columns === undefined ? {} : { header: true, columns }),
    record_delimiter: '\n',
    quoted_match: /\r/,
    cast: {
      string: defuseFormula,
      number: plainNumber,
      boolean: flagText,
      // The only objects in a Cell are Fixed numbers.
      object: (cell) => fixedText(cell as unknown as Fixed),
    },
  };
}

/** One record without its line end. */
export function csvRecord(cells: readonly Cell[]): string {
  return stringify([cells], { ...csvOptions(undefined, false), eof: false });
}

/** A header row (defused like any text) and the records, each line ending in LF, UTF-8 BOM only when asked. */
export function toCsv(columns: readonly string[], rows: Iterable<readonly Cell[]>, options: { bom?: boolean } = {}): string {
  return stringify(Array.isArray(rows) ? rows : [...rows], csvOptions(columns, options.bom ?? false));
}

/** The same bytes as `toCsv`, as a stream: write rows (arrays of cells) in, read CSV text out. */
export function csvStringifier(columns: readonly string[], options: { bom?: boolean } = {}): Stringifier {
  return stringifyStream(csvOptions(columns, options.bom ?? false));
}
