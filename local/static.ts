import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** API paths never served as files. */
const API = /^\/(gw|platform|openapi\.json)(\/|$)/;

/**
 * Serves the built console (a single-page app) at `/`: files from `dir`, `config.json` from the
 * hub's start options when given, and `index.html` for any other non-API path. Returns false when
 * the request is not for the console.
 */
export function staticHandler(dir: string, config?: Readonly<Record<string, unknown>>): (req: IncomingMessage, res: ServerResponse) => boolean {
  const root = normalize(dir) + sep;
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://local').pathname);
    if (API.test(path) || !existsSync(root)) return false;
    if (path === '/config.json' && config) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(config));
      return true;
    }
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) return false;
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    if (!existsSync(file)) return false;
    const immutable = /\/assets\//.test(file);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    return true;
  };
}
