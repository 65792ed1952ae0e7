import type { Env } from '../../src/core/collector.js';
import type { HttpResponse, RequestOptions } from '../../src/http/types.js';

/**
 * The one request of a run, on ClickHouse's HTTP interface (shared/reference/clickpy.md, "The HTTP interface"):
 * `POST <CLICKPY_URL>/` with the SQL as the body and every input as a query parameter (`{name:Type}` in the SQL,
 * `param_<name>` in the URL), so nothing configured ever becomes SQL text. No settings are sent: a readonly user
 * (ClickPy's) refuses them (READONLY, code 164).
 */

export const DEFAULT_CLICKPY_URL = 'https://sql-clickhouse.clickhouse.com';
/** The public SQL playground's readonly user (clickpy.md, "What it is"). */
export const DEFAULT_CLICKPY_USER = 'demo';

/** The table read: per day and project, a SummingMergeTree, so every read sums `count` (clickpy.md). */
export const TABLE = 'pypi.pypi_downloads_per_day';

/** `CLICKPY_URL` (a mirror, a test server) or the public endpoint, without a trailing slash. */
export function clickPyBaseUrl(env: Env): string {
  return (env.CLICKPY_URL?.trim() || DEFAULT_CLICKPY_URL).replace(/\/+$/, '');
}

export function clickPyUser(env: Env): string {
  return env.CLICKPY_USER?.trim() || DEFAULT_CLICKPY_USER;
}

/** The password when one is set (ClickPy's public users have none). */
export function clickPyPassword(env: Env): string | undefined {
  return env.CLICKPY_PASSWORD ? env.CLICKPY_PASSWORD : undefined;
}

/**
 * Every month and the recent days of every asked project in one answer, one row per project so the `play` user's
 * `max_result_rows = 1000` (overflow mode `break`) can never cut it: `through` is the last day the table holds
 * for the asked projects up to the as-of date (the data lags a day or two; ClickPy's own pages find it the same
 * way, `WITH (SELECT max(date) …)`), `first_day` the project's first day in the table, `months` the monthly sums
 * from `from`, `days` the daily sums from `days_from`, both as maps. Summing per day first makes parts that
 * SummingMergeTree has not merged yet count once.
 */
export const DOWNLOADS_SQL = `WITH (
    SELECT max(date) FROM ${TABLE}
    WHERE project IN {projects:Array(String)} AND date <= {as_of:Date}
  ) AS through
SELECT
  project,
  through,
  min(date) AS first_day,
  sumMapIf(map(toStartOfMonth(date), downloads), date >= {from:Date}) AS months,
  sumMapIf(map(date, downloads), date >= {days_from:Date}) AS days
FROM (
  SELECT project, date, sum(count) AS downloads
  FROM ${TABLE}
  WHERE project IN {projects:Array(String)} AND date <= through
  GROUP BY project, date
)
GROUP BY project
ORDER BY project
FORMAT JSONCompact`;

/** The answer's columns, in order. */
export const COLUMNS = ['project', 'through', 'first_day', 'months', 'days'] as const;

export interface DownloadsQuery {
  /** Normalized project names (`[a-z0-9-]` only, config.ts). */
  projects: readonly string[];
  /** First day of the first month asked, `YYYY-MM-DD`. */
  from: string;
  /** First day whose daily count is asked. */
  daysFrom: string;
  asOf: string;
}

/** `Array(String)` in ClickHouse's text form. The names were validated to `[a-z0-9-]`, so quoting cannot be broken. */
export function projectsParam(projects: readonly string[]): string {
  return `[${projects.map((p) => `'${p}'`).join(',')}]`;
}

/** The URL of the request: only query parameters (`param_*`), which a readonly user may send; no settings. */
export function downloadsUrl(base: string, q: DownloadsQuery): string {
  const params = new URLSearchParams({
    param_as_of: q.asOf,
    param_days_from: q.daysFrom,
    param_from: q.from,
    param_projects: projectsParam(q.projects),
  });
  return `${base}/?${params.toString()}`;
}

/** The SQL that answers one stored month's downloads of a framework (its packages summed), for the stored provenance. */
export function monthQuery(packages: readonly string[], firstDay: string, lastDay: string): string {
  return `SELECT sum(count) FROM ${TABLE} WHERE project IN (${quoted(packages)}) AND date BETWEEN '${firstDay}' AND '${lastDay}'`;
}

/** The SQL that answers how many days of a month the data covers (its last day in the month). */
export function daysQuery(packages: readonly string[], firstDay: string, lastDay: string): string {
  return `SELECT toDayOfMonth(max(date)) FROM ${TABLE} WHERE project IN (${quoted(packages)}) AND date BETWEEN '${firstDay}' AND '${lastDay}'`;
}

/** The SQL that answers one stored day's downloads of a framework. */
export function dayQuery(packages: readonly string[], day: string): string {
  return `SELECT sum(count) FROM ${TABLE} WHERE project IN (${quoted(packages)}) AND date = '${day}'`;
}

/** Sorted, so the stored query of a framework does not change with the order its packages are listed in. */
const quoted = (packages: readonly string[]) =>
  [...packages]
    .sort()
    .map((p) => `'${p}'`)
    .join(', ');

/** The exception code ClickHouse sent with an error answer (`X-ClickHouse-Exception-Code`). */
export function exceptionCode(res: Pick<HttpResponse, 'headers'>): number | undefined {
  const value = res.headers['x-clickhouse-exception-code'];
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/**
 * Server troubles worth the usual retries although ClickHouse names them: a socket timeout or network error
 * between its own nodes, and "cannot schedule a task" under load (ErrorCodes 209, 210, 439).
 */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([209, 210, 439]);

/**
 * How the client sends the request. ClickHouse chooses the status from the exception code, and codes it does not
 * list answer 500 (exceptionCodeToHTTPStatus.cpp), so the code decides, not the status: an answer carrying one is
 * the server's verdict on this query (a quota spent, too many queries at once, a refused setting, an unknown
 * table) and is taken as it is, never retried in a loop; a 5xx without a code, a timeout or a reset follows the
 * usual bounded retries.
 */
export const CLICKPY_REQUEST_OPTIONS = (user: string): RequestOptions => ({
  headers: { 'content-type': 'text/plain; charset=utf-8', 'x-clickhouse-user': user },
  final: (res) => {
    const code = exceptionCode(res);
    return code !== undefined && !TRANSIENT_CODES.has(code);
  },
});
