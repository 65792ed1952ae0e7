import { bodySnippet, htmlTitle, notJsonDetail, oneLine } from '../../src/http/body-text.js';
import { clip } from '../../src/core/errors.js';
import type { HttpResponse } from '../../src/http/types.js';
import { COLUMNS, type DownloadsQuery } from './query.js';

/**
 * Reads the answer to DOWNLOADS_SQL strictly (ClickHouse's `JSONCompact`: `meta`, `data`, `rows`, `statistics`),
 * so nothing is stored from an answer that is not whole: an HTML page from a proxy, JSON cut off, or an error
 * ClickHouse wrote into a 200 after the body had started (clickpy.md, "Errors"). 64-bit integers come quoted or
 * as numbers (the default of `output_format_json_quote_64bit_integers` changed in 25.8, and a readonly user
 * cannot set it), so both are read.
 */

/** An answer that holds no usable counts; the message is one line. */
export class AnswerError extends Error {
  override name = 'AnswerError';
}

export interface ProjectDownloads {
  /** The project's first day in the table. */
  firstDay: string;
  /** Downloads per month from the asked month on, keyed `YYYY-MM`; a month without downloads is absent. */
  months: Map<string, number>;
  /** Downloads per day from the asked day on, keyed `YYYY-MM-DD`; a day without downloads is absent. */
  days: Map<string, number>;
}

