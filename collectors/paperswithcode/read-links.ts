import type { AsyncBuffer, FileMetaData } from 'hyparquet';

/** The columns read, of the archive's ten (the schema; README "The archive"). */
export const LINK_COLUMNS = ['paper_url', 'paper_arxiv_id', 'repo_url', 'framework'] as const;
export type LinkColumn = (typeof LINK_COLUMNS)[number];

/** One link as read: each cell a string, or null when missing. */
export type LinkRow = Readonly<Record<LinkColumn, string | null>>;

export interface ReadSummary {
  rows: number;
  rowGroups: number;
}

/** A parquet file held in memory, read slice by slice without copying it whole. */
function bufferOf(bytes: Uint8Array): AsyncBuffer {
  return {
    byteLength: bytes.byteLength,
    slice: (start, end) => bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + (end ?? bytes.byteLength)) as ArrayBuffer,
  };
}

const decoder = new TextDecoder();
function cell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return decoder.decode(value);
  return String(value);
}

/** The top-level column names of the file. */
function columnNames(metadata: FileMetaData): string[] {
  return metadata.schema.slice(1).map((e) => e.name);
}

/**
 * Reads the four link columns row group by row group (hyparquet, pure JavaScript, every codec of
 * hyparquet-compressors), handing each row to `onRow` and keeping nothing: memory holds the file and one row
 * group's four columns at a time. Throws when the file lacks a column, naming it.
 */
export async function readLinks(bytes: Uint8Array, onRow: (row: LinkRow) => void): Promise<ReadSummary> {
  // Loaded here, not at the top: the registry imports every collector, and hyparquet with its codecs (WASM
  // compiled at import) would add about 50 ms to every command, `report` and `status` included.
  const [{ parquetMetadataAsync, parquetRead }, { compressors }] = await Promise.all([
    import('hyparquet'),
    import('hyparquet-compressors'),
  ]);
  const file = bufferOf(bytes);
  const metadata = await parquetMetadataAsync(file);
  const present = new Set(columnNames(metadata));
  const missing = LINK_COLUMNS.filter((c) => !present.has(c));
  if (missing.length > 0) throw new Error(`it has no column ${missing.join(', ')} (columns: ${[...present].join(', ')})`);
  let start = 0;
  for (const group of metadata.row_groups) {
    const n = Number(group.num_rows);
    const columns = Object.fromEntries(LINK_COLUMNS.map((c) => [c, new Array<unknown>(n)])) as Record<LinkColumn, unknown[]>;
    const groupStart = start;
    await parquetRead({
      file,
      metadata,
      columns: [...LINK_COLUMNS],
      rowStart: groupStart,
      rowEnd: groupStart + n,
      compressors,
      onChunk: ({ columnName, columnData, rowStart }) => {
        const target = columns[columnName as LinkColumn];
        if (!target) return;
        for (let i = 0; i < columnData.length; i++) {
          const at = rowStart - groupStart + i;
          if (at >= 0 && at < n) target[at] = columnData[i];
        }
      },
    });
    for (let i = 0; i < n; i++) {
      onRow({
        paper_url: cell(columns.paper_url[i]),
        paper_arxiv_id: cell(columns.paper_arxiv_id[i]),
        repo_url: cell(columns.repo_url[i]),
        framework: cell(columns.framework[i]),
      });
    }
    start += n;
  }
  return { rows: start, rowGroups: metadata.row_groups.length };
}
