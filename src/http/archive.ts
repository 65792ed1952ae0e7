import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { clip, UsageError } from '../core/errors.js';
import { entryAt, notRealDirectory, writeNewFileSync } from '../core/no-follow.js';
import { AnswerTooLargeError, ReplayMissError } from './errors.js';
import type { Redactor } from './redact.js';
import type { Transport } from './transport.js';
import type { HttpResponse } from './types.js';

/**
 * Raw-response archive for `--record DIR` / `--replay DIR`, as Perceval's archive: every response (failed
 * ones too) is kept per request, in order, secrets stripped. A request's key is its method, path and sorted
 * query (a POST's form body counts as its query) without private parameters and without the origin, so a run recorded against a local server (or with an
 * API key) replays anywhere; a POST with a body of its own (HttpClient.post) adds the body, on a line of its own.
 * One gzipped JSON file per key: `DIR/<collector>/<sha256(key)[0..20]>.json.gz`.
 */
export interface ArchiveEntry {
  key: string;
  /** `body`: a POST's own body, secrets stripped. */
  request: { method: 'GET' | 'POST'; url: string; body?: string };
  responses: ArchivedResponse[];
}

/** A binary answer (a downloaded file) is kept as base64 in `bodyBase64`, its `body` empty. */
export interface ArchivedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  bodyBase64?: string;
}

/**
 * Stands for the recorded server's origin inside header values (a pagination `Link: <origin/api/…?cursor=…>`),
 * so a run recorded against one endpoint replays under any other: the replayed link points back at the
 * endpoint being replayed, as the live server's would.
 */
export const ORIGIN_PLACEHOLDER = '{{origin}}';

/** Headers never worth keeping: they can carry session secrets, or only describe the connection and the moment. */
const DROPPED_HEADERS = new Set(['set-cookie', 'authorization', 'cookie', 'date', 'connection', 'keep-alive']);

export function requestKey(url: string, privateParams: readonly string[], method: 'GET' | 'POST' = 'GET', body?: string): string {
  const parsed = new URL(url);
  const params = [...parsed.searchParams.entries()]
    .filter(([name]) => !privateParams.includes(name))
    .sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a.localeCompare(b)));
  const query = new URLSearchParams(params).toString();
  return `${method} ${parsed.pathname}${query ? `?${query}` : ''}${body === undefined ? '' : `\n${body}`}`;
}

function entryPath(dir: string, collector: string, key: string): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 20);
  return join(dir, collector, `${hash}.json.gz`);
}

function readEntry(path: string): ArchiveEntry {
  return JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as ArchiveEntry;
}

export function recordingTransport(
  inner: Transport,
  options: { dir: string; collector: string; privateParams: readonly string[]; redactor: Redactor },
): Transport {
  const touched = new Set<string>();
  return async (req) => {
    const res = await inner(req);
    const method = req.method ?? 'GET';
    // A secret in a body would otherwise reach the key; replay finds the same key from the same redacted body.
    const body = req.body === undefined ? undefined : options.redactor.text(req.body);
    const key = requestKey(req.url, options.privateParams, method, body);
    const path = entryPath(options.dir, options.collector, key);
    // The first response for a key in this process replaces what an earlier recording left there.
    const origin = new URL(req.url).origin;
    // The origin is left out here too, so re-recording against another port changes no file.
    const entry: ArchiveEntry = touched.has(key)
      ? readEntry(path)
      : {
          key,
          request: {
            method,
            url: options.redactor.url(req.url).replace(origin, ORIGIN_PLACEHOLDER),
            ...(body === undefined ? {} : { body }),
          },
          responses: [],
        };
    touched.add(key);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (!DROPPED_HEADERS.has(name)) headers[name] = options.redactor.text(value).replaceAll(origin, ORIGIN_PLACEHOLDER);
    }
    entry.responses.push(
      // Bytes are a file the server published, kept as they came (redacting would corrupt them).
      res.bytes === undefined
        ? { status: res.status, headers, body: options.redactor.text(res.body) }
        : { status: res.status, headers, body: '', bodyBase64: Buffer.from(res.bytes).toString('base64') },
    );
    writeEntry(archiveFolder(options.dir, options.collector), path, gzipSync(JSON.stringify(entry)));
    return res;
  };
}

