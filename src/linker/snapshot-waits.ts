/** A process-list row whose parent is not settled yet, and the process it made. */
export interface WaitingRow<Row, Proc> {
  key: number | string;
  row: Row | null;
  proc: Proc | null;
}

/**
 * Rows of a process list that wait for their parent to be listed (and linked), by the parent's
 * pid or native id, in the order they came. Taken rows are let go at once; the order list keeps
 * an empty shell of each until it is compacted.
 */
export class SnapshotWaits<Row, Proc> {
  private readonly byKey = new Map<number | string, WaitingRow<Row, Proc>[]>();
  private order: WaitingRow<Row, Proc>[] = [];
  private head = 0;
  count = 0;

  add(key: number | string, row: Row, proc: Proc): void {
    const waiting: WaitingRow<Row, Proc> = { key, row, proc };
    const list = this.byKey.get(key);
    if (list) list.push(waiting);
    else this.byKey.set(key, [waiting]);
    this.order.push(waiting);
    this.count += 1;
  }

  /** The rows waiting for `key`, no longer waiting. */
  take(key: number | string): { row: Row; proc: Proc }[] {
    const list = this.byKey.get(key);
    if (!list) return [];
    this.byKey.delete(key);
    const out: { row: Row; proc: Proc }[] = [];
    for (const w of list) if (w.row !== null) out.push(this.settle(w));
    this.compact();
    return out;
  }

  /** The oldest row still waiting that `skip` does not pass over, no longer waiting. */
  takeOldest(skip: (row: Row, proc: Proc) => boolean): { row: Row; proc: Proc } | undefined {
    for (let i = this.head; i < this.order.length; i++) {
      const w = this.order[i] as WaitingRow<Row, Proc>;
      if (w.row === null) {
        if (i === this.head) this.head += 1;
        continue;
      }
      if (skip(w.row, w.proc as Proc)) continue;
      const list = this.byKey.get(w.key) as WaitingRow<Row, Proc>[];
      if (list.length === 1) this.byKey.delete(w.key);
      else list.splice(list.indexOf(w), 1);
      const taken = this.settle(w);
      this.compact();
      return taken;
    }
    return undefined;
  }

  /** Every row still waiting, oldest first, no longer waiting. */
  takeAll(): { row: Row; proc: Proc }[] {
    const out: { row: Row; proc: Proc }[] = [];
    for (let i = this.head; i < this.order.length; i++) {
      const w = this.order[i] as WaitingRow<Row, Proc>;
      if (w.row !== null) out.push(this.settle(w));
    }
    this.byKey.clear();
    this.order = [];
    this.head = 0;
    return out;
  }

  private settle(w: WaitingRow<Row, Proc>): { row: Row; proc: Proc } {
    const taken = { row: w.row as Row, proc: w.proc as Proc };
    w.row = null;
    w.proc = null;
    this.count -= 1;
    return taken;
  }

  private compact(): void {
    // Shells (taken rows) before the head and after it: let go once they outnumber the rows.
    if (this.order.length - this.count < this.count + 1024) return;
    this.order = this.order.filter((w, i) => i >= this.head && w.row !== null);
    this.head = 0;
  }
}
