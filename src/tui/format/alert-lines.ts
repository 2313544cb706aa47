import type { AlertRow } from '../data/types.js';
import { oneLine } from './text.js';
import { clock } from './times.js';

/** `Critical  13:20:16.421  Read sensitive file  cat 4004 {3f9a1c0e2b7d}` */
export function alertLine(a: AlertRow): string {
  const proc = a.execId === null ? '(no exec)' : `${oneLine(a.name ?? '?')} ${a.pid ?? '?'} {${a.containerId ?? 'host'}}`;
  return `${a.priority.padEnd(9)} ${clock(a.timeNs)}  ${oneLine(a.rule)}  ${proc}`;
}
