import { scaleLinear, scaleUtc } from 'd3-scale';
import type { ExecHistogram, Lane } from '../data/timeline-data.js';
import { elide, escapeHtml } from '../escape.js';

export interface TimelineMark {
  laneKey: string;
  tsNs: bigint;
  kind: 'step' | 'alert';
  /** Short text (step or rule name) for the hover text. */
  label: string;
  /** Element id of the finding in the page, for a link. */
  target: string | null;
}

export const TIMELINE_CSS = `
svg.timeline { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; font-size: 11px; }
svg.timeline .lane-label { fill: #0f172a; }
svg.timeline .lane-bg { fill: #f8fafc; }
svg.timeline .tick { stroke: #475569; stroke-width: 1; }
svg.timeline .axis line { stroke: #cbd5e1; }
svg.timeline .axis text { fill: #475569; font-size: 10px; }
svg.timeline .mark.step { fill: #d97706; stroke: #7c2d12; }
svg.timeline .mark.alert { fill: #dc2626; stroke: #7f1d1d; }
svg.timeline .zoom-band { fill: #fde68a; opacity: 0.35; }
svg.timeline .zoom-label, svg.timeline .note { fill: #92400e; font-size: 10px; }
`;

const LABEL_WIDTH = 230;
const PLOT_WIDTH = 760;
const LANE_HEIGHT = 26;
const AXIS_HEIGHT = 30;

const msOf = (ns: bigint): number => Number(ns / 1000n) / 1000;

/** A UTC tick label as precise as the window needs: date and time, time, or time with ms. */
function tickLabel(d: Date, spanMs: number): string {
  const iso = d.toISOString();
  if (spanMs <= 10_000) return iso.slice(11, 23);
  if (spanMs <= 86_400_000) return iso.slice(11, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

export interface TimelinePanel {
  histogram: ExecHistogram;
  marks: readonly TimelineMark[];
  /** Windows to shade as zoomed below (label = their panel number). */
  zooms?: readonly [bigint, bigint][];
  title: string;
}

/**
 * One timeline panel: a lane per host or container, a tick per time bin with execs (taller
 * when more started), findings as marked points linking to their section, and a UTC time axis.
 */
export function timelineSvg(panel: TimelinePanel): string {
  const { histogram, marks } = panel;
  const lanes: Lane[] = [...histogram.lanes];
  for (const m of marks) {
    if (!lanes.some((l) => l.key === m.laneKey))
      lanes.push({ key: m.laneKey, hostname: m.laneKey, containerId: null, label: m.laneKey, execs: 0, bins: new Map() });
  }
  const startMs = msOf(histogram.startNs);
  const endMs = Math.max(msOf(histogram.endNs), startMs + 1);
  const x = scaleUtc()
    .domain([new Date(startMs), new Date(endMs)])
    .range([LABEL_WIDTH, LABEL_WIDTH + PLOT_WIDTH]);
  const xNs = (ns: bigint): number => x(new Date(msOf(ns)));
  const maxBin = Math.max(1, ...lanes.flatMap((l) => [...l.bins.values()]));
  const tickHeight = scaleLinear()
    .domain([0, Math.log1p(maxBin)])
    .range([3, LANE_HEIGHT - 6]);
  const width = LABEL_WIDTH + PLOT_WIDTH + 48;
  const note = histogram.lanesNotDrawn > 0 ? 16 : 0;
  const height = 18 + lanes.length * LANE_HEIGHT + AXIS_HEIGHT + note;
  const out: string[] = [];
  out.push(`<svg class="timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(panel.title)}">`);
  out.push(`<text x="0" y="12" class="lane-label" font-weight="700">${escapeHtml(panel.title)}</text>`);
  const top = 18;
  (panel.zooms ?? []).forEach(([a, b], i) => {
    const x1 = xNs(a);
    const w = Math.max(2, xNs(b) - x1);
    out.push(`<rect class="zoom-band" x="${x1.toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${lanes.length * LANE_HEIGHT}"/>`);
    out.push(`<text class="zoom-label" x="${(x1 + w / 2).toFixed(1)}" y="${top + lanes.length * LANE_HEIGHT + 26}" text-anchor="middle">zoom ${i + 1}</text>`);
  });
  lanes.forEach((lane, i) => {
    const y = top + i * LANE_HEIGHT;
    out.push(`<g class="lane" data-lane="${escapeHtml(lane.key)}">`);
    out.push(`<title>${escapeHtml(`${lane.label}: ${lane.execs} execs in this window`)}</title>`);
    if (i % 2 === 0) out.push(`<rect class="lane-bg" x="${LABEL_WIDTH}" y="${y}" width="${PLOT_WIDTH}" height="${LANE_HEIGHT}"/>`);
    out.push(`<text class="lane-label" x="${LABEL_WIDTH - 8}" y="${y + LANE_HEIGHT / 2 + 4}" text-anchor="end">${escapeHtml(elide(lane.label, 34))}</text>`);
    const base = y + LANE_HEIGHT - 3;
    const ticks: string[] = [];
    for (const [bin, n] of lane.bins) {
      const tx = xNs(histogram.startNs + BigInt(bin) * histogram.binNs + histogram.binNs / 2n).toFixed(1);
      ticks.push(`M${tx},${base}V${(base - tickHeight(Math.log1p(n))).toFixed(1)}`);
    }
    if (ticks.length > 0) out.push(`<path class="tick" d="${ticks.join('')}"/>`);
    out.push('</g>');
  });
  for (const m of marks) {
    const i = lanes.findIndex((l) => l.key === m.laneKey);
    const cx = xNs(m.tsNs).toFixed(1);
    const cy = top + i * LANE_HEIGHT + LANE_HEIGHT / 2 - 2;
    const shape =
      m.kind === 'step' ? `<path class="mark step" d="M${cx},${cy - 6}l6,6l-6,6l-6,-6z"/>` : `<circle class="mark alert" cx="${cx}" cy="${cy}" r="5"/>`;
    const title = `<title>${escapeHtml(m.label)}</title>`;
    out.push(m.target ? `<a href="#${escapeHtml(m.target)}">${title}${shape}</a>` : `<g>${title}${shape}</g>`);
  }
  const axisY = top + lanes.length * LANE_HEIGHT;
  out.push(`<g class="axis"><line x1="${LABEL_WIDTH}" x2="${LABEL_WIDTH + PLOT_WIDTH}" y1="${axisY}" y2="${axisY}"/>`);
  for (const t of x.ticks(7)) {
    const tx = x(t).toFixed(1);
    out.push(
      `<line x1="${tx}" x2="${tx}" y1="${axisY}" y2="${axisY + 4}"/><text x="${tx}" y="${axisY + 15}" text-anchor="middle">${escapeHtml(tickLabel(t, endMs - startMs))}</text>`,
    );
  }
  out.push(`<text x="${LABEL_WIDTH - 8}" y="${axisY + 15}" text-anchor="end">${escapeHtml(new Date(startMs).toISOString().slice(0, 10))} UTC</text></g>`);
  if (histogram.lanesNotDrawn > 0) {
    out.push(
      `<text class="note" x="0" y="${height - 4}">${histogram.lanesNotDrawn} quieter lanes (${histogram.execsNotDrawn} execs) not drawn; use --host or --container to see them</text>`,
    );
  }
  out.push('</svg>');
  return out.join('');
}
