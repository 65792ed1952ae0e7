import { DIRECTIONS, type Direction, type Scorecard, type ScorecardRow, withoutIndicatorLines } from '../../analyze/scorecard.js';
import { SCORECARD_CSV } from '../scorecard-csv.js';
import { esc, fileLink, renderTable, scrolling } from './html.js';
import { pageTable } from './page-part.js';

const MARKS: Record<Direction, string> = { gaining: '▲', losing: '▼', steady: '●', 'n/a': '○' };
const CLASSES: Record<Direction, string> = { gaining: 'gaining', losing: 'losing', steady: 'steady', 'n/a': 'na' };

const sign = (n: number) => (n > 0 ? '+' : '');
const valueText = (row: ScorecardRow, value: number) => (row.change_unit === 'pp' ? `${value.toFixed(2)} %` : value.toFixed(2));
const changeText = (row: ScorecardRow) => (row.change === null ? '' : `${sign(row.change)}${row.change.toFixed(2)} ${row.change_unit}`);

/** The mark, coloured, and its word: said to screen readers (the mark is hidden from them), shown for n/a. */
function mark(direction: Direction): string {
  const word = direction === 'n/a' ? ` ${esc(direction)}` : `<span class="sr"> ${esc(direction)}</span>`;
  return `<span class="dir ${CLASSES[direction]}"><span aria-hidden="true">${MARKS[direction]}</span>${word}</span>`;
}

/** The scorecard, first on the page: one line per framework, the frameworks × indicators table, every row with its note. */
export function scorecardSection(scorecard: Scorecard): string {
  const out = ['<section id="scorecard" aria-labelledby="scorecard-heading">', '<h2 id="scorecard-heading">Scorecard</h2>'];
  out.push(
    `<p>Each indicator in its latest settled period against the same measure a year before. ${ruleSentence(scorecard)} Every row, with its periods, baselines and notes, is in ${fileLink(SCORECARD_CSV)} and in the table under this one.</p>`,
  );
  if (scorecard.rows.length === 0) out.push('<p><strong>No indicator yet:</strong> nothing comparable is stored.</p>');
  else {
    out.push(`<ul class="verdicts">${scorecard.frameworks.map((f) => `<li>${esc(f.summary)}</li>`).join('')}</ul>`);
    out.push(matrix(scorecard));
    out.push(
      `<p class="legend">${DIRECTIONS.map((d) => (d === 'n/a' ? `${mark(d)} (no baseline a year before)` : `${mark(d)} ${esc(d)}`)).join(' &nbsp; ')}</p>`,
    );
    out.push(renderTable(rowsTable(scorecard), 'scorecard-rows'));
  }
  if (scorecard.without_indicators.length > 0) {
    out.push('<h3 id="no-data">Sources without indicators</h3>', '<ul>');
    for (const w of withoutIndicatorLines(scorecard)) {
      out.push(`<li>${esc(w.label)}: ${esc(w.reason)}${w.collect ? `; to collect it, run <code>${esc(w.collect)}</code>` : ''}.</li>`);
    }
    out.push('</ul>');
  }
  out.push('</section>');
  return out.join('\n');
}

/** The rule, a number never parted from its unit at a line end. */
function ruleSentence(scorecard: Scorecard): string {
  return esc(`Direction: ${scorecard.rule}.`).replace(/ (%|pp\b)/g, '&nbsp;$1');
}

/** Frameworks down, indicators across: the value, its mark and its change a year apart. */
function matrix(scorecard: Scorecard): string {
  const labels = [...new Set(scorecard.rows.map((r) => r.label))];
  const byCell = new Map(scorecard.rows.map((r) => [`${r.framework}\u0000${r.label}`, r]));
  const head = `<tr><th scope="col">framework</th>${labels.map((l) => `<th scope="col" class="num">${esc(l)}</th>`).join('')}</tr>`;
  const body = scorecard.frameworks.map((f) => {
    const cells = labels.map((label) => {
      const row = byCell.get(`${f.framework}\u0000${label}`);
      if (!row) return '<td class="num"><span class="sr">not measured</span></td>';
      const change = changeText(row);
      return `<td class="num">${esc(valueText(row, row.value))}<br>${mark(row.direction)}${change ? ` ${esc(change)}` : ''}</td>`;
    });
    return `<tr><th scope="row">${esc(f.framework)}</th>${cells.join('')}</tr>`;
  });
  const table = [
    '<table class="matrix">',
    '<caption id="scorecard-matrix-caption">Frameworks × indicators: the latest value, then its direction and change a year apart</caption>',
    `<thead>${head}</thead>`,
    `<tbody>\n${body.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
  return scrolling('scorecard-matrix', 'scorecard-matrix-caption', table);
}

/** Every row as scorecard.csv has it (a rate's unit is in its indicator's words). */
function rowsTable(scorecard: Scorecard) {
  const rows = [
    ['framework', 'indicator', 'period', 'value', 'a year before', 'value then', 'change', 'direction', 'observed (age)', 'note'],
    ...scorecard.rows.map((r) => [
      r.framework,
      r.indicator,
      r.period,
      valueText(r, r.value),
      r.baseline_period ?? '',
      r.baseline_value === null ? 'n/a' : valueText(r, r.baseline_value),
      changeText(r),
      r.direction,
      `${r.observed_at} (${r.age_days} d)`,
      r.note ?? '',
    ]),
  ];
  const kinds = ['text', 'token', 'number', 'token', 'number', 'number', 'token', 'token', 'prose'] as const;
  return pageTable('Every indicator: the figures of scorecard.csv', rows, kinds);
}
