import { createHash } from 'node:crypto';

/** What the dataset API says of the file, to check a download against. */
export interface ExpectedFile {
  /** Bytes, from the API's file list. */
  size?: number;
  /** Hex SHA-256 of the content (the LFS pointer's oid), when the API gives it. */
  sha256?: string;
}

const MAGIC = 'PAR1';

/**
 * Why `bytes` is not the whole, intact parquet file, or undefined when it is: its size and digest as the API
 * lists them, then the format's own frame (`PAR1` at both ends around a footer that fits the file). A
 * truncated or corrupt download fails here, before anything is read or stored.
 */
export function fileProblem(bytes: Uint8Array, expected: ExpectedFile): string | undefined {
  if (expected.size !== undefined && bytes.length !== expected.size) {
    return `got ${bytes.length} bytes where the dataset lists ${expected.size} (truncated or changed download)`;
  }
  if (expected.sha256 !== undefined) {
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (digest !== expected.sha256.toLowerCase())
      return `its SHA-256 ${digest.slice(0, 12)}… differs from the listed ${expected.sha256.slice(0, 12)}…`;
  }
  const ascii = (from: number) => String.fromCharCode(...bytes.subarray(from, from + 4));
  if (bytes.length < 12 || ascii(0) !== MAGIC || ascii(bytes.length - 4) !== MAGIC) {
    return 'it is not a parquet file (no PAR1 mark at its start and end)';
  }
  const footer = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.length - 8, true);
  if (footer === 0 || footer > bytes.length - 12) return `its parquet footer (${footer} bytes) does not fit the file`;
  return undefined;
}
