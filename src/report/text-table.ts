/** Plain-text tables for the terminal: numbers right-aligned, text left-aligned, two spaces between columns. */
export function textTable(rows: readonly (readonly string[])[], rightAligned: readonly boolean[] = []): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map(
      (r) =>
        '  ' +
        r
          .map((cell, i) => (rightAligned[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

export const pctText = (fraction: number | null): string => (fraction === null ? '' : `${(fraction * 100).toFixed(2)} %`);
