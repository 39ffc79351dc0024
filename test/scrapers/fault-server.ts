import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (request: IncomingMessage, response: ServerResponse, hit: number) => void;

export interface FaultServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  url(path: string): string;
  /** Every request received, in order: path and headers. */
  log: { path: string; headers: IncomingMessage['headers'] }[];
  hits(path: string): number;
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

/**
 * A loopback-only HTTP server for tests. Each path has a handler that is told how many times the
 * path was hit, so a test can script "fail twice, then succeed". Unknown paths answer 404, and
 * `/robots.txt` answers 404 (allow everything) unless a test routes it.
 */
export async function startFaultServer(routes: Record<string, Handler> = {}): Promise<FaultServer> {
  const table = new Map(Object.entries(routes));
  const log: FaultServer['log'] = [];
  const counts = new Map<string, number>();
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    log.push({ path, headers: request.headers });
    const hit = (counts.get(path) ?? 0) + 1;
    counts.set(path, hit);
    const handler = table.get(path);
    if (handler) handler(request, response, hit);
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    log,
    hits: (path) => counts.get(path) ?? 0,
    route: (path, handler) => table.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A handler that answers `body` with status 200 and `headers`. */
export function ok(body: string | Buffer, headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
  };
}

/** Runs `handlers[hit - 1]`, repeating the last one for later hits. */
export function sequence(...handlers: Handler[]): Handler {
  return (request, response, hit) => handlers[Math.min(hit, handlers.length) - 1]!(request, response, hit);
}

export function status(code: number, headers: Record<string, string> = {}, body = ''): Handler {
  return (_request, response) => {
    response.writeHead(code, { 'content-type': 'text/plain', ...headers }).end(body);
  };
}
