import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { YEARLY_COLUMNS } from '../../src/report/yearly-count/csv.js';
import { runCli, runInProcess, tempWorkdir } from '../helpers/cli.js';
import { type OpenAlexServer, startOpenAlexServer } from '../helpers/openalex-server.js';

/*
 * `adoption-metrics run --sources openalex` end to end, the compiled CLI against the local OpenAlex stand-in,
 * with the built-in frameworks. Test values, not OpenAlex data.
 */

const KEY = 'oaCLIsecretKEY0123456789';
const YEAR = new Date().getUTCFullYear();

/** Works of a year for a search: larger for later years, distinct per search; all works: 9 million a year. */
function works(search: string | undefined, year: number): number {
  if (search === undefined) return 9_000_000 + (year - 2015) * 100_000;
  return Math.max(0, (year - 2015) * 1_000 + search.length);
}

let server: OpenAlexServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('adoption-metrics run --sources openalex', () => {
  it('writes the CSVs, the chart and the JSON from N + 1 requests, and lets the key out nowhere', async () => {
    server = await startOpenAlexServer({ count: works, validKeys: [KEY] });
    const dir = tempWorkdir('am-openalex-');
    const result = await runCli(['run', '--sources', 'openalex'], { cwd: dir, env: server.env({ OPENALEX_API_KEY: KEY }) });
    expect(result.code, result.stderr).toBe(0);
    // The four built-in frameworks and the yearly totals.
    expect(server.requests).toHaveLength(4 + 1);
    expect(server.requests.every((r) => r.params.api_key === KEY && r.params.filter === `publication_year:2015-${YEAR}`)).toBe(true);
    // The built-in run costs 5 credits, $0.0005 (1 per group_by request, search or not), and says what is left of the day.
    expect(result.stderr).toMatch(
      /cost: 5 group_by requests at \$0\.0001 each = \$0\.0005, 0\.05 % of a free key's \$1\.00 daily allowance/,
    );
    expect(result.stderr).toMatch(
      /openalex: 5 answer\(s\), OpenAlex charged \$0\.0005; \$0\.9995 of today's \$1\.00 allowance is left, renewed at midnight UTC/,
    );

    const out = join(dir, 'output');
    const files = readdirSync(out);
    for (const name of ['openalex_by_year.csv', 'openalex_by_year_wide.csv', 'openalex_trend.svg', 'openalex_trend.vl.json', 'report.json'])
      expect(files).toContain(name);
    // The columns of pubmed_by_year.csv, same names, same order, per_million last.
    const csv = readFileSync(join(out, 'openalex_by_year.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe(YEARLY_COLUMNS.join(','));
    expect(csv[0]!.endsWith(',withheld_reason,per_million')).toBe(true);
    const row2023 = csv.find((l) => l.startsWith('2023,PyTorch,'))!.split(',');
    expect(row2023[2]).toBe(String(works('pytorch', 2023)));
    expect(Number(row2023.at(-1))).toBeCloseTo((1e6 * works('pytorch', 2023)) / works(undefined, 2023), 2);
    expect(readFileSync(join(out, 'openalex_by_year_wide.csv'), 'utf8').split('\n')[0]).toBe(
      'year,PyTorch,TensorFlow,Keras,JAX,PyTorch raw,TensorFlow raw,Keras raw,JAX raw,partial,PyTorch per million,TensorFlow per million,Keras per million,JAX per million',
    );
    const svg = readFileSync(join(out, 'openalex_trend.svg'), 'utf8');
    expect(svg).toContain('OpenAlex works per year mentioning each framework');
    expect(svg).toContain('>Per million OpenAlex works</text>');

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.openalex.keywords).toEqual(['PyTorch', 'TensorFlow', 'Keras', 'JAX']);
    const last = report.openalex.series[0].points.at(-1);
    expect(last).toMatchObject({ year: YEAR, partial: true, count: works('pytorch', YEAR) });
    expect(typeof last.per_million).toBe('number');
    expect(report.methodology.openalex.search).toMatch(/full text/);
    expect(report.methodology.openalex.per_million).toMatch(/raw count by the raw total observed the same day/);
    expect(report.files['openalex_by_year.csv']).toContain('per_million');
    // The terminal summary has the series and its share of all works.
    expect(result.stdout).toContain('OpenAlex works per year');
    expect(result.stdout).toMatch(new RegExp(`per million OpenAlex works in ${YEAR - 1}: PyTorch \\d+\\.\\d, TensorFlow`));

    // The key is in no output, no stored row, no log.
    const db = new Database(join(out, 'adoption.sqlite'), { readonly: true });
    const stored = JSON.stringify(db.prepare('SELECT * FROM observations').all());
    expect(db.prepare("SELECT count(*) AS n FROM observations WHERE source = 'openalex'").get()).toEqual({ n: 5 * (YEAR - 2014) });
    db.close();
    const outputs = files.filter((f) => !f.startsWith('adoption.sqlite')).map((f) => readFileSync(join(out, f), 'utf8'));
    for (const text of [stored, result.stdout, result.stderr, ...outputs]) expect(text).not.toContain(KEY);
    expect(stored).not.toContain('api_key');
  });

  it('without OPENALEX_API_KEY: exit 1, one line saying OpenAlex requires one and where to get it, nothing sent', async () => {
    server = await startOpenAlexServer({ count: works });
    const dir = tempWorkdir('am-openalex-');
    const result = await runCli(['collect', '--sources', 'openalex'], { cwd: dir, env: server.env() });
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('error'));
    expect(errors).toEqual([
      'error [collector:openalex] OPENALEX_API_KEY is not set; OpenAlex requires an API key since 13 February 2026: create a free key at https://openalex.org/settings/api and set OPENALEX_API_KEY (or leave openalex out with --sources)',
    ]);
    expect(server.requests).toEqual([]);
  });

  it('--as-of in the past: warns that OpenAlex serves only today, and every report made from those counts says so', async () => {
    server = await startOpenAlexServer({ count: works });
    const dir = tempWorkdir('am-openalex-');
    const result = await runCli(['run', '--sources', 'openalex', '--as-of', '2024-07-20'], {
      cwd: dir,
      env: server.env({ OPENALEX_API_KEY: KEY }),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /warn {2}openalex: OpenAlex serves only its present state; counts reflect the time of the request \(\d{4}-\d\d-\d\d\), not the as-of date 2024-07-20, under which they are stored/,
    );
    const warning = /openalex: the counts stored as of 2024-07-20 were counted on \d{4}-\d\d-\d\d; the OpenAlex API has no history/;
    expect(result.stdout).toMatch(warning);
    expect(JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8')).warnings.join('\n')).toMatch(warning);
    const again = await runCli(['report', '--as-of', '2024-07-20'], { cwd: dir });
    expect(again.stdout).toMatch(warning);
    // Today's 2024 count is complete: shown as counted, never scaled up as a partial year (issue 19).
    const csv = readFileSync(join(dir, 'output/openalex_by_year.csv'), 'utf8').split('\n');
    const header = csv[0]!.split(',');
    const row = csv.find((l) => l.startsWith('2024,PyTorch,'))!.split(',');
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell('count')).toBe(String(works('pytorch', 2024)));
    expect(cell('adjusted')).toBe(String(works('pytorch', 2024)));
    expect(cell('partial')).toBe('false');
    expect(cell('estimate_method')).toBe('');
  });

  it('holds a collapse back as suspect: a count that falls by more than half is kept out of the report', async () => {
    let down = false;
    server = await startOpenAlexServer({
      count: (search, year) => (down && search === 'pytorch' && year === 2023 ? 3 : works(search, year)),
    });
    const dir = tempWorkdir('am-openalex-');
    const env = server.env({ OPENALEX_API_KEY: KEY });
    expect((await runCli(['run', '--sources', 'openalex'], { cwd: dir, env })).code).toBe(0);
    down = true;
    // The same day again asks nothing already stored today: --full asks again.
    const again = await runCli(['run', '--sources', 'openalex'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(server.requests).toHaveLength(5);
    const result = await runCli(['run', '--sources', 'openalex', '--full'], { cwd: dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`error openalex: 1 value\\(s\\) fell by more than half .*\\(PyTorch works 2023: ${works('pytorch', 2023)} → 3\\)`),
    );
    const report = JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8'));
    expect(report.openalex.series[0].points.find((p: { year: number }) => p.year === 2023).count).toBe(works('pytorch', 2023));
    expect(report.warnings.join('\n')).toMatch(/openalex: 1 value\(s\) observed \S+ are held back as suspect/);
  });

  it('an empty group_by (HTTP 200, no year) for the searches is held back; a re-run minutes later holds it again, one 6 h later confirms it', async () => {
    let empty = false;
    // An empty answer: OpenAlex lists no year at all, which reads as 0 works in each (the totals still answer).
    server = await startOpenAlexServer({ count: (search, year) => (empty && search !== undefined ? undefined : works(search, year)) });
    const dir = tempWorkdir('am-openalex-');
    const env = server.env({ OPENALEX_API_KEY: KEY });
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const collect = (date: string, time: string) =>
      runInProcess(['collect', '--sources', 'openalex'], { cwd: dir, env, now: new Date(`${date}T${time}:00.000Z`) });
    expect((await collect(day(-1), '06:00')).code).toBe(0);
    empty = true;
    const first = await collect(day(0), '06:00');
    expect(first.code, first.stderr).toBe(1);
    // The 4 frameworks, each over the last 3 years.
    expect(first.stderr).toMatch(
      /^error openalex: 12 value\(s\) fell by more than half since the last good run and are held back as suspect/m,
    );
    const rerun = await collect(day(0), '06:05');
    expect(rerun.code, rerun.stderr).toBe(1);
    expect(rerun.stderr).toMatch(
      /^error openalex: 12 value\(s\) fell .*; 12 of them repeat a fall first stored at .* 06:00 UTC, too soon to confirm it/m,
    );
    expect(rerun.stderr).not.toMatch(/confirmed/);
    const later = await collect(day(0), '12:00');
    expect(later.code, later.stderr).toBe(0);
    expect(later.stderr).toMatch(/^warn {2}openalex: confirmed 12 fall\(s\) seen again since .* 06:00 UTC \(.*\); reports now show them$/m);
  });

  it('an empty answer to the yearly totals is an outage, never a count: one line, exit 1, nothing stored, on a first run too', async () => {
    server = await startOpenAlexServer({ count: (search, year) => (search === undefined ? undefined : works(search, year)) });
    const dir = tempWorkdir('am-openalex-');
    const result = await runInProcess(['collect', '--sources', 'openalex'], {
      cwd: dir,
      env: server.env({ OPENALEX_API_KEY: KEY }),
      now: new Date(),
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /^error \[collector:openalex\] OpenAlex counted no works at all in \d{4}–\d{4} \(an empty answer to the yearly totals, HTTP 200\): that is an outage, not a count; nothing stored, try again later$/m,
    );
    // Asked first, so no search was sent after it.
    expect(server.requests.filter((r) => r.search !== undefined)).toEqual([]);
    const db = new Database(join(dir, 'output/adoption.sqlite'), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM observations').get()).toEqual({ n: 0 });
    db.close();
  });
});
