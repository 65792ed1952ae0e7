/**
 * Re-records fixtures/demo-replay, the bundled replay behind `npm start`:
 *
 *   npm run record-demo                     # every source
 *   npm run record-demo -- paperswithcode   # only the sources named; the others' files stay byte-identical
 *
 * It starts the local Hub, OpenAlex, ESearch, Hub-dataset and ClickPy stand-ins from tests/helpers (the real
 * response shapes, see fixtures/<source>/README.md), then runs the real CLI with `collect --record
 * fixtures/demo-replay --as-of 2024-07-20` and the built-in configuration (`--hf-method both` for the Hub): once for
 * the Hub, OpenAlex and PubMed, once for Papers with Code, whose archive lives under the same HF_ENDPOINT as the
 * Hub's models, and once for PyPI, whose stand-in runs the SQL on a real ClickHouse engine (chdb: `npm run
 * test:setup` first).
 *
 * The Hub holds the article's totals (185,382 models tagged pytorch, 17,642 tf, 4,833 both) under synthetic
 * ids; their creation months are ILLUSTRATIVE, spread below (the article gives totals only). The PubMed and
 * OpenAlex counts are ILLUSTRATIVE, generated below, and so are the Papers with Code archive (4,000 synthetic
 * links, tests/helpers/pwc-archive.ts) and the PyPI downloads per day (ILLUSTRATIVE_DOWNLOADS): they are not
 * PubMed's, OpenAlex's, Papers with Code's or PyPI's data and must never be quoted as such. fixtures/demo-replay/README.md and NOTICE say the same to anyone who opens the folder or runs the demo.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JAX_TERM as OPENALEX_JAX_TERM, KERAS_TERM as OPENALEX_KERAS_TERM } from '../collectors/openalex/config.js';
import { JAX_TERM } from '../collectors/pubmed/config.js';
import { startDatasetServer } from '../tests/helpers/dataset-server.js';
import { startEsearchServer, type ParsedTerm, type ParsedTotal } from '../tests/helpers/esearch-server.js';
import { monthlyModels, startHfServer } from '../tests/helpers/hf-server.js';
import { startOpenAlexServer } from '../tests/helpers/openalex-server.js';
import { linksParquet, syntheticLinks } from '../tests/helpers/pwc-archive.js';
import { startClickPyServer } from '../tests/helpers/clickpy-server.js';
import { madeUpRows, type ProjectShape } from '../tests/helpers/pypi-rows.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DEMO_DIR = join(ROOT, 'fixtures/demo-replay');
const AS_OF = '2024-07-20';
/** The sources recorded, and which run records each (the Hub's and the archive's stand-ins need HF_ENDPOINT each). */
const SOURCES = ['huggingface', 'openalex', 'pubmed', 'paperswithcode', 'pypi'] as const;
type Source = (typeof SOURCES)[number];
/** Illustrative Papers with Code links: synthetic, 2016 to July 2025, PyTorch taking over. */
const ILLUSTRATIVE_LINKS = 4_000;

/**
 * The article's Hub counts as exclusive segments (shared/reference/article-pytorch-vs-tensorflow.txt: 185,382
 * tagged pytorch, 17,642 tf, 4,833 both), each with an ILLUSTRATIVE undated block (repos older than the Hub's
 * creation dates) and month weights for the rest, 2022-03 to the as-of month: PyTorch-only creations growing,
 * TensorFlow-only and both shrinking. Plausible shapes, NOT the Hub's history.
 */
const DEMO_HF_SEGMENTS = [
  { tags: ['pytorch', 'transformers'], total: 180_549, undated: 28_000, weight: (m: number) => 1 + 0.08 * m },
  { tags: ['tf', 'transformers'], total: 12_809, undated: 5_200, weight: (m: number) => Math.max(0.2, 1 - 0.03 * m) },
  { tags: ['pytorch', 'tf', 'transformers'], total: 4_833, undated: 2_900, weight: (m: number) => Math.max(0.2, 1 - 0.025 * m) },
];
const FIRST_DATED_MONTH = '2022-03';

