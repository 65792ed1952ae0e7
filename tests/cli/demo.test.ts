import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, tempWorkdir } from '../helpers/cli.js';
import { readDb } from '../helpers/db.js';
import { articleConfig } from '../helpers/config.js';
import { startEsearchServer } from '../helpers/esearch-server.js';
import { pairedModels, startHfServer } from '../helpers/hf-server.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DEMO = resolve(ROOT, 'fixtures/demo-replay');

/** The arguments `npm start` passes to the CLI, as package.json has them, with the replay folder made absolute. */
function npmStartArgs(): string[] {
  const start: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start;
  const command = start.split(' && ').find((part) => part.startsWith('node dist/cli.js '));
  const args = command!.split(' ').slice(2);
  return args.map((arg, i) => (args[i - 1] === '--replay' ? resolve(ROOT, arg) : arg));
}

// What `npm start` does on a fresh machine, in a scratch directory and with no network to reach.
describe('the bundled demo replay (npm start)', () => {
  it('runs the main job from the replay into its own output/demo/', () => {
    expect(npmStartArgs()).toEqual([
      'run',
      '--replay',
      DEMO,
      '--as-of',
      '2024-07-20',
      '--db',
      'output/demo/adoption.sqlite',
      '--out',
      'output/demo',
    ]);
  });

  it('writes the full report set offline, from the article Hub counts, and says the data is replayed', async () => {
    const dir = tempWorkdir('am-demo-');
    const result = await runCli(npmStartArgs(), { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/REPLAYING recorded responses .*not live/);
    expect(result.stdout).toMatch(/REPLAYED data, not live/);
    // The archive's own word that its Hub months, PubMed, OpenAlex, PwC and PyPI counts are made up travels with every output.
    const notice = readFileSync(join(DEMO, 'NOTICE'), 'utf8').trim();
    expect(notice).toMatch(/Hub months, PubMed, OpenAlex, PwC and PyPI counts are ILLUSTRATIVE, not real data/);
    expect(notice.length).toBeLessThanOrEqual(140);
    expect(result.stderr).toContain(`NOTICE from ${DEMO}: ${notice}`);
    expect(result.stdout.split('\n')[1]).toBe(`NOTICE: ${notice}`);
    for (const chart of [
      'pubmed_trend.svg',
      'openalex_trend.svg',
      'hf_models.svg',
      'hf_trend.svg',
      'paperswithcode_share.svg',
      'pypi_trend.svg',
    ])
      expect(readFileSync(join(dir, 'output/demo', chart), 'utf8')).toContain(`NOTICE: ${notice}`);

    expect(readdirSync(join(dir, 'output/demo')).sort()).toEqual(
      expect.arrayContaining([
        'adoption.sqlite',
        'hf_models.csv',
        'hf_models.svg',
        'hf_models_by_month.csv',
        'hf_trend.svg',
        'observations.csv',
        'pubmed_by_year.csv',
        'pubmed_by_year_wide.csv',
        'pubmed_trend.svg',
        'pubmed_trend.vl.json',
        'hf_models.vl.json',
        'openalex_by_year.csv',
        'openalex_by_year_wide.csv',
        'openalex_trend.svg',
        'openalex_trend.vl.json',
        'paperswithcode_by_quarter.csv',
        'paperswithcode_comparison_by_quarter.csv',
        'paperswithcode_share.svg',
        'paperswithcode_share.vl.json',
        'pypi_downloads_by_month.csv',
        'pypi_downloads_by_month_wide.csv',
        'pypi_trend.svg',
        'pypi_trend.vl.json',
        'report.json',
      ]),
    );
    const report = JSON.parse(readFileSync(join(dir, 'output/demo/report.json'), 'utf8'));
    expect(report.data_origin).toBe('replayed');
    expect(report.data_notices).toEqual([notice]);
    const segments = Object.fromEntries(
      report.huggingface.comparisons[0].segments.map((s: { frameworks: string[]; models: number; share: number }) => [
        s.frameworks.join('+'),
        [s.models, Number((s.share * 100).toFixed(2))],
      ]),
    );
    expect(segments).toEqual({ PyTorch: [180_549, 91.1], TensorFlow: [12_809, 6.46], 'PyTorch+TensorFlow': [4_833, 2.44] });
    // The same listing, by creation month: every model once, the undated block apart, months 2022-03 to 2024-07.
    const [byMonth] = report.huggingface_by_month.comparisons;
    expect(byMonth).toMatchObject({ observed_at: '2024-07-20', method: 'exact', total: 198_191, last_full_month: '2024-06' });
    expect(byMonth.undated.segments.map((s: { created: number }) => s.created)).toEqual([28_000, 5_200, 2_900]);
    expect(byMonth.months.map((m: { month: string }) => m.month)).toHaveLength(29);
    expect(byMonth.months[0].month).toBe('2022-03');
    expect(byMonth.months.at(-1).segments.map((s: { cumulative: number }) => s.cumulative)).toEqual([180_549, 12_809, 4_833]);
    expect(result.stdout).toMatch(
      /share of new models, 2023-06 → 2024-06 \(last full month\): PyTorch only [\d.]+ % → [\d.]+ %; TensorFlow only/,
    );
    const csv = readFileSync(join(dir, 'output/demo/hf_models_by_month.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('month,comparison,segment,frameworks,models_created,share_pct,cumulative_models,observed_on');
    expect(csv[1]).toMatch(/^undated,PyTorch vs TensorFlow,PyTorch only,PyTorch,28000,/);
    // Every default keyword has every year 2015–2024, and 2024 is flagged partial with an adjustment.
    expect(report.pubmed.series.map((s: { keyword: string }) => s.keyword)).toEqual(['PyTorch', 'TensorFlow', 'Keras', 'JAX']);
    for (const series of report.pubmed.series) {
      expect(series.points.map((p: { year: number }) => p.year)).toEqual([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]);
      const last = series.points.at(-1);
      expect(last.partial).toBe(true);
      expect(last.adjusted).toBeGreaterThanOrEqual(last.count);
      // Each count per million PubMed records of its year (the demo holds the yearly totals too).
      for (const p of series.points) expect(typeof p.per_million).toBe('number');
    }
    expect(readFileSync(join(dir, 'output/demo/pubmed_trend.svg'), 'utf8')).toContain('adjusted for 2024');
    // OpenAlex: every default keyword, every year, the partial 2024 estimated, and per million works of the year.
    expect(report.openalex.series.map((s: { keyword: string }) => s.keyword)).toEqual(['PyTorch', 'TensorFlow', 'Keras', 'JAX']);
    const pytorch = report.openalex.series[0].points;
    expect(pytorch.map((p: { year: number }) => p.year)).toEqual([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]);
    expect(pytorch.at(-1)).toMatchObject({ partial: true, estimate_method: 'linear' });
    expect(pytorch.find((p: { year: number }) => p.year === 2023).per_million).toBeCloseTo((29_000 / 9_300_000) * 1e6, 2);
    expect(report.methodology.openalex.search).toMatch(/title, abstract and, where OpenAlex holds it .*its full text/);
    expect(result.stdout).toContain('OpenAlex works per year');
    // The illustrative Papers with Code archive, counted through the as-of month: 2024-Q3 partial; both audits.
    expect(report.paperswithcode).toMatchObject({ through: '2024-07-20', partial_quarter: '2024-Q3' });
    expect(report.paperswithcode.quarters.at(-1)).toBe('2024-Q3');
    expect(report.audits.map((a: { key: string }) => a.key)).toEqual(['huggingface', 'paperswithcode']);
    // PyPI: every month from 2016-01 of every built-in framework, from one recorded SQL answer; July 2024 partial
    // (the illustrative table ends on the 18th), estimated where its backtest holds.
    expect(report.pypi).toMatchObject({
      from_month: '2016-01',
      through: '2024-07-18',
      partial_month: '2024-07',
      last_full_month: '2024-06',
    });
    expect(report.pypi.series.map((s: { framework: string; points: unknown[] }) => [s.framework, s.points.length])).toEqual([
      ['PyTorch', 103],
      ['TensorFlow', 103],
      ['Keras', 103],
      ['JAX', 103],
    ]);
    expect(report.pypi.series[0].data_starts).toBe('2017-01');
    expect(report.pypi.estimate.frameworks.map((f: { method: string }) => f.method)).toEqual(Array(4).fill('day-proportional'));
    expect(result.stdout).toMatch(
      /share of PyTorch vs TensorFlow downloads, 2023-06 → 2024-06 \(last full month\): PyTorch [\d.]+ % → [\d.]+ %/,
    );

    // A later `report` from the database alone still says it: the notice is stored with the run.
    const linear = readFileSync(join(dir, 'output/demo/pubmed_trend.svg'), 'utf8');
    const again = await runCli(
      ['report', '--as-of', '2024-07-20', '--db', 'output/demo/adoption.sqlite', '--out', 'output/demo', '--chart-scale', 'log'],
      { cwd: dir },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`NOTICE: ${notice}`);
    expect(JSON.parse(readFileSync(join(dir, 'output/demo/report.json'), 'utf8')).data_notices).toEqual([notice]);
    // --chart-scale log redraws the yearly chart on a log axis; the demo's JAX had no papers in 2015: a zero baseline.
    const log = readFileSync(join(dir, 'output/demo/pubmed_trend.svg'), 'utf8');
    expect(log).not.toBe(linear);
    expect(log).toMatch(/>0<\/text>[\s\S]*>1<\/text>[\s\S]*>10<\/text>[\s\S]*>100<\/text>/);
    // Both panels, the counts and per million records, are drawn on the log axis.
    const panels = JSON.parse(readFileSync(join(dir, 'output/demo/pubmed_trend.vl.json'), 'utf8')).vconcat;
    expect(panels.map((p: { encoding: { y: { scale: { type: string } } } }) => p.encoding.y.scale.type)).toEqual(['log', 'log']);
  });

  it('finishes the run and writes every report when its reader goes away (`| head`)', async () => {
    const dir = tempWorkdir('am-demo-');
    const child = spawn(process.execPath, [CLI, ...npmStartArgs()], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Like `head -1`: read the first line, then close both pipes while the run still has much to say.
    child.stderr.once('data', () => {
      child.stdout.destroy();
      child.stderr.destroy();
    });
    const [code, signal] = await new Promise<[number | null, string | null]>((done) => child.once('close', (c, s) => done([c, s])));
    expect([code, signal]).toEqual([0, null]);
    expect(JSON.parse(readFileSync(join(dir, 'output/demo/report.json'), 'utf8')).data_origin).toBe('replayed');
    expect(readDb(join(dir, 'output/demo/adoption.sqlite')).runs.map((r) => r.outcome)).toEqual(['success']);
  });

  it("leaves the default database to live runs: the README's first live command works after the demo", async () => {
    const dir = tempWorkdir('am-demo-');
    expect((await runCli(npmStartArgs(), { cwd: dir })).code).toBe(0);
    // `node dist/cli.js run` as the README's live section and crontab line run it, against local stand-ins.
    const hub = await startHfServer({ models: pairedModels(['pytorch', 'tf'], { a: 1_200, b: 300, both: 50 }) });
    const ncbi = await startEsearchServer({ count: (term) => (term ? 100 + term.year - 2000 : undefined) });
    try {
      writeFileSync(join(dir, 'adoption.config.json'), JSON.stringify(articleConfig({ fromYear: 2022, toYear: 2023 })));
      const live = await runCli(['run', '--as-of', '2024-07-20'], { cwd: dir, env: { ...hub.env(), ...ncbi.env() } });
      expect(live.code, live.stderr).toBe(0);
      expect(live.stdout).toMatch(/\(live data;/);
    } finally {
      await hub.close();
      await ncbi.close();
    }
    expect(JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8')).data_origin).toBe('live');
    expect(JSON.parse(readFileSync(join(dir, 'output/demo/report.json'), 'utf8')).data_origin).toBe('replayed');
    expect(existsSync(join(dir, 'output/adoption.sqlite'))).toBe(true);
  });

  it('holds no token, key or e-mail, and documents where its numbers come from', () => {
    const files = readdirSync(DEMO, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json.gz'));
    expect(files.length).toBeGreaterThan(200);
    for (const file of files) {
      const entry = JSON.parse(gunzipSync(readFileSync(join(DEMO, file))).toString('utf8'));
      const text = JSON.stringify(entry);
      expect(text).not.toMatch(/api_key|demo-recording-placeholder|authorization|email=|x-clickhouse-key/i);
      // The Hub, OpenAlex, PubMed and the Papers with Code archive are read with GET; ClickPy is sent its SQL by POST.
      expect(entry.key).toMatch(file.startsWith('pypi') ? /^POST \/\?param_as_of=2024-07-20&\S+\nWITH \(/ : /^GET \//);
    }
    const readme = readFileSync(join(DEMO, 'README.md'), 'utf8');
    expect(readme).toMatch(/illustrative/i);
    expect(readme).toMatch(/not PubMed data/i);
    expect(readme).toMatch(/not Papers with Code data/i);
    expect(readme).toMatch(/not PyPI data/i);
  });
});
