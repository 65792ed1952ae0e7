import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHDB_SETUP, type ChdbModule, type ChdbSession, loadChdb } from './chdb.js';

/**
 * A local stand-in for ClickPy's public ClickHouse (`POST /` with the SQL as the body), for collector, CLI,
 * benchmark and demo-recording runs. It executes whatever SQL it is sent on a real ClickHouse engine (chdb, in
 * this process) over tables with ClickPy's schema (clickpy's scripts/create_tables.sh) filled with the rows a test
 * gives it (made-up numbers, never PyPI's), and adds what a server does around the engine
 * (/work/shared/reference/clickpy.md, "The HTTP interface"):
 * - the user in `X-ClickHouse-User` and its password in `X-ClickHouse-Key` (or `user`/`password` parameters);
 *   anything else is `AUTHENTICATION_FAILED`;
 * - a readonly user, like ClickPy's: the engine runs with `--readonly=1`, and a URL parameter that is a setting
 *   (anything but `param_*`, `query`, `database`, `user`, `password`, `query_id`) is refused with READONLY;
 * - `param_<name>` values bound to `{name:Type}` as the server parses them;
 * - errors as ClickHouse writes them: the text `Code: N. DB::Exception: … (NAME) (version …)`, the header
 *   `X-ClickHouse-Exception-Code`, and the status ClickHouse chooses from the code
 *   (src/Server/HTTP/exceptionCodeToHTTPStatus.cpp, transcribed in HTTP_STATUS_BY_NAME; any other code is 500);
 * - ClickPy's quotas and limits on demand: a quota of queries (QUOTA_EXCEEDED, 201), a cap on queries at once
 *   (TOO_MANY_SIMULTANEOUS_QUERIES, 202), and the `play` user's `max_result_rows` with overflow mode `break`
 *   (rows past it cut silently);
 * - faults: an HTML page from a proxy, an answer cut off, an error written into a 200 after the body started (in
 *   the three forms ClickHouse has used), a 5xx without a code, an answer that never comes.
 * Every request is recorded, so tests count them and check what was sent.
 *
 *   const server = await startClickPyServer({ rows: [{ date: '2024-06-01', project: 'torch', count: 120 }] });
 *   const env = server.env();          // CLICKPY_URL points here
 *   …
 *   await server.close();
 */

export interface DayRow {
  date: string;
  project: string;
  count: number;
}

export interface ClickPyRequest {
  index: number;
  method: string;
  path: string;
  /** Every URL parameter, decoded. */
  params: Record<string, string>;
  user: string;
  /** The password sent (`X-ClickHouse-Key` or `password`), for a test to check; never in any answer. */
  key: string;
  body: string;
  status?: number;
  /** The exception code of an error answer. */
  code?: number;
  outcome?: 'rows' | 'error' | 'fault';
}

/** What a fault rule answers instead of the engine's result. */
export type ClickPyFault =
  /** An error as ClickHouse sends one; `status` defaults to ClickHouse's choice for the name. */
  | { kind: 'error'; code: number; name: string; message: string; status?: number }
  /** Any answer. */
  | { kind: 'raw'; status: number; body: string; contentType?: string; headers?: Record<string, string> }
  /** The engine's real answer, cut to its first `keep` bytes (a connection that closed early, a proxy's limit). */
  | { kind: 'truncated'; keep: number }
  /**
   * The engine's real answer, cut after `keep` bytes, then an error as ClickHouse writes one into a 200 after the
   * body started: `tag` the `__exception__` block of 25.11+ (with `X-ClickHouse-Exception-Tag`), `field` the
   * `"exception"` field JSON formats wrote in 23.9–25.10, `text` the error text appended before that.
   */
  | { kind: 'streamed-error'; form: 'tag' | 'field' | 'text'; keep: number; code: number; name: string; message: string }
  /** Headers and a little of the body, then nothing: the client's deadline must end it. */
  | { kind: 'hang' };

export interface ClickPyFaultRule {
  match?: (req: ClickPyRequest) => boolean;
  /** How many matching requests it answers before it is used up. @default Infinity */
  times?: number;
  fault: ClickPyFault;
}

