/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate bodies below run in the browser.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { OFFLINE_CHROMIUM_FLAGS } from '../../../src/report/pdf.js';

/** The system Chromium the browser tests drive (Debian's `chromium` package). */
export const CHROMIUM = process.env.PEDIGREE_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`SKIPPING browser tests of the HTML report: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

export interface OpenedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts headless Chromium with a fresh profile directory (removed on close). */
export async function openBrowser(): Promise<OpenedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'pedigree-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: OFFLINE_CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface LoadedPage {
  page: Page;
  consoleErrors: string[];
  /** Every URL the page asked for other than the report itself. */
  requests: string[];
}

/** Opens a report file and records console errors and any request it makes. */
export async function loadReport(browser: OpenedBrowser, file: string): Promise<LoadedPage> {
  const page = await browser.context.newPage();
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  const self = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('request', (r) => {
    if (r.url() !== self) requests.push(r.url());
  });
  await page.goto(self, { waitUntil: 'load' });
  return { page, consoleErrors, requests };
}

export interface PictureCheck {
  pictures: number;
  boxes: number;
  /** Pairs of boxes in one picture that overlap: `picture#i: a × b`. */
  overlaps: string[];
  /** Highlighted steps: their label and whether their box is rendered with a size. */
  steps: { exec: string; steps: string; label: string; visible: boolean }[];
}

/** Reads every lineage picture's node boxes from the DOM (as laid out by the browser). */
export async function checkPictures(page: Page): Promise<PictureCheck> {
  return page.evaluate(() => {
    const overlaps: string[] = [];
    const steps: { exec: string; steps: string; label: string; visible: boolean }[] = [];
    const pictures = [...document.querySelectorAll('svg.lineage')];
    let boxes = 0;
    pictures.forEach((svg, i) => {
      const nodes = [...svg.querySelectorAll('g.node')].map((g) => ({ g, r: (g.querySelector('rect.box') as SVGRectElement).getBoundingClientRect() }));
      boxes += nodes.length;
      for (let a = 0; a < nodes.length; a++) {
        for (let b = a + 1; b < nodes.length; b++) {
          const p = nodes[a]!.r;
          const q = nodes[b]!.r;
          const apart = p.right <= q.left || q.right <= p.left || p.bottom <= q.top || q.bottom <= p.top;
          if (!apart) overlaps.push(`picture#${i}: ${nodes[a]!.g.getAttribute('data-exec')} × ${nodes[b]!.g.getAttribute('data-exec')}`);
        }
      }
      for (const { g, r } of nodes) {
        if (!g.classList.contains('step')) continue;
        const label = g.querySelector('text.step-name');
        const name = g.querySelector('text.name');
        const style = getComputedStyle(g);
        const l = label?.getBoundingClientRect();
        const nr = name?.getBoundingClientRect();
        // The label sits inside its box and clear of the process name beside it.
        const clear = l !== undefined && nr !== undefined && nr.right <= l.left && l.right <= r.right && nr.left >= r.left;
        steps.push({
          exec: g.getAttribute('data-exec') ?? '',
          steps: g.getAttribute('data-steps') ?? '',
          label: label?.textContent ?? '',
          visible: r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none' && (l?.width ?? 0) > 0 && clear,
        });
      }
    });
    return { pictures: pictures.length, boxes, overlaps, steps };
  });
}
