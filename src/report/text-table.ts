import stringWidth from 'string-width';

/**
 * Plain-text tables for the terminal: numbers right-aligned, text left-aligned, two spaces between columns.
 * Cells are padded by the columns they take on screen (string-width: East Asian wide characters such as
 * 框架 take two, combining marks none), not by their UTF-16 length, so a CJK framework name keeps the columns straight.
 */
export function textTable(rows: readonly (readonly string[])[], rightAligned: readonly boolean[] = []): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => stringWidth(r[i] ?? '')))) ?? [];
  return rows
    .map(
      (r) =>
        '  ' +
        r
          .map((cell, i) => {
            const pad = ' '.repeat(Math.max(0, widths[i]! - stringWidth(cell)));
            return rightAligned[i] ? pad + cell : cell + pad;
          })
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

export const pctText = (fraction: number | null): string => (fraction === null ? '' : `${(fraction * 100).toFixed(2)} %`);