export interface ClickPyServerOptions {
  /** Made-up downloads per day and project, inserted into `pypi.pypi_downloads_per_day`. */
  rows?: readonly DayRow[];
  /** Users and their passwords. @default { demo: '' } (the public playground's user, no password) */
  users?: Readonly<Record<string, string>>;
  /**
   * Quote 64-bit integers in JSON formats, as servers before 25.8 did by default (the engine's server setting
   * `output_format_json_quote_64bit_integers`). @default false, as 25.8 and later
   */
  quote64?: boolean;
  /** The `play` user's `max_result_rows` with `result_overflow_mode = 'break'`: rows past it are cut silently. */
  maxResultRows?: number;
  /** Queries answered before every further one gets QUOTA_EXCEEDED (201). @default unlimited */
  quotaQueries?: number;
  /** Queries at once before TOO_MANY_SIMULTANEOUS_QUERIES (202). @default unlimited */
  maxConcurrent?: number;
  faults?: readonly ClickPyFaultRule[];
  /** Delay before each answer. @default 0 */
  latencyMs?: number;
}

export interface ClickPyServer {
  /** Base URL (`http://127.0.0.1:PORT`): the value for CLICKPY_URL. */
  readonly url: string;
  readonly requests: readonly ClickPyRequest[];
  /** The engine's `version()`, as its error texts quote it. */
  readonly version: string;
  /** `{ CLICKPY_URL: url, ...extra }`, an env for the collector. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** More rows, as a later day's load adds them (in new parts, unmerged). */
  addRows(rows: readonly DayRow[]): Promise<void>;
  addFault(rule: ClickPyFaultRule): void;
  /** Runs SQL on the engine directly (not through the HTTP interface) and returns its JSONEachRow rows: for a test's expectations. */
  sql<T = Record<string, unknown>>(query: string): Promise<T[]>;
  /** Forget recorded requests, fault rules and the spent quota. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * HTTP status by exception name, from ClickHouse's src/Server/HTTP/exceptionCodeToHTTPStatus.cpp (read
 * 2026-12, ClickHouse/ClickHouse master); every other code answers 500, QUOTA_EXCEEDED and READONLY included.
 */
export const HTTP_STATUS_BY_NAME: Readonly<Record<string, number>> = {
  REQUIRED_PASSWORD: 401,
  ...Object.fromEntries(
    ['UNKNOWN_USER', 'WRONG_PASSWORD', 'AUTHENTICATION_FAILED', 'SET_NON_GRANTED_ROLE', 'ACCESS_DENIED'].map((n) => [n, 403]),
  ),
  ...Object.fromEntries(
    [
      'BAD_ARGUMENTS',
      'CANNOT_COMPILE_REGEXP',
      'CANNOT_PARSE_TEXT',
      'CANNOT_PARSE_ESCAPE_SEQUENCE',
      'CANNOT_PARSE_QUOTED_STRING',
      'CANNOT_PARSE_DATE',
      'CANNOT_PARSE_DATETIME',
      'CANNOT_PARSE_NUMBER',
      'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING',
      'CANNOT_PARSE_IPV4',
      'CANNOT_PARSE_IPV6',
      'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
      'CANNOT_PARSE_UUID',
      'DUPLICATE_COLUMN',
      'ILLEGAL_COLUMN',
      'UNKNOWN_ELEMENT_IN_AST',
      'UNKNOWN_TYPE_OF_AST_NODE',
      'THERE_IS_NO_COLUMN',
      'TOO_DEEP_AST',
      'TOO_BIG_AST',
      'UNEXPECTED_AST_STRUCTURE',
      'SYNTAX_ERROR',
      'INCORRECT_DATA',
      'TYPE_MISMATCH',
      'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
    ].map((n) => [n, 400]),
  ),
  ...Object.fromEntries(
    [
      'UNKNOWN_TABLE',
      'UNKNOWN_FUNCTION',
      'UNKNOWN_IDENTIFIER',
      'UNKNOWN_TYPE',
      'UNKNOWN_STORAGE',
      'UNKNOWN_DATABASE',
      'UNKNOWN_SETTING',
      'UNKNOWN_DIRECTION_OF_SORTING',
      'UNKNOWN_AGGREGATE_FUNCTION',
      'UNKNOWN_FORMAT',
      'UNKNOWN_DATABASE_ENGINE',
      'UNKNOWN_TYPE_OF_QUERY',
      'UNKNOWN_ROLE',
    ].map((n) => [n, 404]),
  ),
  QUERY_IS_TOO_LARGE: 413,
  NOT_IMPLEMENTED: 501,
  SOCKET_TIMEOUT: 503,
  CANNOT_OPEN_FILE: 503,
  HTTP_LENGTH_REQUIRED: 411,
  TIMEOUT_EXCEEDED: 408,
  CANNOT_SCHEDULE_TASK: 503,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

/** URL parameters that are not settings: what a readonly user may send. */
const NOT_SETTINGS = new Set(['query', 'database', 'user', 'password', 'query_id']);

/** ClickPy's per-day table and the per-month one whose view only ever inserts its last months (clickpy.md). */
const SCHEMA = [
  'CREATE DATABASE IF NOT EXISTS pypi',
  'CREATE TABLE pypi.pypi_downloads_per_day (`date` Date, `project` String, `count` Int64) ENGINE = SummingMergeTree ORDER BY (project, date)',
  'CREATE TABLE pypi.pypi_downloads_per_month (`month` Date, `project` String, `count` Int64) ENGINE = SummingMergeTree ORDER BY (month, project)',
];

/** chdb holds one data directory per process: one stand-in at a time. */
let open = false;

export async function startClickPyServer(options: ClickPyServerOptions = {}): Promise<ClickPyServer> {
  const chdb = await loadChdb();
  if (!chdb) throw new Error(`the ClickPy stand-in needs chdb, a ClickHouse engine in process; run ${CHDB_SETUP}`);
  if (open)
    throw new Error('a ClickPy stand-in is already running in this process (chdb holds one data directory per process); close it first');
  open = true;
  const dir = mkdtempSync(join(tmpdir(), 'am-clickpy-'));
  const users = options.users ?? { demo: '' };
  const serverArgs = options.quote64 ? ['--output_format_json_quote_64bit_integers=1'] : [];
  // The play user's limit, enforced by the engine itself (on every query it runs, subqueries included, where the
  // engine applies it there) as well as on the answer below.
  const readonlyArgs = [
    '--readonly=1',
    ...serverArgs,
    ...(options.maxResultRows === undefined ? [] : [`--max_result_rows=${options.maxResultRows}`, '--result_overflow_mode=break']),
  ];
  let session: ChdbSession;
  try {
    session = writable(chdb, dir, serverArgs);
    for (const statement of SCHEMA) session.query(statement);
    await insert(session, options.rows ?? []);
    session.close();
    session = new chdb.Session(dir, { connectionArgs: readonlyArgs });
  } catch (err) {
    open = false;
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const version = (await session.queryAsync('SELECT version()', { format: 'TabSeparatedRaw' })).text().trim();
  const requests: ClickPyRequest[] = [];
  let faults: { rule: ClickPyFaultRule; left: number }[] = [];
  const addFault = (rule: ClickPyFaultRule) => faults.push({ rule, left: rule.times ?? Infinity });
  for (const rule of options.faults ?? []) addFault(rule);
  let answered = 0;
  let running = 0;
  // Queries and reloads run one after another: a reload swaps the session.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const params = Object.fromEntries(url.searchParams.entries());
      const record: ClickPyRequest = {
        index: requests.length,
        method: req.method ?? 'GET',
        path: url.pathname,
        params,
        user: header(req, 'x-clickhouse-user') ?? params.user ?? 'default',
        key: header(req, 'x-clickhouse-key') ?? params.password ?? '',
        body,
      };
      requests.push(record);
      const timer = setTimeout(() => {
        timers.delete(timer);
        void handle(record, res);
      }, options.latencyMs ?? 0);
      timers.add(timer);
    });
  });

  async function handle(record: ClickPyRequest, res: ServerResponse): Promise<void> {
    const fault = takeFault(record);
    if (fault?.kind === 'error' || fault?.kind === 'raw' || fault?.kind === 'hang') return writeFault(record, res, fault);
    if (record.path !== '/') return sendError(record, res, 0, 'UNKNOWN', `There is no handle ${record.path}`, 404);
    if (!(record.user in users) || users[record.user] !== record.key) {
      return sendError(
        record,
        res,
        516,
        'AUTHENTICATION_FAILED',
        `${record.user}: Authentication failed: password is incorrect, or there is no user with such name`,
      );
    }
    const setting = Object.keys(record.params).find((name) => !name.startsWith('param_') && !NOT_SETTINGS.has(name));
    if (setting !== undefined) {
      return sendError(record, res, 164, 'READONLY', `Cannot modify '${setting}' setting in readonly mode`);
    }
    if (options.quotaQueries !== undefined && answered >= options.quotaQueries) {
      return sendError(
        record,
        res,
        201,
        'QUOTA_EXCEEDED',
        `Quota for user \`${record.user}\` for 3600s has been exceeded: queries = ${answered + 1}/${options.quotaQueries}. Interval will end at 2026-12-08 00:00:00. Name of quota template: \`${record.user}\``,
      );
    }
    if (options.maxConcurrent !== undefined && running >= options.maxConcurrent) {
      return sendError(
        record,
        res,
        202,
        'TOO_MANY_SIMULTANEOUS_QUERIES',
        `Too many simultaneous queries for user ${record.user}. Current: ${running}, maximum: ${options.maxConcurrent}`,
      );
    }
    const sql =
      record.method === 'POST'
        ? `${record.params.query ?? ''}${record.params.query ? '\n' : ''}${record.body}`
        : (record.params.query ?? '');
    const bound = Object.fromEntries(
      Object.entries(record.params)
        .filter(([name]) => name.startsWith('param_'))
        .map(([name, value]) => [name.slice('param_'.length), value]),
    );
    answered++;
    running++;
    let text: string;
    try {
      text = await serial(async () => (await session.queryBindAsync(sql, bound, { format: 'TabSeparated' })).text());
    } catch (err) {
      const { code, name, message } = engineError(err);
      return sendError(record, res, code, name, message);
    } finally {
      running--;
    }
    const json = text.trimStart().startsWith('{');
    if (json && options.maxResultRows !== undefined) text = breakAt(text, options.maxResultRows);
    const headers = {
      'content-type': json ? 'application/json; charset=UTF-8' : 'text/tab-separated-values; charset=UTF-8',
      'x-clickhouse-query-id': `stand-in-${record.index}`,
      'x-clickhouse-format': json ? 'JSONCompact' : 'TabSeparated',
      'x-clickhouse-timezone': 'UTC',
      'x-clickhouse-summary': JSON.stringify({ read_rows: '0', read_bytes: '0', result_rows: '0' }),
    };
    if (fault?.kind === 'truncated') return writeRaw(record, res, 200, text.slice(0, fault.keep), headers, 'fault');
    if (fault?.kind === 'streamed-error') {
      const error = `Code: ${fault.code}. DB::Exception: ${fault.message}. (${fault.name}) (version ${version})`;
      const start = text.slice(0, fault.keep);
      if (fault.form === 'tag') {
        const tag = 'STANDINTAG1';
        const block = `\r\n__exception__\r\n${tag}\r\n${error}\n${Buffer.byteLength(error)} ${tag}\r\n__exception__\r\n`;
        return writeRaw(record, res, 200, start + block, { ...headers, 'x-clickhouse-exception-tag': tag }, 'fault');
      }
      if (fault.form === 'field')
        return writeRaw(record, res, 200, `${start}\n\t],\n\t"exception": ${JSON.stringify(error)}\n}\n`, headers, 'fault');
      return writeRaw(record, res, 200, `${start}${error}\n`, headers, 'fault');
    }
    return writeRaw(record, res, 200, text, headers, 'rows');
  }

  function takeFault(record: ClickPyRequest): ClickPyFault | undefined {
    for (const entry of faults) {
      if (entry.left <= 0 || (entry.rule.match && !entry.rule.match(record))) continue;
      entry.left--;
      return entry.rule.fault;
    }
    return undefined;
  }

  function writeFault(record: ClickPyRequest, res: ServerResponse, fault: ClickPyFault): void {
    if (fault.kind === 'error') {
      sendError(record, res, fault.code, fault.name, fault.message, fault.status);
      return;
    }
    if (fault.kind === 'raw') {
      writeRaw(record, res, fault.status, fault.body, { 'content-type': fault.contentType ?? 'text/plain', ...fault.headers }, 'fault');
      return;
    }
    record.outcome = 'fault';
    record.status = 200;
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    res.write('{\n\t"meta":\n');
  }

  function sendError(record: ClickPyRequest, res: ServerResponse, code: number, name: string, message: string, status?: number): void {
    record.code = code;
    const text = `Code: ${code}. DB::Exception: ${message}. (${name}) (version ${version})\n`;
    writeRaw(
      record,
      res,
      status ?? HTTP_STATUS_BY_NAME[name] ?? 500,
      text,
      { 'content-type': 'text/plain; charset=UTF-8', 'x-clickhouse-exception-code': String(code) },
      'error',
    );
  }

  function writeRaw(
    record: ClickPyRequest,
    res: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string>,
    outcome: ClickPyRequest['outcome'],
  ): void {
    record.status = status;
    record.outcome = outcome;
    if (res.destroyed) return;
    res.writeHead(status, headers);
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    requests,
    version,
    env: (extra = {}) => ({ CLICKPY_URL: url, ...extra }),
    addRows: (rows) =>
      serial(async () => {
        session.close();
        session = writable(chdb, dir, serverArgs);
        await insert(session, rows);
        session.close();
        session = new chdb.Session(dir, { connectionArgs: readonlyArgs });
      }),
    addFault,
    sql: (query) =>
      serial(async () =>
        (await session.queryAsync(query, { format: 'JSONEachRow' }))
          .text()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
      ),
    reset() {
      requests.length = 0;
      faults = [];
      answered = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => {
          void queue.finally(() => {
            session.close();
            rmSync(dir, { recursive: true, force: true });
            open = false;
            resolve();
          });
        });
      }),
  };
}

