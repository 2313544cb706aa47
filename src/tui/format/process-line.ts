import type { ProcessRow } from '../data/types.js';
import { CHILD_COUNT_CAP } from '../data/types.js';
import { oneLine } from './text.js';

/** `exit 0`, `sig 9`, `running`: how a process ended, short. */
function exitLabel(p: Pick<ProcessRow, 'exitCode' | 'exitSignal' | 'endNs'>): string {
  if (p.exitSignal !== null && p.exitSignal !== 0) return `sig ${p.exitSignal}`;
  if (p.exitCode !== null) return `exit ${p.exitCode}`;
  return p.endNs !== null ? 'exited' : 'running';
}

/** The command line without the leading program name (the line shows the name already). */
export function argsOf(name: string | null, cmdline: string | null): string {
  const cmd = cmdline ?? '';
  const n = name ?? '';
  return n !== '' && cmd.startsWith(n) ? cmd.slice(n.length).trimStart() : cmd;
}

/** `[+]` has unopened children, `[-]` open, `   ` none. */
function expander(p: ProcessRow, expanded: boolean): string {
  if (p.childCount === 0) return '   ';
  return expanded ? '[-]' : '[+]';
}

function childCountLabel(p: ProcessRow): string {
  if (p.childCount === 0) return '';
  return p.childCount >= CHILD_COUNT_CAP ? ` (${CHILD_COUNT_CAP - 1}+)` : ` (${p.childCount})`;
}

/**
 * The text of one tree line after its guides: `[+] sh 4001 exit 0 (4) -c curl …`.
 * Status and child count come before the arguments so truncation only ever cuts arguments.
 */
export function processLabel(p: ProcessRow, expanded: boolean): string {
  const args = oneLine(argsOf(p.name, p.cmdline));
  const inferred = p.origin === 'inferred' ? ' (inferred)' : '';
  return `${expander(p, expanded)} ${oneLine(p.name ?? '?')} ${p.pid} ${exitLabel(p)}${childCountLabel(p)}${inferred}${args ? `  ${args}` : ''}`;
}
