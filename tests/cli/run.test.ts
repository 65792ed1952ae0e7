import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/driver.js';
import { runCli, startCli, tempWorkdir } from '../helpers/cli.js';
import { readDb } from '../helpers/db.js';
import { articleConfig } from '../helpers/config.js';
import { startEsearchServer, type EsearchServer } from '../helpers/esearch-server.js';
import { pairedModels, startHfServer, type HfServer } from '../helpers/hf-server.js';

// The real binary against local servers serving the real response shapes. The Hub holds the article's
// inclusive counts; the PubMed numbers are test values, not PubMed data.
const HF_COUNTS = { a: 185_382, b: 17_642, both: 4_833, neither: 500 };
const PUBMED_COUNTS: Record<string, Record<number, number>> = {
  pytorch: { 2019: 40, 2020: 90, 2021: 160, 2022: 260, 2023: 380, 2024: 210 },
  tensorflow: { 2019: 120, 2020: 170, 2021: 210, 2022: 230, 2023: 220, 2024: 100 },
  keras: { 2019: 60, 2020: 95, 2021: 130, 2022: 150, 2023: 140, 2024: 70 },
};
const SECRETS = { HF_TOKEN: 'hf_SECRETtoken1234567890', NCBI_API_KEY: 'ncbiSECRETkey0987654321', NCBI_EMAIL: 'secret.person@example.org' };
const CONFIG = articleConfig({ fromYear: 2019 });

let hub: HfServer;
let ncbi: EsearchServer;

beforeAll(async () => {
  hub = await startHfServer({ models: pairedModels(['pytorch', 'tf'], HF_COUNTS) });
  // Queries bounded by the as-of date see the whole count; the completeness queries (created by the same
  // month/day of an earlier year) see 55 % of it.
  ncbi = await startEsearchServer({
    counts: PUBMED_COUNTS,
    count: (term) => {
      if (!term?.createdBy) return undefined;
      const full = PUBMED_COUNTS[term.keyword]?.[term.year] ?? 0;
      return term.createdBy === '2024/07/20' ? full : Math.round(full * 0.55);
    },
  });
});
afterAll(async () => {
  await hub.close();
  await ncbi.close();
});

function env(extra: Record<string, string> = {}) {
  return { ...hub.env(), ...ncbi.env(), ...extra };
}

function workdir(): string {
  const dir = tempWorkdir();
  writeConfig(dir);
  return dir;
}

