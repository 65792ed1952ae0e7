import { writeSync } from 'node:fs';
import type { HistoryRow } from '../core/observation.js';
import { OBSERVATION_COLUMNS } from './observations-csv.js';

/**
 * observations.csv's columns as Parquet, written by hyparquet-writer one row group at a time, so a history of
 * any length is written in bounded memory. Text is UTF-8 (`period` stays text: years, months, quarters, dates
 * and `undated` share it), `value` a double, `run_id` a 32-bit integer, `held_back` a boolean; nothing is null.
 */

/** Rows per row group: the memory bound (about 40 MB of rows in flight) and a reader's unit of skipping. */
export const PARQUET_ROW_GROUP = 100_000;

/** Bytes buffered before a write to the file. */
const WRITE_CHUNK = 1 << 20;

type ColumnType = 'STRING' | 'DOUBLE' | 'INT32' | 'BOOLEAN';
const TYPES: Record<(typeof OBSERVATION_COLUMNS)[number], ColumnType> = {
  source: 'STRING',
  metric: 'STRING',
  subject: 'STRING',
  period: 'STRING',
  value: 'DOUBLE',
  observed_at: 'STRING',
  run_id: 'INT32',
  query: 'STRING',
  method: 'STRING',
  held_back: 'BOOLEAN',
};

/**
 * Writes `rows` (in the order given) as one Parquet file to the open file descriptor `fd`; returns how many.
 * hyparquet-writer is loaded here, so commands that write no Parquet never load it.
 */
export async function writeHistoryParquet(
  rows: Iterable<HistoryRow> | AsyncIterable<HistoryRow>,
  fd: number,
  createdBy: string,
): Promise<number> {
  const { ByteWriter, parquetWriteRows } = await import('hyparquet-writer');
  // hyparquet-writer's own file writer opens its file by name (following a link there); this one writes to the
  // descriptor the caller opened, flushing as the library's does: past 1 MB, and after each row group.
  const writer = new ByteWriter();
  const flush = () => {
    writeSync(fd, writer.getBytes());
    writer.index = 0;
  };
  const ensure = writer.ensure.bind(writer);
  writer.ensure = (size: number) => {
    if (writer.index > WRITE_CHUNK) flush();
    ensure(size);
  };
  const flushing = writer as typeof writer & { flush(): void };
  flushing.flush = flush;
  writer.finish = flush;
  let count = 0;
  // A store reading from a server gives its rows as they arrive (an async iterable); hyparquet-writer takes either.
  async function* records(): AsyncGenerator<Record<string, unknown>> {
    for await (const row of rows) {
      count++;
      const record: Record<string, unknown> = {};
      OBSERVATION_COLUMNS.forEach((column, i) => {
        record[column] = row[i];
      });
      // The store gives held_back as text, as the CSV writes it.
      record.held_back = row[9] === true || row[9] === 'true';
      yield record;
    }
  }
  await parquetWriteRows({
    writer,
    rows: records(),
    columns: OBSERVATION_COLUMNS.map((name) => ({ name, type: TYPES[name], nullable: false })),
    rowGroupSize: PARQUET_ROW_GROUP,
    createdBy,
  });
  return count;
}
