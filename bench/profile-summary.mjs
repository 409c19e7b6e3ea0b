// Profile summary speed (SPEC §11, issue 16): what perfgate does with a long CPU profile once the
// trials end — a synthetic Node `.cpuprofile` of 200 k samples (a service's call tree: 2 000
// functions in 150 files, a tenth in node_modules, stacks about 7 deep and up to 24, a fifth of
// the samples idle, some in the collector and `(program)`) read (lib/profiling/cpu-profile.js `parseCpuProfile`), made
// a call tree, summarised (top functions, pruned tree, share changes against a second profile) and
// drawn (flame graph and differential SVG); and the same samples as 10 trials' profiles merged into
// one artifact. Prints the median time of each step over REPEAT runs, the tree's and the SVG's sizes,
// and PASSes when the summary (tree, top, prune, both SVGs) takes under TARGET_MS. The windows of
// the merge each hold every node of the profile (a real trial's holds those it saw): an upper bound.
// Knobs: SAMPLES (default 200000), REPEAT (5), TARGET_MS (1000), STOP (0.2: about 20 k nodes; 0.1
// makes some 70 k). Needs lib/ (`npm run build`; npm run bench does it).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lib = rel => pathToFileURL(path.join(ROOT, 'lib', rel)).href;
if (!existsSync(path.join(ROOT, 'lib/profiling/cpu-profile.js'))) {
  console.error('lib/ is missing: run `npm run build` first (npm run bench does)');
  process.exit(1);
}
const { cpuProfileTree, mergeCpuProfiles, parseCpuProfile } = await import(lib('profiling/cpu-profile.js'));
const { pruneTree, shareChanges, topFunctions, treeTotals } = await import(lib('profiling/call-tree.js'));
const { diffFlameGraph, flameGraph } = await import(lib('report/flame-svg.js'));
const { seededRandom } = await import(lib('stats/random.js'));

const SAMPLES = Number(process.env.SAMPLES ?? 200_000);
const REPEAT = Number(process.env.REPEAT ?? 5);
const TARGET_MS = Number(process.env.TARGET_MS ?? 1000);
const INTERVAL_US = 1000;
// The chance a sample's stack ends at each node past the second: the stacks' depth.
const STOP = Number(process.env.STOP ?? 0.2);

/**
 * A profile of `samples` samples of a program of 2 000 functions whose call tree is layered as a
 * service's is: most functions call one other (a framework's layers), every fourth level a
 * dispatcher calls one of 8, the first far more often (a few hot paths, a long tail). Each sample
 * walks from the root, past the second level stopping at a node (its own time) with probability
 * STOP, 24 levels at most; `shift` changes which paths are hot (the base of the diff).
 */
function syntheticProfile(samples, seed, shift = 0) {
  const random = seededRandom(seed);
  const frame = f => ({
    functionName: f % 97 === 0 ? '' : `fn${f}`,
    scriptId: String(f % 150),
    url: f % 10 === 0 ? `file:///app/node_modules/pkg${f % 40}/index.js` : `file:///app/src/mod${f % 150}.js`,
    lineNumber: f,
    columnNumber: 2
  });
  const internal = name => ({ functionName: name, scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 });
  const nodes = [{ id: 1, callFrame: internal('(root)'), hitCount: 0, children: [] }];
  const special = Object.fromEntries(
    ['(idle)', '(garbage collector)', '(program)'].map(name => {
      const node = { id: nodes.length + 1, callFrame: internal(name), hitCount: 0 };
      nodes.push(node);
      nodes[0].children.push(node.id);
      return [name, node];
    })
  );
  const childOf = new Map();
  const child = (parent, f) => {
    const key = `${parent.id}:${f}`;
    let node = childOf.get(key);
    if (!node) {
      node = { id: nodes.length + 1, callFrame: frame(f), hitCount: 0 };
      nodes.push(node);
      (parent.children ??= []).push(node.id);
      childOf.set(key, node);
    }
    return node;
  };
  const ids = new Array(samples);
  for (let i = 0; i < samples; i++) {
    const r = random();
    let leaf;
    if (r < 0.2) leaf = special['(idle)'];
    else if (r < 0.23) leaf = special['(garbage collector)'];
    else if (r < 0.25) leaf = special['(program)'];
    else {
      leaf = nodes[0];
      let f = 1;
      for (let depth = 0; depth < 24 && (depth < 2 || random() >= STOP); depth++) {
        // Layers of a framework call one function each; dispatchers (every fourth level) one of 8.
        const k = depth % 4 === 1 ? Math.floor(random() ** 3 * 8) : 0;
        f = (f * 31 + 7 * k + 1 + (depth === 5 ? shift : 0)) % 2000;
        leaf = child(leaf, f);
      }
    }
    leaf.hitCount++;
    ids[i] = leaf.id;
  }
  const timeDeltas = Array.from({ length: samples }, () => INTERVAL_US - 100 + Math.floor(random() * 200));
  const startTime = 1_000_000_000;
  const endTime = startTime + timeDeltas.reduce((a, b) => a + b, 0) + INTERVAL_US;
  return { nodes, startTime, endTime, samples: ids, timeDeltas };
}

