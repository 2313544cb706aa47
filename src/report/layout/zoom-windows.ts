/** Zoomed panels drawn below a timeline at most. */
const MAX_ZOOMS = 3;

/**
 * Where a timeline is too dense to read: runs of marked moments (findings) that sit closer
 * together than 1/50 of the window and span less than 1/8 of it get a zoomed panel of their
 * own, padded on both sides. Returns [start, end] pairs in ns, earliest first.
 */
export function zoomWindows(marks: readonly bigint[], window: { startNs: bigint; endNs: bigint }): [bigint, bigint][] {
  const span = window.endNs - window.startNs;
  if (span <= 0n || marks.length < 2) return [];
  const sorted = [...marks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const clusters: bigint[][] = [];
  for (const t of sorted) {
    const last = clusters[clusters.length - 1];
    if (last && t - (last[last.length - 1] as bigint) <= span / 50n) last.push(t);
    else clusters.push([t]);
  }
  const out: { range: [bigint, bigint]; marks: number }[] = [];
  for (const c of clusters) {
    if (c.length < 2) continue;
    const first = c[0] as bigint;
    const last = c[c.length - 1] as bigint;
    const extent = last - first;
    if (extent * 8n >= span) continue;
    const minPad = span / 400n > 1_000_000n ? span / 400n : 1_000_000n;
    const pad = (extent * 3n) / 10n > minPad ? (extent * 3n) / 10n : minPad;
    out.push({ range: [first - pad < window.startNs ? window.startNs : first - pad, last + pad > window.endNs ? window.endNs : last + pad], marks: c.length });
  }
  // The busiest runs win; panels are then shown in time order.
  return out
    .sort((a, b) => b.marks - a.marks)
    .slice(0, MAX_ZOOMS)
    .map((z) => z.range)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
