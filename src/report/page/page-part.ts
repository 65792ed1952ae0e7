/**
 * What a kind's writers give its section of report.html (KindWriters.page). The page itself adds, for every
 * kind alike, the section's charts (inline), its notices and warnings, its methodology and the queries behind it.
 */
export interface PagePart {
  /** Observation date of the figures shown (the data's age is counted from it); null when nothing is stored. */
  observedAt: string | null;
  /** Why the section has no figures, when it has none (the page adds how to collect them). */
  missing: string | null;
  /** The key figures, most important first. Cells are plain text (the page escapes them). */
  tables: PageTable[];
  /** Short lines under the tables: a partial period, what was left out. */
  notes: string[];
}

export interface PageTable {
  caption: string;
  /** Column headings; the first heads the row headings. */
  columns: string[];
  rows: PageRow[];
  /** What each column after the row heading holds; numbers (right-aligned, never wrapped) when omitted. */
  columnKinds?: readonly ColumnKind[];
}

/**
 * `number`: right-aligned, on one line; `token`: left-aligned, on one line (a date, a period); `text`: wraps between
 * words; `prose`: a sentence, given room to wrap; `long`: may break anywhere (a URL, a query).
 */
export type ColumnKind = 'number' | 'token' | 'text' | 'prose' | 'long';

export interface PageRow {
  /** The row heading (`<th scope="row">`). */
  heading: string;
  cells: string[];
}

/** A table from rows as the terminal tables have them: the first row the column headings, the first cell of each row its heading. */
export function pageTable(caption: string, rows: readonly (readonly string[])[], columnKinds?: readonly ColumnKind[]): PageTable {
  const [head = [], ...body] = rows;
  return {
    caption,
    columns: [...head],
    rows: body.map(([heading = '', ...cells]) => ({ heading, cells })),
    ...(columnKinds ? { columnKinds } : {}),
  };
}

/** The part of a section with nothing to show, and why. */
export const noFigures = (missing: string): PagePart => ({ observedAt: null, missing, tables: [], notes: [] });

/** The latest of observation dates (`YYYY-MM-DD`), for the data's age. */
export const latestDate = (dates: readonly string[]): string | null => [...dates].sort().at(-1) ?? null;
