import type { SeriesSpec } from '../../src/analyze/series.js';
import { performance } from 'node:perf_hooks';
import { type CollectContext, type CollectSummary, defineCollector, type Env } from '../../src/core/collector.js';
import { CollectorError, errorLine } from '../../src/core/errors.js';
import type { Observation, StoredObservation } from '../../src/core/observation.js';
import { DEADLINE_CODE, HostGivenUpError, HttpError } from '../../src/http/errors.js';
import type { RateLimitPolicy } from '../../src/http/types.js';
import { HF_ENV, hfCredentials, hfEndpoint, hfToken } from '../huggingface/index.js';
import { HUB_REDIRECTS, repoIdOf } from '../huggingface/redirects.js';
import {
  ARCHIVE_END,
  DEFAULT_FRAMEWORK_PARTS,
  PWC_ID,
  type PwcFrameworkPart,
  type PwcSourcePart,
  parseFrameworkPart,
  parseSourcePart,
} from './config.js';
import { createLinkCounter, type LeftOutReason, type LinkCounts, type QuarterCounts } from './count-links.js';
import { parseDatasetEntry } from './dataset-api.js';
import { archiveSeries, type Provenance, parseProvenance, provenanceQuery, resolveUrl, sameProvenance } from './provenance.js';
import { readLinks } from './read-links.js';
import { ALL_SUBJECT, comparisonLabel, METRICS, PWC_METHOD, pwcSeries } from './series.js';
import { vanishedQuarters } from './vanished-quarters.js';
import { fileProblem } from './verify-file.js';

export { PWC_ID, type PwcFrameworkPart, type PwcSourcePart } from './config.js';

/** Stored with every observation; bump it when the way a number is counted changes. */
export const PWC_VERSION = '1.0.0';

/** A file larger than this is refused when the API lists no size (the archive's is about 30 MB). */
export const MAX_FILE_BYTES = 512 * 2 ** 20;
/**
 * The download has one deadline for all its attempts, waits and redirects: a minute, plus the time its listed
 * size takes at the slowest rate worth waiting for (5 min for the 30 MB archive), at most 10 minutes, in at
 * most 3 attempts. A slow CDN used to cost each of 6 attempts that long: about 30 minutes.
 */
const SLOWEST_BYTES_PER_SECOND = 128 * 1024;
export const MAX_DOWNLOAD_MS = 10 * 60_000;
export const DOWNLOAD_ATTEMPTS = 3;

/** The download's deadline for a file of at most `maxBytes`. */
export function downloadDeadlineMs(maxBytes: number): number {
  return Math.min(MAX_DOWNLOAD_MS, 60_000 + Math.ceil(maxBytes / SLOWEST_BYTES_PER_SECOND) * 1000);
}

/**
 * Two requests at most per run, to the Hub: its API bucket (500 per 5 minutes anonymously, 1,000 with a
 * token; hub-docs rate-limits.md, September 2025) covers the dataset's entry, the "Resolvers" bucket the
 * download. One at a time.
 */
export function pwcRateLimit(env: Env): RateLimitPolicy {
  return { maxRequests: hfToken(env) ? 1000 : 500, windowMs: 300_000, concurrency: 1, minSpacingMs: 10 };
}

export const paperswithcode = defineCollector<PwcFrameworkPart, PwcSourcePart, SeriesSpec>({
  id: PWC_ID,
  version: PWC_VERSION,
  description: 'Papers with Code (its archive on the Hugging Face Hub): papers and repositories per quarter and framework',
  // The Hub collector's variables and token: the archive lives on the same host.
  env: HF_ENV,
  baseUrl: hfEndpoint,
  rateLimit: pwcRateLimit,
  credentials: hfCredentials,
  parseFrameworkPart,
  parseSourcePart,
  defaultFrameworkParts: DEFAULT_FRAMEWORK_PARTS,
  series: pwcSeries,
  collect,
});

/** The month papers are counted through: the as-of month, or the archive's last when that is earlier. */
export function throughMonth(asOf: string): string {
  return (asOf < ARCHIVE_END ? asOf : ARCHIVE_END).slice(0, 7);
}

/** The provenance of the newest stored snapshot (the last successful run), if any. */
function lastProvenance(rows: readonly StoredObservation[]): { provenance: Provenance; observedAt: string } | undefined {
  const newest = [...rows].sort((a, b) => b.observedAt.localeCompare(a.observedAt) || b.runId - a.runId || b.id - a.id)[0];
  const provenance = newest && parseProvenance(newest.query);
  return provenance && newest ? { provenance, observedAt: newest.observedAt } : undefined;
}