/** `YYYY-MM` of every month from `from` to the as-of month. */
function monthsUpTo(from: string, asOf: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (let label = from; label <= asOf.slice(0, 7); label = `${year}-${String(month).padStart(2, '0')}`) {
    months.push(label);
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  return months;
}

/** `total` split by `weights`, whole numbers, largest remainders first: sums exactly to `total`. */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const left = total - counts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < left; k++) counts[order[k]![1]]! += 1;
  return counts;
}

/** The demo Hub's models: the article's segments, created in the illustrative months (the as-of month only up to its day). */
function demoHubModels() {
  const months = monthsUpTo(FIRST_DATED_MONTH, AS_OF);
  const asOfDay = Number(AS_OF.slice(8, 10));
  return monthlyModels(
    DEMO_HF_SEGMENTS.map((segment) => {
      // The as-of month has run for asOfDay days of about 30.
      const weights = months.map((month, m) => segment.weight(m) * (month === AS_OF.slice(0, 7) ? asOfDay / 30 : 1));
      const counts = apportion(segment.total - segment.undated, weights);
      return {
        tags: segment.tags,
        months: { undated: segment.undated, ...Object.fromEntries(months.map((month, m) => [month, counts[m]!])) },
      };
    }),
    { lastDay: { [AS_OF.slice(0, 7)]: asOfDay } },
  );
}

/**
 * Illustrative papers per publication year as they would stand once complete: round numbers with the shape of
 * the article's chart (TensorFlow and Keras early, PyTorch overtaking), NOT PubMed data.
 */
const ILLUSTRATIVE_PAPERS: Record<string, Record<number, number>> = {
  pytorch: { 2015: 0, 2016: 2, 2017: 12, 2018: 45, 2019: 130, 2020: 300, 2021: 560, 2022: 830, 2023: 1100, 2024: 1300 },
  tensorflow: { 2015: 3, 2016: 40, 2017: 130, 2018: 290, 2019: 470, 2020: 620, 2021: 700, 2022: 720, 2023: 680, 2024: 640 },
  keras: { 2015: 1, 2016: 15, 2017: 80, 2018: 240, 2019: 430, 2020: 620, 2021: 740, 2022: 780, 2023: 730, 2024: 690 },
  [JAX_TERM]: { 2015: 0, 2016: 0, 2017: 0, 2018: 1, 2019: 2, 2020: 5, 2021: 9, 2022: 14, 2023: 20, 2024: 26 },
};
/**
 * Illustrative totals of all PubMed records per publication year (the denominators of per_million), once
 * complete: round numbers, NOT PubMed data.
 */
const ILLUSTRATIVE_ALL_RECORDS: Record<number, number> = {
  2015: 1_100_000,
  2016: 1_150_000,
  2017: 1_200_000,
  2018: 1_250_000,
  2019: 1_300_000,
  2020: 1_450_000,
  2021: 1_550_000,
  2022: 1_550_000,
  2023: 1_600_000,
  2024: 1_650_000,
};
/**
 * Illustrative share of a year's papers whose PubMed record exists by a given day of that year: nothing for
 * the first 45 days (indexing lag), then linear, 88 % by 31 December; the rest arrives the next year.
 */
function illustrativeShareCreatedBy(date: string): number {
  const [y, m, d] = date.split('/').map(Number) as [number, number, number];
  const dayOfYear = (Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 0)) / 86_400_000;
  return Math.max(0, (dayOfYear - 45) / 365);
}

/** What the ESearch stand-in answers: the as-of state for `[crdt]` ≤ 2024/07/20, the share created by earlier cutoffs. */
function illustrativeCount(term: ParsedTerm | ParsedTotal | undefined): number | undefined {
  if (!term) return undefined;
  const final = 'keyword' in term ? (ILLUSTRATIVE_PAPERS[term.keyword]?.[term.year] ?? 0) : (ILLUSTRATIVE_ALL_RECORDS[term.year] ?? 0);
  const cutoff = term.createdBy ?? '2024/07/20';
  // Years before the as-of year are complete by 2024-07-20 (illustrative simplification).
  if (cutoff === '2024/07/20' && term.year < 2024) return final;
  return Math.round(final * illustrativeShareCreatedBy(cutoff));
}

