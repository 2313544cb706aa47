/**
 * A counting Bloom filter over the keys of parked processes: most lookups are of pids nobody
 * parked (a new process), and those must not cost a trip to the store. Two probes into 2^24
 * saturating 4-bit counters, two to a byte (8 MB, allocated at the first parking): at 5M parked
 * processes about one miss in five still asks the store. A counter that reached 15 stays there
 * (at 5M keys a counter holds 0.6 on average: one in ~10^11 gets there).
 */
const BITS = 24;
const MASK = (1 << BITS) - 1;
const FULL = 15;

export class ParkedFilter {
  private readonly nibbles = new Uint8Array(1 << (BITS - 1));

  addPid(hostIndex: number, pid: number): void {
    this.add(pidHash(hostIndex, pid));
  }

  removePid(hostIndex: number, pid: number): void {
    this.remove(pidHash(hostIndex, pid));
  }

  mayHoldPid(hostIndex: number, pid: number): boolean {
    return this.mayHold(pidHash(hostIndex, pid));
  }

  addGuid(hostIndex: number, guid: string): void {
    this.add(guidHash(hostIndex, guid));
  }

  removeGuid(hostIndex: number, guid: string): void {
    this.remove(guidHash(hostIndex, guid));
  }

  mayHoldGuid(hostIndex: number, guid: string): boolean {
    return this.mayHold(guidHash(hostIndex, guid));
  }

  private add(h: number): void {
    this.bump(h & MASK, 1);
    this.bump(second(h), 1);
  }

  private remove(h: number): void {
    this.bump(h & MASK, -1);
    this.bump(second(h), -1);
  }

  private mayHold(h: number): boolean {
    return this.counter(h & MASK) !== 0 && this.counter(second(h)) !== 0;
  }

  private counter(i: number): number {
    return ((this.nibbles[i >>> 1] as number) >>> ((i & 1) << 2)) & FULL;
  }

  /** Adds `by` to counter `i`, unless it is saturated (or would go below zero). */
  private bump(i: number, by: 1 | -1): void {
    const c = this.counter(i);
    if (c === FULL || c + by < 0) return;
    const shift = (i & 1) << 2;
    const byte = this.nibbles[i >>> 1] as number;
    this.nibbles[i >>> 1] = (byte & ~(FULL << shift)) | ((c + by) << shift);
  }
}

/** The second probe: the hash's other bits, mixed again. */
function second(h: number): number {
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> (32 - BITS);
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function pidHash(hostIndex: number, pid: number): number {
  return mix(Math.imul(hostIndex, 0x9e3779b1) ^ pid);
}

/** FNV-1a over the UTF-16 units, the host folded in. */
function guidHash(hostIndex: number, guid: string): number {
  let h = 0x811c9dc5 ^ hostIndex;
  for (let i = 0; i < guid.length; i++) h = Math.imul(h ^ guid.charCodeAt(i), 0x01000193);
  return mix(h ^ 0x5bd1e995);
}
