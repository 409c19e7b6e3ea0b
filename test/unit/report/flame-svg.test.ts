/**
 * The flame graphs' SVG: well-formed with hostile names escaped, widths by share of the busy time
 * (idle not drawn), colours by package and grey internals, the differential's red for growth and
 * blue for shrinkage, and bounded markup at 200 k samples.
 */
import { addStack, type CallTree, emptyTree, pruneTree } from '../../../src/profiling/call-tree.js';
import {
  changeFill,
  diffFlameGraph,
  FLAME_WIDTH,
  flameGraph,
  frameFill,
  MAX_FRAMES,
  signedPoints
} from '../../../src/report/flame-svg.js';
import { seededRandom } from '../../helpers/random.js';
import { baseCpu, headCpu } from './profiling-fixture.js';

/** Every element's tag balanced, only the elements a flame graph draws, no text outside them unescaped. */
function expectWellFormed(svg: string): void {
  const open: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)([^>]*?)(\/?)>/g)) {
    const [, close, name, , selfClosing] = m;
    expect(['svg', 'g', 'title', 'rect', 'text']).toContain(name);
    if (close) expect(open.pop()).toBe(name);
    else if (!selfClosing) open.push(name!);
  }
  expect(open).toEqual([]);
  // Outside tags: no raw `<`, `>` or `&` that is not an entity.
  const text = svg.replace(/<[^>]*>/g, '');
  expect(text).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|apos);)/);
}

/** Each drawn frame: its hover text's first line, x, width and fill. */
function frames(svg: string): Array<{ title: string; x: number; width: number; fill: string }> {
  return [
    ...svg.matchAll(
      /<g><title>([^<]*)<\/title><rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="\d+" fill="([^"]+)"\/>/g
    )
  ].map(m => ({ title: m[1]!.split('\n')[0]!, x: Number(m[2]), width: Number(m[3]), fill: m[4]! }));
}

describe('flameGraph', () => {
  it('widths are shares of the busy time; idle is not drawn but stated', () => {
    const svg = flameGraph(pruneTree(headCpu()), { title: 'api — CPU', unit: 'us' });
    expectWellFormed(svg);
    const drawn = frames(svg);
    const hash = drawn.find(f => f.title.startsWith('hash'))!;
    // hash is 50 % of the busy 100 ms: half the width (less the half-unit gap between frames).
    expect(hash.width).toBeCloseTo(FLAME_WIDTH / 2 - 0.5, 0);
    expect(drawn.some(f => f.title.startsWith('(idle)'))).toBe(false);
    expect(svg).toContain('idle 100 ms, 50.0 % of the recording, not drawn');
    expect(svg).toContain('total 50.00 ms (50.0 %), self 50.00 ms (50.0 %)');
  });

  it('escapes hostile names in the hover text and the label, cut to fit and whole in the title', () => {
    const t = emptyTree('us');
    const hostile = `<script>alert("x")</script> & 'quotes' 函数 😀 ${'long'.repeat(60)}`;
    addStack(t, [{ name: hostile, file: 'file:///app/<a>&b.js', line: 7 }], 100);
    const svg = flameGraph(pruneTree(t), { title: 'title <b>&', unit: 'us' });
    expectWellFormed(svg);
    expect(svg).not.toContain('<script');
    expect(svg).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quotes&apos; 函数 😀'
    );
    expect(svg).toContain('file:///app/&lt;a&gt;&amp;b.js:7');
    const label = /<text x="[\d.]+" y="[\d.]+">([^<]*)<\/text><\/g>$/.exec(svg.replace('</svg>', ''))![1]!;
    expect(label.endsWith('…')).toBe(true);
    expect(label.length).toBeLessThan(hostile.length);
  });

  it('colours by package or file, the same each time; the runtime and node: modules grey', () => {
    const f = (file: string) => frameFill({ name: 'x', file });
    expect(f('file:///app/node_modules/@fastify/router/a.js')).toBe(
      f('file:///app/node_modules/@fastify/router/b.js')
    );
    expect(f('file:///app/src/a.js')).toBe(f('file:///app/src/a.js'));
    expect(f('file:///app/src/a.js')).toMatch(/^hsl\(/);
    expect(frameFill({ name: '(garbage collector)', file: '' })).toBe('#b4b4b4');
    expect(f('node:internal/timers')).toBe('#d2d2d2');
  });

  it('draws at most maxFrames, the widest, parents with their children', () => {
    const svg = flameGraph(pruneTree(headCpu()), { title: 't', unit: 'us', maxFrames: 4 });
    expect(frames(svg).map(f => f.title.split(' ')[0])).toEqual(['all:', 'main', 'handle', 'hash']);
    expect(svg).toContain('frame(s) not drawn');
  });
});

