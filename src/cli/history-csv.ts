import { Worker } from 'node:worker_threads';
import { writeFileAtomic } from '../report/atomic-write.js';
import { historyCsv } from '../report/observations-csv.js';
import { Store } from '../store/store.js';

/** What the export needs, plain data so it can cross into a worker thread. */
export interface HistoryCsvJob {
  dbPath: string;
  /** `YYYY-MM-DD`: rows observed later are left out, as in the report. */
  observedBy: string;
  /** The store's `lastObservationId()` when the report started: the CSV and the report show the same rows. */
  upToId: number;
  outPath: string;
  bom: boolean;
}

/** Writes observations.csv from its own read-only connection to the store, atomically. */
export async function writeHistoryCsv(job: HistoryCsvJob): Promise<void> {
  const store = Store.open(job.dbPath, { readonly: true });
  const rows = store.historyRows({ observedBy: job.observedBy, upToId: job.upToId });
  let csv: string;
  try {
    csv = historyCsv(rows, { bom: job.bom });
  } finally {
    // An unfinished statement keeps the connection busy, and close() would then hide the real error.
    rows.return?.();
    store.close();
  }
  await writeFileAtomic(job.outPath, csv);
}

/**
 * The same in a worker thread. observations.csv needs none of the analysis, and after years of daily runs
 * it is the largest output, so it is written on another core while the report is computed.
 */
export function writeHistoryCsvInWorker(job: HistoryCsvJob): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./history-csv-worker.js', import.meta.url), { workerData: job });
    worker.once('error', (err) => reject(new Error(`${job.outPath} could not be written: ${err.message}`)));
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${job.outPath} could not be written (export exited with ${code})`))));
  });
}
