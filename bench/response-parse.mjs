// The closed model's response parser (lib/load/http1-parser.js), time per response: the client parses
// every response of a turn of its event loop before it writes the next requests, so this is time
// before the writes (src/load/http1-parser.ts, `head`). Parses, from a reused read buffer as the
// driver does, three responses: nginx's `/slow` answer (six head lines, a chunked body of 3 bytes),
// a Node `http` answer (Content-Length, 5 head lines) and one with 20 head lines. ROUNDS rounds
// (default 5) of N responses each (default 300 000); prints the median ns per response per shape.
// OTHER=<checkout> (its lib/ built) parses the same in alternating order with that checkout's
// parser, side by side, and prints the ratio. Needs lib/ (`npm run build`; npm run bench does it).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './lib/util.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 5));
const N = Math.max(1000, Number(process.env.N ?? 300_000));
const OTHER = process.env.OTHER ? path.resolve(process.env.OTHER) : undefined;

const checkouts = { this: ROOT, ...(OTHER && { other: OTHER }) };
const parsers = {};
for (const [name, dir] of Object.entries(checkouts)) {
  const file = path.join(dir, 'lib/load/http1-parser.js');
  if (!existsSync(file)) {
    console.error(`${file} is missing: run \`npm run build\` in ${dir}`);
    process.exit(1);
  }
  parsers[name] = (await import(pathToFileURL(file).href)).ResponseParser;
}

const CRLF = '\r\n';
const SHAPES = {
  'nginx chunked': [
    'HTTP/1.1 200 OK',
    'Server: nginx/1.22.1',
    'Date: Mon, 07 Dec 2026 13:56:24 GMT',
    'Content-Type: text/plain',
    'Transfer-Encoding: chunked',
    'Connection: keep-alive',
    '',
    '3',
    'ok\n',
    '0',
    '',
    ''
  ].join(CRLF),
  'node content-length': [
    'HTTP/1.1 200 OK',
    'Content-Type: application/json',
    'Date: Mon, 07 Dec 2026 13:56:24 GMT',
    'Connection: keep-alive',
    'Keep-Alive: timeout=5',
    'Content-Length: 27',
    '',
    '{"hello":"world","n":12345}'
  ].join(CRLF),
  '20 head lines': [
    'HTTP/1.1 200 OK',
    ...Array.from({ length: 19 }, (_, i) => `X-Header-${i}: value number ${i} of a longer header line`),
    'Content-Length: 2',
    '',
    'ok'
  ].join(CRLF)
};

/** ns per response parsing `text` N times from a 64 KiB buffer it was read into. */
function timeParse(Parser, text) {
  const bytes = Buffer.from(text, 'latin1');
  const buffer = Buffer.allocUnsafe(64 * 1024);
  bytes.copy(buffer);
  const parser = new Parser();
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    parser.expect(false, 0);
    if (parser.execute(buffer, 0, bytes.length) !== bytes.length) throw new Error('not parsed whole');
  }
  return Number(process.hrtime.bigint() - start) / N;
}

const times = {};
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(parsers);
  for (const name of round % 2 === 0 ? names : names.reverse())
    for (const [shape, text] of Object.entries(SHAPES))
      (times[`${name}\t${shape}`] ??= []).push(timeParse(parsers[name], text));
}
console.log(`response parser: median of ${ROUNDS} rounds of ${N} responses, ns a response`);
for (const shape of Object.keys(SHAPES)) {
  const ns = Object.fromEntries(Object.keys(parsers).map(n => [n, median(times[`${n}\t${shape}`])]));
  const side = OTHER
    ? `   other ${ns.other.toFixed(0).padStart(5)}   this/other ${(ns.this / ns.other).toFixed(2)}`
    : '';
  console.log(`${shape.padEnd(22)}this ${ns.this.toFixed(0).padStart(5)}${side}`);
}
