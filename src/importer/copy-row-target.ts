import type { CopyRowLines } from './copy-row-lines.js';
import type { Cell } from './row-cells.js';
import type { RowTarget } from './row-target.js';

/** Somewhere COPY text goes, a chunk of whole lines at a time. */
export interface CopyOutlet {
  write(chunk: string): void;
}

/** The rows reached the target from an import that started over: they cannot be taken back. */
export class ImportStartedOver extends Error {
  constructor() {
    super('the import started over after handing rows to its row target');
    this.name = 'ImportStartedOver';
  }
}

/** Lines per chunk: the server parses one while the next is made (see write-delta.ts). */
const LINES_PER_CHUNK = 100;

/** Batches the COPY lines of an import's exec and process rows (copy-row-lines.ts) into two outlets. */
export class CopyRowTarget implements RowTarget {
  private execChunk = '';
  private execLines = 0;
  private processChunk = '';
  private processLines = 0;
  private started = false;
  execs = 0;
  processes = 0;

  constructor(
    private readonly lines: CopyRowLines,
    private readonly execOut: CopyOutlet,
    private readonly processOut: CopyOutlet,
    private readonly wait: () => Promise<void> | null,
  ) {}

  begin(): void {
    if (this.started) throw new ImportStartedOver();
    this.started = true;
  }

  exec(cells: readonly Cell[]): void {
    this.execChunk += this.lines.execLine(cells);
    this.execs++;
    if (++this.execLines === LINES_PER_CHUNK) {
      this.execOut.write(this.execChunk);
      this.execChunk = '';
      this.execLines = 0;
    }
  }

  process(cells: readonly Cell[]): void {
    this.processChunk += this.lines.processLine(cells);
    this.processes++;
    if (++this.processLines === LINES_PER_CHUNK) {
      this.processOut.write(this.processChunk);
      this.processChunk = '';
      this.processLines = 0;
    }
  }

  drained(): Promise<void> | null {
    return this.wait();
  }

  /** Writes the lines of a last, partial chunk. */
  flush(): void {
    if (this.execLines > 0) this.execOut.write(this.execChunk);
    if (this.processLines > 0) this.processOut.write(this.processChunk);
    this.execChunk = this.processChunk = '';
    this.execLines = this.processLines = 0;
  }
}
