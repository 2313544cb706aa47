import type { LineageEvent } from '../events/lineage-event.js';

const BATCH = 4096;

/** Collects events into the batches readers yield. */
export class EventBatcher {
  private batch: LineageEvent[] = [];

  push(ev: LineageEvent): void {
    this.batch.push(ev);
  }

  /** The batch, once it is big enough (or `force`), else null. */
  take(force = false): LineageEvent[] | null {
    if (this.batch.length === 0 || (!force && this.batch.length < BATCH)) return null;
    const out = this.batch;
    this.batch = [];
    return out;
  }
}
