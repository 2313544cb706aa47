import { describe, expect, it } from 'vitest';
import { ParkedFilter } from '../../src/linker/parked-filter.js';

describe('the parked-key filter', () => {
  it('never says no for a key it holds, and holds nothing once every key is removed again', () => {
    const filter = new ParkedFilter();
    const pids = Array.from({ length: 200_000 }, (_, i) => (i * 7919 + 13) % 4_194_304);
    const guids = Array.from({ length: 50_000 }, (_, i) => `{6ef0b2a4-${i.toString(16).padStart(4, '0')}-61d9-c837-0f35d3550000}`);
    for (const pid of pids) filter.addPid(0, pid);
    for (const guid of guids) filter.addGuid(1, guid);
    expect(pids.every((pid) => filter.mayHoldPid(0, pid))).toBe(true);
    expect(guids.every((guid) => filter.mayHoldGuid(1, guid))).toBe(true);
    // Keys never added: with 250k keys in 2^24 counters, a few in a thousand at most.
    const strangers = Array.from({ length: 10_000 }, (_, i) => 5_000_000 + i).filter((pid) => filter.mayHoldPid(0, pid)).length;
    expect(strangers).toBeLessThan(100);
    // Half removed: the other half still found.
    for (const pid of pids.slice(0, 100_000)) filter.removePid(0, pid);
    expect(pids.slice(100_000).every((pid) => filter.mayHoldPid(0, pid))).toBe(true);
    for (const pid of pids.slice(100_000)) filter.removePid(0, pid);
    for (const guid of guids) filter.removeGuid(1, guid);
    expect(pids.some((pid) => filter.mayHoldPid(0, pid))).toBe(false);
    expect(guids.some((guid) => filter.mayHoldGuid(1, guid))).toBe(false);
  });

  it('a counter that saturates stays set: a key added more often than it can count is never lost', () => {
    const filter = new ParkedFilter();
    for (let i = 0; i < 40; i++) filter.addPid(2, 4242);
    for (let i = 0; i < 39; i++) filter.removePid(2, 4242);
    expect(filter.mayHoldPid(2, 4242)).toBe(true);
  });
});
