import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { sniffInput, statInput } from '../../src/importer/open-input.js';
import { CAPTURES_DIR, HAVE_CAPTURES } from '../scap/shared-captures.js';
import { tempDir } from '../support/temp-case.js';

const HEAD_BYTES = 64 * 1024;

/**
 * Format detection sees the first 64 KiB of the content: a plain file's read in one positional
 * read, a gzip file's decompressed through streams. Both must give the same head, and say whether
 * it is the whole content, whatever the size around the 64 KiB mark.
 */
describe.skipIf(!HAVE_CAPTURES)('the head of an input for format detection', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const capture = readFileSync(`${CAPTURES_DIR}/sfcollector__alpine_alpine.scap`);

  it.each([
    ['a real capture', capture.length],
    ['one byte over the head', HEAD_BYTES + 1],
    ['exactly the head', HEAD_BYTES],
    ['a short file', 1000],
    ['one byte', 1],
    ['an empty file', 0],
  ])('%s: plain and gzip give the same head', async (_name, size) => {
    expect(capture.length).toBeGreaterThan(HEAD_BYTES + 1);
    const content = capture.subarray(0, size);
    const plain = tmp.path(`plain-${size}`);
    const gz = tmp.path(`gz-${size}.gz`);
    writeFileSync(plain, content);
    writeFileSync(gz, gzipSync(content));

    const fromPlain = await sniffInput(statInput(plain));
    const fromGzip = await sniffInput(statInput(gz));
    expect(fromPlain.gzip).toBe(false);
    expect(fromGzip.gzip).toBe(true);
    expect(fromPlain.head.equals(content.subarray(0, HEAD_BYTES))).toBe(true);
    expect(fromPlain.headIsWhole).toBe(size <= HEAD_BYTES);
    expect(fromGzip.head.equals(fromPlain.head)).toBe(true);
    expect(fromGzip.headIsWhole).toBe(fromPlain.headIsWhole);
  });
});
