import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** ../shared/captures beside the checkout (the real captures and their sysdig truth files). */
export const CAPTURES_DIR = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'captures');
export const HAVE_CAPTURES = existsSync(join(CAPTURES_DIR, 'MANIFEST.md'));

if (!HAVE_CAPTURES) {
  console.warn(`SKIPPING real-capture tests: ${CAPTURES_DIR} is absent (it holds the shared .scap captures)`);
}

export function captureFiles(): string[] {
  if (!HAVE_CAPTURES) return [];
  return readdirSync(CAPTURES_DIR)
    .filter((f) => f.endsWith('.scap'))
    .sort()
    .map((f) => join(CAPTURES_DIR, f));
}

/** The `-p` format the truth files were made with, as MANIFEST.md records it. */
export function truthFormat(): string {
  const manifest = readFileSync(join(CAPTURES_DIR, 'MANIFEST.md'), 'utf8');
  const m = /sysdig -r FILE -p '([^']+)'/.exec(manifest);
  if (!m?.[1]) throw new Error('MANIFEST.md does not record the truth format');
  return m[1];
}