export interface DownloadsAnswer {
  /** The last day the table holds for the asked projects up to the as-of date; null when it holds none of them. */
  through: string | null;
  /** The projects the table holds; an asked project absent here has no downloads there at all. */
  projects: Map<string, ProjectDownloads>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** ClickHouse's error text: `Code: 60. DB::Exception: <message>. (UNKNOWN_TABLE) (version 24.x …)`. */
export interface ClickHouseError {
  code: number;
  name?: string;
  message: string;
}

/** The error in a ClickHouse error text, if it holds one. */
export function parseErrorText(text: string): ClickHouseError | undefined {
  const match = /Code: (\d+)\. (?:DB::Exception: )?([\s\S]*)/.exec(text);
  if (!match) return undefined;
  // `(version 24.8.1.1 (official build))` ends the text.
  let message = oneLine(match[2]!).replace(/\s*\(version [^()]*(?:\([^()]*\))?[^()]*\)\s*$/, '');
  const name = /\(([A-Z][A-Z0-9_]+)\)\s*$/.exec(message)?.[1];
  if (name) message = message.slice(0, message.lastIndexOf(`(${name})`)).trim();
  return { code: Number(match[1]), ...(name ? { name } : {}), message: message.replace(/\.$/, '') };
}

/** `QUOTA_EXCEEDED (code 201): Quota for user … has been exceeded`, at most 200 characters of message. */
export function describeError(error: ClickHouseError): string {
  return `${error.name ?? 'code'} ${error.name ? `(code ${error.code})` : error.code}: ${clip(error.message, 200)}`;
}

/**
 * An error written after the body started (the status was already 200): the `__exception__` block of 25.11 and
 * later (its tag in `X-ClickHouse-Exception-Tag`), the `"exception"` field JSON formats wrote in 23.9–25.10, or the
 * error text appended to the output before that.
 */
function streamedError(res: HttpResponse): ClickHouseError | undefined {
  const body = res.body;
  const marker = body.indexOf('__exception__');
  if (marker >= 0) {
    const rest = body.slice(marker + '__exception__'.length);
    const end = rest.indexOf('__exception__');
    // The block: the tag, the message, then `<length> <tag>` before the closing marker.
    const lines = (end >= 0 ? rest.slice(0, end) : rest)
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
    if (/^\d+ \S+$/.test(lines.at(-1) ?? '')) lines.pop();
    if (lines.length > 1 && (lines[0] === res.headers['x-clickhouse-exception-tag'] || !/\s/.test(lines[0]!))) lines.shift();
    const text = lines.join(' ');
    return parseErrorText(text) ?? { code: 0, message: clip(text, 200) };
  }
  const field = /"exception"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(body);
  if (field) {
    const text = JSON.parse(`"${field[1]}"`) as string;
    return parseErrorText(text) ?? { code: 0, message: text };
  }
  const tail = body.lastIndexOf('Code: ');
  return tail >= 0 ? parseErrorText(body.slice(tail)) : undefined;
}

export function parseDownloads(res: HttpResponse, asked: DownloadsQuery): DownloadsAnswer {
  const body = res.body;
  if (/text\/html/i.test(res.headers['content-type'] ?? '') || body.trimStart().startsWith('<')) {
    throw new AnswerError(
      `ClickPy answered HTTP ${res.status} with an HTML page instead of JSON${htmlTitle(body)}; a proxy or maintenance page, or CLICKPY_URL is wrong; nothing stored`,
    );
  }
  const streamed = streamedError(res);
  if (streamed) {
    throw new AnswerError(`ClickHouse stopped the query after the answer had started: ${describeError(streamed)}; nothing stored`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new AnswerError(`ClickPy's answer is not valid JSON (${notJsonDetail(body)}); it was probably cut off, nothing stored`);
  }
  if (!isRecord(json) || !Array.isArray(json.meta) || !Array.isArray(json.data)) {
    throw new AnswerError(`ClickPy's answer is not ClickHouse's JSONCompact (no meta and data): ${bodySnippet(body)}; nothing stored`);
  }
  const names = json.meta.map((m) => (isRecord(m) ? m.name : undefined));
  if (names.join() !== COLUMNS.join()) {
    throw new AnswerError(`ClickPy answered the columns ${JSON.stringify(names)}, not ${COLUMNS.join(', ')}; nothing stored`);
  }
  // `rows` and `statistics` are written last: an answer without them did not end as ClickHouse ends one.
  if (json.rows !== json.data.length || !isRecord(json.statistics)) {
    throw new AnswerError(
      `ClickPy's answer is incomplete (rows ${JSON.stringify(json.rows)} for ${json.data.length} data rows${isRecord(json.statistics) ? '' : ', no statistics'}); nothing stored`,
    );
  }
  const projects = new Map<string, ProjectDownloads>();
  let through: string | null | undefined;
  json.data.forEach((row, i) => {
    const where = `row ${i + 1}`;
    if (!Array.isArray(row) || row.length !== COLUMNS.length) throw malformed(where, row, `not ${COLUMNS.length} values`);
    const [project, rowThrough, firstDay, months, days] = row as unknown[];
    if (typeof project !== 'string' || !asked.projects.includes(project)) throw malformed(where, row, 'a project that was not asked');
    if (projects.has(project)) throw malformed(where, row, `${project} comes twice`);
    if (!(rowThrough === null || (typeof rowThrough === 'string' && DATE.test(rowThrough))))
      throw malformed(where, row, 'through is not a date');
    if (through !== undefined && rowThrough !== through) throw malformed(where, row, 'through differs between rows');
    const last = rowThrough as string | null;
    through = last;
    if (last !== null && last > asked.asOf) {
      throw new AnswerError(
        `ClickPy counted up to ${last}, after the as-of date ${asked.asOf}, so the date bound was not applied; nothing stored`,
      );
    }
    if (typeof firstDay !== 'string' || !DATE.test(firstDay) || (last !== null && firstDay > last)) {
      throw malformed(where, row, 'first_day is not a date up to through');
    }
    const upTo = (key: string) => last === null || key <= last;
    projects.set(project, {
      firstDay,
      months: countMap(months, `${where} months`, (key) => /^\d{4}-\d{2}-01$/.test(key) && key >= asked.from && upTo(key), 7),
      days: countMap(days, `${where} days`, (key) => DATE.test(key) && key >= asked.daysFrom && upTo(key), 10),
    });
  });
  return { through: through ?? null, projects };
}

/** A `Map(Date, Int64)` as JSON: `{"2024-06-01": 123}` or `{"2024-06-01": "123"}`; keys cut to `keyLength`. */
function countMap(value: unknown, where: string, keyOk: (key: string) => boolean, keyLength: number): Map<string, number> {
  if (!isRecord(value)) throw malformed(where, value, 'not a map of dates to counts');
  const out = new Map<string, number>();
  for (const [key, raw] of Object.entries(value)) {
    if (!keyOk(key)) throw malformed(where, { [key]: raw }, `${key} is outside what was asked`);
    const count = int64(raw);
    if (count === undefined) throw malformed(where, { [key]: raw }, `the count of ${key} is not a whole number of downloads`);
    out.set(key.slice(0, keyLength), count);
  }
  return out;
}

/** A non-negative 64-bit integer written as a number or, quoted, as a string; undefined past 2^53 or otherwise. */
export function int64(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function malformed(where: string, value: unknown, why: string): AnswerError {
  return new AnswerError(
    `ClickPy's answer is malformed at ${where} (${why}: ${clip(JSON.stringify(value) ?? String(value), 120)}); nothing stored`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
