import { BoundedGenerations } from '../../util/bounded-generations.js';
import { ForgottenIds } from '../forgotten-ids.js';

/**
 * Alerted processes held at most (~100 B each: ~10 MB); past it the older half is forgotten.
 * Alerts name a few processes again and again; only an export of alerts on very many distinct
 * processes reaches it.
 */
const ALERTED_PROCESSES = 100_000;

/**
 * The processes (host, pid, start) the reader has made a snapshot row for, so that each is made
 * once, in bounded memory. Forgotten keys go to a Bloom filter: a process named again after it
 * was forgotten gets no second row (which would start a new process of that pid), and is counted.
 */
export class AlertedProcesses {
  private readonly held: BoundedGenerations<true>;
  private filter: ForgottenIds | null = null;
  /** Processes forgotten because too many were held. */
  forgotten = 0;
  /** Keys not held that the filter says were forgotten. */
  forgottenHits = 0;

  constructor(readonly cap = ALERTED_PROCESSES) {
    this.held = new BoundedGenerations<true>(cap, (keys, count) => {
      this.filter ??= new ForgottenIds();
      for (const key of keys) this.filter.add(key);
      this.forgotten += count;
    });
  }

  get size(): number {
    return this.held.size;
  }

  /** Whether a snapshot row is to be made for this key: it is held from now on. */
  isNew(key: string): boolean {
    if (this.held.get(key) !== undefined) return false;
    if (this.filter?.mayHold(key)) {
      this.forgottenHits += 1;
      this.held.set(key, true);
      return false;
    }
    this.held.set(key, true);
    return true;
  }
}
