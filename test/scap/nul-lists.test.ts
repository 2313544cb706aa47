import { describe, expect, it } from 'vitest';
import { splitNulList } from '../../src/capture/scap/event-params.js';

/** Each item decoded on its own, as the decoder did before it decoded a list in one call. */
function itemByItem(buf: Buffer, start: number, end: number): string[] {
  const items: string[] = [];
  let from = start;
  while (from < end) {
    let nul = buf.indexOf(0, from);
    if (nul < 0 || nul > end) nul = end;
    items.push(buf.toString('utf8', from, nul));
    from = nul + 1;
  }
  return items;
}

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cases: [string, number[]][] = [
  ['empty', []],
  ['one empty item', [0]],
  ['two empty items', [0, 0]],
  ['items with their NULs', [0x61, 0, 0x62, 0x63, 0]],
  ['a capped last item without its NUL', [0x61, 0, 0x62]],
  ['an empty item in the middle', [0x61, 0, 0, 0x62, 0]],
  ['an empty last item', [0x61, 0, 0]],
  ['a two-byte character cut before a NUL', [0x61, 0xc3, 0, 0x62, 0]],
  ['a three-byte character cut before a NUL', [0xe2, 0x82, 0, 0xe2, 0x82, 0xac, 0]],
  ['a four-byte character cut before a NUL', [0xf0, 0x9f, 0x98, 0, 0xf0, 0x9f, 0x98, 0x80]],
  ['a character cut at the end', [0x61, 0, 0xe2, 0x82]],
  ['stray continuation bytes and invalid lead bytes', [0x80, 0xbf, 0, 0xff, 0xfe, 0, 0xc0, 0xaf, 0]],
  ['an encoded surrogate', [0xed, 0xa0, 0x80, 0, 0x61]],
];

describe('NUL-separated lists (args, env, cgroups)', () => {
  it.each(cases)('splits %s as decoding each item on its own does', (_name, bytes) => {
    const buf = Buffer.from([0x7a, ...bytes, 0x7a]);
    expect(splitNulList(buf, 1, 1 + bytes.length)).toEqual(itemByItem(buf, 1, 1 + bytes.length));
  });

  it('agrees with item-by-item decoding on random bytes dense in NULs and multi-byte sequences', () => {
    const next = random(15);
    const pool = [0, 0, 0x20, 0x61, 0x7f, 0x80, 0xa9, 0xbf, 0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    for (let n = 0; n < 3000; n++) {
      const bytes = Array.from({ length: Math.floor(next() * 24) }, () => pool[Math.floor(next() * pool.length)] as number);
      const buf = Buffer.from(bytes);
      expect(splitNulList(buf, 0, buf.length), `bytes ${buf.toString('hex')}`).toEqual(itemByItem(buf, 0, buf.length));
    }
  });
});
