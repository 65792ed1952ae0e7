/**
 * Response checks at the boundary (hand-written guards, no schema library). Each throws a short reason
 * that the caller prefixes with the count, the query and the page number. Shapes: the reference,
 * section 1 (`models-json`) and section 2 (entries of `/api/models`).
 */
import { createdMonthCode, monthLabel, UNDATED_CODE } from './created-month.js';

/** The reason a page was rejected; the message is a fragment such as `body is not JSON (…)`. */
export class MalformedPageError extends Error {
  override name = 'MalformedPageError';
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (err) {
    const start = body.replace(/\s+/g, ' ').trim().slice(0, 40);
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new MalformedPageError(
      body.trim() === ''
        ? 'body is empty, not JSON'
        : `body is not JSON (starts ${JSON.stringify(start)}${body.length > 40 ? '…' : ''}: ${why})`,
    );
  }
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** One entry of a `/api/models` page as the exact count reads it. */
export interface ModelEntry {
  id: string;
  /** Creation month code (`created-month.ts`), when `createdAt` was asked for. */
  month?: number;
}

/**
 * One page of `GET /api/models`: a JSON array of entries, each with a string `id` and, with `createdAt`, an
 * ISO date-time `createdAt` (other fields depend on `expand` and are ignored). Returns the entries in page
 * order. A missing or malformed `createdAt` fails the page like a missing `id`: a model whose month is
 * unknown would silently drop out of the monthly counts while still counting in the total.
 */
export function parseModelsPage(
  body: string,
  options: {
    createdAt?: boolean;
    /** Month codes a real `createdAt` can fall in (the placeholder aside): from the Hub's first models to the request's month. */
    months?: { first: number; last: number };
  } = {},
): ModelEntry[] {
  const data = parseJson(body);
  if (!Array.isArray(data)) throw new MalformedPageError(`body is ${kind(data)}, not an array of models`);
  return data.map((entry, i) => {
    const record = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown; createdAt?: unknown }) : undefined;
    const id = record?.id;
    if (typeof id !== 'string' || id === '') {
      throw new MalformedPageError(`entry ${i} of ${data.length} has no string "id" (got ${described(entry)})`);
    }
    if (!options.createdAt) return { id };
    const month = createdMonthCode(record!.createdAt);
    if (month === undefined) {
      const got = record!.createdAt === undefined ? 'none' : JSON.stringify(record!.createdAt).slice(0, 40);
      throw new MalformedPageError(`entry ${i} of ${data.length} (${id}) has no ISO date-time "createdAt" with a time zone (got ${got})`);
    }
    // A date before the Hub or after the request is a broken entry: one model dated 0001-01-01 made 24,313
    // monthly rows and a 7.9 MB chart. The count fails, naming it, rather than file it under that month.
    const range = options.months;
    if (range && month !== UNDATED_CODE && (month < range.first || month > range.last)) {
      const when =
        month < range.first
          ? `before ${monthLabel(range.first)}, when the Hub had no models yet`
          : `after ${monthLabel(range.last)}, the month it was asked in`;
      throw new MalformedPageError(
        `entry ${i} of ${data.length} (${id}) has "createdAt" ${JSON.stringify(String(record!.createdAt)).slice(0, 40)}, ${when}; a month that cannot be right is not counted`,
      );
    }
    return { id, month };
  });
}

function described(entry: unknown): string {
  return `${kind(entry)}${entry && typeof entry === 'object' ? ` with keys ${Object.keys(entry).slice(0, 5).join(',') || 'none'}` : ''}`;
}

/** `GET /models-json?…&withCount=true`: `{"models":[…],"numItemsPerPage":30,"numTotalItems":N,"pageIndex":0}`. */
export function parseModelsJsonCount(body: string): number {
  const data = parseJson(body);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new MalformedPageError(`body is ${kind(data)}, not the models-json object`);
  }
  const total = (data as { numTotalItems?: unknown }).numTotalItems;
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
    throw new MalformedPageError(
      `body has no whole-number "numTotalItems" (got ${total === undefined ? 'none' : kind(total)}); the unofficial endpoint may have changed`,
    );
  }
  return total;
}
