import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';
import { CHROMIUM, checkPictures, HAVE_CHROMIUM, loadReport, openBrowser, type OpenedBrowser } from './support/browser.js';

/**
 * The HTML report rendered in headless Chromium: the bundled sample and real shared data
 * (OTRF Log4Shell Sysmon, Tetragon's privileged-pod escape, a Kubernetes pod capture). No
 * console errors, no request beyond the file, no two boxes of a picture overlapping, every
 * highlighted step drawn and labelled. Screenshots are saved under a temp dir.
 */

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const HAVE_SHARED = existsSync(join(SHARED, 'datasets')) && existsSync(join(SHARED, 'captures'));
if (!HAVE_SHARED) console.warn(`SKIPPING report browser tests on real data: ${SHARED} is absent`);
const SAMPLE = fileURLToPath(new URL('../../samples/story.scap', import.meta.url));
const DOCS_SCREENSHOT = fileURLToPath(new URL('../../docs/report-sample.png', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

interface Case {
  name: string;
  inputs: () => string[];
  /** Highlighted step labels the report must draw (at least once each). */
  steps: string[];
  shared: boolean;
}

const CASES: Case[] = [
  { name: 'sample', inputs: () => [SAMPLE], steps: ['shell', 'fetch', 'run', 'read', 'alert'], shared: false },
  {
    name: 'log4shell-sysmon',
    inputs: () => [join(SHARED, 'datasets/otrf/log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json')],
    steps: ['runtime_shell', 'remote_shell'],
    shared: true,
  },
  {
    name: 'tetragon-escape',
    inputs: () => filesUnder(join(SHARED, 'datasets/tetragon/docs-sec-obs-ch3')).filter((f) => f.endsWith('.json')),
    steps: ['shell', 'escape'],
    shared: true,
  },
  { name: 'k8s-capture', inputs: () => [join(SHARED, 'captures/instruqt__ticket-generator-http-error-b841f454.scap')], steps: [], shared: true },
];

const dir = tempDir('pedigree-report-browser-');
let browser: OpenedBrowser | undefined;
beforeAll(async () => {
  if (HAVE_CHROMIUM) browser = await openBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  if (!process.env.PEDIGREE_KEEP_SCREENSHOTS) dir.cleanup();
});

describe.skipIf(!HAVE_CHROMIUM)('report --pdf', () => {
  it('prints the sample report to a PDF through headless Chromium', () => {
    const db = dir.path('pdf.db');
    expect(runCli(['demo', '--no-tui', '--db', db]).code).toBe(0);
    const pdf = dir.path('pdf.pdf');
    const r = runCli(['report', '--db', db, '--out', dir.path('pdf.html'), '--pdf', pdf], { env: { PEDIGREE_CHROMIUM: CHROMIUM } });
    expect(r.code, r.stderr).toBe(0);
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Several pages of text and vector pictures, not a blank page.
    expect(bytes.length).toBeGreaterThan(30_000);
    expect((bytes.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});

describe.skipIf(!HAVE_CHROMIUM)('the report in headless Chromium', () => {
  for (const c of CASES) {
    it.skipIf(c.shared && !HAVE_SHARED)(
      `${c.name}: renders without errors, boxes apart, steps drawn and labelled`,
      async () => {
        const db = dir.path(`${c.name}.db`);
        const imported = runCli(['import', ...c.inputs(), '--db', db]);
        expect(imported.code, imported.stderr).toBe(0);
        expect(runCli(['chains', 'run', '--db', db, '-q']).code).toBe(0);
        if (c.name === 'sample')
          expect(
            runCli(['rules', 'run', fileURLToPath(new URL('../../samples/rules/spawn-shell-in-container.yaml', import.meta.url)), '--db', db, '-q']).code,
          ).toBe(0);
        const html = dir.path(`${c.name}.html`);
        const written = runCli(['report', '--db', db, '--out', html]);
        expect(written.code, written.stderr).toBe(0);

        const { page, consoleErrors, requests } = await loadReport(browser as OpenedBrowser, html);
        expect(consoleErrors).toEqual([]);
        expect(requests).toEqual([]);
        const check = await checkPictures(page);
        if (process.env.PEDIGREE_KEEP_SCREENSHOTS)
          console.log(c.name, JSON.stringify({ pictures: check.pictures, boxes: check.boxes, steps: check.steps.map((s) => s.label) }));
        expect(check.overlaps).toEqual([]);
        for (const s of check.steps) {
          expect(s.visible, `step ${s.steps} (exec ${s.exec}) drawn`).toBe(true);
          expect(s.label).toMatch(/^▶ \S/);
          expect(`${s.steps}, `.startsWith(s.label.slice(2).replace(/…$/, ''))).toBe(true);
        }
        const labelled = new Set(check.steps.flatMap((s) => s.steps.split(', ')));
        for (const step of c.steps) expect(labelled, `step ${step}`).toContain(step);
        if (c.steps.length === 0) expect(check.pictures).toBe(0);
        expect(await page.locator('svg.timeline').count()).toBeGreaterThan(0);
        const shot = dir.path(`${c.name}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        expect(statSync(shot).size).toBeGreaterThan(10_000);
        if (process.env.PEDIGREE_KEEP_SCREENSHOTS) console.log(`screenshot: ${shot}`);
        if (c.name === 'sample' && process.env.PEDIGREE_UPDATE_DOCS_SCREENSHOT) {
          // The picture the README shows: the web-shell chain, its steps and its lineage.
          await page.setViewportSize({ width: 1100, height: 900 });
          await page.locator('article.finding').first().screenshot({ path: DOCS_SCREENSHOT });
        }
        await page.close();
      },
      120_000,
    );
  }
});
