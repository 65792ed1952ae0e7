import { request } from 'node:http';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempWorkdir } from '../helpers/cli.js';
import { startDatasetServer } from '../helpers/dataset-server.js';
import { readDb } from '../helpers/db.js';
import { startEsearchServer } from '../helpers/esearch-server.js';
import { startServer } from '../helpers/http-server.js';
import { pairedModels, startHfServer } from '../helpers/hf-server.js';
import { startOpenAlexServer } from '../helpers/openalex-server.js';
import { linksParquet, syntheticLinks } from '../helpers/pwc-archive.js';
import { engineAvailable } from '../helpers/chdb.js';
import { startClickPyServer } from '../helpers/clickpy-server.js';
import { madeUpRows } from '../helpers/pypi-rows.js';

/*
 * The built-in defaults as cron runs them (`adoption-metrics run`, no config file, no --sources) without
 * OPENALEX_API_KEY, against local stand-ins of every source. Test values, never real data. PyPI is one of the
 * defaults, and its stand-in runs the SQL on a real ClickHouse engine (chdb): the runs of every default source
 * need it (skipped with a notice without it, mandatory with CI=true).
 */

const engine = await engineAvailable('tests/cli/defaults.test.ts (the runs of every default source)');

const AS_OF = '2016-07-20'; // PubMed's default years are 2015 to the as-of year: 2 years keep the test short

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((close) => close()));
  closers = [];
});

