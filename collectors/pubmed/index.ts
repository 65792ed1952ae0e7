import type { SeriesSpec } from '../../src/analyze/series.js';
import pLimit from 'p-limit';
import { defineCollector, type CollectContext, type CollectSummary, type Env } from '../../src/core/collector.js';
import { clip, CollectorError, errorLine } from '../../src/core/errors.js';
import type { Observation } from '../../src/core/observation.js';
import { yearSpan } from '../../src/core/dates.js';
import type { RateLimitPolicy } from '../../src/http/types.js';
import {
  DEFAULT_FRAMEWORK_PARTS,
  parseFrameworkPart,
  parseSourcePart,
  PUBMED_ID,
  type PubmedFrameworkPart,
  type PubmedSourcePart,
} from './config.js';
import {
  DEFAULT_EUTILS_URL,
  envValue,
  esearchUrl,
  eutilsBaseUrl,
  fatalKind,
  esearchRequestOptions,
  INVALID_KEY_MESSAGE,
  parseEsearchResponse,
  publicationYearProblem,
  type EsearchAnswer,
} from './esearch.js';
import { METHOD, PAPERS_ALL } from './names.js';
import { type PlannedFramework, type PlannedQuery, planQueries } from './plan.js';
import { pubmedSeries } from './series.js';

/** Stored with every observation; bump when the counting changes (term shape, date field, bounds). */
// 1.1.0: completeness counts are stored per cutoff date (period YYYY-MM-DD) instead of per as-of date.
export const PUBMED_VERSION = '1.1.0';

/**
 * NCBI: "post no more than three URL requests per second" without a key, 10 with one (NBK25497,
 * https://www.ncbi.nlm.nih.gov/books/NBK25497/; NLM KA-05317). The limit is per IP over all E-utilities.
 * Spacing sits a little above 1000/3 ms: Biopython found 0.3333 s "sometimes hit the NCBI rate limit" and
 * uses 0.37 s / 0.1 s (pubmed-eutils.md §5). 360 ms (108 with a key) leaves 80 ms per window for one request
 * to reach the server late (a new connection, a busy event loop) without four landing in one second; at
 * 350 ms the benchmark provoked a 429. Concurrency keeps requests in flight when an answer takes longer
 * than the spacing, so the budget is used instead of waiting for each answer in turn.
 */
export function pubmedRateLimit(env: Env): RateLimitPolicy {
  return envValue(env, 'NCBI_API_KEY')
    ? { maxRequests: 10, windowMs: 1000, minSpacingMs: 108, concurrency: 6 }
    : { maxRequests: 3, windowMs: 1000, minSpacingMs: 360, concurrency: 6 };
}

export const pubmed = defineCollector<PubmedFrameworkPart, PubmedSourcePart, SeriesSpec>({
  id: PUBMED_ID,
  version: PUBMED_VERSION,
  description: 'PubMed papers per publication year matching each framework term (NCBI E-utilities ESearch counts)',
  baseUrl: eutilsBaseUrl,
  env: [
    {
      name: 'NCBI_EUTILS_URL',
      description: 'E-utilities base URL (default https://eutils.ncbi.nlm.nih.gov/entrez/eutils)',
      endpoint: DEFAULT_EUTILS_URL,
    },
    { name: 'NCBI_API_KEY', description: 'NCBI key: 10 requests/s instead of 3', secret: true },
    { name: 'NCBI_EMAIL', description: 'contact address sent as `email`, as NCBI asks every tool to', secret: true },
    { name: 'NCBI_TOOL', description: 'sent as `tool` (default adoption-metrics)' },
  ],
  rateLimit: pubmedRateLimit,
  credentials(env) {
    // Sent as query parameters (esearch.ts), not headers; listed so every layer redacts them.
    return {
      headers: {},
      secrets: [envValue(env, 'NCBI_API_KEY'), envValue(env, 'NCBI_EMAIL')].filter((s): s is string => s !== undefined),
    };
  },
  privateParams: ['api_key', 'email'],
  // PubMed first went public in January 1996: no record was created in it before.
  since: '1996-01-01',
  parseFrameworkPart,
  parseSourcePart,
  defaultFrameworkParts: DEFAULT_FRAMEWORK_PARTS,
  series: pubmedSeries,
  collect,
});