describe('diffFlameGraph', () => {
  it('red where the share grew, blue where it shrank, pale where it held', () => {
    const svg = diffFlameGraph(pruneTree(baseCpu()), pruneTree(headCpu()), {
      title: 'api — CPU, base → head',
      unit: 'us'
    });
    expectWellFormed(svg);
    const fill = (name: string) => {
      const [r, g, b] = /rgb\((\d+),(\d+),(\d+)\)/
        .exec(frames(svg).find(f => f.title.startsWith(name))!.fill)!
        .slice(1)
        .map(Number);
      return { r: r!, g: g!, b: b! };
    };
    // compress is new (+30 pts), hash −20, handle's total 90 % in both, the collector −0.
    expect(fill('compress').r).toBeGreaterThan(fill('compress').b + 100);
    expect(fill('hash').b).toBeGreaterThan(fill('hash').r + 100);
    expect(fill('handle')).toEqual({ r: 236, g: 236, b: 236 });
    expect(svg).toContain('new in head: 30.0 % (+30.0 pts)');
    expect(svg).toContain('base 70.0 % → head 50.0 % (−20.0 pts)');
  });

  it('the colour scale: stronger with more points, full at 10', () => {
    expect(changeFill(0)).toBe('rgb(236,236,236)');
    expect(changeFill(10)).toBe('rgb(222,45,38)');
    expect(changeFill(-25)).toBe('rgb(49,110,205)');
    expect(changeFill(2)).not.toBe(changeFill(8));
    expect([signedPoints(12.34), signedPoints(-4), signedPoints(0.01)]).toEqual([
      '+12.3 pts',
      '−4.0 pts',
      '±0.0 pts'
    ]);
  });
});

describe('at 200 k samples', () => {
  /**
   * 200 000 samples of a service-like program (as bench/profile-summary.mjs makes them): framework
   * layers calling one function each, a dispatcher every fourth level calling one of 8, stacks
   * about 7 deep; about 20 000 nodes.
   */
  function serviceTree(): CallTree {
    const next = seededRandom(16);
    const t = emptyTree('us');
    for (let i = 0; i < 200_000; i++) {
      const stack: Array<{ name: string; file: string; line: number }> = [];
      let f = 1;
      for (let depth = 0; depth < 24 && (depth < 2 || next() >= 0.2); depth++) {
        const k = depth % 4 === 1 ? Math.floor(next() ** 3 * 8) : 0;
        f = (f * 31 + 7 * k + 1) % 2000;
        stack.push({ name: `fn${f}<&>`, file: `file:///app/src/m${f % 150}.js`, line: f });
      }
      addStack(t, stack, 1000);
    }
    return t;
  }

  /** 200 paths 30 deep of 1 000 samples each: 6 000 frames, each 6 units wide. */
  function wideTree(): CallTree {
    const t = emptyTree('us');
    for (let j = 0; j < 200; j++)
      addStack(
        t,
        Array.from({ length: 30 }, (_, d) => ({ name: `f${d}_${j}`, file: 'file:///app/a.js', line: d })),
        1000,
        1000
      );
    return t;
  }

  it('stays under MAX_FRAMES frames and half a megabyte, pruned or not', () => {
    for (const t of [serviceTree(), wideTree()])
      for (const tree of [pruneTree(t), pruneTree(t, 0)]) {
        const svg = flameGraph(tree, { title: 'big', unit: 'us' });
        expectWellFormed(svg);
        expect(frames(svg).length).toBeLessThanOrEqual(MAX_FRAMES);
        expect(frames(svg).length).toBeGreaterThan(10);
        expect(svg.length).toBeLessThan(500_000);
        const diff = diffFlameGraph(tree, tree, { title: 'big', unit: 'us' });
        expect(frames(diff).length).toBeLessThanOrEqual(MAX_FRAMES);
        expect(diff.length).toBeLessThan(600_000);
      }
    // The wide tree has more frames than are drawn: the cut is said.
    expect(flameGraph(pruneTree(wideTree()), { title: 'wide', unit: 'us' })).toMatch(
      /\d+ narrower frame\(s\) not drawn/
    );
  });
});
