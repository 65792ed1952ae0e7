import type { SeriesSpec } from '../../src/analyze/series.js';
import { type CollectContext, type CollectSummary, defineCollector } from '../../src/core/collector.js';
import { CollectorError, clip, errorLine } from '../../src/core/errors.js';
import type { Observation } from '../../src/core/observation.js';
import { yearSpan } from '../../src/core/dates.js';
import { HostGivenUpError, HttpError } from '../../src/http/errors.js';
import { parseRetryAfter } from '../../src/http/retry.js';
import type { HttpResponse, RateLimitPolicy } from '../../src/http/types.js';
import { type Allowance, allowanceOf, errorText, GroupByError, parseYearGroups } from './answer.js';
import {
  DEFAULT_FRAMEWORK_PARTS,
  OPENALEX_ID,
  type OpenAlexFrameworkPart,
  type OpenAlexSourcePart,
  parseFrameworkPart,
  parseSourcePart,
} from './config.js';
import { CREDIT_USD, costLine, overAllowance, runCost, usd } from './cost.js';
import { METHOD, WORKS_ALL } from './names.js';
import { type PlannedRequest, planRequests } from './plan.js';
import {
  apiKey,
  DEFAULT_OPENALEX_URL,
  isAllowanceSpent,
  isSlowDown,
  OPENALEX_REQUEST_OPTIONS,
  openAlexBaseUrl,
  storedQuery,
  worksUrl,
} from './request.js';
import { openAlexSeries } from './series.js';

/** Stored with every observation; bump when the counting changes (search text, grouping, filters). */
export const OPENALEX_VERSION = '1.0.0';

/**
 * Everyone is capped at 100 requests per second (openalex.md). A refresh is one request per framework and one
 * for the totals, so there is no reason to come near it: at most 10 a second, two at a time.
 */
export const OPENALEX_RATE_LIMIT: RateLimitPolicy = { maxRequests: 10, windowMs: 1000, minSpacingMs: 100, concurrency: 2 };

const KEY_HELP = 'create a free key at https://openalex.org/settings/api';

export const openalex = defineCollector<OpenAlexFrameworkPart, OpenAlexSourcePart, SeriesSpec>({
  id: OPENALEX_ID,
  version: OPENALEX_VERSION,
  description: 'OpenAlex works (every discipline) per publication year matching each framework search, one request per framework',
  baseUrl: openAlexBaseUrl,
  env: [
    {
      name: 'OPENALEX_URL',
      description: 'OpenAlex API base URL (default https://api.openalex.org; the client calls <base>/works)',
      endpoint: DEFAULT_OPENALEX_URL,
    },
    {
      name: 'OPENALEX_API_KEY',
      description: 'OpenAlex API key, sent as `api_key`; required by OpenAlex since February 2026',
      secret: true,
      required: KEY_HELP,
    },
  ],
  rateLimit: () => OPENALEX_RATE_LIMIT,
  credentials(env) {
    // Sent as a query parameter (request.ts), not a header; listed so every layer redacts it.
    const key = apiKey(env);
    return { headers: {}, secrets: key === undefined ? [] : [key] };
  },
  privateParams: ['api_key'],
  presentOnly: 'the OpenAlex API',
  parseFrameworkPart,
  parseSourcePart,
  defaultFrameworkParts: DEFAULT_FRAMEWORK_PARTS,
  series: openAlexSeries,
  collect,
});

