import { daysInMonthIndex, firstDayOf, lastDayOf, monthIndexOfDate, monthOfIndex } from '../../src/analyze/months.js';
import type { SeriesSpec } from '../../src/analyze/series.js';
import { type CollectContext, type CollectSummary, defineCollector } from '../../src/core/collector.js';
import { CollectorError, errorLine } from '../../src/core/errors.js';
import type { Observation } from '../../src/core/observation.js';
import { HostGivenUpError, HttpError } from '../../src/http/errors.js';
import type { RateLimitPolicy } from '../../src/http/types.js';
import { AnswerError, type DownloadsAnswer, describeError, parseDownloads, parseErrorText } from './answer.js';
import {
  DEFAULT_FRAMEWORK_PARTS,
  PYPI_ID,
  type PypiFrameworkPart,
  type PypiSourcePart,
  parseFrameworkPart,
  parseSourcePart,
} from './config.js';
import { DAYS_COVERED, DOWNLOADS, DOWNLOADS_PER_DAY, METHOD } from './names.js';
import { type FrameworkPlan, planRequest } from './plan.js';
import {
  CLICKPY_REQUEST_OPTIONS,
  clickPyBaseUrl,
  clickPyPassword,
  clickPyUser,
  DEFAULT_CLICKPY_URL,
  DEFAULT_CLICKPY_USER,
  DOWNLOADS_SQL,
  dayQuery,
  daysQuery,
  downloadsUrl,
  exceptionCode,
  monthQuery,
  TABLE,
} from './query.js';
import { pypiSeries } from './series.js';
import { addDays, dayNumber } from '../../src/core/dates.js';

/** Stored with every observation; bump when the counting changes (table, sums, normalization). */
export const PYPI_VERSION = '1.0.0';

/** One request a run: one at a time, and never two within a second. */
export const PYPI_RATE_LIMIT: RateLimitPolicy = { maxRequests: 1, windowMs: 1000, concurrency: 1 };

/** The data lags a day or two (clickpy.md); a larger lag is said, since every month after it is missing. */
const EXPECTED_LAG_DAYS = 3;

export const pypi = defineCollector<PypiFrameworkPart, PypiSourcePart, SeriesSpec>({
  id: PYPI_ID,
  version: PYPI_VERSION,
  description:
    "PyPI downloads per month per framework (the sum of its packages), every month in one SQL request to ClickPy's public ClickHouse",
  baseUrl: clickPyBaseUrl,
  env: [
    {
      name: 'CLICKPY_URL',
      description: `ClickHouse HTTP endpoint holding ClickPy's pypi tables (default ${DEFAULT_CLICKPY_URL}; your own ClickHouse with the same tables works)`,
      endpoint: DEFAULT_CLICKPY_URL,
    },
    {
      name: 'CLICKPY_USER',
      description: `ClickHouse user, sent as X-ClickHouse-User (default ${DEFAULT_CLICKPY_USER}, the public readonly user)`,
    },
    { name: 'CLICKPY_PASSWORD', description: "its password, sent as X-ClickHouse-Key (default empty, as the public user's)", secret: true },
  ],
  rateLimit: () => PYPI_RATE_LIMIT,
  credentials(env): { headers: Record<string, string>; secrets: string[] } {
    // The user goes with each request (query.ts): only the password is a secret to redact everywhere.
    const password = clickPyPassword(env);
    return password === undefined ? { headers: {}, secrets: [] } : { headers: { 'x-clickhouse-key': password }, secrets: [password] };
  },
  parseFrameworkPart,
  parseSourcePart,
  defaultFrameworkParts: DEFAULT_FRAMEWORK_PARTS,
  series: pypiSeries,
  collect,
});

