import type { ColumnKind, PageTable } from './page-part.js';

const COLUMN_CLASS: Record<ColumnKind, string> = {
  number: ' class="num"',
  token: ' class="token"',
  text: '',
  prose: ' class="prose"',
  long: ' class="long"',
};

/** Small helpers for writing report.html as a string: every text passes through `esc`. */

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a quoted attribute value. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A relative link to a file written beside the page (its name escaped and percent-encoded). */
export function fileLink(name: string, text = name): string {
  return `<a href="${esc(encodeURIComponent(name))}">${esc(text)}</a>`;
}

/** A table in its own horizontally scrolling container, so a wide one never widens the page. */
export function scrolling(id: string, captionId: string, table: string): string {
  // tabindex: a keyboard user can scroll it too; labelled by its caption.
  return `<div class="scroll" id="${esc(id)}" role="region" aria-labelledby="${esc(captionId)}" tabindex="0">\n${table}\n</div>`;
}

/** A key table: column headings `<th scope="col">`, each row's first cell `<th scope="row">`, numbers right-aligned. */
export function renderTable(table: PageTable, id: string): string {
  const captionId = `${id}-caption`;
  const kind = (i: number): ColumnKind => table.columnKinds?.[i] ?? 'number';
  const head = table.columns
    .map((c, i) => `<th scope="col"${i > 0 && kind(i - 1) === 'number' ? COLUMN_CLASS.number : ''}>${esc(c)}</th>`)
    .join('');
  const rows = table.rows.map(
    (r) => `<tr><th scope="row">${esc(r.heading)}</th>${r.cells.map((c, i) => `<td${COLUMN_CLASS[kind(i)]}>${esc(c)}</td>`).join('')}</tr>`,
  );
  const html = [
    `<table>`,
    `<caption id="${esc(captionId)}">${esc(table.caption)}</caption>`,
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>`,
    ...rows,
    `</tbody>`,
    `</table>`,
  ].join('\n');
  return scrolling(id, captionId, html);
}

/** `partial_year` → `Partial year`. */
export function keyWords(key: string): string {
  const words = key.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
