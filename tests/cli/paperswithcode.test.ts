import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempWorkdir } from '../helpers/cli.js';
import { type DatasetServer, startDatasetServer } from '../helpers/dataset-server.js';
import { countObservations } from '../helpers/db.js';
import { linksParquet, syntheticLinks, testArchiveRows } from '../helpers/pwc-archive.js';

let server: DatasetServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const count = (dir: string) => countObservations(join(dir, 'output/adoption.sqlite'));

// `adoption-metrics run --sources paperswithcode` with the built-in frameworks, against the dataset stand-in.
describe('adoption-metrics run --sources paperswithcode', () => {
  it('writes the CSVs, chart, JSON and audit from the archive; an unchanged archive costs one request', async () => {
    server = await startDatasetServer({ bytes: linksParquet(syntheticLinks(3000, 7), { rowGroupSize: 700 }) });
    const dir = tempWorkdir('am-pwc-');
    const first = await runCli(['run', '--sources', 'paperswithcode', '--as-of', '2026-01-10', '--audit'], { cwd: dir, env: server.env() });
    expect(first.code, first.stderr).toBe(0);
    expect(server.requests).toHaveLength(3);
    for (const file of [
      'paperswithcode_by_quarter.csv',
      'paperswithcode_comparison_by_quarter.csv',
      'paperswithcode_share.svg',
      'paperswithcode_share.vl.json',
      'report.json',
    ]) {
      expect(existsSync(join(dir, 'output', file)), file).toBe(true);
    }
    const csv = readFileSync(join(dir, 'output/paperswithcode_by_quarter.csv'), 'utf8').split('\n');
    expect(csv[0]).toMatch(/^quarter,framework,papers,repos,share_of_papers_pct,share_of_repos_pct,/);
    expect(readFileSync(join(dir, 'output/paperswithcode_comparison_by_quarter.csv'), 'utf8')).toMatch(
      /^quarter,comparison,framework,papers,share_pct,[^\n]*\n2016-Q\d,PyTorch vs TensorFlow,PyTorch,/,
    );
    const report = JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8'));
    expect(report.paperswithcode).toMatchObject({ observed_at: '2026-01-10', through: '2025-07-25', partial_quarter: '2025-Q3' });
    expect(report.paperswithcode.quarters.at(-1)).toBe('2025-Q3');
    // Every configured series is reported; the Hub's audit says it has no data.
    expect(report.audits.map((a: { key: string; status: string }) => [a.key, a.status])).toEqual([
      ['huggingface', 'unavailable'],
      ['paperswithcode', 'computed'],
    ]);
    expect(report.methodology.queries[0].query).toMatch(
      /\/resolve\/[0-9a-f]{40}\/data\/train-00000-of-00001\.parquet \(arXiv ids through 2025-07\)$/,
    );
    expect(readFileSync(join(dir, 'output/paperswithcode_share.svg'), 'utf8')).toContain('2025-Q3 partial');
    expect(first.stdout).toMatch(/Papers with Code \(archive\): papers with code per quarter \(counted 2026-01-10, through 2025-07-25\)/);
    expect(first.stdout).toMatch(/PyTorch's share of PyTorch vs TensorFlow: 2016-Q\d [\d.]+ % → 2025-Q2 [\d.]+ %; 2025-Q3 \(partial\)/);
    expect(first.stdout).toMatch(/papers left out, no quarter to count them in: \d+ without an arXiv id/);
    expect(first.stdout).toContain('Claims audit (Papers with Code): PyTorch vs TensorFlow on 2026-01-10 (archive counts)');
    expect(first.stdout).toMatch(/pwc-repos-pytorch: .*\n.*\n {2}note: the archive has no repository creation date/);
    const stored = count(dir);

    // The next day's cron run: one small request, nothing stored, the reports unchanged.
    server.reset();
    const second = await runCli(['run', '--sources', 'paperswithcode', '--as-of', '2026-01-11'], { cwd: dir, env: server.env() });
    expect(second.code, second.stderr).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/api/datasets/pwc-archive/links-between-paper-and-code?blobs=true']);
    expect(second.stderr).toMatch(/paperswithcode: pwc-archive\/links-between-paper-and-code unchanged at [0-9a-f]{12} since 2026-01-10/);
    expect(count(dir)).toBe(stored);
    expect(JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8')).paperswithcode.observed_at).toBe('2026-01-10');
  });

  it('says it counted the as-of date\'s whole month, as it does, not "through" the as-of day', async () => {
    server = await startDatasetServer({ bytes: linksParquet(syntheticLinks(3000, 7), { rowGroupSize: 700 }) });
    const dir = tempWorkdir('am-pwc-');
    const result = await runCli(['run', '--sources', 'paperswithcode', '--as-of', '2024-07-20'], { cwd: dir, env: server.env() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/papers with code per quarter \(counted 2024-07-20, through the whole of 2024-07\)/);
    expect(result.stdout).toContain('* 2024-Q3 is partial: counted through the whole of 2024-07, not extrapolated');
    expect(result.stdout).not.toMatch(/through 2024-07-20/);
    const report = JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8'));
    expect(report.paperswithcode).toMatchObject({
      through: '2024-07-20',
      counted_through: 'the whole of 2024-07',
      partial_quarter: '2024-Q3',
    });
    expect(readFileSync(join(dir, 'output/paperswithcode_share.svg'), 'utf8')).toContain('2024-Q3 counted through the whole of 2024-07');
  });

  it('fails the source with one line on a truncated download of a new commit, keeping the previous data', async () => {
    server = await startDatasetServer({ bytes: linksParquet(testArchiveRows()) });
    const dir = tempWorkdir('am-pwc-');
    expect((await runCli(['collect', '--sources', 'paperswithcode', '--as-of', '2026-01-10'], { cwd: dir, env: server.env() })).code).toBe(
      0,
    );
    const stored = count(dir);
    server.configure({ bytes: linksParquet(testArchiveRows().slice(1)), fault: 'truncated' });
    const broken = await runCli(['run', '--sources', 'paperswithcode', '--as-of', '2026-01-11'], { cwd: dir, env: server.env() });
    expect(broken.code).toBe(1);
    const errors = broken.stderr.split('\n').filter((l) => l.startsWith('error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /\[collector:paperswithcode\] data\/train-00000-of-00001\.parquet of .* is unusable: got \d+ bytes where the dataset lists \d+/,
    );
    expect(count(dir)).toBe(stored);
    expect(JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8')).paperswithcode.observed_at).toBe('2026-01-10');
  });

  it('a re-uploaded, broken archive (a new commit, 3,000 links → 12) is held back: exit 1, the reports keep the previous snapshot', async () => {
    server = await startDatasetServer({ bytes: linksParquet(syntheticLinks(3000, 7), { rowGroupSize: 700 }) });
    const dir = tempWorkdir('am-pwc-');
    const run = (asOf: string) => runCli(['run', '--sources', 'paperswithcode', '--as-of', asOf], { cwd: dir, env: server!.env() });
    const report = () => JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8')).paperswithcode;
    expect((await run('2026-01-10')).code).toBe(0);
    // A new commit that adds a few links is no collapse.
    server.configure({ bytes: linksParquet(syntheticLinks(3030, 7)) });
    const grown = await run('2026-01-10');
    expect(grown.code, grown.stderr).toBe(0);
    expect(grown.stderr).not.toMatch(/held back|missing from this one/);
    const before = report();

    server.configure({ bytes: linksParquet(syntheticLinks(3000, 7).slice(0, 12)) });
    const broken = await run('2026-01-11');
    expect(broken.code, broken.stderr).toBe(1);
    const errors = broken.stderr.split('\n').filter((l) => l.startsWith('error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^error paperswithcode: \d+ value\(s\) fell by more than half since the last good run and are held back as suspect \(\w+ \w+ \d{4}-Q\d: \d+ → \d+;.*\); \d+ other value\(s\) of the same answer\(s\) are held back with them; reports keep the last good values/,
    );
    expect(broken.stderr).toMatch(
      /warn {2}paperswithcode: \d+ quarter\(s\) of the previous snapshot are missing from this one; counted as 0 papers/,
    );
    // The whole previous snapshot, not a mixture of two.
    expect(report()).toMatchObject({ observed_at: '2026-01-10', quarters: before.quarters, points: before.points });

    // The next run downloads the held commit again (it is not the last good one) and holds it again.
    server.reset();
    const again = await run('2026-01-11');
    expect(again.code, again.stderr).toBe(1);
    expect(server.requests.some((r) => r.url.startsWith('/cdn/'))).toBe(true);
    expect(report().observed_at).toBe('2026-01-10');
  });

  it('an archive with no rows is a problem (exit 1) that stores nothing, every run until it changes', async () => {
    server = await startDatasetServer({ bytes: linksParquet(testArchiveRows()) });
    const dir = tempWorkdir('am-pwc-');
    const run = (asOf: string) => runCli(['run', '--sources', 'paperswithcode', '--as-of', asOf], { cwd: dir, env: server!.env() });
    expect((await run('2026-01-10')).code).toBe(0);
    const stored = count(dir);
    server.configure({ bytes: linksParquet([]) });
    for (const asOf of ['2026-01-11', '2026-01-12']) {
      const empty = await run(asOf);
      expect(empty.code, empty.stderr).toBe(1);
      expect(empty.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([
        expect.stringMatching(
          /^error paperswithcode: data\/train-00000-of-00001\.parquet of pwc-archive\/links-between-paper-and-code at [0-9a-f]{12} holds no rows; nothing was stored, and the reports keep the previous snapshot/,
        ),
      ]);
      expect(count(dir)).toBe(stored);
      expect(JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8')).paperswithcode.observed_at).toBe('2026-01-10');
    }
    // On a database with no snapshot yet, it says so instead of promising one.
    const fresh = await runCli(['run', '--sources', 'paperswithcode', '--as-of', '2026-01-12'], {
      cwd: tempWorkdir('am-pwc-'),
      env: server.env(),
    });
    expect(fresh.code, fresh.stderr).toBe(1);
    expect(fresh.stderr).toMatch(
      /^error paperswithcode: .* holds no rows; nothing was stored, and no snapshot is stored yet \(check the dataset on the Hub\)$/m,
    );
  });
});
