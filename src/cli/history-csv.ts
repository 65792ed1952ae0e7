import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../core/errors.js';
import { CREATE_NEW } from '../core/no-follow.js';
import { historyCsvStream } from '../report/observations-csv.js';
import { Store } from '../store/store.js';

/** What the export needs, plain data so it can cross into a worker thread. */
export interface HistoryCsvJob {
  /** The file the report's own connection has open and checked (the database, or a private copy of it). */
  dbPath: string;
  /** `YYYY-MM-DD`: rows observed later are left out, as in the report. */
  observedBy: string;
  /** The store's `lastObservationId()` when the report started: the CSV and the report show the same rows. */
  upToId: number;
  outPath: string;
  bom: boolean;
}

/** Bytes buffered before the file stream pauses the CSV: few large writes instead of one per record. */
const WRITE_BUFFER = 1 << 20;

/**
 * Streams observations.csv to `job.outPath` from its own read-only connection to the store, row by row from
 * the query through csv-stringify to the file, so memory stays flat however long the history. Not atomic by
 * itself (a failure can leave part of a file): `report` passes a staged name, renames it into place once
 * every other file is written and removes it otherwise. `outPath` must not exist yet.
 */
export async function writeHistoryCsv(job: HistoryCsvJob): Promise<void> {
  const store = Store.open(job.dbPath, { readonly: true, checked: true });
  try {
    const rows = store.historyRows({ observedBy: job.observedBy, upToId: job.upToId });
    try {
      // A new file (no-follow.ts): a link or anything else at the staged name fails the export, never written through.
      const file = await open(job.outPath, CREATE_NEW, 0o644);
      await pipeline(Readable.from(rows), historyCsvStream({ bom: job.bom }), file.createWriteStream({ highWaterMark: WRITE_BUFFER }));
    } finally {
      // An unfinished statement keeps the connection busy, and close() would then hide the real error.
      rows.return?.();
    }
  } finally {
    store.close();
  }
}

/**
 * The same in a worker thread. observations.csv needs none of the analysis, and after years of daily runs
 * it is the largest output, so it is written on another core while the report is computed. A failure
 * rejects with one line naming `target` (the file the user will look for), a usage error staying one.
 */
export function writeHistoryCsvInWorker(job: HistoryCsvJob, target = job.outPath): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./history-csv-worker.js', import.meta.url), { workerData: job });
    worker.once('error', (err) => {
      const message = `${target} could not be written: ${err.message}`;
      // Errors cross the thread boundary as plain Errors that keep their name.
      reject(err.name === 'UsageError' ? new UsageError(message) : new Error(message));
    });
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${target} could not be written (export exited with ${code})`)),
    );
  });
}
