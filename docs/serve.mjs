// A small static file server for the built docs site (no caching, so edits show on reload).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
};

/** Where the demo's Beckon server is when no one says otherwise (`serveSite` can serve another config). */
export const DEFAULT_CONFIG = "{ endpoint: location.protocol + '//' + location.hostname + ':8787' }";

/** The text of config.js: where the store sends events and where the dashboard is. */
export function configScript(config = DEFAULT_CONFIG) {
  const value = typeof config === 'string' ? config : JSON.stringify(config);
  return `// Where the demo's Beckon server is; \`npm run demo\` serves its own copy of this file.\nwindow.beckonDemo = ${value};\n`;
}

/** Resolves a URL path to a file under `root`, or undefined (never outside `root`). */
function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const file = path.join(root, path.normalize(decoded));
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  for (const candidate of [file, `${file.replace(/[\\/]+$/, '')}.html`, path.join(file, 'index.html')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * Starts serving `root` on host:port; resolves with the node:http server once it listens. With
 * `config` (e.g. `{ endpoint: 'http://127.0.0.1:8787' }`), /config.js tells the pages where the
 * demo's Beckon server is instead of the built default.
 */
export function serveSite({ root, port = 8080, host = '127.0.0.1', config }) {
  const absolute = path.resolve(root);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    if (config && url.pathname === '/config.js') {
      res.writeHead(200, { 'content-type': TYPES['.js'], 'cache-control': 'no-store' });
      res.end(configScript(config));
      return;
    }
    const file = resolveFile(absolute, url.pathname);
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