function writable(chdb: ChdbModule, dir: string, serverArgs: readonly string[]): ChdbSession {
  return new chdb.Session(dir, { connectionArgs: serverArgs });
}

/**
 * Inserts the rows as ClickPy's views would leave them: each count split over two inserts (two parts with the same
 * key, summed only when they merge, so a query that does not `sum(count)` reads them twice), and the per-month
 * table given only the last 6 months of the data, as its view's filter does.
 */
async function insert(session: ChdbSession, rows: readonly DayRow[]): Promise<void> {
  if (rows.length === 0) return;
  for (const row of rows) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(row.date) || !/^[a-z0-9][a-z0-9._-]*$/.test(row.project) || !Number.isSafeInteger(row.count)) {
      throw new Error(`stand-in row ${JSON.stringify(row)} is not a date, a project and a whole count`);
    }
  }
  const values = (part: (count: number) => number) => rows.map((r) => `('${r.date}','${r.project}',${part(r.count)})`).join(',');
  for (const part of [(c: number) => c - Math.floor(c / 2), (c: number) => Math.floor(c / 2)]) {
    await session.queryAsync(`INSERT INTO pypi.pypi_downloads_per_day VALUES ${values(part)}`);
  }
  // The view's filter: `date > toStartOfMonth(now()) - INTERVAL 6 MONTH`, with the data's last day for now().
  const latest = rows
    .map((r) => r.date)
    .sort()
    .at(-1)!;
  const start = new Date(Date.UTC(Number(latest.slice(0, 4)), Number(latest.slice(5, 7)) - 7, 1)).toISOString().slice(0, 10);
  const recent = rows.filter((r) => r.date > start);
  if (recent.length > 0) {
    await session.queryAsync(
      `INSERT INTO pypi.pypi_downloads_per_month VALUES ${recent.map((r) => `('${r.date.slice(0, 8)}01','${r.project}',${r.count})`).join(',')}`,
    );
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The exception in what chdb threw: its code, name and message as ClickHouse words them. */
function engineError(err: unknown): { code: number; name: string; message: string } {
  const text = err instanceof Error ? err.message : String(err);
  const match = /Code: (\d+)\. DB::Exception: ([\s\S]*?)\.? \(([A-Z][A-Z0-9_]+)\)(?: \(version [^)]*\))?\.?\s*(?:\([A-Z_]+\))?\s*$/.exec(
    text,
  );
  if (match) return { code: Number(match[1]), name: match[3]!, message: match[2]!.replace(/^Code: \d+\. DB::Exception: /, '') };
  const code = (err as { clickhouseCode?: number }).clickhouseCode ?? 1001;
  return { code, name: 'STD_EXCEPTION', message: text };
}

/** `result_overflow_mode = 'break'`: a JSONCompact answer cut to its first `max` rows, `rows` saying so, nothing else. */
function breakAt(text: string, max: number): string {
  const json = JSON.parse(text) as { data: unknown[]; rows: number };
  if (json.data.length <= max) return text;
  return JSON.stringify({ ...json, data: json.data.slice(0, max), rows: max });
}