/**
 * `DIR/<collector>`, made when missing; never through a link (no-follow.ts): recordings are written only into
 * the real directory, or not at all. Returns its path.
 */
export function archiveFolder(dir: string, collector: string): string {
  const folder = checkArchiveFolder(dir, collector);
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** `DIR/<collector>`, or a usage error when something other than a real directory is there (`--record` checks it first). */
export function checkArchiveFolder(dir: string, collector: string): string {
  const folder = join(dir, collector);
  const problem = notRealDirectory(folder);
  if (problem) throw new UsageError(`--record ${dir}: ${folder} cannot be used: ${problem}; remove it, or record into another directory`);
  return folder;
}

/** Writes one entry whole: into a new, unguessable temporary file beside it, then renamed onto its name. */
function writeEntry(folder: string, path: string, bytes: Uint8Array): void {
  const tmp = join(folder, `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeNewFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (err) {
    if (entryAt(tmp)?.isFile()) rmSync(tmp, { force: true });
    throw err;
  }
}

/** Answers from the archive: responses in recorded order, the last one repeated once they run out. */
export function replayTransport(options: {
  dir: string;
  collector: string;
  privateParams: readonly string[];
  redactor: Redactor;
}): Transport {
  if (!existsSync(options.dir)) {
    throw new ReplayMissError(`replay directory ${options.dir} does not exist; record one with --record ${options.dir}`);
  }
  const served = new Map<string, number>();
  return async (req): Promise<HttpResponse> => {
    const body = req.body === undefined ? undefined : options.redactor.text(req.body);
    const key = requestKey(req.url, options.privateParams, req.method, body);
    const path = entryPath(options.dir, options.collector, key);
    if (!existsSync(path)) {
      throw new ReplayMissError(
        `no recorded response for ${clip(key.replace(/\s+/g, ' '), 160)} (${options.collector}) in ${options.dir}; record it with --record ${options.dir}`,
      );
    }
    const entry = readEntry(path);
    const index = served.get(key) ?? 0;
    served.set(key, index + 1);
    const recorded = entry.responses[Math.min(index, entry.responses.length - 1)];
    if (!recorded)
      throw new ReplayMissError(`recorded entry for ${clip(key.replace(/\s+/g, ' '), 160)} in ${options.dir} holds no response`);
    const origin = new URL(req.url).origin;
    const headers = Object.fromEntries(
      Object.entries(recorded.headers).map(([name, value]) => [name, value.replaceAll(ORIGIN_PLACEHOLDER, origin)]),
    );
    if (recorded.bodyBase64 === undefined) return { url: req.url, status: recorded.status, headers, body: recorded.body };
    const bytes = new Uint8Array(Buffer.from(recorded.bodyBase64, 'base64'));
    if (req.maxBytes !== undefined && bytes.length > req.maxBytes) {
      throw new AnswerTooLargeError(`the answer is ${bytes.length} bytes, more than the ${req.maxBytes} allowed`);
    }
    return { url: req.url, status: recorded.status, headers, body: '', bytes };
  };
}

/**
 * An archive's own word on its numbers: `DIR/NOTICE`, one short sentence written by whoever made the archive
 * (the bundled demo says which of its counts are illustrative). Replayed runs store it and every report made
 * from their data shows it, on the terminal, in report.json and on the charts.
 */
export const ARCHIVE_NOTICE = 'NOTICE';
/** Charts print the notice on one line. */
export const MAX_NOTICE_LENGTH = 140;

/** The archive's notice on one line, or null when it has none. */
export function readArchiveNotice(dir: string): string | null {
  const path = join(dir, ARCHIVE_NOTICE);
  if (!existsSync(path)) return null;
  const notice = readFileSync(path, 'utf8').replace(/\s+/g, ' ').trim();
  if (notice.length > MAX_NOTICE_LENGTH) {
    throw new UsageError(`${path} has ${notice.length} characters; shorten it to ${MAX_NOTICE_LENGTH}, one sentence a chart can carry`);
  }
  return notice === '' ? null : notice;
}
