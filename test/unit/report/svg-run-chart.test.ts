import { runChart, type RunChartSpec } from '../../../src/report/svg-charts.js';
import { BOX } from '../../../src/report/svg-parts.js';

const circles = (svg: string, side: string) => {
  const g = new RegExp(`<g class="series" data-side="${side}">(.*?)</g>`).exec(svg)?.[1] ?? '';
  return [...g.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"[^>]*data-counted="(\w+)"/g)].map(m => ({
    x: Number(m[1]),
    y: Number(m[2]),
    counted: m[3] === 'true'
  }));
};

const spec: RunChartSpec = {
  title: 'Wall time per pair — <b>build</b>',
  unit: 'ms',
  xLabel: 'pair',
  series: [
    {
      label: 'head',
      side: 'head',
      points: [
        { x: 1, y: 30, discarded: true },
        { x: 2, y: 20 },
        { x: 3, y: 40 },
        { x: 4, y: 90, failed: true }
      ]
    },
    {
      label: 'base',
      side: 'base',
      points: [
        { x: 1, y: 10, discarded: true },
        { x: 2, y: 10 },
        { x: 3, y: 10 }
      ]
    }
  ]
};

describe('runChart', () => {
  const svg = runChart(spec);

  it('draws one dot per run, left to right by number, higher values higher up', () => {
    const head = circles(svg, 'head');
    expect(head.map(c => c.counted)).toEqual([false, true, true, false]);
    expect(head.map(c => c.x)).toEqual([...head.map(c => c.x)].sort((a, b) => a - b));
    expect(head[2]!.y).toBeLessThan(head[1]!.y); // 40 above 20
    expect(head[3]!.y).toBeLessThan(head[2]!.y); // 90 above 40
    for (const c of head) {
      expect(c.x).toBeGreaterThan(BOX.left);
      expect(c.x).toBeLessThan(BOX.left + BOX.width);
      expect(c.y).toBeGreaterThanOrEqual(BOX.top);
      expect(c.y).toBeLessThanOrEqual(BOX.top + BOX.height);
    }
    const base = circles(svg, 'base');
    expect(base.map(c => c.x)).toEqual(head.slice(0, 3).map(c => c.x)); // pairs line up
  });

  it('joins only the runs that count, and says in the legend which are left out', () => {
    const path = /<g class="series" data-side="head"><path d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(path.match(/[ML]/g)).toHaveLength(2);
    expect(svg).toContain('○ not counted');
    const plain = runChart({ ...spec, series: [{ label: 'head', side: 'head', points: [{ x: 1, y: 5 }] }] });
    expect(plain).not.toContain('not counted');
  });

  it('escapes the title and says so when there is nothing to draw', () => {
    expect(svg).toContain('aria-label="Wall time per pair — &lt;b&gt;build&lt;/b&gt;"');
    expect(svg).not.toContain('<b>');
    const empty = runChart({ ...spec, series: [{ label: 'head', side: 'head', points: [] }] });
    expect(empty).toContain('>no runs</text>');
  });

  it('shows bytes in binary units', () => {
    const rss = runChart({
      ...spec,
      unit: 'bytes',
      series: [{ label: 'head', side: 'head', points: [{ x: 1, y: 300 * 2 ** 20 }] }]
    });
    expect(rss).toMatch(/>MB<\/text>/);
  });
});
