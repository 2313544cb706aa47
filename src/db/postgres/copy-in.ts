import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Bytes queued for the socket before the writer is asked to wait: enough to keep the server
 * parsing while the next rows are made, little enough that a slow server does not let a whole
 * capture pile up in memory.
 */
const HIGH_WATER_BYTES = 1 << 20;

/**
 * A `COPY … FROM STDIN` fed chunk by chunk from synchronous code: `write` never blocks, and
 * `drained()` says when the caller should pause (the queue is full) until the server catches up.
 * The first error (a row the server refused, the connection lost) is kept and thrown by the next
 * `write`, `drained` or `end`.
 */
export class CopyIn {
  private readonly stream: ReturnType<typeof copyFrom>;
  private failure: Error | null = null;
  private finished: Promise<void>;

  constructor(client: pg.Client, sql: string) {
    this.stream = client.query(copyFrom(sql, { highWaterMark: HIGH_WATER_BYTES }));
    this.finished = new Promise<void>((resolve, reject) => {
      this.stream.on('finish', resolve);
      this.stream.on('error', (err: Error) => {
        this.failure ??= err;
        reject(err);
      });
    });
    this.finished.catch(() => {}); // kept in `failure` and thrown where the caller looks
  }

  write(chunk: string): void {
    if (this.failure) throw this.failure;
    this.stream.write(chunk);
  }

  /** A promise while the queue is full (resolved once it drains), else null. */
  drained(): Promise<void> | null {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.stream.writableNeedDrain) return null;
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        this.stream.off('error', failed);
        resolve();
      };
      const failed = (err: Error) => {
        this.stream.off('drain', done);
        reject(err);
      };
      this.stream.once('drain', done);
      this.stream.once('error', failed);
    });
  }

  /** Ends the COPY; resolves with the rows the server took. */
  async end(): Promise<number> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await this.finished;
    return this.stream.rowCount;
  }

  /** Gives the COPY up (the server discards its rows); the connection can then roll back. */
  async abort(): Promise<void> {
    if (this.stream.writableFinished || this.stream.destroyed) return;
    await new Promise<void>((resolve) => {
      this.stream.once('close', () => resolve());
      this.stream.destroy();
    });
  }
}

/** COPYs a file of COPY text (lines written earlier, e.g. while another COPY held the connection). */
export async function copyInFromFile(client: pg.Client, sql: string, path: string): Promise<number> {
  const stream = client.query(copyFrom(sql));
  await pipeline(createReadStream(path, { highWaterMark: 256 * 1024 }), stream);
  return stream.rowCount;
}
