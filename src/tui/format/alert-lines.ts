import type { AlertRow } from '../data/types.js';
import { oneLine } from './text.js';
import type { TimeText } from './times.js';

/** `Critical  2024-11-28T13:20:16.421000000Z  Read sensitive file  cat 4004 {3f9a1c0e2b7d}` */
export function alertLine(a: AlertRow, time: TimeText): string {
  const proc = a.execId === null ? '(no exec)' : `${oneLine(a.name ?? '?')} ${a.pid ?? '?'} {${a.containerId ?? 'host'}}`;
  return `${a.priority.padEnd(9)} ${time(a.timeNs)}  ${oneLine(a.rule)}  ${proc}`;
}