async function collect(ctx: CollectContext<PwcFrameworkPart, PwcSourcePart>): Promise<CollectSummary> {
  const { file } = ctx.source;
  const endpoint = hfEndpoint(ctx.env);
  const warnings: string[] = [];
  const fail = (message: string, cause?: unknown): never => {
    throw new CollectorError(PWC_ID, ctx.http.redact(message), { cause });
  };
  const ask = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (err) {
      if (ctx.signal?.aborted || err instanceof HostGivenUpError) throw err;
      return fail(refusal(err, what, { dataset: ctx.source.dataset, endpoint, token: hfToken(ctx.env) !== undefined }), err);
    }
  };

  // 1. The dataset's entry: its commit and file list (one small request, every run). The Hub redirects an id
  //    in another case, or a renamed dataset, to its current id: followed, and the current id is the one counted
  //    and stored.
  const api = `${endpoint}/api/datasets/${ctx.source.dataset}?blobs=true`;
  const answer = await ask(`dataset ${ctx.source.dataset}`, () => ctx.http.get(api, { redirects: HUB_REDIRECTS }));
  let entry: ReturnType<typeof parseDatasetEntry>;
  try {
    entry = parseDatasetEntry(answer.body, file);
  } catch (err) {
    return fail(`dataset ${ctx.source.dataset}: ${errorLine(err)}`);
  }
  const dataset = entry.id ?? repoIdOf(answer.finalUrl, 'datasets') ?? ctx.source.dataset;
  if (dataset !== ctx.source.dataset) {
    warnings.push(
      `the Hub answers dataset ${ctx.source.dataset} as ${dataset} (another case, or renamed); counted and stored as ${dataset}: set ${PWC_ID}.dataset to "${dataset}"`,
    );
  }
  const wanted: Provenance = { dataset, sha: entry.sha, file, through: throughMonth(ctx.asOf) };

  // 2. The archive is frozen: a commit already counted (through the same month) is not downloaded again.
  // Nothing is stored until the end of this run: one read serves every look at the previous snapshot.
  const previous = await ctx.history.latest({ metric: METRICS.papersAll });
  const last = lastProvenance(previous);
  if (!ctx.full && last && sameProvenance(last.provenance, wanted)) {
    ctx.log.info(
      `${PWC_ID}: ${dataset} unchanged at ${entry.sha.slice(0, 12)} since ${last.observedAt} (counted through ${wanted.through}); nothing to download or store`,
    );
    return { stored: 0, problems: [], warnings };
  }

  // 3. Download, verify, read.
  const url = resolveUrl(endpoint, wanted);
  const maxBytes = entry.file?.size ?? MAX_FILE_BYTES;
  const deadlineMs = downloadDeadlineMs(maxBytes);
  ctx.log.info(
    `${PWC_ID}: downloading ${file} of ${dataset} at ${entry.sha.slice(0, 12)}${entry.file?.size ? ` (${entry.file.size} bytes)` : ''}`,
  );
  const started = performance.now();
  const download = await ask(`${file}`, () =>
    ctx.http.get(url, { as: 'bytes', maxBytes, deadlineMs, attempts: DOWNLOAD_ATTEMPTS, redirects: HUB_REDIRECTS }),
  );
  const bytes = download.bytes ?? fail(`${file}: the answer held no file (a text answer where a parquet file was expected)`);
  const problem = fileProblem(bytes, entry.file ?? {});
  if (problem) fail(`${file} of ${dataset} at ${entry.sha.slice(0, 12)} is unusable: ${problem}; nothing was stored, try again later`);

  const names = ctx.frameworks.map((f) => f.name);
  const counter = createLinkCounter({
    frameworks: ctx.frameworks.map((f) => f.part.framework),
    comparisons: ctx.source.comparisons.map((c) => c.map((name) => names.indexOf(name))),
    throughMonth: wanted.through,
    latestMonth: ctx.today.slice(0, 7),
  });
  let read: Awaited<ReturnType<typeof readLinks>>;
  try {
    read = await readLinks(bytes, counter.add);
  } catch (err) {
    return fail(`${file} of ${dataset} at ${entry.sha.slice(0, 12)} cannot be read: ${errorLine(err)}; nothing was stored`, err);
  }
  ctx.signal?.throwIfAborted();
  if (read.rows === 0) {
    // Never a snapshot: reports keep the previous one (if any), and the next run looks at the archive again.
    const kept = previous.length > 0 ? 'the reports keep the previous snapshot' : 'no snapshot is stored yet';
    const problem = `${file} of ${dataset} at ${entry.sha.slice(0, 12)} holds no rows; nothing was stored, and ${kept} (check the dataset on the Hub)`;
    return { stored: 0, problems: [ctx.http.redact(problem)], warnings: [] };
  }
  const counts = counter.result();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  // 4. Every count of the snapshot in one batch: stored together or not at all (and held back together when
  // part of it collapsed). A quarter the previous snapshot had and this one lacks is counted 0, a fall.
  const vanished = vanishedQuarters({
    counted: counts.quarters,
    stored: previous,
    wanted,
    asOf: ctx.asOf,
    blank: () => emptyQuarter(ctx.frameworks.length, ctx.source.comparisons.length),
  });
  if (vanished.size > 0) {
    ctx.log.warn(`${PWC_ID}: ${vanished.size} quarter(s) of the previous snapshot are missing from this one; counted as 0 papers`);
  }
  const quarters = new Map([...counts.quarters, ...vanished].sort(([a], [b]) => a.localeCompare(b)));
  const observations = toObservations({ ...counts, quarters }, ctx, wanted, provenanceQuery(endpoint, wanted));
  await ctx.emit(observations);
  const leftOut = Object.values(counts.leftOut).reduce((a, b) => a + b, 0);
  ctx.log.info(
    `${PWC_ID}: ${read.rows} links in ${read.rowGroups} row group(s), ${counts.quarters.size} quarters through ${wanted.through}, ${leftOut} papers left out (${describeLeftOut(counts.leftOut)}); ${seconds} s`,
  );
  if (counts.unusableLinks > 0) warnings.push(`${counts.unusableLinks} link(s) without a paper_url or repo_url were skipped`);
  if (counts.conflicts > 0)
    warnings.push(`${counts.conflicts} link(s) gave their paper another arXiv quarter than its earliest; the earliest was kept`);
  return { stored: observations.length, problems: [], warnings };
}

