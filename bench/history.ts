/**
 * `npm run bench -- history`: `report` over ten years of daily runs of every source, generated to about a million
 * rows (bench/history-data.ts), against the newest year alone; the peak memory of `report`; and `export --format
 * parquet` of the ten years under a 256 MB heap. Every figure is a separate process, start to exit, as cron runs it.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { addDays } from '../src/core/dates.js';
import { benchConfig, type HistoryShape, writeHistory } from './history-data.js';
import { median, record, seconds, spawnCli } from './kit.js';

/** The real date: the reports run as of today, so the history ends today. */
const TODAY = new Date().toISOString().slice(0, 10);
/** Frameworks on PubMed and OpenAlex: what takes ten years of daily runs to about a million rows. */
const FRAMEWORKS = 42;
/** Alternating pairs of runs (ten years, then the year): the ratio is the median of the pairs' ratios. */
const RUNS = 9;
const PEAK_RSS = pathToFileURL(resolve(import.meta.dirname, 'peak-rss.js')).href;

interface Timed {
  /** Wall time, process start to exit. */
  ms: number;
  /** CPU time of the process (user + system). */
  cpuMs: number;
  peakMb: number;
}

async function timed(args: string[], dir: string, nodeArgs: string[] = []): Promise<Timed> {
  const usageFile = join(dir, `usage-${process.hrtime.bigint()}`);
  const started = performance.now();
  await spawnCli(args, dir, { BENCH_PEAK_RSS: usageFile }, ['--import', PEAK_RSS, ...nodeArgs]);
  const ms = performance.now() - started;
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { rssBytes: number; cpuMicros: number };
  rmSync(usageFile);
  return { ms, cpuMs: usage.cpuMicros / 1000, peakMb: usage.rssBytes / 2 ** 20 };
}

export async function historyBench(work: string): Promise<void> {
  const dir = join(work, 'history');
  mkdirSync(dir, { recursive: true });
  const from = addDays(TODAY, -3652);
  const tenYears: HistoryShape = { from, days: 3653, frameworks: FRAMEWORKS, fromYear: Number(from.slice(0, 4)) - 1 };
  // The newest year alone: the same days and counts, as if the tool had started a year ago (its first run counts
  // every year, and the Hub's first histogram is whole).
  const oneYear: HistoryShape = { ...tenYears, from: addDays(TODAY, -364), days: 365 };
  const started = performance.now();
  const rows10 = await writeHistory(join(dir, 'ten.sqlite'), tenYears);
  const rows1 = await writeHistory(join(dir, 'one.sqlite'), oneYear);
  writeFileSync(join(dir, 'adoption.config.json'), JSON.stringify(benchConfig(tenYears)));
  process.stdout.write(
    `\nhistory: daily runs of every source, ${FRAMEWORKS} frameworks on PubMed and OpenAlex, the Hub's default comparison, Papers with Code monthly until its archive ends, PyPI's built-in frameworks (generated in ${seconds(performance.now() - started)})\n` +
      `  ten years: ${rows10.toLocaleString('en-US')} rows (${tenYears.from} to ${TODAY}); the newest year alone: ${rows1.toLocaleString('en-US')} rows\n`,
  );

  // Alternating, so a machine that slows down or speeds up meanwhile weighs on both alike; a first pair not counted.
  const report = (db: string, out: string) => ['report', '--db', db, '--as-of', TODAY, '--out', out];
  const ten: Timed[] = [];
  const one: Timed[] = [];
  await timed(report('ten.sqlite', 'out-ten'), dir);
  await timed(report('one.sqlite', 'out-one'), dir);
  for (let i = 0; i < RUNS; i++) {
    ten.push(await timed(report('ten.sqlite', 'out-ten'), dir));
    one.push(await timed(report('one.sqlite', 'out-one'), dir));
  }
  const rowsShown = (out: string) =>
    readFileSync(join(dir, out, 'observations.csv'), 'utf8')
      .trimEnd()
      .split('\n').length - 1;
  const tenMs = median(ten.map((t) => t.ms));
  const oneMs = median(one.map((t) => t.ms));
  const tenCpu = median(ten.map((t) => t.cpuMs));
  const oneCpu = median(one.map((t) => t.cpuMs));
  const peak = Math.max(...ten.map((t) => t.peakMb), ...one.map((t) => t.peakMb));
  record({
    name: '`report` over ten years, process start to exit (median)',
    value: `${seconds(tenMs)} (${ten.map((t) => (t.ms / 1000).toFixed(2)).join(', ')})`,
    target: '≤ 1.5 s',
    pass: tenMs <= 1500,
  });
  record({
    name: '`report` over the newest year alone (median)',
    value: `${seconds(oneMs)} (${one.map((t) => (t.ms / 1000).toFixed(2)).join(', ')})`,
  });
  // Pair by pair: each ratio is of two runs a second apart, so a machine whose load drifts over the minute (other
  // jobs start and stop) moves both alike; the ratio of the medians is printed beside it.
  const paired = median(ten.map((t, i) => t.ms / one[i]!.ms));
  record({
    name: 'ten years ÷ one year (median of the pairs; of the medians)',
    value: `${paired.toFixed(2)}; ${(tenMs / oneMs).toFixed(2)}`,
    target: '≤ 1.3',
    pass: paired <= 1.3,
  });
  record({
    name: 'CPU time, ten years; one year (median); ÷ (pairs)',
    value: `${seconds(tenCpu)}; ${seconds(oneCpu)}; ${median(ten.map((t, i) => t.cpuMs / one[i]!.cpuMs)).toFixed(2)}`,
  });
  record({
    name: 'peak RSS of `report` (ten years; one year)',
    value: `${Math.max(...ten.map((t) => t.peakMb)).toFixed(0)} MB; ${Math.max(...one.map((t) => t.peakMb)).toFixed(0)} MB`,
    target: '≤ 300 MB',
    pass: peak <= 300,
  });
  record({
    name: 'rows behind the figures (observations.csv): ten years; one',
    value: `${rowsShown('out-ten').toLocaleString('en-US')}; ${rowsShown('out-one').toLocaleString('en-US')}`,
  });

  const parquet = await timed(['export', '--db', 'ten.sqlite', '--format', 'parquet', '--out', 'history.parquet'], dir, [
    '--max-old-space-size=256',
  ]);
  record({
    name: '`export --format parquet` of ten years, heap capped at 256 MB',
    value: `${seconds(parquet.ms)}, peak RSS ${parquet.peakMb.toFixed(0)} MB, ${(statSync(join(dir, 'history.parquet')).size / 2 ** 20).toFixed(1)} MiB`,
    target: '< 30 s',
    pass: parquet.ms < 30_000,
  });
  const csv = await timed(['export', '--db', 'ten.sqlite', '--out', 'history.csv'], dir, ['--max-old-space-size=256']);
  record({
    name: '`export` of ten years as CSV, same heap',
    value: `${seconds(csv.ms)}, peak RSS ${csv.peakMb.toFixed(0)} MB, ${(statSync(join(dir, 'history.csv')).size / 2 ** 20).toFixed(0)} MiB`,
  });
}