/** One HF_ENDPOINT for the Hub's models and the Papers with Code archive (a dataset on the Hub), as in life. */
async function startHub() {
  const models = await startHfServer({ models: pairedModels(['pytorch', 'tf'], { a: 1_200, b: 300, both: 50 }) });
  const datasets = await startDatasetServer({ bytes: linksParquet(syntheticLinks(500, 3)) });
  const router = await startServer((req, res) => {
    const path = req.url ?? '/';
    const target = /^\/(api\/datasets|datasets|cdn)\//.test(path) ? datasets.url : models.url;
    const upstream = request(new URL(path, target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.once('error', () => res.destroy());
    req.pipe(upstream);
  });
  closers.push(router.close, models.close, datasets.close);
  return router.url;
}

async function environment(extra: Record<string, string> = {}) {
  const ncbi = await startEsearchServer({ count: (term) => (term ? 100 + term.year - 2000 : undefined) });
  const openalex = await startOpenAlexServer({ count: (search, year) => (search ? 10 : 1_000_000) + year - 2000 });
  closers.push(ncbi.close, openalex.close);
  const env = { HF_ENDPOINT: await startHub(), ...ncbi.env({ NCBI_API_KEY: 'defaultsTESTkey' }), ...openalex.env(extra) };
  if (!engine) return { openalex, env };
  return { openalex, env: { ...env, CLICKPY_URL: await clickPyUrl() } };
}

/** One ClickPy stand-in per test (chdb holds one engine per process), however many environments it makes. */
let clickpyUrl: Promise<string> | undefined;
function clickPyUrl(): Promise<string> {
  clickpyUrl ??= (async () => {
    const shapes = ['torch', 'tensorflow', 'keras', 'jax'].map((project) => ({ project, from: '2016-01-01', level: 1_000, growth: 0 }));
    const clickpy = await startClickPyServer({ rows: madeUpRows(shapes, '2016-07-18') });
    closers.push(async () => {
      clickpyUrl = undefined;
      await clickpy.close();
    });
    return clickpy.url;
  })();
  return clickpyUrl;
}

describe('the built-in defaults without OPENALEX_API_KEY (adoption-metrics run, as from cron)', () => {
  it.skipIf(!engine)('skips OpenAlex with one warning and exits 0: every other source is collected and reported', async () => {
    const { openalex, env } = await environment();
    const dir = tempWorkdir('am-defaults-');
    const result = await runCli(['run', '--as-of', AS_OF], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.split('\n').filter((l) => /openalex/i.test(l))).toEqual([
      'warn  openalex: skipped, OPENALEX_API_KEY is not set (create a free key at https://openalex.org/settings/api); set it to collect openalex, or write a config file without it',
    ]);
    expect(openalex.requests).toEqual([]);
    const { runs, collectorRuns } = readDb(join(dir, 'output/adoption.sqlite'));
    expect(runs.map((r) => r.outcome)).toEqual(['success']);
    expect(collectorRuns.map((c) => [c.collector, c.outcome]).sort()).toEqual([
      ['huggingface', 'success'],
      ['paperswithcode', 'success'],
      ['pubmed', 'success'],
      ['pypi', 'success'],
    ]);
    const report = JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8'));
    expect(report.huggingface.comparisons[0]).toMatchObject({ total: 1_450 });
    expect(report.pubmed.keywords).toEqual(['PyTorch', 'TensorFlow', 'Keras', 'JAX']);
    // The report says why OpenAlex is missing and what to do: the key, not a collect that would fail for it.
    const skipped =
      'openalex: skipped, OPENALEX_API_KEY is not set (create a free key at https://openalex.org/settings/api); set it to collect openalex, or write a config file without it';
    expect(report.warnings.filter((w: string) => w.startsWith('openalex'))).toEqual([skipped]);
    expect(result.stdout).toContain(skipped);
    expect(result.stdout).not.toMatch(/collect --sources openalex/);
    // No empty OpenAlex section or files, day after day.
    expect(report.openalex).toBeUndefined();
    expect(readdirSync(join(dir, 'output')).filter((f) => f.startsWith('openalex'))).toEqual([]);
    expect(Object.keys(report.files).filter((f) => f.startsWith('openalex'))).toEqual([]);

    // `report` alone says the same.
    const again = await runCli(['report', '--as-of', AS_OF], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(skipped);
    expect(readdirSync(join(dir, 'output')).filter((f) => f.startsWith('openalex'))).toEqual([]);
  });

  it.skipIf(!engine)('still reports what OpenAlex stored before its key was removed, without the skip line in the report', async () => {
    const keyed = await environment({ OPENALEX_API_KEY: 'defaultsOPENALEXkey' });
    const dir = tempWorkdir('am-defaults-');
    const first = await runCli(['collect', '--sources', 'openalex', '--as-of', AS_OF], { cwd: dir, env: keyed.env });
    expect(first.code, first.stderr).toBe(0);
    const { env } = await environment();
    const result = await runCli(['run', '--as-of', AS_OF], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warn {2}openalex: skipped, OPENALEX_API_KEY is not set/);
    const report = JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8'));
    expect(report.openalex.keywords).toEqual(['PyTorch', 'TensorFlow', 'Keras', 'JAX']);
    expect(report.warnings.filter((w: string) => w.startsWith('openalex: skipped'))).toEqual([]);
    expect(existsSync(join(dir, 'output/openalex_by_year.csv'))).toBe(true);
  });

  it('a user who chose OpenAlex (a config file or --sources) still gets the failure: exit 1 naming the key', async () => {
    const { openalex, env } = await environment();
    const dir = tempWorkdir('am-defaults-');
    const named = await runCli(['collect', '--sources', 'openalex', '--as-of', AS_OF], { cwd: dir, env });
    expect(named.code).toBe(1);
    expect(named.stderr).toMatch(/^error \[collector:openalex\] OPENALEX_API_KEY is not set; OpenAlex requires an API key/m);

    writeFileSync(join(dir, 'adoption.config.json'), JSON.stringify({ frameworks: [{ name: 'PyTorch', openalex: { term: 'pytorch' } }] }));
    const configured = await runCli(['collect', '--as-of', AS_OF], { cwd: dir, env });
    expect(configured.code).toBe(1);
    expect(configured.stderr).toMatch(/^error \[collector:openalex\] OPENALEX_API_KEY is not set/m);
    expect(openalex.requests).toEqual([]);
  });

  it.skipIf(!engine)('with the key set, the defaults collect OpenAlex too', async () => {
    const { openalex, env } = await environment({ OPENALEX_API_KEY: 'defaultsOPENALEXkey' });
    const dir = tempWorkdir('am-defaults-');
    const result = await runCli(['collect', '--as-of', AS_OF], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/openalex: skipped/);
    expect(openalex.requests.length).toBe(4 + 1);
  });
});
