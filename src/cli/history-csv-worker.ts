/** Worker thread entry of `writeHistoryCsvInWorker`: an error here fails the worker, which rejects its promise. */
import { workerData } from 'node:worker_threads';
import { writeHistoryCsv, type HistoryCsvJob } from './history-csv.js';

await writeHistoryCsv(workerData as HistoryCsvJob);
