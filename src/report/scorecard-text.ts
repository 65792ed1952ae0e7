import {
  type Direction,
  RATE_THRESHOLD_PCT,
  type Scorecard,
  type ScorecardRow,
  SHARE_THRESHOLD_PP,
  withoutIndicatorLines,
} from '../analyze/scorecard.js';
import stringWidth from 'string-width';
import { roundTo } from '../analyze/rounding.js';
import { textTable } from './text-table.js';

/**
 * The scorecard at the top of the terminal summary: frameworks × indicators, each cell the value and its change
 * with a mark, then one line per framework. Marks are ▲ ▼ ● ○ on a terminal that takes colour, and plain ASCII
 * otherwise (NO_COLOR set, or output to a file or pipe), so a cron log reads the same.
 */

export interface TerminalStyle {
  /** ▲ ▼ ● ○ (green and red) instead of ^ v = ?. */
  unicode: boolean;
}

const MARKS: Record<'unicode' | 'ascii', Record<Direction, string>> = {
  unicode: { gaining: '▲', losing: '▼', steady: '●', 'n/a': '○' },
  ascii: { gaining: '^', losing: 'v', steady: '=', 'n/a': '?' },
};
const GREEN = '\u001b[32m';
const RED = '\u001b[31m';
const RESET = '\u001b[39m';

/** The table is cut into blocks of columns that fit this width. */
const MAX_WIDTH = 100;

const sign = (n: number) => (n > 0 ? '+' : '');

/** Rounded half away from zero as every file here is (toFixed would round 57.55 down: it is 57.549… in binary). */
const fixedText = (value: number, decimals: number) => roundTo(value, decimals).toFixed(decimals);

/** `98.9% ▲+3.1` (share, change in pp) or `3118 ▼-12%` (rate, change in %): fewer decimals than the files. */
function cellText(row: ScorecardRow, mark: string): string {
  const value = row.change_unit === 'pp' ? `${fixedText(row.value, 1)}%` : fixedText(row.value, row.value >= 100 ? 0 : 1);
  if (row.change === null) return `${value} ${mark}`;
  const change = row.change_unit === 'pp' ? fixedText(row.change, 1) : `${fixedText(row.change, 0)}%`;
  return `${value} ${mark}${sign(row.change)}${change}`;
}

/** Greedy word wrap of a heading to `width` columns on screen (a longer word gets its own line). */
function wrap(label: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of label.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && stringWidth(`${last} ${word}`) <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

export function renderScorecard(scorecard: Scorecard, style: TerminalStyle = { unicode: false }): string[] {
  const marks = MARKS[style.unicode ? 'unicode' : 'ascii'];
  const out = ['', 'Scorecard: latest settled period against a year before (every detail: scorecard.csv, report.html)'];
  if (scorecard.rows.length === 0) out.push('  no indicator yet: nothing comparable is stored');
  else out.push(...table(scorecard, marks), legend(marks), ...scorecard.frameworks.map((f) => `  ${f.summary}`));
  for (const w of withoutIndicatorLines(scorecard)) {
    out.push(`  ${w.label}: ${w.reason}${w.collect ? `; run \`${w.collect}\`` : ''}`);
  }
  const text = out.join('\n');
  const coloured = style.unicode ? text.replaceAll('▲', `${GREEN}▲${RESET}`).replaceAll('▼', `${RED}▼${RESET}`) : text;
  return coloured.split('\n');
}

function legend(marks: Record<Direction, string>): string {
  return `  ${marks.gaining} gaining  ${marks.losing} losing  ${marks.steady} steady (shares ±${SHARE_THRESHOLD_PP} pp, per million ±${RATE_THRESHOLD_PCT} %)  ${marks['n/a']} n/a: no baseline`;
}

function table(scorecard: Scorecard, marks: Record<Direction, string>): string[] {
  const labels = [...new Set(scorecard.rows.map((r) => r.label))];
  const frameworks = scorecard.frameworks.map((f) => f.framework);
  const cell = new Map(scorecard.rows.map((r) => [`${r.framework}\u0000${r.label}`, cellText(r, marks[r.direction])]));
  const columns = labels.map((label) => {
    const cells = frameworks.map((f) => cell.get(`${f}\u0000${label}`) ?? '');
    // As narrow as the cells allow, widened until the heading fits on two lines.
    let width = Math.max(...cells.map((c) => stringWidth(c)), ...label.split(' ').map((w) => stringWidth(w)), 8);
    while (wrap(label, width).length > 2) width++;
    return { heading: wrap(label, width), cells, width };
  });
  const nameWidth = Math.max(...frameworks.map((f) => stringWidth(f)), 'framework'.length);
  // Blocks of columns that fit the width, so many indicators wrap instead of running off a terminal.
  const blocks: (typeof columns)[] = [];
  let width = 2 + nameWidth;
  for (const column of columns) {
    if (blocks.length === 0 || width + 2 + column.width > MAX_WIDTH) {
      blocks.push([]);
      width = 2 + nameWidth;
    }
    blocks.at(-1)!.push(column);
    width += 2 + column.width;
  }
  return blocks.flatMap((block, b) => {
    const headingLines = Math.max(...block.map((c) => c.heading.length));
    // Headings sit on the table: a two-line one starts a line above a one-line one.
    const head = Array.from({ length: headingLines }, (_, i) => [
      i === headingLines - 1 ? 'framework' : '',
      ...block.map((c) => c.heading[i - (headingLines - c.heading.length)] ?? ''),
    ]);
    const body = frameworks.map((f, i) => [f, ...block.map((c) => c.cells[i]!)]);
    return [...(b > 0 ? [''] : []), textTable([...head, ...body])];
  });
}
