import { daysBetween } from '../../analyze/indicator.js';
import type { QueryRecord, Report, Section } from '../../analyze/report-types.js';
import { type PageChart, chartFigure } from './chart-figure.js';
import { esc, fileLink, keyWords, renderTable } from './html.js';
import { type PagePart, pageTable } from './page-part.js';

/** What one section of the page is made of: the kind's part, its files, and what the report says of its source. */
export interface SourceSectionInput {
  section: Section;
  part: PagePart;
  csvs: readonly string[];
  charts: readonly PageChart[];
  /** The queries behind its figures. */
  queries: readonly QueryRecord[];
  /** The report's warnings about its source. */
  warnings: readonly string[];
  /** The command that stores its data, when nothing of its source is stored. */
  collect: string | null;
}

/** `Some_Key.2` → `s-some_key-2`: an id safe in any attribute and URL fragment. */
export const sectionId = (key: string) => `s-${key.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}`;

/** One source's section: notices, data age, its charts inline, its key tables, methodology and queries. */
export function sourceSection(input: SourceSectionInput, report: Report): string {
  const { section, part } = input;
  const id = sectionId(section.series.key);
  const out = [`<section id="${id}" aria-labelledby="${id}-heading">`, `<h2 id="${id}-heading">${esc(section.series.text.title)}</h2>`];
  if (part.observedAt !== null) {
    const age = daysBetween(part.observedAt, report.as_of);
    out.push(
      `<p class="age">Data observed ${esc(part.observedAt)}, ${age} day${age === 1 ? '' : 's'} before the as-of date ${esc(report.as_of)}.</p>`,
    );
    // The charts carry the notices in their own band; the page says them as prominently, before the figures.
    for (const notice of report.data_notices) out.push(`<p class="notice"><strong>NOTICE:</strong> ${esc(notice)}</p>`);
  }
  if (input.warnings.length > 0) {
    out.push(
      `<div class="notice warnings"><strong>Warnings:</strong><ul>${input.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></div>`,
    );
  }
  if (part.missing !== null) {
    const collect = input.collect ? ` To collect them, run <code>${esc(input.collect)}</code>.` : '';
    out.push(`<p class="missing"><strong>No figures:</strong> ${esc(part.missing)}.${collect}</p>`);
  } else {
    out.push(...input.charts.map((chart, i) => chartFigure(chart, `${id}-chart${i + 1}`, input.csvs)));
    out.push(...part.tables.map((table, i) => renderTable(table, `${id}-table${i + 1}`)));
    if (part.notes.length > 0) out.push(`<ul class="notes">${part.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
    if (input.csvs.length > 0) out.push(`<p>Data: ${input.csvs.map((f) => fileLink(f)).join(', ')}.</p>`);
  }
  out.push(`<details><summary>Methodology</summary>\n${methodology(section.methodology)}\n</details>`);
  if (input.queries.length > 0) {
    out.push(
      `<details><summary>Queries behind the figures (${input.queries.length})</summary>\n${renderTable(queriesTable(input.queries), `${id}-queries`)}\n</details>`,
    );
  }
  out.push('</section>');
  return out.join('\n');
}

/** A methodology block as a definition list: text as is, lists as lists, nested blocks nested; nulls left out. */
function methodology(value: unknown, top = true): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return `<ul>${value.map((v) => `<li>${methodology(v, false)}</li>`).join('')}</ul>`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined);
    // A small record of words inside a list (`{ keyword, term }`) reads best on one line.
    if (!top && entries.length <= 3 && entries.every(([, v]) => typeof v !== 'object'))
      return esc(entries.map(([, v]) => String(v)).join(': '));
    return `<dl>${entries.map(([k, v]) => `<dt>${esc(keyWords(k))}</dt><dd>${methodology(v, false)}</dd>`).join('')}</dl>`;
  }
  return esc(String(value));
}

function queriesTable(queries: readonly QueryRecord[]) {
  const rows = [
    ['subject', 'metric', 'method', 'period', 'observed', 'query'],
    ...queries.map((q) => [q.subject, q.metric, q.method, q.period, q.observed_at, q.query]),
  ];
  return pageTable('The query behind each figure (the latest period; every query is in observations.csv)', rows, [
    'text',
    'text',
    'text',
    'text',
    'long',
  ]);
}

/**
 * The report's queries and warnings, each given to the section it belongs to: a query to the section of its source
 * that counts its metric, else to its source's first section (totals, completeness); a warning, which names its
 * source first (`<source>: …`), to its source's first section. Warnings of no section are the page's own.
 */
export function assignToSections(report: Report): {
  queries: Map<Section, QueryRecord[]>;
  warnings: Map<Section, string[]>;
  rest: string[];
} {
  const queries = new Map<Section, QueryRecord[]>(report.sections.map((s) => [s, []]));
  const warnings = new Map<Section, string[]>(report.sections.map((s) => [s, []]));
  for (const q of report.queries) {
    const mine = report.sections.filter((s) => s.series.source === q.source);
    const section = mine.find((s) => s.series.metric === q.metric) ?? mine[0];
    if (section) queries.get(section)!.push(q);
  }
  const rest: string[] = [];
  for (const w of report.warnings) {
    const section = report.sections.find((s) => w.startsWith(`${s.series.source}:`));
    if (section) warnings.get(section)!.push(w);
    else rest.push(w);
  }
  return { queries, warnings, rest };
}