/** The profile's samples cut into `n` windows a second apart, each a profile of its own. */
function windows(p, n) {
  const per = Math.ceil(p.samples.length / n);
  let startTime = p.startTime;
  return Array.from({ length: n }, (_, w) => {
    const samples = p.samples.slice(w * per, (w + 1) * per);
    const timeDeltas = p.timeDeltas.slice(w * per, (w + 1) * per);
    const window = {
      nodes: p.nodes,
      startTime,
      endTime: startTime + timeDeltas.reduce((a, b) => a + b, 0),
      samples,
      timeDeltas
    };
    startTime = window.endTime + 1e6;
    return window;
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed(fn) {
  const times = [];
  let out;
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    out = fn();
    times.push(performance.now() - t0);
  }
  return { out, ms: median(times) };
}

const head = syntheticProfile(SAMPLES, 1);
const base = syntheticProfile(SAMPLES, 2, 5);
const text = JSON.stringify(head);
const parse = timed(() => parseCpuProfile(text, 'head.cpuprofile'));
const tree = timed(() => cpuProfileTree(parse.out));
const baseTree = cpuProfileTree(base);
const top = timed(() => topFunctions(tree.out, 20));
const prune = timed(() => pruneTree(tree.out, 0.001));
const prunedBase = pruneTree(baseTree, 0.001);
const svg = timed(() => flameGraph(prune.out, { title: 'head', unit: 'us' }));
const diffSvg = timed(() => diffFlameGraph(prunedBase, prune.out, { title: 'base → head', unit: 'us' }));
const changes = timed(() => shareChanges(baseTree, tree.out, 20));
const parts = windows(head, 10);
const merge = timed(() => mergeCpuProfiles(parts));
const mergedTree = timed(() => cpuProfileTree(merge.out));

const count = node => 1 + (node.c ?? []).reduce((n, c) => n + count(c), 0);
const rects = s => (s.match(/<rect /g) ?? []).length - 1;
console.log(
  `${SAMPLES.toLocaleString('en-US')} samples, ${head.nodes.length.toLocaleString('en-US')} profile nodes ` +
    `(${(text.length / 1024 / 1024).toFixed(1)} MB of JSON); call tree ${treeTotals(tree.out).samples.toLocaleString('en-US')} samples; ` +
    `pruned tree ${count(prune.out)} nodes; median of ${REPEAT} runs`
);
console.log('step                                  | ms');
const rows = [
  ['parseCpuProfile (JSON + checks)', parse.ms],
  ['cpuProfileTree', tree.ms],
  ['topFunctions (20)', top.ms],
  ['pruneTree (0.1 %)', prune.ms],
  [`flameGraph (${rects(svg.out)} frames, ${(svg.out.length / 1024).toFixed(0)} KB)`, svg.ms],
  [`diffFlameGraph (${rects(diffSvg.out)} frames, ${(diffSvg.out.length / 1024).toFixed(0)} KB)`, diffSvg.ms],
  ['shareChanges', changes.ms],
  ['mergeCpuProfiles (10 windows)', merge.ms],
  ['cpuProfileTree of the merge', mergedTree.ms]
];
for (const [name, ms] of rows) console.log(`${name.padEnd(37)} | ${ms.toFixed(1).padStart(7)}`);
const summary = tree.ms + top.ms + prune.ms + svg.ms + diffSvg.ms;
const ok = summary < TARGET_MS;
console.log(
  `\nsummary (tree + top + prune + both SVGs): ${summary.toFixed(0)} ms — ${ok ? 'PASS' : 'FAIL'} (target < ${TARGET_MS} ms)`
);
process.exitCode = ok ? 0 : 1;
