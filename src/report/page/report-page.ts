import { createHash } from 'node:crypto';
import type { Report } from '../../analyze/report-types.js';
import { SCORECARD_CSV } from '../scorecard-csv.js';
import type { PageChart } from './chart-figure.js';
import { esc, fileLink } from './html.js';
import type { PagePart } from './page-part.js';
import { scorecardSection } from './scorecard-section.js';
import { assignToSections, sectionId, sourceSection } from './source-section.js';
import { PAGE_STYLE } from './style.js';

export const REPORT_HTML = 'report.html';
export const REPORT_HTML_DESCRIPTION =
  'one self-contained page to read or send: the scorecard, then each source with its charts inline, key tables, data age, notices, methodology and queries; no external request, no script';

/** What the page shows of one section besides what the report holds: the kind's part and the files written for it. */
export interface PageSectionFiles {
  part: PagePart;
  csvs: readonly string[];
  charts: readonly PageChart[];
}

/**
 * The Content-Security-Policy of the page: nothing may load (no script, font, image, frame or connection), the
 * one inline stylesheet is allowed by its hash, and no form or base URL can send anything anywhere.
 */
export function contentSecurityPolicy(style: string): string {
  const hash = createHash('sha256').update(style, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
}

/**
 * report.html: one page that works from file:// with no network and no script. `files[i]` belongs to
 * `report.sections[i]`.
 */
export function reportPage(report: Report, files: readonly PageSectionFiles[]): string {
  const title = `Adoption metrics as of ${report.as_of}`;
  const origin = { replayed: 'REPLAYED data, not live', live: 'live data', none: 'no data stored' }[report.data_origin];
  const assigned = assignToSections(report);
  const sections = report.sections.map((section, i) => {
    const f = files[i]!;
    const collect = report.scorecard.without_indicators.find((w) => w.series === section.series.key)?.collect ?? null;
    return sourceSection(
      {
        section,
        part: f.part,
        csvs: f.csvs,
        charts: f.charts,
        queries: assigned.queries.get(section)!,
        warnings: assigned.warnings.get(section)!,
        collect,
      },
      report,
    );
  });
  const nav = [
    `<li><a href="#scorecard">Scorecard</a></li>`,
    ...report.sections.map((s) => `<li><a href="#${sectionId(s.series.key)}">${esc(s.series.text.title)}</a></li>`),
  ];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(PAGE_STYLE))}">`,
    `<title>${esc(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${esc(title)}</h1>`,
    `<p><span class="origin">${esc(origin)}</span>; generated ${esc(report.generated_at)}.</p>`,
    ...report.data_notices.map((n) => `<p class="notice"><strong>NOTICE:</strong> ${esc(n)}</p>`),
    ...(assigned.rest.length > 0
      ? [`<div class="notice warnings"><strong>Warnings:</strong><ul>${assigned.rest.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></div>`]
      : []),
    `<nav aria-label="Contents"><ul>${nav.join('')}</ul></nav>`,
    '</header>',
    '<main>',
    scorecardSection(report.scorecard),
    ...sections,
    '</main>',
    '<footer>',
    `<p>Every figure is in ${fileLink('report.json')}; the scorecard in ${fileLink(SCORECARD_CSV)}; every stored observation with its query in ${fileLink('observations.csv')}. The links work beside the other reports; this page alone holds everything it shows.</p>`,
    '</footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
