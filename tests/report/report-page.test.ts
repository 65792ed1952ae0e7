import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { sectionOutputs } from '../../src/report/kinds.js';
import { reportPage } from '../../src/report/page/report-page.js';
import { COLLECTORS } from '../../src/registry.js';
import type { Report } from '../../src/analyze/report-types.js';
import { articleHub, papers, pubmedHistory, reportOf } from '../analyze/helpers.js';
import { articleReport } from './fixtures.js';

/** The page as write-reports makes it, each chart's SVG drawn from its writer. */
function page(report: Report): string {
  const outputs = sectionOutputs(report, {}, {});
  return reportPage(
    report,
    outputs.map((o) => ({
      part: o.page(),
      csvs: o.csvs.map((f) => f.name),
      charts: o.charts.filter((f) => f.name.endsWith('.svg')).map((f) => ({ name: f.name, description: f.description, svg: f.content() })),
    })),
  );
}

describe('src/report/page (report.html)', () => {
  it('allows its one stylesheet by hash and nothing else, and holds no script', () => {
    const html = page(articleReport());
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-${hash}&#39;; img-src &#39;none&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;">`,
    );
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('puts the scorecard first, then every section with its charts inline, each named by a title and a description', () => {
    const html = page(articleReport());
    const order = ['id="scorecard"', 'id="s-huggingface"', 'id="s-huggingface_by_month"', 'id="s-pubmed"'].map((id) => html.indexOf(id));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(html.match(/<svg [^>]*role="img" aria-labelledby="s-[a-z_]+-chart1-title s-[a-z_]+-chart1-desc" class="chart">/g)).toHaveLength(
      3,
    );
    expect(html).toContain('<desc id="s-pubmed-chart1-desc">papers per year per keyword');
    expect(html).toContain('<a href="pubmed_by_year.csv">pubmed_by_year.csv</a>');
    expect(html).toContain('<th scope="row">PyTorch</th>');
  });

  it("says under the Hub's table which snapshots hf_models.csv keeps, and its methodology the rule", () => {
    // Daily counts from January 2022 to the as-of day: the 447 since 1 May 2023, and one a month before (16).
    const rows = [];
    for (let t = Date.parse('2022-01-01'); t <= Date.parse('2024-07-20'); t += 86_400_000) {
      rows.push(...articleHub(new Date(t).toISOString().slice(0, 10)));
    }
    const html = page(reportOf(rows));
    expect(html).toContain(
      'hf_models.csv holds 463 of PyTorch vs TensorFlow&#39;s snapshots: each one from 2023-05-01, and before that the first of each month; every stored day is in the database (adoption-metrics export writes them all).',
    );
    expect(html).toMatch(
      /<dt>History<\/dt><dd>each comparison&#39;s history \(and hf_models\.csv\) holds every snapshot of the newest snapshot&#39;s month and the 14 months before it/,
    );
  });

  it('with one source stored, lists only it and says how to collect the others', () => {
    const html = page(reportOf(pubmedHistory()));
    expect(html).toContain('<h3 id="no-data">Sources without indicators</h3>');
    expect(html).toContain(
      'Hugging Face Hub models: no data is stored; to collect it, run <code>adoption-metrics collect --sources huggingface</code>.',
    );
    expect(html).toMatch(
      /<p class="missing"><strong>No figures:<\/strong> no complete comparison stored\. To collect them, run <code>adoption-metrics collect --sources huggingface<\/code>\.<\/p>/,
    );
    expect(html.match(/<svg /g)).toHaveLength(1);
  });

  it('shows the replay NOTICE and a back-dated count in the section they concern, as prominent as the NOTICE', () => {
    const runs = new Map([[1, { origin: 'live', startedAt: '2026-11-25T06:17:00.000Z' }]]);
    const html = page(reportOf(articleHub(), { runs, notices: ['the counts are ILLUSTRATIVE'] }));
    const hub = html.slice(html.indexOf('id="s-huggingface"'), html.indexOf('id="s-huggingface_by_month"'));
    expect(hub).toContain('<p class="notice"><strong>NOTICE:</strong> the counts are ILLUSTRATIVE</p>');
    expect(hub).toContain(
      '<div class="notice warnings"><strong>Warnings:</strong><ul><li>huggingface: the counts stored as of 2024-07-20 were counted on 2026-11-25; the Hub API has no history, so they are that day&#39;s</li></ul></div>',
    );
    // Under the page heading too, before anything else is read.
    expect(html.indexOf('NOTICE:')).toBeLessThan(html.indexOf('id="scorecard"'));
  });

  it('escapes every text it shows: notices, warnings, names and queries', () => {
    const evil = '<img src=x onerror=alert(1)> & "Q" \'s';
    const config = parseConfig(
      {
        frameworks: [
          { name: evil, pubmed: { term: 'a<c> & "b"' } },
          { name: 'B', pubmed: { term: 'b' } },
        ],
        pubmed: { fromYear: 2022 },
      },
      COLLECTORS,
      'test',
    );
    const rows = [evil, 'B'].flatMap((k) => [papers(k, 2022, 5, '2024-07-20'), papers(k, 2023, 7, '2024-07-20', { query: '<b>q</b>' })]);
    const html = page(reportOf(rows, { config, notices: ['<script>alert(1)</script>'] }));
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>q</b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Q&quot; &#39;s');
    expect(html).toContain('<strong>NOTICE:</strong> &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;q&lt;/b&gt;');
  });
});
