import { closeSync, createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseDate } from '../core/dates.js';
import { errorLine, UsageError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { makeDirectory } from '../core/make-directory.js';
import { CREATE_NEW, entryAt, notRegularFile } from '../core/no-follow.js';
import type { HistoryRow } from '../core/observation.js';
import { TOOL_VERSION } from '../core/version.js';
import { COLLECTORS } from '../registry.js';
import { temporaryPath } from '../report/atomic-write.js';
import { historyCsvStream } from '../report/observations-csv.js';
import { writeHistoryParquet } from '../report/observations-parquet.js';
import { storageFailure } from '../store/storage-error.js';
import type { Store } from '../store/store.js';
import { type ParsedOptions, stringOption } from './options.js';
import { onStopSignal } from './stop-signals.js';

export const EXPORT_FORMATS = ['csv', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What `export` writes, from its flags. */
export interface ExportRequest {
  /** Absolute path of the file to write. */
  out: string;
  format: ExportFormat;
  /** `YYYY-MM-DD`: rows observed on or after it. */
  since?: string;
  source?: string;
}

/** The flags of `export`, checked before the database is opened: each bad one is one line (exit 2). */
export function exportRequest(options: ParsedOptions, cwd: string): ExportRequest {
  const given = stringOption(options, 'out');
  if (given === undefined) throw new UsageError('export needs --out FILE, the file to write; e.g. --out history.parquet');
  const out = resolve(cwd, given);
  const format = stringOption(options, 'format') ?? (out.toLowerCase().endsWith('.parquet') ? 'parquet' : 'csv');
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format ${format} is not one of ${EXPORT_FORMATS.join(', ')}; use e.g. --format parquet`);
  }
  const since = stringOption(options, 'since');
  if (since !== undefined) parseDate(since, '--since');
  checkTarget(out, given);
  return {
    out,
    format: format as ExportFormat,
    ...(since === undefined ? {} : { since }),
    ...(stringOption(options, 'source') === undefined ? {} : { source: stringOption(options, 'source')! }),
  };
}

/** `--out` names a regular file that may be replaced, or nothing yet: never a link (not followed), a directory… */
function checkTarget(out: string, given: string): void {
  const reason = notRegularFile(out);
  if (reason !== undefined) throw new UsageError(`--out ${given} cannot be written: ${reason}; pass the path of a file`);
}

/**
 * Writes the stored history (or the part `since` and `source` keep) to `request.out`, in the columns and order of
 * observations.csv: streamed from one query through csv-stringify or hyparquet-writer, so memory stays flat
 * however long the history. It goes to a new hidden file beside the target (created exclusively: nothing there
 * is followed or overwritten) and is renamed over the target when whole; on any failure, or SIGINT/SIGTERM,
 * the temporary file is removed and the target left as it was. Returns the rows written.
 */
export async function exportHistory(store: Store, request: ExportRequest, log: Logger): Promise<number> {
  if (request.source !== undefined) {
    const known = [...new Set([...COLLECTORS.map((c) => c.id), ...(await store.storedSources())])].sort();
    if (!known.includes(request.source)) {
      throw new UsageError(`--source ${request.source} is not a source; use one of ${known.join(', ')}`);
    }
  }
  try {
    makeDirectory(dirname(request.out));
  } catch (err) {
    throw new UsageError(`--out ${request.out} cannot be written (${errorLine(err)}); pass a file in a directory you can write`);
  }
  const rows = store.historyRows({
    ...(request.since === undefined ? {} : { since: request.since }),
    ...(request.source === undefined ? {} : { source: request.source }),
  });
  const temp = temporaryPath(request.out);
  // Ours only: a regular file, never a link put at its name meanwhile.
  const removeTemp = () => {
    if (entryAt(temp)?.isFile()) rmSync(temp);
  };
  const removeSignalHandlers = onStopSignal((signal, exitCode) => {
    removeTemp();
    log.error(`${signal}: export stopped; ${request.out} is left as it was`);
    process.exit(exitCode);
  });
  try {
    const written = await writeRows(rows, temp, request.format);
    renameSync(temp, request.out);
    return written;
  } catch (err) {
    removeTemp();
    // SQLite's own errors come from reading the database (a damaged page, say): main.ts names the database.
    if (String((err as { code?: unknown })?.code ?? '').startsWith('SQLITE_')) throw err;
    throw storageFailure(err, `export to ${request.out}`, 'export again') ?? err;
  } finally {
    // An unfinished read keeps the connection busy (and, on PostgreSQL, its transaction open), and closing it
    // would hide the real error.
    await rows.return(undefined);
    removeSignalHandlers();
  }
}

/** Writes rows to `path`, made now (CREATE_NEW: nothing there before, no link followed). */
export async function writeRows(
  rows: Iterable<HistoryRow> | AsyncIterable<HistoryRow>,
  path: string,
  format: ExportFormat,
): Promise<number> {
  const fd = openSync(path, CREATE_NEW, 0o644);
  if (format === 'parquet') {
    try {
      return await writeHistoryParquet(rows, fd, `adoption-metrics ${TOOL_VERSION}`);
    } finally {
      closeSync(fd);
    }
  }
  let count = 0;
  const counted = (async function* () {
    for await (const row of rows) {
      count++;
      yield row;
    }
  })();
  await pipeline(Readable.from(counted), historyCsvStream(), createWriteStream('', { fd, highWaterMark: 1 << 20 }));
  return count;
}
