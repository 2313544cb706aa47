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

/** Lines gathered into chunks of LINES_PER_CHUNK for one outlet. */
class ChunkedLines {
  private chunk = '';
  private lines = 0;
  count = 0;

  constructor(private readonly out: CopyOutlet) {}

  add(line: string): void {
    this.chunk += line;
    this.count++;
    if (++this.lines === LINES_PER_CHUNK) this.flush();
  }

  flush(): void {
    if (this.lines === 0) return;
    this.out.write(this.chunk);
    this.chunk = '';
    this.lines = 0;
  }
}

/** Batches the COPY lines of an import's exec and process rows (copy-row-lines.ts) into two outlets. */
export class CopyRowTarget implements RowTarget {
  private readonly execLines: ChunkedLines;
  private readonly processLines: ChunkedLines;
  private started = false;

  constructor(
    private readonly lines: CopyRowLines,
    execOut: CopyOutlet,
    processOut: CopyOutlet,
    private readonly wait: () => Promise<void> | null,
  ) {
    this.execLines = new ChunkedLines(execOut);
    this.processLines = new ChunkedLines(processOut);
  }

  get execs(): number {
    return this.execLines.count;
  }

  get processes(): number {
    return this.processLines.count;
  }

  begin(): void {
    if (this.started) throw new ImportStartedOver();
    this.started = true;
  }

  exec(cells: readonly Cell[]): void {
    this.execLines.add(this.lines.execLine(cells));
  }

  process(cells: readonly Cell[]): void {
    this.processLines.add(this.lines.processLine(cells));
  }

  drained(): Promise<void> | null {
    return this.wait();
  }

  /** Writes the lines of a last, partial chunk. */
  flush(): void {
    this.execLines.flush();
    this.processLines.flush();
  }
}
