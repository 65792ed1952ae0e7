import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  at: number;
  url: string;
  headers: IncomingMessage['headers'];
}

/** A throwaway HTTP server on 127.0.0.1 that records what it was asked. */
export async function startServer(handler: (req: IncomingMessage, res: ServerResponse, index: number) => void) {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const index = requests.length;
    requests.push({ at: Date.now(), url: req.url ?? '', headers: req.headers });
    handler(req, res, index);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
