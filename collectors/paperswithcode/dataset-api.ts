import { DATASET_ID } from './config.js';
import type { ExpectedFile } from './verify-file.js';

/** What the collector needs from `GET /api/datasets/<id>?blobs=true`: the commit and the file's listing. */
export interface DatasetEntry {
  /** The repository's id as the Hub answers it (`id`): its current name and case, when it says. */
  id?: string;
  /** The commit the files are read at (`resolve/<sha>/…`): the archive's version. */
  sha: string;
  /** Every file name listed (`siblings[].rfilename`), for a message naming what exists. */
  files: string[];
  /** The wanted file's size and digest, when listed. */
  file?: ExpectedFile;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);

/**
 * The dataset's API entry as huggingface_hub's `dataset_info(files_metadata=True)` reads it: `sha`, and
 * `siblings` of `{rfilename, size, blobId, lfs: {sha256, size, pointerSize}}` (README, "The Hub's answers").
 * Throws a one-line reason when the answer is not that shape or does not list `file`.
 */
export function parseDatasetEntry(body: string, file: string): DatasetEntry {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error(`the dataset API answered something that is not JSON: ${body.replace(/\s+/g, ' ').slice(0, 80)}`);
  }
  if (!isRecord(json)) throw new Error('the dataset API answered JSON that is not an object');
  const sha = json.sha;
  if (typeof sha !== 'string' || !/^[0-9A-Za-z._-]{1,80}$/.test(sha)) throw new Error('the dataset API answer has no commit sha');
  const siblings = Array.isArray(json.siblings) ? json.siblings.filter(isRecord) : [];
  const files = siblings.map((s) => s.rfilename).filter((f): f is string => typeof f === 'string');
  const entry = siblings.find((s) => s.rfilename === file);
  if (!entry) {
    const listed = files.length > 0 ? files.slice(0, 8).join(', ') + (files.length > 8 ? ', …' : '') : 'none';
    throw new Error(`the dataset at ${sha.slice(0, 12)} has no file ${file} (files: ${listed}); set paperswithcode.file`);
  }
  const lfs = isRecord(entry.lfs) ? entry.lfs : {};
  const size = count(entry.size) ?? count(lfs.size);
  const sha256 = typeof lfs.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(lfs.sha256) ? lfs.sha256 : undefined;
  const id = typeof json.id === 'string' && DATASET_ID.test(json.id) ? json.id : undefined;
  return {
    ...(id === undefined ? {} : { id }),
    sha,
    files,
    file: { ...(size === undefined ? {} : { size }), ...(sha256 === undefined ? {} : { sha256 }) },
  };
}
