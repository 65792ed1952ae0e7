import { afterEach, describe, expect, it } from 'vitest';
import { placeByArxivId } from '../../collectors/paperswithcode/arxiv.js';
import { createLinkCounter, type LinkCounts } from '../../collectors/paperswithcode/count-links.js';
import { HUB_REDIRECTS } from '../../collectors/huggingface/redirects.js';
import { DOWNLOAD_ATTEMPTS, downloadDeadlineMs, paperswithcode, throughMonth } from '../../collectors/paperswithcode/index.js';
import { parseProvenance } from '../../collectors/paperswithcode/provenance.js';
import { parseConfig } from '../../src/config/load.js';
import type { Observation, StoredObservation } from '../../src/core/observation.js';
import { COLLECTORS } from '../../src/registry.js';
import { createTestContext } from '../helpers/context.js';
import { type DatasetServer, startDatasetServer } from '../helpers/dataset-server.js';
import { type LinkRow, linksParquet, testArchiveRows } from '../helpers/pwc-archive.js';

let server: DatasetServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const DEFAULTS = parseConfig({}, COLLECTORS, 'built-in defaults');
const TOKEN = 'hf_testtoken_abcdefgh';

function context(
  env: Record<string, string | undefined>,
  options: { asOf?: string; today?: string; history?: StoredObservation[]; full?: boolean } = {},
) {
  return createTestContext({ collector: paperswithcode, config: DEFAULTS, env, asOf: options.asOf ?? '2026-01-10', ...options });
}

/** What the store would hand back: emitted rows with ids and a run. */
function stored(observations: readonly Observation[], runId = 1): StoredObservation[] {
  return observations.map((o, i) => ({ ...o, id: runId * 1000 + i, runId }));
}

const value = (rows: readonly Observation[], metric: string, subject: string, period: string) =>
  rows.find((o) => o.metric === metric && o.subject === subject && o.period === period)?.value;

describe('collectors/paperswithcode: arXiv quarters', () => {
  it('places 2007-and-later ids by their YYMM, version ignored, and never guesses the others', () => {
    expect(placeByArxivId('2407.12345v2')).toEqual({ quarter: '2024-Q3', month: '2024-07' });
    expect(placeByArxivId('0704.0001')).toEqual({ quarter: '2007-Q2', month: '2007-04' });
    expect(placeByArxivId('1412.9999')).toEqual({ quarter: '2014-Q4', month: '2014-12' });
    expect(placeByArxivId(' arXiv:1501.00001 ')).toEqual({ quarter: '2015-Q1', month: '2015-01' });
    expect(placeByArxivId(null)).toEqual({ quarter: null, reason: 'no-arxiv-id' });
    expect(placeByArxivId('  ')).toEqual({ quarter: null, reason: 'no-arxiv-id' });
    for (const id of ['cs/0112017', 'hep-th/9901001', '0703.1234', '1913.12345', '1501.1234', '1412.12345', 'abc']) {
      expect(placeByArxivId(id), id).toEqual({ quarter: null, reason: 'unusable-arxiv-id' });
    }
  });

  it('files an id dated after the month it is read in as unusable, not as after the cutoff', () => {
    // The 2015-and-later form, but 2099-12: no such id can exist yet.
    expect(placeByArxivId('9912.12345', '2026-01')).toEqual({ quarter: null, reason: 'unusable-arxiv-id' });
    expect(placeByArxivId('2601.12345', '2026-01')).toEqual({ quarter: '2026-Q1', month: '2026-01' });
    expect(placeByArxivId('2602.12345', '2026-01')).toEqual({ quarter: null, reason: 'unusable-arxiv-id' });
    const counter = createLinkCounter({ frameworks: ['pytorch'], comparisons: [], throughMonth: '2025-07', latestMonth: '2026-01' });
    counter.add({ paper_url: 'p/future', paper_arxiv_id: '9912.12345', repo_url: 'r/1', framework: 'pytorch' });
    counter.add({ paper_url: 'p/later', paper_arxiv_id: '2508.00001', repo_url: 'r/2', framework: 'pytorch' });
    expect(counter.result().leftOut).toEqual({ 'no-arxiv-id': 0, 'unusable-arxiv-id': 1, 'after-cutoff': 1 });
  });

  it('counts through the as-of month, and never past the archive (July 2025)', () => {
    expect(throughMonth('2024-07-20')).toBe('2024-07');
    expect(throughMonth('2026-11-26')).toBe('2025-07');
  });
});

