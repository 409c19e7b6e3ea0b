import {
  distributionChart,
  escapeXml,
  lineChart,
  ninesPosition,
  runs,
  trialComparisonChart,
  type LineSeries,
  type TrialComparisonSpec
} from '../../../src/report/svg-charts.js';
import { BOX, HEIGHT, niceTicks, unitScale, WIDTH } from '../../../src/report/svg-parts.js';

/** Every x,y pair of the chart's paths and circles. */
function points(svg: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [, d] of svg.matchAll(/<path d="([^"]+)"/g)) {
    for (const [, x, y] of d!.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)) out.push([Number(x), Number(y)]);
  }
  for (const [, x, y] of svg.matchAll(/<circle cx="(-?[\d.]+)" cy="(-?[\d.]+)"/g))
    out.push([Number(x), Number(y)]);
  return out;
}

/** The markup of each `<g class="series">`, in drawing order. */
function seriesGroups(svg: string): string[] {
  return [...svg.matchAll(/<g class="series" data-side="(?:head|base)">(.*?)<\/g>/g)].map(m => m[0]);
}

const line = (label: string, side: 'head' | 'base', ys: Array<number | null>): LineSeries => ({
  label,
  side,
  points: ys.map((y, x) => ({ x, y }))
});

const comparison: TrialComparisonSpec = {
  title: 'http_req_duration.med',
  unit: 'ms',
  better: 'lower',
  verdict: 'regressed',
  estimate: 0.1,
  interval: [0.06, 0.14],
  delta: 0.05,
  head: [2.2, 2.25, 2.18, 2.3],
  base: [2, 2.02, 1.98, 2.05],
  medians: { base: 2.01, head: 2.22 }
};

