import type BetterSqlite3 from 'better-sqlite3';
import { isoTime } from '../../format/render-value.js';
import type { FindingGroup } from '../data/findings.js';
import { execHistograms, laneKey } from '../data/timeline-data.js';
import { timelineSvg, type TimelineMark } from '../export/svg-timeline.js';
import { zoomWindows } from '../layout/zoom-windows.js';
import type { ReportOptions } from '../report-options.js';
import { findingAnchor } from './findings-section.js';

const BINS = 380;

/** Marks for every step and alert drawn in the findings section. */
function timelineMarks(groups: readonly FindingGroup[]): TimelineMark[] {
  const marks: TimelineMark[] = [];
  for (const g of groups) {
    for (const f of g.drawn) {
      for (const s of f.steps) {
        if (!s.exec) continue;
        marks.push({
          laneKey: laneKey(s.exec.host, s.exec.containerId),
          tsNs: s.tsNs,
          kind: f.kind === 'chain' ? 'step' : 'alert',
          label: `${g.priority} ${g.name}: ${f.kind === 'chain' ? `step ${s.step}: ` : ''}${s.exec.name ?? '?'},${s.exec.pid} at ${isoTime(s.tsNs) ?? '?'}`,
          target: findingAnchor(f),
        });
      }
    }
  }
  return marks;
}

/**
 * The incident window as a timeline, and a zoomed panel for each dense run of findings (the
 * seconds where an attack happened inside hours of ordinary activity).
 */
export function timelineSection(
  db: BetterSqlite3.Database,
  window: { startNs: bigint; endNs: bigint } | null,
  groups: readonly FindingGroup[],
  options: ReportOptions,
): string {
  const out = ['<section id="timeline"><h2>Timeline</h2>'];
  if (window === null) {
    out.push('<p class="note">The case records no event times.</p></section>');
    return out.join('\n');
  }
  const marks = timelineMarks(groups);
  const inside = (m: TimelineMark, a: bigint, b: bigint): boolean => m.tsNs >= a && m.tsNs <= b;
  const zooms = zoomWindows(
    marks.filter((m) => inside(m, window.startNs, window.endNs)).map((m) => m.tsNs),
    window,
  );
  out.push(
    '<p class="note">One lane per host and container; a tick per moment with program executions (taller: more), ◆ chain steps and ● alerts on their lane (hover for details, click to jump to the finding). Times are UTC.</p>',
  );
  const [main, ...zoomed] = execHistograms(db, [window, ...zooms.map(([a, b]) => ({ startNs: a, endNs: b }))], BINS, options);
  out.push(
    `<div class="picture">${timelineSvg({ histogram: main!, marks: marks.filter((m) => inside(m, window.startNs, window.endNs)), zooms, title: `${isoTime(window.startNs)} → ${isoTime(window.endNs)}` })}</div>`,
  );
  zoomed.forEach((histogram, i) => {
    out.push(
      `<div class="picture zoom">${timelineSvg({ histogram, marks: marks.filter((m) => inside(m, histogram.startNs, histogram.endNs)), title: `zoom ${i + 1}: ${isoTime(histogram.startNs)} → ${isoTime(histogram.endNs)}` })}</div>`,
    );
  });
  out.push('</section>');
  return out.join('\n');
}
