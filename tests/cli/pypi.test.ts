import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { engineAvailable } from '../helpers/chdb.js';
import { runCli, tempWorkdir } from '../helpers/cli.js';
import { type ClickPyServer, type ClickPyServerOptions, startClickPyServer } from '../helpers/clickpy-server.js';
import { readDb } from '../helpers/db.js';
import { madeUpRows, TEST_SHAPES } from '../helpers/pypi-rows.js';

/*
 * `adoption-metrics run --sources pypi` end to end: the compiled CLI against the ClickPy stand-in, which runs the
 * SQL on a real ClickHouse engine (chdb) over made-up rows. Test values, not PyPI data.
 */

const available = await engineAvailable('tests/cli/pypi.test.ts');

const AS_OF = '2024-07-20';
const DATA_END = '2024-07-18';
const PASSWORD = 'cli-CLICKPY-secret-77';

let server: ClickPyServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(options: ClickPyServerOptions = {}): Promise<ClickPyServer> {
  server = await startClickPyServer({ rows: madeUpRows(TEST_SHAPES, DATA_END), users: { demo: PASSWORD }, ...options });
  return server;
}

const env = (srv: ClickPyServer) => srv.env({ CLICKPY_PASSWORD: PASSWORD });
const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('error'));

describe.skipIf(!available)('adoption-metrics run --sources pypi (against a ClickHouse engine, chdb)', () => {
  it('stores every month of the built-in frameworks from 1 request and writes the CSVs, the chart and report.json', async () => {
    const srv = await serve();
    const dir = tempWorkdir('am-pypi-');
    const result = await runCli(['run', '--sources', 'pypi', '--as-of', AS_OF], { cwd: dir, env: env(srv) });
    expect(result.code, result.stderr).toBe(0);
    expect(srv.requests).toHaveLength(1);
    expect(srv.requests[0]!.key).toBe(PASSWORD);

    const out = join(dir, 'output');
    const files = readdirSync(out);
    for (const name of [
      'pypi_downloads_by_month.csv',
      'pypi_downloads_by_month_wide.csv',
      'pypi_trend.svg',
      'pypi_trend.vl.json',
      'report.json',
    ])
      expect(files).toContain(name);
    const csv = readFileSync(join(out, 'pypi_downloads_by_month.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('month,framework,downloads,share_pct,yoy_pct,rolling_12m,partial,days_covered,estimate,packages,observed_at');
    // 2016-01 (the default fromMonth) to 2024-07, four frameworks.
    expect(csv).toHaveLength(1 + 103 * 4);
    const july = csv.find((l) => l.startsWith('2024-07,PyTorch,'))!.split(',');
    expect(july.slice(6, 8)).toEqual(['true', '18']);
    expect(july[9]).toBe('torch');
    expect(readFileSync(join(out, 'pypi_downloads_by_month_wide.csv'), 'utf8').split('\n')[0]).toBe('month,PyTorch,TensorFlow,Keras,JAX');

    // What is stored equals the table's sums (the engine's, asked directly).
    const [june] = await srv.sql<{ n: number }>(
      "SELECT toUInt64(sum(count)) AS n FROM pypi.pypi_downloads_per_day WHERE project = 'tensorflow' AND toStartOfMonth(date) = '2024-06-01'",
    );
    const db = readDb(join(out, 'adoption.sqlite'));
    const row = db.observations.find(
      (o) => o.source === 'pypi' && o.metric === 'downloads' && o.subject === 'TensorFlow' && o.period === '2024-06',
    );
    expect(row?.value).toBe(Number(june!.n));
    expect(csv.find((l) => l.startsWith('2024-06,TensorFlow,'))!.split(',')[2]).toBe(String(june!.n));

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.pypi).toMatchObject({ from_month: '2016-01', through: DATA_END, partial_month: '2024-07', last_full_month: '2024-06' });
    expect(report.pypi.series.map((s: { framework: string; data_starts: string }) => [s.framework, s.data_starts])).toEqual([
      ['PyTorch', '2022-03'],
      ['TensorFlow', '2021-06'],
      ['Keras', '2021-06'],
      ['JAX', '2021-06'],
    ]);
    expect(report.pypi.comparisons[0].comparison).toBe('PyTorch vs TensorFlow');
    expect(report.methodology.pypi.caveats.join(' ')).toMatch(/CUDA builds .* \(download\.pytorch\.org\)/);
    expect(report.methodology.pypi.caveats.join(' ')).toMatch(/conda/);
    expect(report.files['pypi_downloads_by_month.csv']).toContain('days_covered');
    expect(readFileSync(join(out, 'pypi_trend.svg'), 'utf8')).toContain('PyPI downloads per month per framework');

    // The terminal: the last 13 months and the partial one marked.
    expect(result.stdout).toContain(`PyPI downloads per month (data through ${DATA_END}; observed ${AS_OF})`);
    expect(result.stdout).toMatch(/^ {2}2023-07 /m);
    expect(result.stdout).toMatch(/^ {2}2024-07\* /m);
    expect(result.stdout).not.toMatch(/^ {2}2023-06 /m);
    expect(result.stdout).toContain('  * 2024-07 is partial: 18 of 31 days counted');
    expect(result.stdout).toContain('data starts: PyTorch 2022-03, TensorFlow 2021-06, Keras 2021-06, JAX 2021-06 (months before count 0)');

    // The password is in no output, no stored row, no log.
    const outputs = files.filter((f) => !f.startsWith('adoption.sqlite')).map((f) => readFileSync(join(out, f), 'utf8'));
    for (const text of [JSON.stringify(db), result.stdout, result.stderr, ...outputs]) expect(text).not.toContain(PASSWORD);

    // A second run the same day asks nothing; --chart-scale log redraws from what is stored.
    const again = await runCli(['run', '--sources', 'pypi', '--as-of', AS_OF, '--chart-scale', 'log'], { cwd: dir, env: env(srv) });
    expect(again.code, again.stderr).toBe(0);
    expect(srv.requests).toHaveLength(1);
    expect(readFileSync(join(out, 'pypi_trend.svg'), 'utf8')).toContain('>Downloads per month</text>');
  });

  it('holds a collapse back as suspect: a month whose count falls by more than half is kept out of the report', async () => {
    const dir = tempWorkdir('am-pypi-');
    const first = await serve();
    expect((await runCli(['collect', '--sources', 'pypi', '--as-of', AS_OF], { cwd: dir, env: env(first) })).code).toBe(0);
    await first.close();
    // The table loses most of torch's May 2024 (a reload gone wrong, say); --full asks every month again.
    const shrunk = madeUpRows(TEST_SHAPES, DATA_END).map((r) =>
      r.project === 'torch' && r.date.startsWith('2024-05') ? { ...r, count: 10 } : r,
    );
    const srv = await serve({ rows: shrunk });
    const result = await runCli(['run', '--sources', 'pypi', '--as-of', AS_OF, '--full'], { cwd: dir, env: env(srv) });
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([
      // The month and its 31 days.
      expect.stringMatching(
        /^error pypi: 32 value\(s\) fell by more than half since the last good run and are held back as suspect \(PyTorch downloads 2024-05: \d+ → 310; PyTorch downloads_per_day 2024-05-01: \d+ → 10;/,
      ),
    ]);
    const report = JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8'));
    expect(report.pypi.series[0].points.find((p: { month: string }) => p.month === '2024-05').count).toBeGreaterThan(1_000_000);
    expect(report.warnings.join('\n')).toMatch(/pypi: 32 value\(s\) observed 2024-07-20 are held back as suspect/);
    // The partial month's backtest reads the good days, not the collapsed ones.
    expect(report.pypi.estimate.frameworks[0].backtest.find((b: { month: string }) => b.month === '2024-05').visible).toBeGreaterThan(
      1_000_000,
    );
  });

  it('a bad package name is a config error: one line naming it, exit 2, nothing sent', async () => {
    const srv = await serve();
    const dir = tempWorkdir('am-pypi-');
    writeFileSync(
      join(dir, 'adoption.config.json'),
      JSON.stringify({ frameworks: [{ name: 'PyTorch', pypi: { packages: ["torch') OR 1=1 --"] } }] }),
    );
    const result = await runCli(['collect', '--sources', 'pypi'], { cwd: dir, env: env(srv) });
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual([
      `error adoption.config.json: config key frameworks[0].pypi.packages[0]: expected a PyPI project name (letters and digits, with - _ . only between them, e.g. "torch"), got the string "torch') OR 1=1 --"`,
    ]);
    expect(srv.requests).toEqual([]);
  });

  it('an unknown project, a spent quota, an HTML answer and a cut answer: one clear line each, exit 1, nothing wrong stored', async () => {
    const srv = await serve();
    const cases: [string, () => void, Record<string, unknown> | undefined, RegExp][] = [
      [
        'unknown project',
        () => undefined,
        {
          frameworks: [
            { name: 'PyTorch', pypi: { packages: ['torch'] } },
            { name: 'Nope', pypi: { packages: ['no-such-project'] } },
          ],
        },
        /^error pypi: no downloads of project no-such-project in pypi\.pypi_downloads_per_day up to 2024-07-20: check the name/,
      ],
      [
        'quota',
        () =>
          srv.addFault({
            fault: {
              kind: 'error',
              code: 201,
              name: 'QUOTA_EXCEEDED',
              message: 'Quota for user `demo` for 3600s has been exceeded: queries = 61/60',
            },
          }),
        undefined,
        /^error \[collector:pypi\] ClickPy refused the query: QUOTA_EXCEEDED \(code 201\): Quota for user `demo` for 3600s has been exceeded: queries = 61\/60; stopped for this run, not retried/,
      ],
      [
        'HTML',
        () =>
          srv.addFault({
            fault: { kind: 'raw', status: 200, body: '<html><head><title>Maintenance</title></head></html>', contentType: 'text/html' },
          }),
        undefined,
        /^error \[collector:pypi\] ClickPy answered HTTP 200 with an HTML page instead of JSON \("Maintenance"\)/,
      ],
      [
        'cut',
        () => srv.addFault({ fault: { kind: 'truncated', keep: 1000 } }),
        undefined,
        /^error \[collector:pypi\] ClickPy's answer is not valid JSON \(1000 bytes, ends with .*\); it was probably cut off, nothing stored$/,
      ],
    ];
    for (const [what, arrange, config, line] of cases) {
      srv.reset();
      arrange();
      const dir = tempWorkdir('am-pypi-');
      if (config) writeFileSync(join(dir, 'adoption.config.json'), JSON.stringify(config));
      const result = await runCli(['collect', '--sources', 'pypi', '--as-of', AS_OF], { cwd: dir, env: env(srv) });
      expect(result.code, what).toBe(1);
      const errors = errorLines(result.stderr);
      expect(errors, what).toHaveLength(1);
      expect(errors[0], what).toMatch(line);
      expect(srv.requests, what).toHaveLength(1);
      const stored = readDb(join(dir, 'output/adoption.sqlite')).observations;
      // Only the known framework of the first case is stored; nothing at all otherwise.
      expect([...new Set(stored.map((o) => o.subject))], what).toEqual(what === 'unknown project' ? ['PyTorch'] : []);
    }
  });
});
