import type { AncestryStep, ExecDetail } from '../data/types.js';
import { argsOf } from './process-line.js';
import { oneLine } from './text.js';
import { clock, type TimeText, timeText } from './times.js';

/** One line of the detail pane; ancestry lines carry the index of their step. */
export interface DetailLine {
  text: string;
  step?: number;
  heading?: boolean;
}

const LABEL = 10;
const MAX_VALUE_LINES = 8;

/** `label     value`, the value wrapped under itself when it is longer than the pane. */
function field(label: string, value: string, width: number): DetailLine[] {
  const room = Math.max(10, width - LABEL);
  const text = oneLine(value);
  const chunks: string[] = [];
  for (let i = 0; i < text.length && chunks.length < MAX_VALUE_LINES; i += room) chunks.push(text.slice(i, i + room));
  if (chunks.length === 0) chunks.push('');
  const cut = text.length - chunks.join('').length;
  if (cut > 0) chunks.push(`… ${cut} more characters`);
  return chunks.map((c, i) => ({ text: `${(i === 0 ? label : '').padEnd(LABEL)}${c}` }));
}

const orDash = (v: string | number | null): string => (v === null ? '-' : String(v));

function exitText(d: ExecDetail): string {
  if (d.exitSignal !== null && d.exitSignal !== 0) return `killed by signal ${d.exitSignal}`;
  if (d.exitCode !== null) return `exit ${d.exitCode}`;
  return d.processEndNs === null ? 'still running at the end of the capture' : 'exited';
}

/** The ancestry chain, root first: each step indented under its parent. */
function ancestryLines(chain: AncestryStep[], selectedStep: number | null): DetailLine[] {
  const lines: DetailLine[] = [{ text: `Ancestry (root → self, ${chain.length} steps)`, heading: true }];
  let container: string | null | undefined;
  chain.forEach((s, i) => {
    const indent = '  '.repeat(Math.min(i, 10));
    const marker = i === selectedStep ? '›' : ' ';
    const ctr = s.containerId !== container ? `  {${s.containerId ?? 'host'}}` : '';
    container = s.containerId;
    const args = oneLine(argsOf(s.name, s.cmdline));
    lines.push({ text: `${marker}${indent}${i > 0 ? '└ ' : ''}${oneLine(s.name ?? '?')} ${s.pid}${ctr}${args ? `  ${args}` : ''}`, step: i });
  });
  return lines;
}

/**
 * Every field of an exec an investigator asks for, as lines for a pane `width` columns wide;
 * times as the alert and chain screens print them (`time`, ISO 8601 UTC by default).
 * `chain` is the ancestry shown (of the exec selected in the tree, which may differ from the
 * exec whose fields are shown while the user walks the chain).
 */
export function detailLines(
  d: ExecDetail,
  chain: AncestryStep[],
  options: { width: number; selectedStep: number | null; env: string[] | null; time?: TimeText },
): DetailLine[] {
  const w = options.width;
  const time = options.time ?? timeText();
  const vpid = d.vpid !== null && d.vpid !== d.pid ? ` (vpid ${d.vpid})` : '';
  const failed = d.res !== null && d.res !== 0 ? `  FAILED res=${d.res}` : '';
  const lines: DetailLine[] = [
    { text: `exec ${d.execId} · ${oneLine(d.name ?? '?')} · pid ${d.pid}${vpid} · ppid ${orDash(d.ppid)} · ${d.kind} · ${d.host}${failed}`, heading: true },
    ...field('exe', orDash(d.exe), w),
    ...field('exepath', orDash(d.exepath), w),
    ...field('args', d.args ?? '', w),
    ...field('cwd', orDash(d.cwd), w),
    ...field('user', `${orDash(d.user)}  uid ${orDash(d.uid)}  gid ${orDash(d.gid)}  loginuid ${orDash(d.loginuid)}  tty ${orDash(d.tty)}`, w),
    ...field('started', `${time(d.processStartNs)}  (process, ${d.origin})`, w),
    ...field('image at', time(d.tsNs), w),
    ...field('ended', `${d.processEndNs === null ? '-' : time(d.processEndNs)}  ${exitText(d)}`, w),
    ...field('container', d.containerId === null ? 'host' : `${orDash(d.containerName)} ${d.containerId}  image ${orDash(d.image)}`, w),
  ];
  if (d.podName !== null) lines.push(...field('pod', `${d.podNamespace ?? ''}/${d.podName}`, w));
  lines.push(...ancestryLines(chain, options.selectedStep));
  lines.push({ text: `Images of this process (${d.images.length}${d.imagesMore ? '+' : ''})`, heading: true });
  d.images.forEach((img, i) => {
    const mark = img.execId === d.execId ? '*' : ' ';
    const res = img.res !== null && img.res !== 0 ? ` res=${img.res}` : '';
    lines.push({ text: `${mark}${String(i + 1).padStart(2)}. ${img.kind.padEnd(8)} ${clock(img.tsNs)}  ${oneLine(img.cmdline ?? img.name ?? '?')}${res}` });
  });
  if (d.alerts.length > 0) {
    lines.push({ text: `Alerts on this exec (${d.alerts.length})`, heading: true });
    for (const a of d.alerts) lines.push({ text: `  ! ${a.priority}  ${oneLine(a.rule)}` });
  }
  if (d.chainSteps.length > 0) {
    lines.push({ text: `Chain steps on this exec (${d.chainSteps.length}; key 4 lists the chains)`, heading: true });
    for (const c of d.chainSteps) lines.push({ text: `  ⛓ ${c.priority}  ${oneLine(c.chain)}: step ${c.step}` });
  }
  if (options.env === null) {
    lines.push({ text: d.hasEnv ? 'Environment: press e to show' : 'Environment: not captured' });
  } else {
    lines.push({ text: `Environment (${options.env.length})`, heading: true });
    for (const kv of options.env) lines.push(...field('', kv, w));
  }
  return lines;
}
