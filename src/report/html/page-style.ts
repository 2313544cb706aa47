import { TIMELINE_CSS } from '../export/svg-timeline.js';
import { TREE_CSS } from '../export/svg-tree.js';

/** The page's whole style: system fonts only (nothing fetched), and print rules for a clean PDF. */
export const PAGE_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1240px; padding: 24px 28px 60px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #0f172a; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 20px; border-bottom: 2px solid #e2e8f0; padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 16px; margin: 22px 0 6px; }
h4 { font-size: 14px; margin: 16px 0 4px; }
nav a { margin-right: 14px; }
code, .cmd, .hash, .path, .output { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
.cmd, .output, .path { overflow-wrap: anywhere; white-space: pre-wrap; }
.hash { overflow-wrap: anywhere; color: #475569; }
table.sources td.path { min-width: 18em; }
table.sources .hash { font-size: 10px; word-break: break-all; }
table { border-collapse: collapse; margin: 6px 0 10px; font-size: 12px; }
th, td { border: 1px solid #e2e8f0; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f1f5f9; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.cov.full { background: #dcfce7; } td.cov.part { background: #fef9c3; } td.cov.none { background: #f8fafc; }
.note, .dim { color: #64748b; font-size: 12px; }
.warn { color: #b91c1c; font-weight: 600; }
.meta { color: #475569; font-size: 12px; }
ul.inline { list-style: none; padding: 0; } ul.inline li { display: inline-block; margin-right: 18px; }
.prio { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 11px; font-weight: 700; color: #fff; background: #64748b; }
.prio-emergency, .prio-alert, .prio-critical { background: #991b1b; }
.prio-error { background: #c2410c; }
.prio-warning { background: #b45309; }
.prio-notice { background: #1d4ed8; }
.group { margin-top: 18px; }
.group-count { font-weight: 600; }
.finding { border-left: 3px solid #fbbf24; padding: 2px 0 8px 12px; margin: 12px 0 20px; }
.output { background: #f8fafc; padding: 6px 8px; border-radius: 4px; margin: 4px 0; }
td.stepname { font-weight: 700; color: #92400e; }
.picture { overflow-x: auto; margin: 8px 0; }
.legend span { margin-right: 16px; }
.legend .swatch { display: inline-block; width: 14px; height: 10px; border: 1px solid #64748b; vertical-align: middle; margin-right: 4px; }
.legend .step { background: #fef3c7; border: 2px solid #b45309; }
.legend .exited { border-style: dashed; }
${TREE_CSS}
${TIMELINE_CSS}
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  table, table .path, table .cmd, table .hash { font-size: 9px; }
  nav { display: none; }
  .picture { overflow: visible; }
  .picture svg { max-width: 100%; height: auto; }
  .finding, table.steps, .picture { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;