async function collect(ctx: CollectContext<PubmedFrameworkPart, PubmedSourcePart>): Promise<CollectSummary> {
  const frameworks: PlannedFramework[] = ctx.frameworks.map((f) => ({ name: f.name, term: f.part.term }));
  const plan = planQueries({
    frameworks,
    source: ctx.source,
    asOf: ctx.asOf,
    today: ctx.today,
    full: ctx.full,
    stored: await ctx.history.latest(),
  });
  if (plan.error) throw new CollectorError(PUBMED_ID, plan.error);
  const warnings = [...plan.warnings];
  const base = eutilsBaseUrl(ctx.env);
  ctx.log.info(
    `pubmed: ${plan.queries.length} requests for ${frameworks.length} framework(s), ${yearSpan(plan.fromYear, plan.toYear)}` +
      (plan.completenessYears.length ? `, completeness for ${plan.completenessYears.join(', ')}` : '') +
      `, ${plan.queries.filter((q) => q.metric === PAPERS_ALL).length} yearly total(s) of all records` +
      (ctx.asOf < ctx.today ? `, records created by ${ctx.asOf}` : '') +
      `; ${plan.skipped} skipped (already stored with the same query${ctx.full ? '' : '; --full re-queries them'})`,
  );
  if (!envValue(ctx.env, 'NCBI_EMAIL'))
    ctx.log.debug('pubmed: NCBI_EMAIL is not set; NCBI asks every tool to send a contact address (NBK25497)');

  // Results by plan index, so problems are reported in plan order whatever order answers arrive in.
  const problems: (string | undefined)[] = [];
  const notFound = new Map<string, { framework: string; term: string; details: Set<string>; years: number[] }>();
  let stored = 0;
  let fatal: Error | undefined;
  // Requests go out concurrently and the HTTP client's limiter paces them. p-limit hands at most
  // `concurrency` of them to the client at a time, so a fatal answer (invalid key, rate limit that does not
  // clear) stops the rest instead of leaving dozens queued behind it.
  const gate = pLimit(pubmedRateLimit(ctx.env).concurrency);

  await Promise.all(
    plan.queries.map((query, index) =>
      gate(async () => {
        if (fatal || ctx.signal?.aborted) return;
        let answer: EsearchAnswer;
        try {
          const url = esearchUrl(base, query.query, ctx.env);
          const res = await ctx.http.get(url, esearchRequestOptions(url));
          answer = parseEsearchResponse(res);
        } catch (err) {
          const kind = fatalKind(err);
          if (kind) {
            fatal ??= fatalError(kind, err);
            // Requests already queued, waiting to retry or in flight end now, not after their own retries.
            ctx.http.stop();
            return;
          }
          problems[index] = `${label(query)}: ${ctx.http.redact(errorLine(err))}`;
          return;
        }
        if (answer.kind === 'not-found') {
          const entry = notFound.get(query.framework) ?? {
            framework: query.framework,
            term: query.term,
            details: new Set<string>(),
            years: [],
          };
          for (const p of answer.phrasesNotFound) entry.details.add(`phrase ${JSON.stringify(p)}`);
          for (const f of answer.fieldsNotFound) entry.details.add(`field ${JSON.stringify(f)}`);
          for (const q of answer.quotedPhrasesNotFound) entry.details.add(`quoted phrase ${JSON.stringify(q)}`);
          entry.years.push(query.year);
          notFound.set(query.framework, entry);
          return;
        }
        // The year must survive PubMed's translation, or the count is for all years (only in full answers).
        const lost = answer.translation === undefined ? undefined : publicationYearProblem(answer.translation, query.year);
        if (lost) {
          problems[index] = `${label(query)}: ${ctx.http.redact(lost)}`;
          return;
        }
        await ctx.emit([observation(ctx, query, answer.count)]);
        stored++;
      }),
    ),
  );

  if (fatal) throw fatal;
  if (ctx.signal?.aborted) throw new CollectorError(PUBMED_ID, `interrupted after storing ${stored} count(s)`);
  // In config order, whatever order the answers arrived in.
  const notFoundLines = frameworks
    .flatMap((f) => notFound.get(f.name) ?? [])
    .map(
      (e) =>
        `${e.framework}: term ${JSON.stringify(e.term)} not found in PubMed (${[...e.details].join(', ')}); ` +
        `${e.years.length} count(s) not stored, since PubMed drops what it cannot find and counts the rest of the query`,
    );
  return { stored, problems: [...notFoundLines, ...problems.filter((p): p is string => p !== undefined)], warnings };
}

function observation(ctx: CollectContext, query: PlannedQuery, value: number): Observation {
  return {
    source: PUBMED_ID,
    metric: query.metric,
    subject: query.framework,
    period: query.period,
    method: METHOD,
    value,
    observedAt: ctx.asOf,
    query: ctx.http.redact(query.query),
    collectorVersion: PUBMED_VERSION,
    ...(query.seriesKey === undefined ? {} : { seriesKey: ctx.http.redact(query.seriesKey) }),
  };
}

function label(query: PlannedQuery): string {
  return `${query.framework} ${query.period} (${query.metric}, term ${JSON.stringify(clip(query.query, 120))})`;
}

function fatalError(kind: 'invalid-key' | 'rate-limited' | 'host-down', err: unknown): CollectorError {
  if (kind === 'invalid-key') return new CollectorError(PUBMED_ID, INVALID_KEY_MESSAGE);
  if (kind === 'host-down') return new CollectorError(PUBMED_ID, errorLine(err), { cause: err });
  return new CollectorError(
    PUBMED_ID,
    `NCBI kept answering "API rate limit exceeded" after retries; stopped so the IP is not blocked. The limit is per IP over all E-utilities: is another NCBI client running here? (${errorLine(err)})`,
    { cause: err },
  );
}
