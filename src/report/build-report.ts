import type BetterSqlite3 from 'better-sqlite3';
import { isoTime } from '../format/render-value.js';
import { PEDIGREE_VERSION } from '../version.js';
import { loadCaseSummary } from './data/case-summary.js';
import { checkScope } from './data/finding-filter.js';
import { loadFindings } from './data/findings.js';
import { escapeHtml as h } from './escape.js';
import { findingsSection } from './html/findings-section.js';
import { PAGE_CSS } from './html/page-style.js';
import { summarySection } from './html/summary-section.js';
import { timelineSection } from './html/timeline-section.js';
import { DEFAULTS, type ReportOptions } from './report-options.js';

export interface BuiltReport {
  html: string;
  findings: number;
  drawn: number;
  groups: number;
}

function filterText(o: ReportOptions): string {
  const parts: string[] = [];
  if (o.sinceNs !== undefined) parts.push(`since ${isoTime(o.sinceNs)}`);
  if (o.untilNs !== undefined) parts.push(`until ${isoTime(o.untilNs)}`);
  if (o.host !== undefined) parts.push(`host ${o.host}`);
  if (o.container !== undefined) parts.push(`container ${o.container}`);
  if (o.minPriority !== undefined) parts.push(`priority ${o.minPriority} or more severe`);
  return parts.length > 0 ? parts.join(', ') : 'none (the whole case)';
}

/**
 * The whole report as one self-contained HTML page: inline style and SVG only, no script, no
 * font or image fetched, so it opens from a USB stick and prints to PDF as it shows.
 */
export function buildReport(db: BetterSqlite3.Database, options: ReportOptions, casePath: string): BuiltReport {
  checkScope(db, options);
  const summary = loadCaseSummary(db);
  const groups = loadFindings(db, options);
  const start = options.sinceNs ?? summary.firstNs;
  const end = options.untilNs ?? summary.lastNs;
  const window = start !== null && end !== null && end >= start ? { startNs: start, endNs: end } : null;
  const title = options.title ?? `pedigree report: ${casePath}`;
  const body = [
    `<header><h1>${h(title)}</h1>`,
    `<p class="meta">Case <code>${h(casePath)}</code> · written ${h(new Date().toISOString())} by pedigree ${h(PEDIGREE_VERSION)} · filters: ${h(filterText(options))}</p>`,
    '<nav><a href="#summary">Case summary</a><a href="#findings">Findings</a><a href="#timeline">Timeline</a></nav></header>',
    summarySection(summary),
    findingsSection(db, groups, options.subtreeLimit ?? DEFAULTS.subtreeLimit),
    timelineSection(db, window, groups, options),
    '<footer class="note"><p class="legend"><span><i class="swatch step"></i>a step of the finding</span><span><i class="swatch exited"></i>process exited</span><span>● red dot: pid reused on that host</span><span>hover a box for its full command line</span></p>',
    '<p>Every string from the evidence is shown as text: control characters appear as \\xNN.</p></footer>',
  ];
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${PAGE_CSS}</style></head>
<body>
${body.join('\n')}
</body></html>
`;
  return {
    html,
    findings: groups.reduce((n, g) => n + g.count, 0),
    drawn: groups.reduce((n, g) => n + g.drawn.length, 0),
    groups: groups.length,
  };
}
