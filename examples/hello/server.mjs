// The example service perfgate gates in its own README and tests: plain `node:http`, no
// dependencies. PORT (default 3000) on 127.0.0.1; DELAY_MS adds a fixed delay to every request
// (A/B accuracy benchmarks inject slowdowns with it).
import http from 'node:http';
import { createHash } from 'node:crypto';

const port = Number(process.env.PORT ?? 3000);
const delayMs = Number(process.env.DELAY_MS ?? 0);
const host = '127.0.0.1';
let nextId = 1;

const server = http.createServer((req, res) => {
  if (delayMs > 0) setTimeout(() => route(req, res), delayMs);
  else route(req, res);
});

function route(req, res) {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/health') return send(res, 200, 'text/plain', 'ok');
  if (req.method === 'GET' && path === '/hello') {
    return json(res, 200, { message: 'Hello, world!', time: new Date().toISOString() });
  }
  if (req.method === 'POST' && path === '/items') return createItem(req, res);
  if (req.method === 'GET' && path === '/slow') {
    // About 5 ms: a timer (waiting on "I/O") plus a little CPU work.
    return setTimeout(() => json(res, 200, { digest: work(200) }), 4);
  }
  json(res, 404, { error: `no route for ${req.method} ${path}` });
}

function createItem(req, res) {
  const chunks = [];
  req.on('data', chunk => chunks.push(chunk));
  req.on('end', () => {
    let item;
    try {
      item = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return json(res, 400, { error: 'body is not valid JSON' });
    }
    json(res, 201, { ...(item !== null && typeof item === 'object' ? item : { value: item }), id: nextId++ });
  });
}

/** `rounds` chained SHA-256 hashes: a small, steady amount of CPU. */
function work(rounds) {
  let digest = 'perfgate';
  for (let i = 0; i < rounds; i++) digest = createHash('sha256').update(digest).digest('hex');
  return digest.slice(0, 16);
}

function json(res, status, body) {
  send(res, status, 'application/json', JSON.stringify(body));
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

server.listen(port, host, () => console.log(`listening on http://${host}:${server.address().port}`));

function shutdown(signal) {
  console.log(`${signal}: shutting down`);
  server.close(() => process.exit(0));
  server.closeIdleConnections?.();
  // Keep-alive connections under load never go idle: give them a moment, then end them.
  setTimeout(() => server.closeAllConnections?.(), 1000).unref();
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
