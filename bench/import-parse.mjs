// Import parsing speed (SPEC §4, issue 14): a 50 MB output of several formats, made by repeating the
// shapes of the real fixtures with distinct names, read through the same path as `imports:` (format
// detection included) — lib/importers/read-import.js `importText`. Prints per format the size, the
// time, the seconds per MB and the heap growth, and PASSes when every format parses in well under a
// second per MB (the target: at most 0.25 s/MB). Knobs: SIZE_MB (default 50). Needs lib/
// (`npm run build`; npm run bench does it).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZE = Number(process.env.SIZE_MB ?? 50) * 1024 * 1024;
const TARGET_S_PER_MB = 0.25;

if (!existsSync(path.join(ROOT, 'lib/importers/index.js'))) {
  console.error('lib/ is missing: run `npm run build` first (npm run bench does)');
  process.exit(1);
}
const { IMPORTERS } = await import(pathToFileURL(path.join(ROOT, 'lib/importers/index.js')).href);
const { importText } = await import(pathToFileURL(path.join(ROOT, 'lib/importers/read-import.js')).href);

/** Repeats `piece(i)` until the text reaches SIZE bytes. */
function fill(head, piece, tail, join = '') {
  const parts = [head];
  let size = head.length + tail.length;
  for (let i = 0; size < SIZE; i++) {
    const p = (i > 0 ? join : '') + piece(i);
    parts.push(p);
    size += p.length;
  }
  parts.push(tail);
  return parts.join('');
}

const t = i => (1000 + ((i * 7919) % 5000)) / 10;
const formats = {
  go: () =>
    fill(
      'goos: linux\ngoarch: amd64\npkg: example.com/big\ncpu: Test CPU\n',
      i =>
        `BenchmarkCase${i % 20000}/size=${i % 7}-8   \t 1000000\t      ${t(i)} ns/op\t     ${i % 97} B/op\t       ${i % 5} allocs/op\n`,
      'PASS\nok  \texample.com/big\t12.345s\n'
    ),
  'google-benchmark': () =>
    fill(
      '{\n  "context": {"date": "2026-12-06T00:00:00+00:00", "host_name": "h", "executable": "./b", "num_cpus": 2, "mhz_per_cpu": 2000, "cpu_scaling_enabled": false, "caches": [], "load_avg": [0.1], "library_build_type": "release"},\n  "benchmarks": [\n',
      i =>
        `    {"name": "BM_Case/${i % 20000}", "family_index": ${i % 20000}, "per_family_instance_index": 0, "run_name": "BM_Case/${i % 20000}", "run_type": "iteration", "repetitions": 5, "repetition_index": ${Math.floor(i / 20000) % 5}, "threads": 1, "iterations": 100000, "real_time": ${t(i)}, "cpu_time": ${t(i + 1)}, "time_unit": "ns"}`,
      '\n  ]\n}\n',
      ',\n'
    ),
  hyperfine: () =>
    fill(
      '{\n  "results": [\n',
      i =>
        `    {"command": "cmd ${i}", "mean": 0.05, "stddev": 0.001, "median": 0.05, "user": 0.001, "system": 0.001, "min": 0.049, "max": 0.052, "times": [${Array.from({ length: 400 }, (_, k) => (0.05 + ((i + k) % 13) / 10000).toFixed(6)).join(', ')}], "exit_codes": [${Array(400).fill(0).join(', ')}]}`,
      '\n  ]\n}\n',
      ',\n'
    ),
  'generic-smaller': () =>
    fill(
      '[\n',
      i => `  {"name": "case ${i}", "unit": "ms", "value": ${t(i)}, "range": "± 3"}`,
      '\n]\n',
      ',\n'
    )
};

console.log(
  `import parsing: ${SIZE / 1024 / 1024} MB of each format, through importText (detection included)`
);
console.log('format           | MB    | benchmarks | s     | s/MB  | heap growth | target');
let failed = 0;
for (const [format, make] of Object.entries(formats)) {
  const text = make();
  const mb = Buffer.byteLength(text) / 1024 / 1024;
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const started = performance.now();
  const file = importText(
    text,
    `big.${format}`,
    IMPORTERS,
    format.startsWith('generic') ? format : undefined
  );
  const seconds = (performance.now() - started) / 1000;
  const heap = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
  const perMb = seconds / mb;
  const ok = perMb <= TARGET_S_PER_MB;
  if (!ok) failed++;
  console.log(
    `${format.padEnd(16)} | ${mb.toFixed(1).padStart(5)} | ${String(file.benchmarks.length).padStart(10)} | ${seconds.toFixed(2).padStart(5)} | ${perMb.toFixed(3)} | ${heap.toFixed(0).padStart(7)} MB | ${ok ? 'PASS' : 'FAIL'} (≤ ${TARGET_S_PER_MB} s/MB)`
  );
}
process.exitCode = failed ? 1 : 0;
