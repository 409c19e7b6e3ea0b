/**
 * The renderings of the report model (SPEC §7), each a handlebars template in `templates/` with the
 * partials of `templates/partials/`: `summary.md` (the job summary), `comment.md` (the PR comment)
 * and `report.html`. They format; they never compute (report-model.ts does).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { Results } from '../model.js';
import {
  codeBlock,
  codeSpan,
  escapeHtmlText,
  escapeMarkdown,
  formatBytes,
  formatMs,
  formatNumber,
  formatPercent,
  markdownUrl
} from './format.js';
import {
  benchmarkRunChart,
  comparisonChart,
  latencyDistributionChart,
  timelineChart,
  toolRunChart,
  trendChart
} from './html-charts.js';
import { buildReportModel, type ReportModel } from './report-model.js';
import { diffFlameGraphHelper, flameGraphHelper } from './flame-helpers.js';

/**
 * The templates folder: beside the bundle (`dist/templates/`, copied there by `npm run bundle`) or
 * at the repository root (from `src/report/` or `lib/report/`). Found at run time, so that the
 * bundler leaves these paths alone.
 */
function templatesDir(): URL {
  const candidates = ['./templates/', '../../templates/'].map(rel => new URL(rel, import.meta.url));
  const found = candidates.find(dir => existsSync(new URL('summary.md.hbs', dir)));
  if (!found)
    throw new Error(`perfgate's templates are missing (looked in ${candidates.map(String).join(', ')})`);
  return found;
}

const TEMPLATES = templatesDir();

export type Rendering = 'summary.md' | 'comment.md' | 'report.html';

let env: typeof Handlebars | undefined;
const compiled = new Map<Rendering, Handlebars.TemplateDelegate>();

/** One handlebars environment: the helpers and every partial, registered once. */
function handlebars(): typeof Handlebars {
  if (env) return env;
  const hb = Handlebars.create();
  // Markdown: every string from the results goes through one of these (escape-markdown.ts says where).
  hb.registerHelper('md', (value: unknown) => escapeMarkdown(String(value ?? '')));
  hb.registerHelper('html', (value: unknown) => escapeHtmlText(String(value ?? '')));
  hb.registerHelper('url', (value: unknown) => markdownUrl(String(value ?? '')));
  hb.registerHelper('code', (value: unknown) => codeSpan(String(value ?? '')));
  hb.registerHelper('block', (value: unknown) => codeBlock(String(value ?? '')));
  hb.registerHelper('json', (value: unknown) => JSON.stringify(value ?? null));
  // Units and percentages (formatting only): {{ms 1.234}} → 1.23 ms, {{pct 0.031}} → 3.10 %,
  // {{num 1234.5 1}} → 1,234.5, {{bytes 1048576}} → 1.0 MB.
  hb.registerHelper('ms', (value: unknown) => formatMs(typeof value === 'number' ? value : null));
  hb.registerHelper('pct', (value: unknown) => formatPercent(typeof value === 'number' ? value : null));
  hb.registerHelper('num', (value: unknown, digits: unknown) =>
    formatNumber(typeof value === 'number' ? value : null, typeof digits === 'number' ? digits : 0)
  );
  hb.registerHelper('bytes', (value: unknown) => formatBytes(typeof value === 'number' ? value : null));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // Charts (report.html only): SVG markup, escaped by svg-charts.ts, for `{{{…}}}` slots.
  hb.registerHelper('timelineChart', timelineChart);
  hb.registerHelper('trendChart', trendChart);
  hb.registerHelper('distributionChart', latencyDistributionChart);
  hb.registerHelper('comparisonChart', comparisonChart);
  hb.registerHelper('benchmarkRunChart', benchmarkRunChart);
  hb.registerHelper('toolRunChart', toolRunChart);
  hb.registerHelper('flameGraph', flameGraphHelper);
  hb.registerHelper('diffFlameGraph', diffFlameGraphHelper);
  for (const file of readdirSync(new URL('partials/', TEMPLATES))) {
    const name = file.replace(/\.hbs$/, '');
    hb.registerPartial(name, readFileSync(new URL(`partials/${file}`, TEMPLATES), 'utf8'));
  }
  env = hb;
  return hb;
}

function template(kind: Rendering): Handlebars.TemplateDelegate {
  let t = compiled.get(kind);
  if (!t) {
    const source = readFileSync(new URL(`${kind}.hbs`, TEMPLATES), 'utf8');
    // Markdown: user strings are escaped explicitly by `md`/`code`; HTML: handlebars escapes every {{…}}.
    t = handlebars().compile(source, { noEscape: kind !== 'report.html', strict: false });
    compiled.set(kind, t);
  }
  return t;
}

export function render(kind: Rendering, model: ReportModel): string {
  return template(kind)(model);
}

/** `summary.md` straight from the results (the model is built on the way). */
export function renderSummary(results: Results): string {
  return render('summary.md', buildReportModel(results, { distributions: false }));
}

/** Where the comment points for the full report. */
export interface CommentLinks {
  run: string;
  artifact: string;
}

/**
 * `comment.md`: the verdict and any regressions first, the rest folded, a link to the full report.
 * `comment: true` tells the partials it shares with summary.md to keep other tools' benchmarks short.
 */
export function renderComment(model: ReportModel, links?: CommentLinks): string {
  return template('comment.md')({ ...model, links, comment: true });
}

/** `report.html`: the self-contained page (inline CSS and SVG, no scripts, no network). */
export function renderHtml(model: ReportModel): string {
  return render('report.html', model);
}
