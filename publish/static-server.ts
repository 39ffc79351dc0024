import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.xml': 'application/xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

export interface StaticSite {
  /** Origin plus base path, ending in "/": where the site's home page is. */
  url: string;
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves a built site on 127.0.0.1 the way GitHub Pages does: under `basePath`, directory URLs
 * answered by their index.html, text gzipped, anything outside the base path a 404. Used by the
 * browser tests and `npm run lighthouse`.
 */
export async function serveStatic(dir: string, basePath = '/'): Promise<StaticSite> {
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (!path.startsWith(basePath)) {
      response.writeHead(404).end('outside the base path');
      return;
    }
    let file = normalize(join(dir, path.slice(basePath.length)));
    if (!file.startsWith(normalize(dir))) {
      response.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      const type = types[extname(file)] ?? 'application/octet-stream';
      // Compress text as GitHub Pages does, so Lighthouse measures what a deployment serves.
      if (/gzip/.test(String(request.headers['accept-encoding'])) && type !== 'image/png') {
        response.writeHead(200, {
          'content-type': type,
          'content-encoding': 'gzip',
          vary: 'accept-encoding',
        });
        response.end(gzipSync(body));
      } else {
        response.writeHead(200, { 'content-type': type }).end(body);
      }
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}${basePath}`,
    origin,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