async function collect(ctx: CollectContext<PypiFrameworkPart, PypiSourcePart>): Promise<CollectSummary> {
  const frameworks = ctx.frameworks.map((f) => ({ name: f.name, packages: f.part.packages }));
  const plan = planRequest({
    frameworks,
    fromMonth: ctx.source.fromMonth,
    asOf: ctx.asOf,
    full: ctx.full,
    stored: await ctx.history.latest(),
  });
  if (!plan.request) {
    ctx.log.info(`${PYPI_ID}: no request: ${plan.skipped}`);
    return { stored: 0, problems: [], warnings: [] };
  }
  const request = plan.request;
  ctx.log.info(
    `${PYPI_ID}: 1 request for ${frameworks.length} framework(s), ${request.projects.length} package(s): months from ${request.from.slice(0, 7)}, days from ${request.daysFrom}, up to ${ctx.asOf}${ctx.http.replaying ? ' (replaying recorded answers)' : ''}`,
  );
  let answer: DownloadsAnswer;
  try {
    const res = await ctx.http.post(
      downloadsUrl(clickPyBaseUrl(ctx.env), request),
      DOWNLOADS_SQL,
      CLICKPY_REQUEST_OPTIONS(clickPyUser(ctx.env)),
    );
    answer = parseDownloads(res, request);
  } catch (err) {
    throw new CollectorError(PYPI_ID, ctx.http.redact(failureLine(err)), { cause: err });
  }
  if (ctx.signal?.aborted) throw new CollectorError(PYPI_ID, 'interrupted before storing anything');

  const problems: string[] = [];
  const warnings: string[] = [];
  const through = answer.through;
  if (through !== null) {
    const lag = dayNumber(ctx.asOf) - dayNumber(through);
    if (lag > EXPECTED_LAG_DAYS) {
      warnings.push(
        `ClickPy's data ends on ${through}, ${lag} days before ${ctx.asOf}: the months after it are not reported; is the table still updated?`,
      );
    }
  }
  const batch: Observation[] = [];
  for (const f of frameworks) {
    const unknown = f.packages.filter((p) => !answer.projects.has(p));
    if (unknown.length > 0) {
      problems.push(
        `no downloads of project ${unknown.join(', ')} in ${TABLE} up to ${ctx.asOf}: check the name (https://pypi.org/project/${unknown[0]}/); ${f.name} is not stored`,
      );
      continue;
    }
    batch.push(...observations(ctx, f, plan.frameworks.get(f.name)!, answer, plan.storedDays));
  }
  if (through === null || batch.length === 0) {
    if (problems.length === 0) ctx.log.info(`${PYPI_ID}: nothing new: the table holds nothing after what is stored`);
  } else {
    await ctx.emit(batch);
  }
  const starts = frameworks
    .filter((f) => f.packages.every((p) => answer.projects.has(p)))
    .map((f) => `${f.name} ${f.packages.map((p) => answer.projects.get(p)!.firstDay).sort()[0]}`);
  if (through !== null) ctx.log.info(`${PYPI_ID}: data through ${through}; first day in the table: ${starts.join(', ')}`);
  return { stored: through === null ? 0 : batch.length, problems, warnings };
}

/**
 * A framework's rows: every month from its plan's first to the data's last day (a month without downloads counts
 * 0: the table has the whole history), each with the days it covers, and the days whose count is new or changed.
 */
function observations(
  ctx: CollectContext,
  f: { name: string; packages: readonly string[] },
  plan: FrameworkPlan,
  answer: DownloadsAnswer,
  storedDays: ReadonlyMap<string, number>,
): Observation[] {
  const through = answer.through;
  if (through === null) return [];
  const packages = f.packages.map((p) => answer.projects.get(p)!);
  const sum = (pick: (p: (typeof packages)[number]) => number | undefined) => packages.reduce((total, p) => total + (pick(p) ?? 0), 0);
  const row = (metric: string, period: string, value: number, query: string): Observation => ({
    source: PYPI_ID,
    metric,
    subject: f.name,
    period,
    method: METHOD,
    value,
    observedAt: ctx.asOf,
    query,
    collectorVersion: PYPI_VERSION,
  });
  const out: Observation[] = [];
  const last = monthIndexOfDate(through);
  for (let m = plan.fromMonth; m <= last; m++) {
    const month = monthOfIndex(m);
    const first = firstDayOf(m);
    const end = lastDayOf(m);
    out.push(
      row(
        DOWNLOADS,
        month,
        sum((p) => p.months.get(month)),
        monthQuery(f.packages, first, end),
      ),
    );
    out.push(row(DAYS_COVERED, month, m < last ? daysInMonthIndex(m) : Number(through.slice(8, 10)), daysQuery(f.packages, first, end)));
  }
  for (let day = plan.daysFrom; day <= through; day = addDays(day, 1)) {
    const value = sum((p) => p.days.get(day));
    if (storedDays.get(`${f.name}\u0000${day}`) !== value) out.push(row(DOWNLOADS_PER_DAY, day, value, dayQuery(f.packages, day)));
  }
  return out;
}

/** One line for a request that brought nothing usable: ClickHouse's own verdict when it gave one. */
function failureLine(err: unknown): string {
  if (err instanceof AnswerError || err instanceof HostGivenUpError) return err.message;
  if (!(err instanceof HttpError)) return errorLine(err);
  const { status, body, headers, attempts } = err.details;
  const coded = body === undefined ? undefined : parseErrorText(body);
  const code = (headers ? exceptionCode({ headers }) : undefined) ?? coded?.code;
  if (code === undefined || !coded) {
    return status === undefined
      ? errorLine(err)
      : `ClickPy answered HTTP ${status}${attempts > 1 ? ` ${attempts} times` : ''}: ${errorLine(err)}`;
  }
  const what = describeError({ ...coded, code });
  switch (code) {
    case 201:
      return `ClickPy refused the query: ${what}; stopped for this run, not retried (the quota renews at the end of the interval the message names)`;
    case 202:
      return `ClickPy refused the query: ${what}; stopped for this run, not retried: the server is busy, run again later`;
    case 192:
    case 193:
    case 194:
    case 516:
      return `ClickPy refused the credentials: ${what}; check CLICKPY_USER and CLICKPY_PASSWORD`;
    case 60:
    case 81:
      return `ClickPy refused the query: ${what}; CLICKPY_URL must point at a ClickHouse holding ClickPy's pypi tables`;
    default:
      return `ClickPy refused the query (HTTP ${status}): ${what}`;
  }
}
