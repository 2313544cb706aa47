import type { Cell } from './row-cells.js';

/**
 * Where an import's exec and process rows go instead of the case's tables (an import into
 * PostgreSQL streams a new host's rows straight into COPY). Cells are laid out as putExecCells
 * and putProcessCells lay them out, the capture and host cells holding the case's ids and the
 * string cells (EXEC_STRING_CELLS) the strings themselves; an exec's exec_extras cells hold its
 * values only when its derived cell has DERIVED_HAS_EXTRAS. Every other table is written as usual.
 */
export interface RowTarget {
  /** An import starts handing rows over (called again if it starts over, e.g. in another thread). */
  begin(): void;
  exec(cells: readonly Cell[]): void;
  process(cells: readonly Cell[]): void;
  /** A promise while the target's buffers are full (reading should wait for it), else null. */
  drained(): Promise<void> | null;
}
