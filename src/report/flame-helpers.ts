/**
 * The handlebars helpers that draw report.html's flame graphs (`{{{flameGraph flame}}}`,
 * `{{{diffFlameGraph diffFlame}}}`) from what profiling-view.ts prepared: SVG markup, escaped in
 * flame-svg.ts, or an empty string when there is nothing to draw.
 */
import type { CaptureView, ProfilingView } from './profiling-view.js';
import { diffFlameGraph, flameGraph } from './flame-svg.js';

type DiffFlame = NonNullable<NonNullable<ProfilingView>['groups'][number]['diffs'][number]['diffFlame']>;

export function flameGraphHelper(flame: CaptureView['flame'] | undefined): string {
  if (!flame || flame.tree.v <= 0) return '';
  return flameGraph(flame.tree, { title: flame.title, unit: flame.unit, fileLabel: flame.fileLabel });
}

export function diffFlameGraphHelper(diff: DiffFlame | undefined): string {
  if (!diff || diff.head.v <= 0) return '';
  return diffFlameGraph(diff.base, diff.head, {
    title: diff.title,
    unit: diff.unit,
    fileLabel: diff.fileLabel
  });
}