/**
 * One line for a failed request, saying what to check. Without a token the Hub answers a dataset that does not
 * exist as it answers a private one: HTTP 401 `{"error":"Invalid username or password."}` (genuine answers,
 * issue 19), which would talk about a password the user never set.
 */
function refusal(err: unknown, what: string, about: { dataset: string; endpoint: string; token: boolean }): string {
  const line = `${what}: ${errorLine(err)}`;
  if (!(err instanceof HttpError)) return line;
  const { status, code } = err.details;
  if (status === 401 && !about.token) {
    return `${what}: dataset ${about.dataset} does not exist on ${about.endpoint}, or is private (the Hub answered HTTP 401 to a request without a token): check ${PWC_ID}.dataset, or set HF_TOKEN for a private one`;
  }
  if (status === 401) return `${line}; the Hub refused HF_TOKEN: check the token, and ${PWC_ID}.dataset`;
  if (status === 404) return `${line}; check ${PWC_ID}.dataset/${PWC_ID}.file and HF_ENDPOINT`;
  if (code === DEADLINE_CODE) return `${line}; nothing was stored, the previous snapshot stays`;
  return line;
}

function describeLeftOut(leftOut: Record<LeftOutReason, number>): string {
  return Object.entries(leftOut)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
}

function emptyQuarter(frameworks: number, comparisons: number): QuarterCounts {
  return {
    papers: new Array(frameworks).fill(0),
    repos: new Array(frameworks).fill(0),
    papersAll: 0,
    reposAll: 0,
    unions: new Array(comparisons).fill(0),
  };
}

function toObservations(
  counts: LinkCounts,
  ctx: CollectContext<PwcFrameworkPart, PwcSourcePart>,
  wanted: Provenance,
  query: string,
): Observation[] {
  const base = { source: PWC_ID, method: PWC_METHOD, observedAt: ctx.asOf, query: ctx.http.redact(query), collectorVersion: PWC_VERSION };
  const out: Observation[] = [];
  for (const [quarter, c] of counts.quarters) {
    const at = { ...base, period: quarter, seriesKey: archiveSeries(wanted, false) };
    ctx.frameworks.forEach((f, i) => {
      out.push({ ...at, metric: METRICS.papers, subject: f.name, value: c.papers[i]! });
      out.push({ ...at, metric: METRICS.repos, subject: f.name, value: c.repos[i]! });
    });
    out.push({ ...at, metric: METRICS.papersAll, subject: ALL_SUBJECT, value: c.papersAll });
    out.push({ ...at, metric: METRICS.reposAll, subject: ALL_SUBJECT, value: c.reposAll });
    ctx.source.comparisons.forEach((names, i) => {
      out.push({ ...at, metric: METRICS.union, subject: comparisonLabel(names), value: c.unions[i]! });
    });
  }
  for (const [reason, value] of Object.entries(counts.leftOut)) {
    out.push({ ...base, period: ctx.asOf, metric: METRICS.leftOut, subject: reason, value, seriesKey: archiveSeries(wanted, true) });
  }
  return out;
}