/**
 * Illustrative OpenAlex works per publication year (every discipline, title, abstract and full text), once
 * complete: round numbers larger than PubMed's, NOT OpenAlex data. Keyed by the built-in search terms.
 */
const ILLUSTRATIVE_WORKS: Record<string, Record<number, number>> = {
  pytorch: { 2015: 0, 2016: 40, 2017: 600, 2018: 2_500, 2019: 6_000, 2020: 11_000, 2021: 17_000, 2022: 23_000, 2023: 29_000, 2024: 33_000 },
  tensorflow: {
    2015: 150,
    2016: 1_800,
    2017: 5_000,
    2018: 9_000,
    2019: 12_000,
    2020: 14_000,
    2021: 15_000,
    2022: 15_000,
    2023: 14_000,
    2024: 13_000,
  },
  [OPENALEX_KERAS_TERM]: {
    2015: 20,
    2016: 500,
    2017: 2_200,
    2018: 5_000,
    2019: 8_000,
    2020: 10_000,
    2021: 11_000,
    2022: 11_500,
    2023: 11_000,
    2024: 10_500,
  },
  [OPENALEX_JAX_TERM]: { 2015: 0, 2016: 0, 2017: 0, 2018: 30, 2019: 120, 2020: 350, 2021: 700, 2022: 1_100, 2023: 1_600, 2024: 2_100 },
};
/** Illustrative OpenAlex works of all disciplines per publication year (the denominator of per_million). */
const ILLUSTRATIVE_ALL_WORKS: Record<number, number> = {
  2015: 7_000_000,
  2016: 7_200_000,
  2017: 7_500_000,
  2018: 7_800_000,
  2019: 8_200_000,
  2020: 8_800_000,
  2021: 9_000_000,
  2022: 9_100_000,
  2023: 9_300_000,
  2024: 9_500_000,
};
/** Illustrative share of 2024's works OpenAlex holds by 20 July 2024 (the recording's as-of day). */
const OPENALEX_SHARE_BY_AS_OF = 0.45;

function illustrativeWorks(search: string | undefined, year: number): number {
  const final = search === undefined ? (ILLUSTRATIVE_ALL_WORKS[year] ?? 0) : (ILLUSTRATIVE_WORKS[search]?.[year] ?? 0);
  return year === 2024 ? Math.round(final * OPENALEX_SHARE_BY_AS_OF) : final;
}

/**
 * Illustrative PyPI downloads per day of the built-in frameworks' packages, 2016 to two days before the as-of date
 * (ClickPy's data lags): plausible shapes (TensorFlow and Keras early, PyTorch from 2017 overtaking, JAX from
 * late 2018), a weekly rhythm and a small wobble. NOT PyPI's numbers.
 */
const ILLUSTRATIVE_DOWNLOADS: readonly ProjectShape[] = [
  { project: 'tensorflow', from: '2016-01-01', level: 12_000, growth: 1.2, bend: { at: '2021-01-01', growth: -0.05 } },
  { project: 'keras', from: '2016-01-01', level: 4_000, growth: 1.0, bend: { at: '2021-06-01', growth: 0.05 } },
  { project: 'torch', from: '2017-01-19', level: 3_000, growth: 1.5, bend: { at: '2022-01-01', growth: 0.45 } },
  { project: 'jax', from: '2018-12-10', level: 500, growth: 1.6 },
];
/** The illustrative table's last day: ClickPy's data lags a day or two. */
const PYPI_DATA_END = '2024-07-18';

