import { exitStatus } from '../../format/tree-text.js';
import { isoTime } from '../../format/render-value.js';
import type { ExecNode } from '../../lineage/exec-node.js';
import { elide, visibleText } from '../escape.js';
import type { GraphNode } from './lineage-graph.js';

/** Characters of arguments a box shows on its second line; the full text is in the tooltip. */
const ARGS_SHOWN = 30;

function argsOf(exec: ExecNode): string {
  const cmd = exec.cmdline ?? '';
  const name = exec.name ?? '';
  return cmd.startsWith(name) ? cmd.slice(name.length).trim() : cmd;
}

/** The process ended before the end of the case (it is drawn as exited). */
export function hasExited(exec: ExecNode): boolean {
  return exec.processEndNs !== null || exec.exitCode !== null || (exec.exitSignal !== null && exec.exitSignal !== 0);
}

/** The lines a box shows, unescaped (each output format escapes them its own way). */
export function nodeLines(node: GraphNode): { title: string; args: string; status: string } {
  if (node.exec === null) return { title: `⋯ ${node.omitted} ancestors`, args: '', status: 'not drawn' };
  const e = node.exec;
  const title = `${visibleText(e.name ?? '?')},${e.pid}`;
  const args = elide(visibleText(argsOf(e)), ARGS_SHOWN);
  const parts = [e.user ?? (e.uid !== null ? `uid ${e.uid}` : null), exitStatus(e)];
  if (e.res !== null && e.res !== 0) parts.push(`exec failed (${e.res})`);
  if (node.pidReused) parts.push('pid reused');
  if (e.origin === 'inferred') parts.push('inferred');
  return { title, args, status: parts.filter((p): p is string => p !== null).join(' · ') };
}

/** Everything known about an image, one line per fact, for a tooltip: the full command line is never cut here. */
export function nodeTooltip(node: GraphNode): string[] {
  if (node.exec === null) return [`${node.omitted} ancestors between these two are not drawn`];
  const e = node.exec;
  const lines = [
    `${e.name ?? '?'} pid ${e.pid}${e.vpid !== null && e.vpid !== e.pid ? ` (vpid ${e.vpid})` : ''} on ${e.host}, exec ${e.execId}, process ${e.processId}`,
    `cmdline: ${e.cmdline ?? '(unknown)'}`,
  ];
  if (e.exepath) lines.push(`exepath: ${e.exepath}`);
  if (e.cwd) lines.push(`cwd: ${e.cwd}`);
  if (e.user !== null || e.uid !== null) lines.push(`user: ${e.user ?? '?'} (uid ${e.uid ?? '?'})`);
  lines.push(`container: ${e.containerId ? `${e.containerName ?? ''} ${e.containerId}${e.podName ? ` pod ${e.podName}` : ''}` : 'host'}`);
  lines.push(`image began: ${isoTime(e.tsNs) ?? 'unknown'}`);
  lines.push(`process: ${exitStatus(e)}, ${isoTime(e.processStartNs) ?? '?'} → ${isoTime(e.processEndNs) ?? 'end of capture'}`);
  if (node.steps.length > 0) lines.push(`matched: ${node.steps.join(', ')}`);
  if (node.pidReused) lines.push('pid reused: another process on this host had the same pid');
  return lines.map(visibleText);
}
