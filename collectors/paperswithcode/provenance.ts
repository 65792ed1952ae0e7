/**
 * The query stored with every observation: the file's resolve URL at the archive's commit and the month the
 * papers were counted through, e.g. `https://huggingface.co/datasets/pwc-archive/links-between-paper-and-code/
 * resolve/<sha>/data/train-00000-of-00001.parquet (arXiv ids through 2025-07)`. Re-running it gives the same
 * numbers; a later run reads it back to skip a download whose result it already holds.
 */
export interface Provenance {
  dataset: string;
  sha: string;
  file: string;
  /** `YYYY-MM`. */
  through: string;
}

export function resolveUrl(endpoint: string, p: Omit<Provenance, 'through'>): string {
  const path = p.file.split('/').map(encodeURIComponent).join('/');
  return `${endpoint}/datasets/${p.dataset}/resolve/${encodeURIComponent(p.sha)}/${path}`;
}

export function provenanceQuery(endpoint: string, p: Provenance): string {
  return `${resolveUrl(endpoint, p)} (arXiv ids through ${p.through})`;
}

const STORED = /\/datasets\/([^/\s]+\/[^/\s]+)\/resolve\/([^/\s]+)\/(\S+) \(arXiv ids through (\d{4}-\d{2})\)$/;

/** The provenance a stored query names (whatever endpoint it was fetched from), or undefined. */
export function parseProvenance(query: string): Provenance | undefined {
  const m = STORED.exec(query);
  if (!m) return undefined;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return { dataset: m[1]!, sha: decode(m[2]!), file: m[3]!.split('/').map(decode).join('/'), through: m[4]! };
}

export const sameProvenance = (a: Provenance, b: Provenance): boolean =>
  a.dataset === b.dataset && a.sha === b.sha && a.file === b.file && a.through === b.through;

/**
 * What the collapse guard compares a count with (Observation.seriesKey): the archive's file whatever the commit
 * (a re-upload) or host it came from, so a broken re-upload is compared with the previous snapshot. A count of
 * papers left out depends on the month counted through (papers after it are left out), so theirs names it.
 */
export function archiveSeries(p: Provenance, withThrough: boolean): string {
  return `datasets/${p.dataset}/${p.file}${withThrough ? ` (arXiv ids through ${p.through})` : ''}`;
}
