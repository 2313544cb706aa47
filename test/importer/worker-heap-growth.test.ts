import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { holdLowHeapGrowth } from '../../src/importer/worker-heap-growth.js';

/**
 * A worker that keeps tens of MB live (like the linker's running processes) while objects that
 * survive a few collections and then die (like a batch's events) pass through its old
 * generation; it reports the most its old generation was seen to hold.
 */
const CHURN = `
const { parentPort } = require('node:worker_threads');
const { getHeapSpaceStatistics } = require('node:v8');
const live = new Array(150000);
const recent = new Array(50000);
let peak = 0;
for (let i = 0; i < 1500000; i++) {
  const o = { pid: i, comm: 'proc-' + (i % 997), args: ['-c', 'x' + i], ts: String(1732800000000000000n + BigInt(i)) };
  if (i % 4 === 0) live[(i >> 2) % live.length] = o;
  recent[i % recent.length] = o;
  if (i % 2000 === 0) {
    let old = 0;
    for (const s of getHeapSpaceStatistics()) if (s.space_name !== 'new_space' && s.space_name !== 'new_large_object_space') old += s.space_size;
    peak = Math.max(peak, old);
  }
}
parentPort.postMessage(peak);
`;

function churnPeak(): Promise<number> {
  // The same maximum heap for both runs, whatever the machine's memory (V8 picks its default
  // growing factor from it): 4 GB, which an unbounded worker gets on a machine with 16 GB or more.
  const worker = new Worker(CHURN, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 4096, maxYoungGenerationSizeMb: 32 } });
  return new Promise((resolve, reject) => {
    worker.once('message', (peak: number) => resolve(peak));
    worker.once('error', reject);
  });
}

describe('the import worker heap growth hold', () => {
  it("keeps a worker's old generation near its live size, where V8's own factor lets it grow to several times that", async () => {
    const free = await churnPeak();
    const release = holdLowHeapGrowth();
    let held: number;
    try {
      held = await churnPeak();
    } finally {
      release();
    }
    const again = await churnPeak();
    const mb = (n: number): number => Math.round(n / 1e6);
    // Measured: ~205-235 MB free, ~90-110 MB held, on Node 20 and 24.
    expect({ held: mb(held), free: mb(free) }).toSatisfy(({ held, free }: { held: number; free: number }) => held < free * 0.6);
    // Released: V8 chooses the factor again.
    expect({ again: mb(again), held: mb(held) }).toSatisfy(({ again, held }: { again: number; held: number }) => held < again * 0.75);
  }, 60_000);
});
