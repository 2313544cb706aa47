import type { CaseCounts, CaseSummary, ContainerSummary } from '../data/types.js';
import { count, oneLine } from './text.js';

/** What Enter on an overview line opens. */
export type OverviewTarget = { kind: 'host'; hostId: number } | { kind: 'container'; containerId: string; hostId: number | null } | { kind: 'more-containers' };

export interface OverviewLine {
  text: string;
  heading?: boolean;
  target?: OverviewTarget;
}

const col = (s: string | null, w: number): string => {
  const v = oneLine(s ?? '-');
  return (v.length > w ? `${v.slice(0, w - 1)}…` : v).padEnd(w);
};

function containerLine(c: ContainerSummary): string {
  const pod = c.podName ? `${c.podNamespace ?? ''}/${c.podName}` : '-';
  const alerts = c.alertCount > 0 ? `! ${count(c.alertCount)} alerts` : '0 alerts';
  return `${col(c.name, 14)} ${c.containerId.padEnd(12)} ${count(c.processCount).padStart(9)} proc  ${alerts.padEnd(12)}  ${col(pod, 24)} ${oneLine(c.image ?? '-')}`;
}

/** The overview as lines; hosts and containers are the selectable ones. */
export function overviewLines(s: CaseSummary, counts: CaseCounts | null, containers: ContainerSummary[], containersMore: boolean): OverviewLine[] {
  const lines: OverviewLine[] = [{ text: `Captures (${s.captures.length}${s.capturesMore ? '+' : ''})`, heading: true }];
  for (const c of s.captures) {
    lines.push({
      text: `  #${c.captureId}  ${oneLine(c.path)}  ${c.format}  ${c.status}  ${c.hostname ?? '-'}  ${count(c.events)} events  ${count(c.processes)} processes read`,
    });
  }
  lines.push({ text: `Hosts (${s.hosts.length}${s.hostsMore ? '+' : ''}): Enter opens the host's process tree`, heading: true });
  for (const h of s.hosts) {
    const n = counts?.hostProcesses.get(h.hostId);
    lines.push({ text: `  ${h.hostname}  ${n === undefined ? (counts ? '0' : '…') : count(n)} processes`, target: { kind: 'host', hostId: h.hostId } });
  }
  lines.push({ text: `Containers (${count(s.containerCount)}): Enter opens the container's process tree`, heading: true });
  if (containers.length > 0)
    lines.push({ text: `  ${'name'.padEnd(14)} ${'id'.padEnd(12)} ${'processes'.padStart(14)}  ${'alerts'.padEnd(12)}  ${'pod'.padEnd(24)} image` });
  for (const c of containers) lines.push({ text: `  ${containerLine(c)}`, target: { kind: 'container', containerId: c.containerId, hostId: c.hostId } });
  if (containersMore) lines.push({ text: '  … more containers (Enter loads)', target: { kind: 'more-containers' } });
  if (containers.length === 0) lines.push({ text: '  (none: all processes ran on the host)' });
  lines.push({ text: 'Alerts by priority (3 opens the alert list)', heading: true });
  lines.push({
    text:
      s.alertsByPriority.length === 0
        ? '  no alerts in this case (pedigree rules run writes them)'
        : `  ${s.alertsByPriority.map((p) => `${p.priority} ${count(p.count)}`).join(' · ')}`,
  });
  return lines;
}

/** A scroll position that keeps line `index` on a screen `height` lines tall. */
export function windowTop(index: number, total: number, height: number): number {
  if (total <= height || index < height - 1) return 0;
  return Math.min(total - height, index - height + 2);
}
