import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { packedBuffers, packRows, unpackRows } from '../../src/db/postgres/packed-rows.js';

/** Through a real message port, as the PostgreSQL worker sends results. */
function roundTrip(rows: unknown[][], width: number): unknown[][] {
  const { port1, port2 } = new MessageChannel();
  try {
    const packed = packRows(rows, width);
    port1.postMessage(packed, packedBuffers(packed));
    return unpackRows(receiveMessageOnPort(port2)?.message);
  } finally {
    port1.close();
  }
}

describe('rows packed by column between the PostgreSQL worker and its caller', () => {
  it('come back as they went: integers as bigint, NULLs, strings, numbers', () => {
    const rows = [
      [1n, 'sh', null, 1732800000123456789n, 1.5, null],
      [-(2n ** 63n), null, null, 2n ** 63n - 1n, 2, null],
      [0n, 'ünïcode \u0000 and \u001b[31m', null, null, null, null],
    ];
    const back = roundTrip(rows, 6);
    expect(back).toEqual(rows);
    expect(typeof back[1]?.[0]).toBe('bigint');
  });

  it('keep integers wider than 64 bits (numeric sums) and mixed columns exact', () => {
    const rows = [
      [2n ** 70n, 1n],
      [3n, 'text in an integer column'],
    ];
    expect(roundTrip(rows, 2)).toEqual(rows);
  });

  it('carry an empty result and its width', () => {
    expect(roundTrip([], 3)).toEqual([]);
    expect(packRows([], 3).columns).toHaveLength(3);
  });
});