describe('collectors/paperswithcode: counts do not depend on the order of the rows', () => {
  const paper = (id: string) => `https://paperswithcode.com/paper/synthetic-${id}`;
  const repo = (id: string) => `https://github.com/synthetic/${id}`;
  /** The test archive, and papers whose rows disagree: what a row-order-dependent count gets wrong. */
  const rows = (): LinkRow[] => [
    ...testArchiveRows(),
    // K: a row without an arXiv id first, then the dated row: both repositories count in 2019-Q2.
    { paper_url: paper('k'), paper_arxiv_id: null, repo_url: repo('k-tf'), framework: 'tf' },
    { paper_url: paper('k'), paper_arxiv_id: '1905.00011', repo_url: repo('k-torch'), framework: 'pytorch' },
    // L: two ids of different quarters: the earliest (2019-Q2) places it.
    { paper_url: paper('l'), paper_arxiv_id: '2407.00012', repo_url: repo('l-torch'), framework: 'pytorch' },
    { paper_url: paper('l'), paper_arxiv_id: '1904.00012', repo_url: repo('l-jax'), framework: 'jax' },
    // M: an unusable id and one after the cutoff: left out as after-cutoff, whichever comes first.
    { paper_url: paper('m'), paper_arxiv_id: 'abc', repo_url: repo('m'), framework: 'pytorch' },
    { paper_url: paper('m'), paper_arxiv_id: '2508.00013', repo_url: repo('m2'), framework: 'pytorch' },
    // N: a placed paper's repository also linked from a paper without an id.
    { paper_url: paper('n'), paper_arxiv_id: '', repo_url: repo('shared'), framework: 'jax' },
    { paper_url: paper('n'), paper_arxiv_id: '2407.00014', repo_url: repo('n'), framework: 'tf' },
  ];
  const count = (ordered: readonly LinkRow[]): LinkCounts => {
    const counter = createLinkCounter({
      frameworks: ['pytorch', 'tf', 'jax'],
      comparisons: [[0, 1]],
      throughMonth: '2025-07',
      latestMonth: '2026-01',
    });
    for (const row of ordered) counter.add(row);
    return counter.result();
  };
  /** A deterministic shuffle (a linear congruential generator), so a failure names an order that can be re-run. */
  const shuffled = (list: readonly LinkRow[], seed: number): LinkRow[] => {
    const out = [...list];
    let state = seed;
    for (let i = out.length - 1; i > 0; i--) {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      const j = state % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };

  it('gives identical counts for the same rows in any order', () => {
    const base = rows();
    const expected = count(base);
    // 2019-Q2: A, B, C, D of the test archive, and K (tf and pytorch) and L (pytorch and jax).
    expect(expected.quarters.get('2019-Q2')).toEqual({ papers: [3, 3, 1], repos: [3, 3, 1], papersAll: 6, reposAll: 9, unions: [4] });
    // 2024-Q3: E, F and N (tf, and jax through its id-less row).
    expect(expected.quarters.get('2024-Q3')).toEqual({ papers: [1, 1, 2], repos: [1, 1, 2], papersAll: 3, reposAll: 4, unions: [2] });
    expect(expected.leftOut).toEqual({ 'no-arxiv-id': 1, 'unusable-arxiv-id': 1, 'after-cutoff': 2 });
    expect(expected.conflicts).toBe(1);
    const orders = [[...base].reverse(), ...[1, 2, 3, 4, 5, 6, 7, 8].map((seed) => shuffled(base, seed))];
    for (let i = 1; i < base.length; i++) orders.push([...base.slice(i), ...base.slice(0, i)]);
    for (const [i, order] of orders.entries()) expect(count(order), `order ${i}`).toEqual(expected);
  });

  it('stores the same observations from an archive file written in reverse order', async () => {
    const values = async (ordered: readonly LinkRow[]) => {
      server = await startDatasetServer({ bytes: linksParquet(ordered, { rowGroupSize: 3 }) });
      const { ctx, observations } = context(server.env());
      await paperswithcode.collect(ctx);
      await server.close();
      server = undefined;
      return observations()
        .map((o) => `${o.metric} ${o.subject} ${o.period} ${o.value}`)
        .sort();
    };
    const forward = await values(rows());
    expect(forward).toContain('papers TensorFlow 2019-Q2 3');
    expect(await values([...rows()].reverse())).toEqual(forward);
  });
});

describe('collectors/paperswithcode', () => {
  it('counts distinct papers and repositories per quarter and framework from the archive, with every denominator', async () => {
    server = await startDatasetServer({ bytes: linksParquet(testArchiveRows(), { rowGroupSize: 4 }) });
    const { ctx, observations, log } = context(server.env());
    const summary = await paperswithcode.collect(ctx);
    const rows = observations();
    expect(summary.problems).toEqual([]);
    expect(summary.warnings).toEqual(['1 link(s) without a paper_url or repo_url were skipped']);
    expect(summary.stored).toBe(rows.length);

    // 2019-Q2: A (pytorch and tf, one repo linked twice), B (tf), C (framework missing), D (`none`).
    expect(value(rows, 'papers', 'PyTorch', '2019-Q2')).toBe(1);
    expect(value(rows, 'papers', 'TensorFlow', '2019-Q2')).toBe(2);
    expect(value(rows, 'papers', 'JAX', '2019-Q2')).toBe(0);
    expect(value(rows, 'papers_all', 'all', '2019-Q2')).toBe(4);
    expect(value(rows, 'repos', 'PyTorch', '2019-Q2')).toBe(1);
    expect(value(rows, 'repos', 'TensorFlow', '2019-Q2')).toBe(2);
    expect(value(rows, 'repos_all', 'all', '2019-Q2')).toBe(5);
    // A paper with repositories in both frameworks counts once in the comparison's denominator.
    expect(value(rows, 'papers_union', 'PyTorch vs TensorFlow', '2019-Q2')).toBe(2);
    // 2024-Q3: E (pytorch, id with a version), F (jax); J's link has no repository.
    expect(value(rows, 'papers', 'PyTorch', '2024-Q3')).toBe(1);
    expect(value(rows, 'papers', 'JAX', '2024-Q3')).toBe(1);
    expect(value(rows, 'papers_all', 'all', '2024-Q3')).toBe(2);
    expect(value(rows, 'papers_union', 'PyTorch vs TensorFlow', '2024-Q3')).toBe(1);
    expect([...new Set(rows.filter((o) => /Q/.test(o.period)).map((o) => o.period))]).toEqual(['2019-Q2', '2024-Q3']);
    // Left out, said per reason: G (no id in either of its links), H (an old-style id), I (after July 2025).
    expect(rows.filter((o) => o.metric === 'papers_left_out').map((o) => [o.subject, o.value, o.period])).toEqual([
      ['no-arxiv-id', 1, '2026-01-10'],
      ['unusable-arxiv-id', 1, '2026-01-10'],
      ['after-cutoff', 1, '2026-01-10'],
    ]);
    // Every row names the dataset, file and commit it came from, and how far it counted.
    const sha = server.requests.find((r) => r.url.includes('/resolve/'))!.url.split('/')[5]!;
    for (const o of rows) {
      expect(o).toMatchObject({ source: 'paperswithcode', method: 'archive', observedAt: '2026-01-10' });
      expect(parseProvenance(o.query)).toEqual({
        dataset: 'pwc-archive/links-between-paper-and-code',
        sha,
        file: 'data/train-00000-of-00001.parquet',
        through: '2025-07',
      });
    }
    // One batch: the snapshot is stored whole or not at all.
    expect(log.lines.join('\n')).toMatch(/13 links in 4 row group\(s\), 2 quarters through 2025-07, 3 papers left out/);
  });

  it('asks only for the dataset entry when its commit was already counted, and downloads a new one', async () => {
    server = await startDatasetServer({ bytes: linksParquet(testArchiveRows()) });
    const first = context(server.env());
    await paperswithcode.collect(first.ctx);
    expect(server.requests.map((r) => r.url.split('?')[0]!.split('/')[1])).toEqual(['api', 'datasets', 'cdn']);

    server.reset();
    const second = context(server.env(), { asOf: '2026-01-11', history: stored(first.observations()) });
    const summary = await paperswithcode.collect(second.ctx);
    expect(summary).toEqual({ stored: 0, problems: [], warnings: [] });
    expect(server.requests.map((r) => r.url)).toEqual(['/api/datasets/pwc-archive/links-between-paper-and-code?blobs=true']);
    expect(second.log.lines.join('\n')).toMatch(
      /unchanged at [0-9a-f]{12} since 2026-01-10 \(counted through 2025-07\); nothing to download or store/,
    );

    // --full downloads anyway; a new commit is downloaded.
    server.reset();
    await paperswithcode.collect(context(server.env(), { history: stored(first.observations()), full: true }).ctx);
    expect(server.requests).toHaveLength(3);
    server.reset();
    server.configure({ bytes: linksParquet(testArchiveRows().slice(0, 6)) });
    const third = context(server.env(), { history: stored(first.observations()) });
    await paperswithcode.collect(third.ctx);
    expect(server.requests).toHaveLength(3);
    // A quarter the new commit lacks is counted 0: a fall the collapse guard sees, not a quarter left unsaid.
    expect(value(third.observations(), 'papers_all', 'all', '2024-Q3')).toBe(0);
    expect(value(third.observations(), 'papers', 'PyTorch', '2024-Q3')).toBe(0);
    expect(third.log.lines).toContain(
      'warn  paperswithcode: 1 quarter(s) of the previous snapshot are missing from this one; counted as 0 papers',
    );
    // Every count names the archive file, whatever its commit, as its series.
    expect(new Set(third.observations().map((o) => o.seriesKey))).toEqual(
      new Set([
        'datasets/pwc-archive/links-between-paper-and-code/data/train-00000-of-00001.parquet',
        'datasets/pwc-archive/links-between-paper-and-code/data/train-00000-of-00001.parquet (arXiv ids through 2025-07)',
      ]),
    );
  });

  it('counts an earlier as-of date only through its month, and re-counts when that month changes', async () => {
    server = await startDatasetServer({ bytes: linksParquet(testArchiveRows()) });
    const july = context(server.env(), { asOf: '2024-07-20', today: '2026-01-10' });
    await paperswithcode.collect(july.ctx);
    const rows = july.observations();
    // F's id is 2408: after the as-of month.
    expect(value(rows, 'papers', 'JAX', '2024-Q3')).toBe(0);
    expect(value(rows, 'papers_all', 'all', '2024-Q3')).toBe(1);
    expect(value(rows, 'papers_left_out', 'after-cutoff', '2024-07-20')).toBe(2);
    server.reset();
    await paperswithcode.collect(context(server.env(), { asOf: '2026-01-10', history: stored(rows) }).ctx);
    expect(server.requests).toHaveLength(3);
  });

  // The stand-in's CDN shares its host; a CDN on another host gets no token (tests/http/download.test.ts).
  it('sends the token with every request to the Hub, and stores no secret', async () => {
    server = await startDatasetServer({ bytes: linksParquet(testArchiveRows()) });
    const { ctx, observations } = context(server.env({ HF_TOKEN: TOKEN }));
    await paperswithcode.collect(ctx);
    expect(server.requests.map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    expect(JSON.stringify(observations())).not.toContain(TOKEN);
  });

  for (const [fault, message] of [
    ['truncated', /is unusable: got \d+ bytes where the dataset lists \d+ \(truncated or changed download\); nothing was stored/],
    ['corrupt', /is unusable: its SHA-256 [0-9a-f]{12}… differs from the listed [0-9a-f]{12}…/],
    ['html', /is unusable: got \d+ bytes where the dataset lists \d+/],
  ] as const) {
    it(`fails the source with one line and stores nothing on a ${fault} download`, async () => {
      server = await startDatasetServer({ bytes: linksParquet(testArchiveRows()), fault });
      const { ctx, emitted } = context(server.env());
      const err = (await paperswithcode.collect(ctx).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(
        /^\[collector:paperswithcode\] data\/train-00000-of-00001\.parquet of pwc-archive\/links-between-paper-and-code at [0-9a-f]{12} /,
      );
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain('\n');
      expect(emitted).toEqual([]);
    });
  }

  it('checks the parquet frame itself when the API lists no size', async () => {
    const bytes = linksParquet(testArchiveRows());
    server = await startDatasetServer({ bytes, fault: 'truncated', listSizes: false });
    const err = (await paperswithcode.collect(context(server.env()).ctx).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/is unusable: it is not a parquet file \(no PAR1 mark at its start and end\)/);
  });

  it('names a missing column, a missing dataset and a missing file in one line each', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const noFramework = new Uint8Array(
      parquetWriteBuffer({
        columnData: ['paper_url', 'paper_arxiv_id', 'repo_url'].map((name) => ({ name, data: ['x'], type: 'STRING' as const })),
      }),
    );
    server = await startDatasetServer({ bytes: noFramework });
    const err = (await paperswithcode.collect(context(server.env()).ctx).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(
      /cannot be read: it has no column framework \(columns: paper_url, paper_arxiv_id, repo_url\); nothing was stored$/,
    );

    // Without a token the Hub answers a dataset that does not exist with 401 "Invalid username or password."
    // (genuine): the line says the dataset does not exist or is private, never a word about a password.
    server.configure({ dataset: 'someone/else' });
    const missing = (await paperswithcode.collect(context(server.env()).ctx).catch((e: unknown) => e)) as Error;
    expect(server.requests.at(-1)).toMatchObject({ url: '/api/datasets/pwc-archive/links-between-paper-and-code?blobs=true' });
    expect(missing.message).toBe(
      `[collector:paperswithcode] dataset pwc-archive/links-between-paper-and-code: dataset pwc-archive/links-between-paper-and-code does not exist on ${server.url}, or is private (the Hub answered HTTP 401 to a request without a token): check paperswithcode.dataset, or set HF_TOKEN for a private one`,
    );
    expect(missing.message).not.toMatch(/password/i);
    // With a token the Hub says 404.
    const withToken = (await paperswithcode.collect(context(server.env({ HF_TOKEN: TOKEN })).ctx).catch((e: unknown) => e)) as Error;
    expect(withToken.message).toMatch(
      /^\[collector:paperswithcode\] dataset pwc-archive\/links-between-paper-and-code: GET \S+ failed: HTTP 404 \{"error":"Repository not found"\}; check paperswithcode\.dataset\/paperswithcode\.file and HF_ENDPOINT$/,
    );
    server.configure({ dataset: 'pwc-archive/links-between-paper-and-code', file: 'data/other.parquet' });
    const noFile = (await paperswithcode.collect(context(server.env()).ctx).catch((e: unknown) => e)) as Error;
    expect(noFile.message).toMatch(
      /has no file data\/train-00000-of-00001\.parquet \(files: \.gitattributes, README\.md, data\/other\.parquet\); set paperswithcode\.file$/,
    );
  });
});

describe('collectors/paperswithcode: the Hub redirects a dataset id in another case, or a renamed one', () => {
  const CURRENT = 'pwc-archive/links-between-paper-and-code';
  const config = (dataset: string) =>
    parseConfig(
      {
        frameworks: [
          { name: 'PyTorch', paperswithcode: { framework: 'pytorch' } },
          { name: 'TensorFlow', paperswithcode: { framework: 'tf' } },
        ],
        paperswithcode: { dataset },
      },
      COLLECTORS,
      'test',
    );

  it.each([
    ['another case', 'PWC-Archive/Links-Between-Paper-And-Code', []],
    ['a renamed dataset', 'paperswithcode/links', ['paperswithcode/links']],
  ] as const)('%s: follows the 307 (relative Location) and stores the current id', async (_name, asked, renamedFrom) => {
    server = await startDatasetServer({ bytes: linksParquet(testArchiveRows()), dataset: CURRENT, renamedFrom });
    const t = createTestContext({ collector: paperswithcode, config: config(asked), env: server.env(), asOf: '2026-01-10' });
    const summary = await paperswithcode.collect(t.ctx);
    expect(summary.problems).toEqual([]);
    expect(summary.warnings).toContain(
      `the Hub answers dataset ${asked} as ${CURRENT} (another case, or renamed); counted and stored as ${CURRENT}: set paperswithcode.dataset to "${CURRENT}"`,
    );
    // The redirect was followed once; the download asked the current id directly.
    expect(server.requests.map((r) => r.url.replace(/\/resolve\/[0-9a-f]+\//, '/resolve/<sha>/').replace(/\/cdn\/\S+/, '/cdn/…'))).toEqual([
      `/api/datasets/${asked}?blobs=true`,
      `/api/datasets/${CURRENT}?blobs=true`,
      `/datasets/${CURRENT}/resolve/<sha>/data/train-00000-of-00001.parquet`,
      '/cdn/…',
    ]);
    for (const o of t.observations()) expect(parseProvenance(o.query)?.dataset).toBe(CURRENT);
  });

  it('follows the Hub only to its own host and its file servers, over https', () => {
    const hub = new URL('https://huggingface.co/datasets/o/n/resolve/abc/f.parquet');
    const to = (url: string) => HUB_REDIRECTS.allowed(hub, new URL(url));
    expect(to('https://huggingface.co/api/datasets/o/n')).toBe(true);
    expect(to('https://cdn-lfs.huggingface.co/repos/x')).toBe(true);
    expect(to('https://cas-bridge.xethub.hf.co/xet-bridge-us/x')).toBe(true);
    expect(to('http://cdn-lfs.huggingface.co/repos/x')).toBe(false);
    expect(to('https://evilhuggingface.co/x')).toBe(false);
    expect(to('https://example.org/x')).toBe(false);
    // A mirror's own file servers.
    expect(HUB_REDIRECTS.allowed(new URL('https://hf-mirror.com/api/datasets/o/n'), new URL('https://cdn.hf-mirror.com/x'))).toBe(true);
  });

  it('gives the download one deadline for all its attempts: 5 min for the 30 MB archive, at most 10 min, in 3 attempts', () => {
    expect(downloadDeadlineMs(31_457_280)).toBe(300_000);
    expect(downloadDeadlineMs(512 * 2 ** 20)).toBe(600_000);
    expect(DOWNLOAD_ATTEMPTS).toBe(3);
  });

  it('gives up after 5 redirects, and never follows one to another host', async () => {
    const { startServer } = await import('../helpers/http-server.js');
    const loop = await startServer((req, res) => {
      res.writeHead(307, {
        location: req.url?.startsWith('/api/datasets/o/n') ? '/api/datasets/o/m?blobs=true' : '/api/datasets/o/n?blobs=true',
      });
      res.end();
    });
    const away = await startServer((_req, res) => {
      res.writeHead(307, { location: 'https://example.org/api/datasets/o/n' });
      res.end();
    });
    try {
      const run = (url: string) =>
        paperswithcode.collect(createTestContext({ collector: paperswithcode, config: config('o/n'), env: { HF_ENDPOINT: url } }).ctx).then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect((await run(loop.url))?.message).toMatch(
        /failed: more than 5 redirects \(the last to http:\/\/127\.0\.0\.1:\d+\/api\/datasets\/o\/\w\?blobs=true\)$/,
      );
      expect(loop.requests).toHaveLength(6);
      expect((await run(away.url))?.message).toMatch(
        /failed: HTTP 307 to https:\/\/example\.org, which is not the Hub's own host or its file servers \(huggingface\.co, hf\.co and their subdomains\); not following it$/,
      );
    } finally {
      await loop.close();
      await away.close();
    }
  });
});

describe('collectors/paperswithcode: configuration', () => {
  const parse = (raw: unknown) => () => parseConfig(raw, COLLECTORS, 'test');
  it('defaults to the archive values of PyTorch, TensorFlow and JAX, compared PyTorch vs TensorFlow', () => {
    expect(DEFAULTS.sources.paperswithcode).toEqual({
      comparisons: [['PyTorch', 'TensorFlow']],
      dataset: 'pwc-archive/links-between-paper-and-code',
      file: 'data/train-00000-of-00001.parquet',
    });
    expect(DEFAULTS.frameworks.map((f) => f.sources.paperswithcode)).toEqual([
      { framework: 'pytorch' },
      { framework: 'tf' },
      undefined,
      { framework: 'jax' },
    ]);
  });

  it('refuses what cannot be counted, naming the key', () => {
    const fw = (name: string, framework: string) => ({ name, paperswithcode: { framework } });
    expect(parse({ frameworks: [fw('A', 'pytorch'), fw('B', 'PyTorch')] })).toThrow(
      /"A" and "B" both have paperswithcode\.framework "pytorch"/,
    );
    expect(parse({ frameworks: [fw('A', 'none')] })).toThrow(/frameworks\[0\]\.paperswithcode\.framework: expected a framework value/);
    expect(parse({ frameworks: [fw('A', 'pytorch')], paperswithcode: { comparisons: [['A', 'Z']] } })).toThrow(
      /framework "Z" is not defined/,
    );
    expect(parse({ frameworks: [fw('A', 'pytorch')], paperswithcode: { dataset: 'no-slash' } })).toThrow(
      /paperswithcode\.dataset: expected a Hub dataset id/,
    );
    expect(parse({ frameworks: [fw('A', 'pytorch')], paperswithcode: { file: '../x.parquet' } })).toThrow(
      /paperswithcode\.file: expected a relative path/,
    );
    expect(parseConfig({ frameworks: [fw('A', 'pytorch')] }, COLLECTORS, 't').sources.paperswithcode).toMatchObject({ comparisons: [] });
  });
});