async function collect(ctx: CollectContext<OpenAlexFrameworkPart, OpenAlexSourcePart>): Promise<CollectSummary> {
  const key = apiKey(ctx.env);
  // A replay answers from the archive, which never holds a key.
  if (key === undefined && !ctx.http.replaying) {
    throw new CollectorError(
      OPENALEX_ID,
      `OPENALEX_API_KEY is not set; OpenAlex requires an API key since 13 February 2026: ${KEY_HELP} and set OPENALEX_API_KEY (or leave openalex out with --sources)`,
    );
  }
  const plan = planRequests({
    frameworks: ctx.frameworks.map((f) => ({ name: f.name, term: f.part.term })),
    source: ctx.source,
    asOf: ctx.asOf,
    full: ctx.full,
    stored: await ctx.history.latest(),
  });
  if (plan.error) throw new CollectorError(OPENALEX_ID, plan.error);
  const warnings = [...plan.warnings];
  const base = openAlexBaseUrl(ctx.env);
  if (ctx.http.replaying) {
    ctx.log.info(
      `${OPENALEX_ID}: replaying recorded OpenAlex answers; the counts are OpenAlex's at recording time, stored under ${ctx.asOf}`,
    );
  } else if (ctx.asOf < ctx.today) {
    ctx.log.warn(
      `${OPENALEX_ID}: OpenAlex serves only its present state; counts reflect the time of the request (${ctx.today}), not the as-of date ${ctx.asOf}, under which they are stored`,
    );
  }
  const cost = runCost(plan.requests);
  ctx.log.info(
    `${OPENALEX_ID}: ${plan.requests.length} request(s) for ${ctx.frameworks.length} framework(s) and the yearly totals, ${yearSpan(plan.fromYear, plan.toYear)}; ` +
      `${plan.skipped} series-year(s) skipped (already stored with the same query${ctx.full ? '' : '; --full asks them all'}); ` +
      `cost: ${costLine(cost)}`,
  );
  const over = overAllowance(cost);
  if (over) warnings.push(over);

  // Results by plan index, so problems are listed in plan order whatever order answers arrive in.
  const problems: (string | undefined)[] = [];
  let stored = 0;
  let answered = 0;
  let fatal: CollectorError | undefined;
  // What OpenAlex's answers said about the allowance: charged in whole credits, the least left (answers come in any order).
  let charged = 0;
  let priced = 0;
  let allowance: Allowance = {};

  const ask = async (request: PlannedRequest, index: number): Promise<void> => {
    if (fatal || ctx.signal?.aborted) return;
    let res: HttpResponse;
    let years: Map<number, number>;
    try {
      res = await ctx.http.get(worksUrl(base, request, key), OPENALEX_REQUEST_OPTIONS);
      answered++;
      const said = allowanceOf(res);
      if (said.costUsd !== undefined) {
        charged += Math.round(said.costUsd / CREDIT_USD);
        priced++;
      }
      if (said.remainingUsd !== undefined && !(said.remainingUsd > (allowance.remainingUsd ?? Number.POSITIVE_INFINITY))) {
        allowance = { ...allowance, ...said };
      }
      years = parseYearGroups(res, request.fromYear, request.toYear);
      if (request.metric === WORKS_ALL && [...years.values()].every((n) => n === 0)) {
        // OpenAlex holds hundreds of thousands of works a year: none at all is an outage's empty answer.
        fatal ??= new CollectorError(
          OPENALEX_ID,
          `OpenAlex counted no works at all in ${yearSpan(request.fromYear, request.toYear)} (an empty answer to the yearly totals, HTTP ${res.status}): that is an outage, not a count; nothing stored, try again later`,
        );
        ctx.http.stop();
        return;
      }
    } catch (err) {
      const stop = fatalError(err, stored);
      if (stop) {
        fatal ??= stop;
        // Requests still queued or waiting to retry end now: OpenAlex would refuse them too.
        ctx.http.stop();
        return;
      }
      if (fatal) return;
      problems[index] = `${label(request)}: ${ctx.http.redact(problemLine(err))}`;
      return;
    }
    // One batch per answer: every year of the range, or (above) none of them.
    await ctx.emit([...years].map(([year, value]) => observation(ctx, request, year, value)));
    stored += years.size;
  };
  // The yearly totals first: an empty one says the whole answer set is an outage's, before any count is stored.
  const indexed = plan.requests.map((request, index) => ({ request, index }));
  for (const totals of [true, false]) {
    await Promise.all(indexed.filter((r) => (r.request.metric === WORKS_ALL) === totals).map((r) => ask(r.request, r.index)));
  }

  if (fatal) throw fatal;
  if (ctx.signal?.aborted) throw new CollectorError(OPENALEX_ID, `interrupted after storing ${stored} count(s)`);
  const spent = allowanceLine(answered, priced, charged, allowance);
  if (spent) ctx.log.info(`${OPENALEX_ID}: ${spent}`);
  // What this run cost, as OpenAlex charged it where it said: another such run today would not fit.
  const runUsd = priced === answered && priced > 0 ? charged * CREDIT_USD : cost.usd;
  if (allowance.remainingUsd !== undefined && allowance.remainingUsd < runUsd) {
    warnings.push(
      `only ${usd(allowance.remainingUsd)} of today's allowance is left, less than this run's ${usd(runUsd)}: another run before it is renewed (midnight UTC) will be refused in part`,
    );
  }
  return { stored, problems: problems.filter((p): p is string => p !== undefined), warnings };
}

function observation(ctx: CollectContext, request: PlannedRequest, year: number, value: number): Observation {
  return {
    source: OPENALEX_ID,
    metric: request.metric,
    subject: request.subject,
    period: String(year),
    method: METHOD,
    value,
    observedAt: ctx.asOf,
    query: ctx.http.redact(storedQuery(request.search, year)),
    collectorVersion: OPENALEX_VERSION,
  };
}

