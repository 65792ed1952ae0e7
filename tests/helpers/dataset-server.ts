import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Hub's dataset endpoints the paperswithcode collector uses (shapes in
 * fixtures/paperswithcode/README.md):
 *
 * - `GET /api/datasets/<owner>/<name>[?blobs=true]`: `{_id, id, author, sha, lastModified, private, gated,
 *   disabled, siblings: [{rfilename[, size, blobId, lfs: {sha256, size, pointerSize}]}], …}`. The dataset's id
 *   in another case, or an old id it was renamed from (`renamedFrom`), answers 307 with a relative `Location`
 *   to the current id, query kept; another dataset 401 `{"error":"Invalid username or password."}` without a
 *   token and 404 `{"error":"Repository not found"}` with one (genuine answers, issue 19).
 * - `GET /datasets/<owner>/<name>/resolve/<sha>/<file>`: a 302 to `/cdn/<sha256>` (as the Hub sends a download
 *   to its CDN), which serves the bytes with `Content-Length`; 404 `Entry not found` for another commit or file.
 *   The id in another case or an old one: 307 to the current one, as for the API.
 *
 * Faults for the download: `truncated` serves the first half of the file (a broken mirror: a well-formed
 * answer whose bytes are cut), `corrupt` flips bytes in the middle, `html` answers an error page.
 */
export type DownloadFault = 'truncated' | 'corrupt' | 'html';

export interface DatasetServerOptions {
  dataset?: string;
  file?: string;
  /** The parquet file's bytes. */
  bytes: Uint8Array;
  /** The dataset's commit. @default a sha derived from the bytes */
  sha?: string;
  /** List `size` and `lfs` with `?blobs=true` (the Hub does). @default true */
  listSizes?: boolean;
  fault?: DownloadFault;
  /** Old ids of the dataset: answered with a 307 to the current one. */
  renamedFrom?: readonly string[];
}

export interface DatasetRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  authorization?: string;
}

export interface DatasetServer {
  /** Origin: the value for HF_ENDPOINT. */
  readonly url: string;
  readonly requests: readonly DatasetRequest[];
  /** `{ HF_ENDPOINT: url, ...extra }`. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** Replace the archive (a new commit) or the fault between runs; the request log is kept. */
  configure(options: Partial<DatasetServerOptions>): void;
  /** Forget the request log. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_DATASET = 'pwc-archive/links-between-paper-and-code';
export const DEFAULT_FILE = 'data/train-00000-of-00001.parquet';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function startDatasetServer(initial: DatasetServerOptions): Promise<DatasetServer> {
  let options = { ...initial };
  const requests: DatasetRequest[] = [];
  const current = () => {
    const dataset = options.dataset ?? DEFAULT_DATASET;
    const file = options.file ?? DEFAULT_FILE;
    const sha = options.sha ?? sha256(options.bytes).slice(0, 40);
    return { dataset, file, sha, bytes: options.bytes };
  };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://local');
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '', authorization: req.headers.authorization });
    const { dataset, file, sha, bytes } = current();
    const path = decodeURIComponent(url.pathname);
    // The Hub's answer to an id in another case or an old one: 307 to the current id, relative, query kept.
    const moved = (prefix: string) => {
      const rest = path.slice(prefix.length).split('/');
      const asked = rest.slice(0, 2).join('/');
      const known = asked.toLowerCase() === dataset.toLowerCase() || (options.renamedFrom ?? []).includes(asked);
      if (!known || asked === dataset) return false;
      res.writeHead(307, { location: `${prefix}${[dataset, ...rest.slice(2)].join('/')}${url.search}`, 'content-type': 'text/plain' });
      res.end(`Temporary Redirect. Redirecting to ${prefix}${dataset}`);
      return true;
    };
    if (path.startsWith('/api/datasets/')) {
      if (moved('/api/datasets/')) return;
      if (path !== `/api/datasets/${dataset}`) {
        return req.headers.authorization
          ? send(res, 404, { error: 'Repository not found' })
          : send(res, 401, { error: 'Invalid username or password.' });
      }
      const blobs = url.searchParams.get('blobs') === 'true' && options.listSizes !== false;
      const digest = sha256(bytes);
      const sibling = (rfilename: string, size: number, lfs: boolean) =>
        blobs
          ? {
              rfilename,
              size,
              blobId: sha256(Buffer.from(rfilename)).slice(0, 40),
              ...(lfs ? { lfs: { sha256: digest, size, pointerSize: 135 } } : {}),
            }
          : { rfilename };
      return send(res, 200, {
        _id: '6880f3c2e1b2a1d4c5e6f708',
        id: dataset,
        author: dataset.split('/')[0],
        sha,
        lastModified: '2025-07-28T09:12:44.000Z',
        private: false,
        gated: false,
        disabled: false,
        downloads: 1234,
        likes: 56,
        tags: ['license:cc-by-sa-4.0', 'size_categories:100K<n<1M', 'format:parquet', 'region:us'],
        cardData: { license: 'cc-by-sa-4.0' },
        siblings: [sibling('.gitattributes', 2462, false), sibling('README.md', 1711, false), sibling(file, bytes.length, true)],
        createdAt: '2025-07-26T15:01:02.000Z',
        usedStorage: bytes.length,
      });
    }
    if (path.startsWith('/datasets/') && moved('/datasets/')) return;
    if (path === `/datasets/${dataset}/resolve/${sha}/${file}`) {
      res.writeHead(302, { location: `/cdn/${sha256(bytes)}?X-Signature=synthetic`, 'content-type': 'text/plain' });
      return res.end(`Found. Redirecting to /cdn/${sha256(bytes)}`);
    }
    if (path.startsWith('/cdn/')) {
      if (options.fault === 'html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html><body>Service temporarily unavailable</body></html>');
      }
      let body = Buffer.from(bytes);
      if (options.fault === 'truncated') body = body.subarray(0, Math.floor(body.length / 2));
      if (options.fault === 'corrupt') {
        body = Buffer.from(body);
        for (let i = Math.floor(body.length / 2); i < Math.floor(body.length / 2) + 64 && i < body.length; i++) body[i] = body[i]! ^ 0xff;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
      return res.end(body);
    }
    if (path.startsWith('/datasets/')) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-error-code': 'EntryNotFound' });
      return res.end(JSON.stringify({ error: 'Entry not found' }));
    }
    send(res, 404, { error: 'Not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    requests,
    env: (extra = {}) => ({ HF_ENDPOINT: url, ...extra }),
    configure(next) {
      options = { ...options, ...next };
    },
    reset() {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