describe('svg charts', () => {
  it('is a self-contained, labelled image: viewBox, role, title, no scripts or references', () => {
    for (const svg of [
      lineChart({ kind: 'rate', title: 'Rate', unit: 'req/s', series: [line('req/s', 'head', [1, 2, 3])] }),
      distributionChart({
        title: 'Dist',
        series: [{ label: 'x', side: 'head', points: [{ p: 50, ms: 1 }] }]
      }),
      trialComparisonChart(comparison)
    ]) {
      expect(svg).toMatch(
        new RegExp(`^<svg xmlns="http://www.w3.org/2000/svg" [^>]*viewBox="0 0 ${WIDTH} ${HEIGHT}"`)
      );
      expect(svg).toMatch(/role="img" aria-label="[^"]+"/);
      expect(svg).toMatch(/<title>[^<]+<\/title>/);
      expect(svg).not.toMatch(/<script|href=|url\(|<image|<foreignObject|\son[a-z]+=/i);
      expect(svg.endsWith('</svg>')).toBe(true);
    }
  });

  it('keeps every point of a line chart inside the plotting area', () => {
    const svg = lineChart({
      kind: 'rate',
      title: 'Rate',
      unit: 'req/s',
      series: [line('req/s', 'head', [480, 523, 0, 501, 12_000])]
    });
    const pts = points(svg);
    expect(pts).toHaveLength(5);
    for (const [x, y] of pts) {
      expect(x).toBeGreaterThanOrEqual(BOX.left);
      expect(x).toBeLessThanOrEqual(BOX.left + BOX.width);
      expect(y).toBeGreaterThanOrEqual(BOX.top);
      expect(y).toBeLessThanOrEqual(BOX.top + BOX.height);
    }
    // x spans the data: the first second at the left edge, the last at the right; y grows upwards.
    expect(pts[0]![0]).toBe(BOX.left);
    expect(pts[4]![0]).toBe(BOX.left + BOX.width);
    expect(pts[2]![1]).toBe(BOX.top + BOX.height);
    expect(pts[4]![1]).toBeLessThan(pts[0]![1]);
  });

  it.each([
    { ys: [1, 2, null, 4, 5], paths: 2, dots: 0 },
    { ys: [1, null, 3, 4], paths: 1, dots: 1 },
    { ys: [null, 2, null], paths: 0, dots: 1 },
    { ys: [1, 2, 3], paths: 1, dots: 0 }
  ])('breaks the line at null values: $ys', ({ ys, paths, dots }) => {
    const svg = lineChart({ kind: 'p99', title: 'p99', unit: 'ms', series: [line('p99', 'head', ys)] });
    expect(svg.match(/<path /g)?.length ?? 0).toBe(paths);
    expect(svg.match(/<circle /g)?.length ?? 0).toBe(dots);
    expect(runs(ys.map((y, x) => ({ x, y }))).map(r => r.length)).toEqual(
      ys
        .map(y => (y === null ? ',' : 'x'))
        .join('')
        .split(',')
        .filter(Boolean)
        .map(s => s.length)
    );
  });

  it('draws one series without and two with both legend entries, base under head', () => {
    const one = lineChart({
      kind: 'rate',
      title: 'R',
      unit: 'req/s',
      series: [line('req/s', 'head', [1, 2])]
    });
    expect(seriesGroups(one)).toHaveLength(1);
    expect(one.match(/<g class="legend">.*?<\/g>/)![0]).toContain('>req/s</text>');

    const two = lineChart({
      kind: 'rate',
      title: 'R',
      unit: 'req/s',
      series: [line('head', 'head', [1, 2]), line('base', 'base', [2, 3])]
    });
    const groups = seriesGroups(two);
    expect(groups).toHaveLength(2);
    expect(groups[0]).toContain('data-side="base"');
    expect(groups[1]).toContain('data-side="head"');
    expect(groups[0]).not.toEqual(groups[1]!.replace('head', 'base'));
    const legend = two.match(/<g class="legend">.*?<\/g>/)![0];
    expect(legend).toContain('>head</text>');
    expect(legend).toContain('>base</text>');
  });

  it('says "no data" rather than drawing an empty or broken axis', () => {
    const svg = lineChart({
      kind: 'cpu',
      title: 'CPU',
      unit: '%',
      series: [line('CPU', 'head', [null, null])]
    });
    expect(svg).toContain('>no data</text>');
    expect(svg).not.toContain('<path');
    expect(svg).not.toContain('NaN');
  });

  it('escapes every label for XML: title, legend, units', () => {
    const evil = `<script>alert(1)</script> "><img src=x onerror=alert(1)> 'q' & @team`;
    const svg = lineChart({ kind: evil, title: evil, unit: evil, series: [line(evil, 'head', [1, 2])] });
    const esc = escapeXml(evil);
    expect(esc).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt; &apos;q&apos; &amp; @team'
    );
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    // Every tag is well formed: quoted attribute values only, no event handler among the names.
    for (const [, attrs] of svg.matchAll(/<[a-zA-Z]+((?:[^>"]|"[^"]*")*)>/g)) {
      expect(attrs).toMatch(/^(\s+[a-zA-Z][a-zA-Z0-9-]*="[^"<>]*")*\/?$/);
      const names = [...attrs!.matchAll(/\s([a-zA-Z][a-zA-Z0-9-]*)="/g)].map(m => m[1]!.toLowerCase());
      expect(names.filter(n => n.startsWith('on'))).toEqual([]);
    }
    expect(svg).toContain(`aria-label="${esc}"`);
    expect(svg).toContain(`<title>${esc}</title>`);
    expect(svg).toContain(`>${esc}</text>`);
    // Outside the escaped text, the markup has only the chart's own elements.
    const tags = [...svg.matchAll(/<([a-zA-Z]+)/g)].map(m => m[1]);
    expect(new Set(tags)).toEqual(new Set(['svg', 'title', 'rect', 'text', 'g', 'line', 'path']));
  });

  it('places percentiles on a nines scale, the maximum at the right edge', () => {
    expect([0, 90, 99, 99.9, 99.99].map(p => ninesPosition(p).toFixed(6))).toEqual(
      ['0', '1', '2', '3', '4'].map(n => Number(n).toFixed(6))
    );
    const svg = distributionChart({
      title: 'Latency distribution',
      series: [
        {
          label: 'head',
          side: 'head',
          points: [0, 50, 90, 99, 99.9, 99.99, 100].map((p, i) => ({ p, ms: 1 + i }))
        }
      ]
    });
    const dots = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map(m => [
      Number(m[1]),
      Number(m[2])
    ]);
    expect(dots).toHaveLength(7);
    expect(dots[0]![0]).toBe(BOX.left);
    expect(dots[6]![0]).toBe(BOX.left + BOX.width);
    for (let i = 1; i < dots.length; i++) {
      expect(dots[i]![0]).toBeGreaterThan(dots[i - 1]![0]!);
      expect(dots[i]![1]).toBeLessThan(dots[i - 1]![1]!);
    }
    for (const label of ['min', '99.9', '99.99', 'max']) expect(svg).toContain(`>${label}</text>`);
  });

  it('draws each trial of both sides and the estimate inside its interval against ±δ', () => {
    const svg = trialComparisonChart(comparison);
    const [base, head] = seriesGroups(svg);
    expect(base!.match(/<circle /g)).toHaveLength(4);
    expect(head!.match(/<circle /g)).toHaveLength(4);
    const change = svg.match(/<g class="change" data-verdict="regressed">.*<\/g>/)![0];
    const band = change.match(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/)!;
    const [bandTop, bandBottom] = [Number(band[1]), Number(band[1]) + Number(band[2])];
    const estimateY = Number(change.match(/<circle cx="[\d.]+" cy="([\d.]+)"/)![1]);
    const caps = [
      ...change.matchAll(/<line x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)" y2="\1" stroke="#cf222e"/g)
    ].map(m => Number(m[1]));
    expect(caps).toHaveLength(2);
    // +6 % … +14 % lies wholly above +5 %: both caps and the estimate are above the band (smaller y).
    expect(Math.max(...caps)).toBeLessThan(bandTop);
    expect(estimateY).toBeGreaterThan(Math.min(...caps));
    expect(estimateY).toBeLessThan(Math.max(...caps));
    expect(change).toContain('>+10 %</text>');
    expect(svg).toContain('>base (4)</text>');
    expect(svg).toContain('>per trial, lower is better</text>');
    expect(bandBottom).toBeGreaterThan(bandTop);
  });

  it('keeps an unbounded interval and a missing base side inside the chart', () => {
    const svg = trialComparisonChart({
      ...comparison,
      verdict: 'inconclusive',
      interval: [-Infinity, Infinity],
      base: [],
      medians: { base: 2, head: 2.2 }
    });
    expect(svg).not.toMatch(/NaN|Infinity/);
    for (const [x, y] of points(svg)) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(WIDTH);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(HEIGHT);
    }
    expect(svg).toContain('>base (0)</text>');
    expect(svg).toContain('stroke-dasharray'); // the stored baseline's median, no dots
  });

  it.each([
    { min: 0, max: 523, lo: 0, hi: 600, step: 100 },
    { min: 0, max: 0, lo: 0, hi: 1, step: 0.2 },
    { min: 1.93, max: 2.26, lo: 1.9, hi: 2.3, step: 0.05 },
    { min: -13.2, max: 5.5, lo: -15, hi: 10, step: 5 },
    { min: 0, max: 7, lo: 0, hi: 7, step: 1 },
    { min: 0, max: 59, lo: 0, hi: 60, step: 10 }
  ])('picks round ticks for [$min, $max]', ({ min, max, lo, hi, step }) => {
    const t = niceTicks(min, max);
    expect([t.lo, t.hi, t.step]).toEqual([lo, hi, step]);
    expect(t.values[0]).toBe(lo);
    expect(t.values[t.values.length - 1]).toBe(hi);
  });

  it.each([
    { unit: 'bytes', max: 90 * 2 ** 20, divisor: 2 ** 20, label: 'MB' },
    { unit: 'bytes', max: 3 * 2 ** 30, divisor: 2 ** 30, label: 'GB' },
    { unit: 'ratio', max: 0.02, divisor: 0.01, label: '%' },
    { unit: 'ms', max: 5, divisor: 1, label: 'ms' },
    // An import's units: nanoseconds in the unit that suits them, its bytes as a benchmark's.
    { unit: 'ns', max: 840, divisor: 1, label: 'ns' },
    { unit: 'ns', max: 4_200, divisor: 1e3, label: 'µs' },
    { unit: 'ns', max: 35e6, divisor: 1e6, label: 'ms' },
    { unit: 'ns', max: 2.5e9, divisor: 1e9, label: 's' },
    { unit: 'B', max: 4096, divisor: 1024, label: 'KB' }
  ])('shows $unit up to $max in $label', ({ unit, max, divisor, label }) => {
    expect(unitScale(unit, max)).toEqual({ divisor, label });
  });
});
