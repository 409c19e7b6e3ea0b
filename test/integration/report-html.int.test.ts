/**
 * report.html in a real browser: written by ReportWriter, opened from disk (file://) in headless
 * Chromium, it must render its charts without console errors, without a single network request and
 * without any script or event handler, whatever the profile and request names hold.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { buildReportModel } from '../../src/report/report-model.js';
import { ReportWriter } from '../../src/report/report-writer.js';
import { HOSTILE, richResults } from '../helpers/report-results.js';

/** What the test reads of the page's DOM. */
interface PageElement {
  tagName: string;
  attributes: ArrayLike<{ name: string }>;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number; height: number };
}
interface PageDocument {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = path.resolve('test-output');

describe('report.html in headless Chromium', () => {
  let browser: Browser | undefined;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH`
      );
    }
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox']
    });
    dir = mkdtempSync(path.join(tmpdir(), 'perfgate-report-'));
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders every chart, logs nothing, loads nothing and runs nothing', async () => {
    // A second, unpaired profile: its charts have a head side only.
    const results = richResults({ profiles: 2, trials: 6, seconds: 8, gap: true });
    delete results.profiles[1]!.base;
    const files = new ReportWriter(dir).write(results);
    const model = buildReportModel(results);
    // Per profile: rate, latency, distribution, CPU and RSS, plus one chart per gated comparison.
    const expected = model.profiles.reduce((n, p) => n + 5 + p.charts.comparisons.length, 0);

    const page = await browser!.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', m => {
      if (m.type() === 'error' || m.type() === 'warn') problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', err => problems.push(`pageerror: ${String(err)}`));
    page.on('request', r => requests.push(r.url()));
    await page.setViewport({ width: 1280, height: 900 });
    const url = pathToFileURL(files.html).href;
    await page.goto(url, { waitUntil: 'load' });

    const dom = await page.evaluate(() => {
      // Runs in the page; the project compiles without the DOM lib, hence the small local types.
      const document = (globalThis as unknown as { document: PageDocument }).document;
      const all = (selector: string) => Array.from(document.querySelectorAll(selector));
      const charts = all('svg.chart').map(svg => {
        const box = svg.getBoundingClientRect();
        return {
          chart: svg.getAttribute('data-chart'),
          label: svg.getAttribute('aria-label'),
          width: box.width,
          height: box.height
        };
      });
      const handlers = all('*').flatMap(el =>
        Array.from(el.attributes)
          .filter(a => a.name.toLowerCase().startsWith('on'))
          .map(a => `${el.tagName} ${a.name}`)
      );
      return {
        charts,
        handlers,
        scripts: all('script').length,
        images: all('img, image, iframe, object, embed, link[href]').length,
        title: document.querySelector('h1')?.textContent ?? '',
        profileHeading: document.querySelector('section.profile h2')?.textContent ?? '',
        csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')
      };
    });
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'report.png'), fullPage: true });
    await page.close();

    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    expect(dom.scripts).toBe(0);
    expect(dom.handlers).toEqual([]);
    expect(dom.images).toBe(0);
    expect(dom.csp).toContain("default-src 'none'");
    // The hostile name is shown as text, character for character.
    expect(dom.profileHeading).toBe(HOSTILE);
    expect(dom.title).toContain('gate failed');
    expect(dom.charts).toHaveLength(expected);
    for (const c of dom.charts) {
      expect(c.width).toBeGreaterThan(0);
      expect(c.height).toBeGreaterThan(0);
    }
    expect(dom.charts.filter(c => c.chart === 'comparison')).toHaveLength(6);
    expect(dom.charts[0]!.label).toBe(`Requests per second — ${HOSTILE}`);
  }, 30_000);
});