/** `npm run record-demo -- a,b` or `-- a b`: the sources to record; none named: all. */
function selectedSources(): Source[] {
  const named = process.argv
    .slice(2)
    .flatMap((a) => a.split(','))
    .filter(Boolean);
  for (const name of named) {
    if (!(SOURCES as readonly string[]).includes(name)) throw new Error(`unknown source ${name}; known: ${SOURCES.join(', ')}`);
  }
  return named.length === 0 ? [...SOURCES] : (named as Source[]);
}

/** `collect --record DEMO_DIR` for `sources` in a fresh database; fails unless every request was answered. */
function record(sources: readonly Source[], env: Record<string, string>, extra: readonly string[], work: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'dist/cli.js'),
        'collect',
        '--sources',
        sources.join(','),
        '--record',
        DEMO_DIR,
        '--as-of',
        AS_OF,
        ...extra,
        '--db',
        join(work, `${sources.join('-')}.sqlite`),
      ],
      { cwd: work, stdio: ['ignore', 'inherit', 'inherit'], env: { PATH: process.env.PATH ?? '', ...env } },
    );
    child.once('error', fail);
    child.once('close', (code) =>
      code === 0
        ? done()
        : fail(new Error(`recording ${sources.join(', ')} failed (exit ${code}); fixtures/demo-replay is incomplete, run again`)),
    );
  });
}

async function main(): Promise<void> {
  const sources = selectedSources();
  const work = mkdtempSync(join(tmpdir(), 'am-record-demo-'));
  mkdirSync(DEMO_DIR, { recursive: true });
  // Only the folders being recorded are replaced; README.md, NOTICE and the other sources stay as they are.
  for (const source of sources) rmSync(join(DEMO_DIR, source), { recursive: true, force: true });
  try {
    const hfAndPubmed = sources.filter((s) => s !== 'paperswithcode' && s !== 'pypi');
    if (hfAndPubmed.length > 0) {
      const hub = await startHfServer({ models: demoHubModels() });
      const ncbi = await startEsearchServer({ count: (term, req) => illustrativeCount(term ?? req.total) });
      const openAlex = await startOpenAlexServer({ count: (search, year) => illustrativeWorks(search, year) });
      try {
        // Placeholder keys: NCBI's faster pacing, and OpenAlex's required key, against the stand-ins; keys never
        // reach the archive.
        await record(
          hfAndPubmed,
          {
            HF_ENDPOINT: hub.url,
            NCBI_API_KEY: 'demo-recording-placeholder',
            ...(ncbi.env() as Record<string, string>),
            ...(openAlex.env({ OPENALEX_API_KEY: 'demo-recording-placeholder' }) as Record<string, string>),
          },
          hfAndPubmed.includes('huggingface') ? ['--hf-method', 'both'] : [],
          work,
        );
        process.stderr.write(
          `recorded ${hub.requestCount} Hub, ${openAlex.requests.length} OpenAlex and ${ncbi.requests.length} ESearch responses into ${DEMO_DIR}\n`,
        );
      } finally {
        await hub.close();
        await ncbi.close();
        await openAlex.close();
      }
    }
    if (sources.includes('paperswithcode')) {
      const archive = await startDatasetServer({ bytes: linksParquet(syntheticLinks(ILLUSTRATIVE_LINKS, 2024), { rowGroupSize: 500 }) });
      try {
        await record(['paperswithcode'], { HF_ENDPOINT: archive.url }, [], work);
        process.stderr.write(`recorded ${archive.requests.length} Hub dataset responses into ${DEMO_DIR}\n`);
      } finally {
        await archive.close();
      }
    }
    if (sources.includes('pypi')) {
      const clickpy = await startClickPyServer({ rows: madeUpRows(ILLUSTRATIVE_DOWNLOADS, PYPI_DATA_END) });
      try {
        await record(['pypi'], clickpy.env() as Record<string, string>, [], work);
        process.stderr.write(`recorded ${clickpy.requests.length} ClickPy response(s) into ${DEMO_DIR}\n`);
      } finally {
        await clickpy.close();
      }
    }
    for (const source of sources) if (!existsSync(join(DEMO_DIR, source))) throw new Error(`recording wrote no ${source} archive`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