function label(request: PlannedRequest): string {
  const what = request.search === undefined ? 'all works' : `search ${JSON.stringify(clip(request.search, 120))}`;
  return `${request.subject} ${request.fromYear}–${request.toYear} (${what})`;
}

/**
 * `5 answer(s), OpenAlex charged $0.0005; $0.9995 of today's $1.00 allowance is left, renewed at midnight UTC (in 9 h 56 min)`,
 * from what the answers said, or undefined when they said nothing (an archive recorded without the headers).
 */
function allowanceLine(answered: number, priced: number, credits: number, allowance: Allowance): string | undefined {
  const parts: string[] = [];
  if (priced > 0) parts.push(`OpenAlex charged ${usd(credits * CREDIT_USD)}${priced < answered ? ` for ${priced} of them` : ''}`);
  if (allowance.remainingUsd !== undefined) {
    const of = allowance.limitUsd === undefined ? '' : ` of today's ${usd(allowance.limitUsd)}`;
    const reset = allowance.resetSeconds === undefined ? '' : ` (in ${hours(allowance.resetSeconds * 1000)})`;
    parts.push(`${usd(allowance.remainingUsd)}${of} allowance is left, renewed at midnight UTC${reset}`);
  }
  return parts.length > 0 ? `${answered} answer(s), ${parts.join('; ')}` : undefined;
}

function problemLine(err: unknown): string {
  if (err instanceof GroupByError) return err.message;
  if (err instanceof HttpError && err.details.status !== undefined) {
    const text = errorText(err.details.body);
    return text ? `OpenAlex answered HTTP ${err.details.status}: ${text}` : errorLine(err);
  }
  return errorLine(err);
}

/**
 * Failures that concern every request, not one framework: after them the collector stops. `stored`: counts
 * already kept, for the message.
 */
function fatalError(err: unknown, stored: number): CollectorError | undefined {
  if (err instanceof HostGivenUpError) return new CollectorError(OPENALEX_ID, errorLine(err), { cause: err });
  if (!(err instanceof HttpError)) return undefined;
  const { status, body, headers } = err.details;
  const kept = stored > 0 ? ` (${stored} count(s) stored before it are kept)` : '';
  if (status === 429 && headers && isAllowanceSpent({ status, headers, body: body ?? '' })) {
    return new CollectorError(
      OPENALEX_ID,
      `OpenAlex's daily allowance for this key is spent (HTTP 429${detail(body)}); ${resetTime(headers)}; not retried, since asking again before then only fails again${kept}`,
      { cause: err },
    );
  }
  if (status === 403 && isSlowDown({ status, body: body ?? '' })) {
    return new CollectorError(
      OPENALEX_ID,
      `OpenAlex kept answering 403 "rate limit exceeded; slow down" after ${err.details.attempts} attempts with backoff; stopped. Is another OpenAlex client running with this key or from this address?${kept}`,
      { cause: err },
    );
  }
  const aboutKey = /api[ _-]?key/i.test(body ?? '');
  if (status === 401 || status === 403 || (status !== undefined && status >= 400 && status < 500 && aboutKey)) {
    return new CollectorError(
      OPENALEX_ID,
      `OpenAlex rejected OPENALEX_API_KEY (HTTP ${status}${detail(body)}); check the key, or ${KEY_HELP}`,
      { cause: err },
    );
  }
  return undefined;
}

function detail(body: string | undefined): string {
  const text = errorText(body);
  return text ? `: ${text}` : '';
}

/**
 * When the allowance is back: OpenAlex renews it at midnight UTC, and its answers say in how many seconds
 * (`X-RateLimit-Reset`, genuine answers, issue 19); else the answer's Retry-After; else the next midnight UTC.
 */
function resetTime(headers: Record<string, string>): string {
  const now = Date.now();
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-reset'] !== undefined && Number.isFinite(reset) && reset >= 0) {
    return `it is renewed at midnight UTC, in ${hours(reset * 1000)} (until ${utc(now + reset * 1000)})`;
  }
  const wait = parseRetryAfter(headers['retry-after'], now);
  if (wait !== undefined) return `OpenAlex asks to wait ${hours(wait)} (until ${utc(now + wait)})`;
  const midnight = new Date(now);
  midnight.setUTCHours(24, 0, 0, 0);
  return `it is renewed at midnight UTC, in ${hours(midnight.getTime() - now)}; run again after that`;
}

function hours(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
