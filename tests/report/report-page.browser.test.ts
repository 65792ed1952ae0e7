import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../helpers/demo.js';

/**
 * The demo's report.html in a real browser: Debian's chromium, driven by puppeteer-core (no browser download).
 * Skipped with a notice where chromium is missing, except in CI (CI=true), where it must run. Screenshots at
 * 1280 and 390 px and an A4 PDF go to test-artifacts/ (gitignored) for a person to look at.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const REQUIRED = process.env.CI === 'true';
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');
if (!HAVE_CHROMIUM && !REQUIRED) {
  process.stderr.write(
    `\nNOTICE: the report.html browser test is SKIPPED: no chromium at ${CHROMIUM} ` +
      '(apt-get install -y --no-install-recommends chromium fonts-dejavu-core, or set CHROMIUM_PATH); in CI it fails instead\n\n',
  );
}

// The callbacks of page.evaluate run in the page; this project's TypeScript has no DOM types (lib ES2023, and
// adding them would retype Node's fetch everywhere), so the few browser globals they use are declared here, loosely.
// biome-ignore lint/suspicious/noExplicitAny: browser globals seen from Node
type Dom = any;
declare const document: Dom;
declare const window: Dom;
declare const Node: Dom;
declare const SVGElement: Dom;
declare function getComputedStyle(element: Dom): Dom;

/** A4 portrait less the page's 12 mm margins, in CSS pixels (96 per inch). */
const A4_CONTENT = { width: Math.floor((186 / 25.4) * 96), height: Math.floor((273 / 25.4) * 96) };