function writeConfig(dir: string): void {
  writeFileSync(join(dir, 'adoption.config.json'), JSON.stringify(CONFIG));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

describe('adoption-metrics run (the compiled CLI against local servers)', () => {
  it('stores the Hub counts and derives the article figures 180,549 / 4,833 / 12,809', async () => {
    const dir = workdir();
    const result = await runCli(['run', '--as-of', '2024-07-20', '--sources', 'huggingface'], { cwd: dir, env: env() });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);

    const observations = readDb(join(dir, 'output/adoption.sqlite')).values;
    const totals = observations.filter((o) => o.metric === 'models');
    expect(totals.map((o) => [o.subject, o.value, o.period])).toEqual([
      ['pytorch', 185_382, '2024-07-20'],
      ['pytorch+tf', 4_833, '2024-07-20'],
      ['tf', 17_642, '2024-07-20'],
    ]);
    // The same pages give each count's models per creation month, which add up to its total.
    for (const total of totals) {
      const months = observations.filter((o) => o.metric === 'models_created' && o.subject === total.subject);
      expect(months.reduce((sum, o) => sum + Number(o.value), 0)).toBe(total.value);
    }

    const report = JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8'));
    const comparison = report.huggingface.comparisons[0];
    const segment = (names: string[]) => comparison.segments.find((s: { frameworks: string[] }) => s.frameworks.join() === names.join());
    expect(segment(['PyTorch']).models).toBe(180_549);
    expect(segment(['PyTorch', 'TensorFlow']).models).toBe(4_833);
    expect(segment(['TensorFlow']).models).toBe(12_809);
    expect(comparison.total).toBe(198_191);
    expect(segment(['PyTorch']).share).toBeCloseTo(0.911, 3);
    // Counted today by a live run, stored as of 2024-07-20: every report says so.
    const today = new Date().toISOString().slice(0, 10);
    expect(report.warnings).toContain(
      `huggingface: the counts stored as of 2024-07-20 were counted on ${today}; the Hub API has no history, so they are that day's`,
    );
    expect(result.stdout).toContain(`counted on ${today}`);

    const csv = readFileSync(join(dir, 'output/hf_models.csv'), 'utf8');
    expect(csv).toContain('180549');
    expect(csv).toContain('91.10');
    expect(result.stdout).toMatch(/PyTorch only\s+180549\s+91.10 %/);
  });

  it('run --sources pubmed stores every (keyword, year) count within NCBI limits', async () => {
    const dir = workdir();
    ncbi.reset();
    const result = await runCli(['run', '--sources', 'pubmed', '--as-of', '2024-07-20'], { cwd: dir, env: env() });
    expect(result.code).toBe(0);
    const papers = readDb(join(dir, 'output/adoption.sqlite')).values.filter((o) => o.metric === 'papers');
    expect(papers).toHaveLength(3 * 6);
    for (const o of papers) expect(o.value).toBe(PUBMED_COUNTS[String(o.subject).toLowerCase()]![Number(o.period)]);
    // No more than 3 requests in any second without a key (server-side arrival times).
    const arrivals = ncbi.requests.map((r) => r.at).sort((a, b) => a - b);
    for (let i = 3; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 3]!).toBeGreaterThanOrEqual(1000 - 5);
    const report = JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8'));
    const pytorch = report.pubmed.series.find((s: { keyword: string }) => s.keyword === 'PyTorch');
    expect(pytorch.points.at(-1)).toMatchObject({ year: 2024, count: 210, partial: true });
    expect(pytorch.points.at(-1).adjusted).toBeGreaterThan(210);
  });

  it('run --sources pubmed reports a keyword PubMed does not know instead of storing the whole year', async () => {
    const dir = tempWorkdir();
    const config = {
      ...CONFIG,
      frameworks: [...CONFIG.frameworks, { name: 'Xyzzy', pubmed: { term: 'xyzzyflow' } }],
      pubmed: { fromYear: 2022, toYear: 2023 },
    };
    writeFileSync(join(dir, 'adoption.config.json'), JSON.stringify(config));
    // As PubMed does: the unknown word is dropped and the rest ("all of 2023") counted.
    const server = await startEsearchServer({
      counts: PUBMED_COUNTS,
      crdtFraction: 1,
      unknownPhrases: ['xyzzyflow'],
      yearTotal: 1_500_000,
      // The yearly totals of all records (denominators of per_million), distinct from "all of 2023" above.
      totals: { 2022: 1_700_000, 2023: 1_600_000 },
    });
    try {
      const result = await runCli(['run', '--sources', 'pubmed', '--as-of', '2024-07-20', '--full'], {
        cwd: dir,
        env: { ...server.env({ NCBI_API_KEY: 'k' }), ...hub.env() },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /error pubmed: Xyzzy: term "xyzzyflow" not found in PubMed \(phrase "xyzzyflow"\); 2 count\(s\) not stored/,
      );
      const { values: observations } = readDb(join(dir, 'output/adoption.sqlite'));
      expect(observations.filter((o) => o.subject === 'Xyzzy')).toEqual([]);
      expect(observations.some((o) => o.value === 1_500_000)).toBe(false);
      // The known keywords are all stored, and the totals of all records beside them.
      expect(observations.map((o) => `${o.subject} ${o.period} ${o.value}`).sort()).toEqual(
        [
          'PyTorch 2022 260',
          'PyTorch 2023 380',
          'TensorFlow 2022 230',
          'TensorFlow 2023 220',
          'Keras 2022 150',
          'Keras 2023 140',
          '(all records) 2022 1700000',
          '(all records) 2023 1600000',
        ].sort(),
      );
    } finally {
      await server.close();
    }
  });

  it("--record refuses a source's folder that is a link, before sending anything, and writes nothing where it points", async () => {
    const dir = workdir();
    const archive = join(dir, 'replay');
    const elsewhere = tempWorkdir('am-decoy-');
    mkdirSync(archive);
    symlinkSync(elsewhere, join(archive, 'huggingface'));
    const before = hub.requestCount;
    const result = await runCli(['collect', '--sources', 'huggingface', '--as-of', '2024-07-20', '--record', archive], {
      cwd: dir,
      env: env(),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error --record ${archive}: ${archive}/huggingface cannot be used: it is a symbolic link to ${elsewhere}, which is never followed; remove it, or record into another directory\n`,
    );
    expect(hub.requestCount).toBe(before);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('record then replay gives identical stored values, says it is replaying, and keeps secrets out of every file', async () => {
    const dir = workdir();
    const archive = join(dir, 'replay');
    const recorded = await runCli(
      ['run', '--as-of', '2024-07-20', '--record', archive, '--db', 'live.sqlite', '--out', 'live-out', '--verbose'],
      {
        cwd: dir,
        env: env(SECRETS),
      },
    );
    expect(recorded.code).toBe(0);
    // The secrets reached the servers…
    expect(hub.requests.at(-1)?.authorization).toBe(`Bearer ${SECRETS.HF_TOKEN}`);
    expect(ncbi.requests.at(-1)?.params.api_key).toBe(SECRETS.NCBI_API_KEY);

    // …and then a replay with no servers and no secrets at all.
    const replayed = await runCli(['run', '--as-of', '2024-07-20', '--replay', archive, '--db', 'replay.sqlite', '--out', 'replay-out'], {
      cwd: dir,
      env: { HF_ENDPOINT: 'http://127.0.0.1:9', NCBI_EUTILS_URL: 'http://127.0.0.1:9/entrez/eutils' },
    });
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stderr).toMatch(/REPLAYING/);
    expect(replayed.stdout).toMatch(/REPLAYED/);

    const live = readDb(join(dir, 'live.sqlite'));
    const again = readDb(join(dir, 'replay.sqlite'));
    expect(live.values.length).toBeGreaterThan(20);
    expect(again.values).toEqual(live.values);
    expect(again.runs.map((r) => r.data_origin)).toEqual(['replayed']);
    expect(JSON.parse(readFileSync(join(dir, 'replay-out/report.json'), 'utf8')).data_origin).toBe('replayed');
    expect(JSON.parse(readFileSync(join(dir, 'live-out/report.json'), 'utf8')).data_origin).toBe('live');

    // Every byte this run left behind: archive (decompressed), databases, WAL files, reports, logs.
    const texts = filesUnder(dir).map((f) => (f.endsWith('.gz') ? gunzipSync(readFileSync(f)) : readFileSync(f)).toString('latin1'));
    texts.push(recorded.stdout, recorded.stderr, replayed.stdout, replayed.stderr);
    expect(filesUnder(archive).length).toBeGreaterThan(20);
    for (const secret of Object.values(SECRETS)) {
      for (const text of texts) expect(text.includes(secret)).toBe(false);
    }
  });

  it('replay fails clearly on a source or a request that was not recorded and stores nothing wrong', async () => {
    const dir = workdir();
    const archive = join(dir, 'replay');
    expect(
      (await runCli(['collect', '--sources', 'pubmed', '--as-of', '2024-07-20', '--record', archive], { cwd: dir, env: env() })).code,
    ).toBe(0);
    // The Hub was never recorded. Named with --sources: said before anything is opened or sent, with the way out.
    const unrecorded = await runCli(
      ['collect', '--sources', 'huggingface,pubmed', '--as-of', '2024-07-20', '--replay', archive, '--db', 'r.sqlite'],
      { cwd: dir, env: {} },
    );
    expect(unrecorded.code).toBe(2);
    expect(unrecorded.stderr.trim().split('\n')).toHaveLength(1);
    expect(unrecorded.stderr).toMatch(
      /--replay .*replay holds no recorded huggingface responses; replay with --sources pubmed, or record them/,
    );
    expect(existsSync(join(dir, 'r.sqlite'))).toBe(false);
    // Not named: the replay runs what the archive holds and says what it skips (an archive made before a
    // source was added keeps replaying).
    const skipping = await runCli(['collect', '--as-of', '2024-07-20', '--replay', archive, '--db', 's.sqlite'], { cwd: dir, env: {} });
    expect(skipping.code, skipping.stderr).toBe(0);
    expect(skipping.stderr).toMatch(/warn {2}--replay .*replay holds no recording of huggingface; skipping it/);
    expect(new Set(readDb(join(dir, 's.sqlite')).observations.map((o) => o.source))).toEqual(new Set(['pubmed']));
    // One recorded answer lost: that (keyword, year) fails, every other count replays, exit 1.
    const pubmedFiles = readdirSync(join(archive, 'pubmed')).sort();
    rmSync(join(archive, 'pubmed', pubmedFiles[0]!));
    const result = await runCli(['collect', '--sources', 'pubmed', '--as-of', '2024-07-20', '--replay', archive, '--db', 'r.sqlite'], {
      cwd: dir,
      env: {},
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error pubmed: .*no recorded response for GET \/entrez\/eutils\/esearch\.fcgi/);
    const { values: observations } = readDb(join(dir, 'r.sqlite'));
    expect(observations.length).toBe(pubmedFiles.length - 1);
    expect(new Set(observations.map((o) => o.source))).toEqual(new Set(['pubmed']));
  });

  it('keeps replayed and live data in separate databases, and checks every path before collecting', async () => {
    const dir = workdir();
    const archive = join(dir, 'replay');
    expect(
      (
        await runCli(['collect', '--sources', 'huggingface', '--as-of', '2024-07-20', '--record', archive, '--db', 'live.sqlite'], {
          cwd: dir,
          env: env(),
        })
      ).code,
    ).toBe(0);
    expect(
      (
        await runCli(['collect', '--sources', 'huggingface', '--as-of', '2024-07-20', '--replay', archive, '--db', 'demo.sqlite'], {
          cwd: dir,
          env: {},
        })
      ).code,
    ).toBe(0);
    const before = { live: readDb(join(dir, 'live.sqlite')), demo: readDb(join(dir, 'demo.sqlite')) };
    const refused: Array<[string[], RegExp]> = [
      [
        ['--db', 'demo.sqlite'],
        /demo\.sqlite holds replayed data \(e\.g\. the npm start demo\); keep live data apart: pass --db with a new file/,
      ],
      [['--db', 'live.sqlite', '--replay', archive], /live\.sqlite holds live data; replay into another database/],
    ];
    for (const [args, message] of refused) {
      const result = await runCli(['collect', '--sources', 'huggingface', '--as-of', '2024-07-20', ...args], { cwd: dir, env: env() });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    expect({ live: readDb(join(dir, 'live.sqlite')), demo: readDb(join(dir, 'demo.sqlite')) }).toEqual(before);

    // Paths and values that cannot work are refused in one line before any database or request.
    writeFileSync(join(dir, 'a-file'), 'x');
    const requestsBefore = hub.requestCount;
    const bad: Array<[string[], RegExp]> = [
      [['run', '--out', 'a-file'], /--out .*a-file is a file; pass a directory/],
      [['collect', '--record', 'a-file/archive'], /--record .*a-file\/archive cannot be written \(ENOTDIR/],
      [['collect', '--replay', 'a-file'], /--replay .*a-file is not a directory/],
      [['collect', '--hf-method', 'bogus'], /--hf-method bogus is not allowed; use one of exact, fast, both/],
    ];
    for (const [args, message] of bad) {
      const result = await runCli([...args, '--db', 'new.sqlite'], { cwd: dir, env: env() });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    expect(existsSync(join(dir, 'new.sqlite'))).toBe(false);
    expect(hub.requestCount).toBe(requestsBefore);
  });

  it('status shows the last run per collector and the latest value of each series', async () => {
    const dir = workdir();
    expect((await runCli(['collect', '--as-of', '2024-07-20'], { cwd: dir, env: env() })).code).toBe(0);
    const status = await runCli(['status'], { cwd: dir, env: {} });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/huggingface\s+#1 .*success\s+2024-07-20\s+live/);
    expect(status.stdout).toMatch(/pubmed\s+#1 .*success/);
    expect(status.stdout).toMatch(/huggingface\s+models\s+pytorch\+tf\s+exact\s+2024-07-20\s+4833/);
    // The latest month of the monthly counts, not their undated block (`undated` sorts after every digit).
    expect(status.stdout).toMatch(/huggingface\s+models_created\s+pytorch\+tf\s+exact\s+2024-07\s+0\s+2024-07-20/);
    expect(status.stdout).toMatch(/pubmed\s+papers\s+PyTorch\s+esearch\s+2024\s+210/);

    // status reads only the database: a config file broken since the last run does not stop it.
    writeFileSync(join(dir, 'adoption.config.json'), '{ "frameworks": [ ');
    const unconfigured = await runCli(['status'], { cwd: dir, env: {} });
    expect(unconfigured.code, unconfigured.stderr).toBe(0);
    expect(unconfigured.stdout).toEqual(status.stdout);
  });

  it('report on a database with no observations says "no data", not "live data"', async () => {
    const dir = workdir();
    // The database exists and holds no observation (as after a run whose every source failed).
    await openSqliteStore(join(dir, 'output/adoption.sqlite')).close();
    const result = await runCli(['report', '--as-of', '2024-07-20'], { cwd: dir, env: {} });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^Adoption metrics as of 2024-07-20 \(no data; generated /);
    expect(result.stdout).not.toMatch(/live data/);
    expect(JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8')).data_origin).toBe('none');
  });

  it('report writes observations.csv with the rows it was computed from (after one run, all of them), and fails in one line when it cannot', async () => {
    const dir = workdir();
    expect((await runCli(['collect', '--sources', 'huggingface', '--as-of', '2024-07-20'], { cwd: dir, env: env() })).code).toBe(0);
    const before = readDb(join(dir, 'output/adoption.sqlite')).observations;
    const ok = await runCli(['report', '--as-of', '2024-07-20'], { cwd: dir, env: {} });
    expect(ok.code).toBe(0);
    const history = readFileSync(join(dir, 'output/observations.csv'), 'utf8').trim().split('\n');
    expect(history).toHaveLength(1 + before.length);
    expect(history).toContain(
      `huggingface,models,pytorch+tf,2024-07-20,4833,2024-07-20,1,${before.find((o) => o.subject === 'pytorch+tf')!.query},exact,false`,
    );
    // A directory where the file goes: putting it in place fails; the error names the file, nothing crashes.
    rmSync(join(dir, 'output/observations.csv'));
    mkdirSync(join(dir, 'output/observations.csv'));
    const failed = await runCli(['report', '--as-of', '2024-07-20'], { cwd: dir, env: {} });
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed.stderr).toMatch(/EISDIR.*observations\.csv/);
    // The export was staged beside its target; nothing half-done is left behind.
    expect(readdirSync(join(dir, 'output')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a junk lock file (`echo x > adoption.sqlite.lock`) is set aside with a warning naming it, and the run goes on', async () => {
    const dir = workdir();
    mkdirSync(join(dir, 'output'));
    writeFileSync(join(dir, 'output/adoption.sqlite.lock'), 'x\n');
    const result = await runCli(['collect', '--sources', 'huggingface', '--as-of', '2024-07-20'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /^warn {2}run lock .*output\/adoption\.sqlite\.lock held something else; kept it as .*\.invalid-\S+ and made/m,
    );
    expect(readDb(join(dir, 'output/adoption.sqlite')).observations.filter((o) => o.metric === 'models')).toHaveLength(3);
  });

  it('report --csv-bom, or reports.csvBom in the config, starts every CSV with a UTF-8 byte order mark', async () => {
    const dir = workdir();
    expect((await runCli(['collect', '--sources', 'huggingface', '--as-of', '2024-07-20'], { cwd: dir, env: env() })).code).toBe(0);
    const csvs = ['observations.csv', 'hf_models.csv', 'pubmed_by_year.csv', 'pubmed_by_year_wide.csv'];
    const starts = (out: string) => csvs.map((f) => [...readFileSync(join(dir, out, f)).subarray(0, 3)]);
    const BOM = [0xef, 0xbb, 0xbf];
    expect((await runCli(['report', '--as-of', '2024-07-20', '--out', 'plain'], { cwd: dir, env: {} })).code).toBe(0);
    for (const start of starts('plain')) expect(start).not.toEqual(BOM);
    expect((await runCli(['report', '--as-of', '2024-07-20', '--out', 'flag', '--csv-bom'], { cwd: dir, env: {} })).code).toBe(0);
    expect(starts('flag')).toEqual(csvs.map(() => BOM));
    writeFileSync(join(dir, 'adoption.config.json'), JSON.stringify({ ...CONFIG, reports: { csvBom: true } }));
    expect((await runCli(['report', '--as-of', '2024-07-20', '--out', 'config'], { cwd: dir, env: {} })).code).toBe(0);
    expect(starts('config')).toEqual(csvs.map(() => BOM));
    // Apart from the mark, the same bytes.
    for (const f of csvs) expect(readFileSync(join(dir, 'flag', f)).subarray(3)).toEqual(readFileSync(join(dir, 'plain', f)));
  });

  it('re-running the same day adds no duplicate rows', async () => {
    const dir = workdir();
    for (let i = 0; i < 2; i++) {
      expect((await runCli(['collect', '--sources', 'huggingface', '--as-of', '2024-07-20'], { cwd: dir, env: env() })).code).toBe(0);
    }
    const { values: observations, runs } = readDb(join(dir, 'output/adoption.sqlite'));
    expect(runs).toHaveLength(2);
    // 3 totals, each with its months (the stand-in's models are all of 2024-01: undated, 2024-01 … 2024-07), once.
    expect(observations).toHaveLength(3 * (1 + 1 + 7));
  });
});

describe('adoption-metrics usage', () => {
  it('--version, --help on every command, and exit 2 with a one-line message on bad usage or config', async () => {
    const dir = tempWorkdir();
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'));
    expect((await runCli(['--version'], { cwd: dir })).stdout.trim()).toBe(pkg.version);
    for (const command of ['collect', 'report', 'run', 'status']) {
      const help = await runCli([command, '--help'], { cwd: dir });
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`adoption-metrics ${command}`);
    }
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /unknown command frobnicate/],
      [['collect', '--sources', 'twitter'], /--sources: unknown source twitter/],
      [['collect', '--as-of', '2024-13-01'], /--as-of/],
      // Before any source existed, for every command that takes a date.
      [
        ['collect', '--as-of', '0000-01-01'],
        /--as-of 0000-01-01 is before 1996-01-01, the earliest date any source covers \(pubmed since 1996-01-01\)/,
      ],
      [['run', '--as-of', '1990-06-15'], /--as-of 1990-06-15 is before 1996-01-01, the earliest date any source covers/],
      [['report', '--as-of', '1995-12-31'], /--as-of 1995-12-31 is before 1996-01-01, the earliest date any source covers/],
      [['collect', '--record', 'a', '--replay', 'b'], /cannot be combined/],
      [['collect', '--config', 'missing.json'], /missing\.json/],
      [['report', '--bogus'], /--bogus/],
      // A zero timeout would be none; negative numbers are refused by the option, not as Node's "ambiguous".
      [['collect', '--timeout', '0'], /^error --timeout 0 would mean no limit/],
      [['run', '--timeout', '-1'], /^error --timeout -1 is negative/],
      [['collect', '--lock-wait', '-1'], /^error --lock-wait -1 is negative/],
      [['report', '--chart-scale', 'cubic'], /--chart-scale cubic is not one of linear, log; use e\.g\. --chart-scale log/],
      [['run', '--chart-scale', 'LOG'], /--chart-scale LOG is not one of linear, log/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { cwd: dir });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    // Bad usage never created a database.
    expect(existsSync(join(dir, 'output/adoption.sqlite'))).toBe(false);
  });

  it.skipIf(!existsSync('/proc/self'))('fails fast in one line on a directory that cannot be made, as under /proc', async () => {
    const dir = tempWorkdir();
    // Node's recursive mkdir spins at full CPU under /proc: each command must answer within seconds.
    const cases: Array<[string[], RegExp]> = [
      [['collect', '--record', '/proc/x'], /--record \/proc\/x cannot be written \(ENOENT: .*mkdir '\/proc\/x'\)/],
      [['collect', '--db', '/proc/x/db.sqlite'], /database \/proc\/x\/db\.sqlite cannot be created \(ENOENT: .*'\/proc\/x'\); pass --db/],
      [['run', '--out', '/proc/x/out'], /--out \/proc\/x\/out cannot be created \(ENOENT: .*'\/proc\/x'\); pass a directory you can write/],
    ];
    for (const [args, message] of cases) {
      const run = startCli([...args, '--as-of', '2024-07-20'], { cwd: dir });
      const timer = setTimeout(() => run.child.kill('SIGKILL'), 10_000);
      const result = await run.done;
      clearTimeout(timer);
      expect(result.signal, `${args.join(' ')} still running after 10 s`).toBeNull();
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
  });

  it('rejects a config with an unknown key, naming it, before touching the database', async () => {
    const dir = tempWorkdir();
    writeFileSync(join(dir, 'adoption.config.json'), JSON.stringify({ ...CONFIG, pubmed: { fromYear: 2019, toYaer: 2024 } }));
    const result = await runCli(['run'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/pubmed\.toYaer/);
    expect(existsSync(join(dir, 'output/adoption.sqlite'))).toBe(false);
  });
});
