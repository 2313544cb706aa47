import { visible } from '../util/visible.js';
import { writeRawToStderr } from './terminal-streams.js';

/** A one-line progress display on stderr, only when stderr is a terminal. */
export class ProgressLine {
  private last = 0;
  private readonly started = Date.now();
  constructor(
    private readonly enabled: boolean,
    private readonly label: string,
  ) {}

  update(done: number, total: number, events: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const pct = total > 0 ? Math.min(100, (100 * done) / total).toFixed(0) : '?';
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? Math.round(events / secs) : 0;
    writeRawToStderr(`\r${visible(this.label)}: ${pct}%  ${events.toLocaleString('en-US')} events  ${rate.toLocaleString('en-US')}/s   `);
  }

  done(): void {
    if (this.enabled && this.last > 0) writeRawToStderr('\r\x1b[K');
  }
}