describe.skipIf(!HAVE_CHROMIUM && !REQUIRED)('report.html in headless Chromium (the demo, from file://)', () => {
  let browser: Browser;
  let url: string;
  let scorecard: { rows: { framework: string; label: string }[]; frameworks: { framework: string }[] };

  beforeAll(async () => {
    if (!HAVE_CHROMIUM)
      throw new Error(`CI=true and no chromium at ${CHROMIUM}: .ci/run installs Debian's chromium; this test must run in CI`);
    const { out, result } = await runDemo('am-page-');
    expect(result.code, result.stderr).toBe(0);
    url = pathToFileURL(join(out, 'report.html')).href;
    scorecard = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).scorecard;
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      // As root (CI containers) Chromium needs --no-sandbox; a small /dev/shm crashes it without the second.
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The page loaded at a width, with every console error, page error and request it made recorded. */
  async function load(width: number, media: 'screen' | 'print' = 'screen') {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${String(e)}`));
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      requests.push(r.url());
      // Only the page itself may load; anything else it attempts is recorded and refused.
      if (r.url() === url) void r.continue();
      else void r.abort();
    });
    await page.emulateMediaType(media);
    await page.setViewport({ width, height: 900 });
    await page.goto(url, { waitUntil: 'load' });
    return { page, errors, requests };
  }

  for (const width of [1280, 390]) {
    it(`at ${width} px: no console error, no request, no page-wide scroll, every chart on screen, the scorecard's rows`, async () => {
      const { page, errors, requests } = await load(width);
      try {
        expect(errors).toEqual([]);
        expect(requests).toEqual([url]);
        const layout = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
          scripts: document.scripts.length,
          charts: [...document.querySelectorAll('svg.chart')].map((svg) => {
            const box = svg.getBoundingClientRect();
            return { width: box.width, height: box.height, top: box.top + window.scrollY, visible: svg.checkVisibility() };
          }),
          matrixRows: [...document.querySelectorAll('#scorecard-matrix tbody th[scope="row"]')].map((th) => th.textContent),
          matrixColumns: [...document.querySelectorAll('#scorecard-matrix thead th')].map((th) => th.textContent),
          detailRows: document.querySelectorAll('#scorecard-rows tbody tr').length,
          documentHeight: document.documentElement.scrollHeight,
        }));
        expect(layout.scripts).toBe(0);
        expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
        expect(layout.charts).toHaveLength(6);
        for (const chart of layout.charts) {
          expect(chart.visible).toBe(true);
          expect(chart.width).toBeGreaterThan(width < 600 ? 300 : 600);
          expect(chart.height).toBeGreaterThan(150);
          expect(chart.top + chart.height).toBeLessThanOrEqual(layout.documentHeight);
        }
        expect(layout.matrixRows).toEqual(scorecard.frameworks.map((f) => f.framework));
        expect(layout.matrixRows).toEqual(['PyTorch', 'TensorFlow', 'Keras', 'JAX']);
        expect(layout.matrixColumns).toEqual(['framework', ...new Set(scorecard.rows.map((r) => r.label))]);
        expect(layout.detailRows).toBe(scorecard.rows.length);
        await page.screenshot({ path: join(ARTIFACTS, `report-${width}.png`), fullPage: true });
        await page.screenshot({ path: join(ARTIFACTS, `report-${width}-first-screen.png`) });
      } finally {
        await page.close();
      }
    });
  }

  it('is accessible: headings in order, tables with scoped headings, named charts, text contrast of at least 4.5:1', async () => {
    const { page } = await load(1280);
    try {
      const found = await page.evaluate(() => {
        const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1]));
        const tables = [...document.querySelectorAll('table')].map((t) => ({
          caption: t.querySelector('caption')?.textContent ?? '',
          unscoped: t.querySelectorAll('th:not([scope])').length,
          columnHeads: t.querySelectorAll('thead th[scope="col"]').length,
        }));
        const charts = [...document.querySelectorAll('svg.chart')].map((svg) => {
          const ids: string[] = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
          return {
            role: svg.getAttribute('role'),
            title: svg.querySelector('title')?.textContent ?? '',
            desc: svg.querySelector('desc')?.textContent ?? '',
            labelledBy: ids.map((id) => document.getElementById(id)?.tagName.toLowerCase()),
          };
        });
        // Contrast (WCAG 2): every element with text of its own against the first opaque background behind it.
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const lum = ([r, g, b]: number[]) => {
          const ch = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
          return 0.2126 * ch(r!) + 0.7152 * ch(g!) + 0.0722 * ch(b!);
        };
        const background = (el: Dom): number[] => {
          for (let e = el; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3]! > 0)) return c.slice(0, 3);
          }
          return [255, 255, 255];
        };
        const low: string[] = [];
        let checked = 0;
        for (const el of document.querySelectorAll('body *')) {
          const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
          if (!own || el.closest('.sr') || el.closest('title, desc')) continue;
          const style = getComputedStyle(el);
          // SVG text is painted with fill on the chart's white background.
          const fg = rgb(el instanceof SVGElement ? style.fill : style.color).slice(0, 3);
          const bg = el instanceof SVGElement ? [255, 255, 255] : background(el);
          const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x) as [number, number];
          const ratio = (a + 0.05) / (b + 0.05);
          checked++;
          if (ratio < 4.5) low.push(`${el.tagName} "${el.textContent!.trim().slice(0, 40)}" ${ratio.toFixed(2)}`);
        }
        return {
          levels,
          tables,
          charts,
          low,
          checked,
          lang: document.documentElement.lang,
          viewport: document.querySelector('meta[name="viewport"]')?.getAttribute('content'),
        };
      });
      expect(found.lang).toBe('en');
      expect(found.viewport).toBe('width=device-width, initial-scale=1');
      expect(found.levels[0]).toBe(1);
      found.levels.forEach((level, i) => {
        if (i > 0) expect(level - found.levels[i - 1]!, `heading ${i}`).toBeLessThanOrEqual(1);
      });
      expect(found.tables.length).toBeGreaterThan(8);
      for (const t of found.tables) {
        expect(t.unscoped, t.caption).toBe(0);
        expect(t.caption).not.toBe('');
        expect(t.columnHeads, t.caption).toBeGreaterThan(1);
      }
      for (const chart of found.charts) {
        expect(chart.role).toBe('img');
        expect(chart.title).toMatch(/\S/);
        expect(chart.desc).toMatch(/\S/);
        expect(chart.labelledBy).toEqual(['title', 'desc']);
      }
      expect(found.low).toEqual([]);
      expect(found.checked).toBeGreaterThan(500);
    } finally {
      await page.close();
    }
  });

  it('prints on A4 with every chart whole on a page', async () => {
    const { page, errors } = await load(A4_CONTENT.width, 'print');
    try {
      expect(errors).toEqual([]);
      const charts = await page.evaluate(() =>
        [...document.querySelectorAll('svg.chart')].map((svg) => {
          const box = svg.getBoundingClientRect();
          const figure = getComputedStyle(svg.closest('figure')!);
          return { width: box.width, height: box.height, breakInside: figure.breakInside };
        }),
      );
      expect(charts).toHaveLength(6);
      // Paper cannot scroll: every table fits the page's width too.
      const tables = await page.evaluate(() =>
        [...document.querySelectorAll('table')].map((t) => ({ caption: t.caption?.textContent, right: t.getBoundingClientRect().right })),
      );
      for (const t of tables) expect(t.right, t.caption).toBeLessThanOrEqual(A4_CONTENT.width + 1);
      for (const chart of charts) {
        expect(chart.width).toBeGreaterThan(0);
        expect(chart.width).toBeLessThanOrEqual(A4_CONTENT.width);
        expect(chart.height).toBeLessThanOrEqual(A4_CONTENT.height);
        expect(chart.breakInside).toBe('avoid');
      }
      const pdf = await page.pdf({ path: join(ARTIFACTS, 'report-a4.pdf'), format: 'A4', preferCSSPageSize: true });
      expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    } finally {
      await page.close();
    }
  });
});
