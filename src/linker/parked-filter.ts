/**
 * A counting Bloom filter over the keys of parked processes: most lookups are of pids nobody
 * parked (a new process), and those must not cost a trip to the store. Two probes into 2^24
 * saturating 8-bit counters (16 MB, allocated at the first parking): at 5M parked processes
 * about one miss in five still asks the store. A counter that reached 255 stays there.
 */
const BITS = 24;
const MASK = (1 << BITS) - 1;

export class ParkedFilter {
  private readonly counters = new Uint8Array(1 << BITS);

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
    const a = h & MASK;
    const b = second(h);
    const ca = this.counters[a] as number;
    if (ca !== 255) this.counters[a] = ca + 1;
    const cb = this.counters[b] as number;
    if (cb !== 255) this.counters[b] = cb + 1;
  }

  private remove(h: number): void {
    const a = h & MASK;
    const b = second(h);
    const ca = this.counters[a] as number;
    if (ca !== 255 && ca > 0) this.counters[a] = ca - 1;
    const cb = this.counters[b] as number;
    if (cb !== 255 && cb > 0) this.counters[b] = cb - 1;
  }

  private mayHold(h: number): boolean {
    return this.counters[h & MASK] !== 0 && this.counters[second(h)] !== 0;
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
