/** Pane sizes for a terminal; the tree screen splits side by side from WIDE_COLUMNS up. */
export interface Layout {
  width: number;
  /** Lines between header and footer. */
  body: number;
  split: 'side' | 'stacked';
  treeWidth: number;
  treeHeight: number;
  detailWidth: number;
  detailHeight: number;
}

const HEADER_LINES = 2;
const FOOTER_LINES = 2;
const WIDE_COLUMNS = 120;

export function computeLayout(columns: number, rows: number): Layout {
  const width = Math.max(40, columns);
  // One line short of the terminal: a frame as tall as the terminal makes Ink clear the screen on every repaint.
  const body = Math.max(6, rows - 1 - HEADER_LINES - FOOTER_LINES);
  if (width >= WIDE_COLUMNS) {
    const treeWidth = Math.floor(width * 0.5);
    return { width, body, split: 'side', treeWidth, treeHeight: body, detailWidth: width - treeWidth - 1, detailHeight: body };
  }
  const treeHeight = Math.max(4, Math.floor(body * 0.45));
  return { width, body, split: 'stacked', treeWidth: width, treeHeight, detailWidth: width, detailHeight: body - treeHeight - 1 };
}

/** The chains screen: a title, the match list, a rule, then the steps pane (about half). */
export function chainPanes(body: number): { listHeight: number; stepsHeight: number } {
  const stepsHeight = Math.max(4, Math.floor((body - 2) / 2));
  return { listHeight: Math.max(1, body - 2 - stepsHeight), stepsHeight };
}
