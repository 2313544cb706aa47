import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PedigreeError } from '../util/errors.js';

/** Headless, offline and quiet: no sandbox (it may run as root), no GPU, no network services. */
export const OFFLINE_CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const BROWSERS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The first Chromium-family browser on PATH (or $PEDIGREE_CHROMIUM), if any. */
function findChromium(): string | null {
  const env = process.env.PEDIGREE_CHROMIUM;
  if (env) return existsSync(env) ? env : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of BROWSERS) {
      const candidate = join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return null;
}

/**
 * Prints an HTML file to PDF with headless Chromium, offline: a fresh profile, no network
 * services, nothing but the file itself loaded.
 */
export function printPdf(htmlPath: string, pdfPath: string): void {
  const browser = findChromium();
  if (!browser) {
    throw new PedigreeError(
      'INPUT_NOT_FOUND',
      `--pdf needs headless Chromium and none was found on PATH (tried ${BROWSERS.join(', ')}; or set PEDIGREE_CHROMIUM); the HTML report was written: print it from any browser`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'pedigree-pdf-'));
  try {
    const out = resolve(pdfPath);
    const r = spawnSync(
      browser,
      [...OFFLINE_CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--no-pdf-header-footer', `--print-to-pdf=${out}`, pathToFileURL(resolve(htmlPath)).href],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (r.status !== 0 || !existsSync(out) || statSync(out).size === 0) {
      const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n').slice(-3).join(' | ');
      throw new PedigreeError('INPUT_NOT_FOUND', `${browser} could not print ${htmlPath} to ${pdfPath}: ${why || `exit ${r.status}`}`);
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
