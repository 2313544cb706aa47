/**
 * A map that holds at most `cap` entries in two generations: when the young one reaches half the
 * cap, the old one is forgotten whole (handed to `onForget`) and the young one takes its place.
 * Readers keep per-process state in it when evidence may hold processes that never exit, and the
 * linker the parents of process-list rows it linked before the list named them.
 * Forgetting the oldest entry one at a time from a single Map cost time quadratic in its size
 * (each `keys().next()` walks past the holes earlier deletions left: 2.9 s for 133k evictions
 * from 200k entries).
 */
export class BoundedGenerations<V, K = string> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly half: number;

  constructor(
    cap: number,
    private readonly onForget: (keys: Iterable<K>, count: number) => void,
  ) {
    this.half = Math.max(1, Math.ceil(cap / 2));
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: K): V | undefined {
    return this.young.get(key) ?? this.old.get(key);
  }

  set(key: K, value: V): void {
    // Set again, it is young: an older copy would be counted as forgotten at the next turn.
    if (this.old.size > 0) this.old.delete(key);
    this.young.set(key, value);
    if (this.young.size < this.half) return;
    if (this.old.size > 0) this.onForget(this.old.keys(), this.old.size);
    this.old = this.young;
    this.young = new Map();
  }

  /** Removes the entry and gives it back. */
  take(key: K): V | undefined {
    const young = this.young.get(key);
    if (young !== undefined) {
      this.young.delete(key);
      return young;
    }
    const old = this.old.get(key);
    if (old !== undefined) this.old.delete(key);
    return old;
  }
}
