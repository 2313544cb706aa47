import { BadRecord } from '../record-errors.js';
import type { AuditEvent } from './audit-event.js';
import type { AuditRecord } from './record-parser.js';

/** Where SIEM exports keep the syslog line and the machine's name. */
const MESSAGE_KEYS = ['SyslogMessage', 'message', '_raw'] as const;
const HOST_KEYS = ['Computer', 'HostName', 'hostname', 'host'] as const;

/**
 * An audit record carried in one JSON row of a SIEM's syslog export (Microsoft Sentinel /
 * Azure Monitor `Syslog`: `SyslogMessage` holds the record, `Computer` the machine). Null when
 * the row carries no syslog message at all (another table's row).
 */
export function unwrapSyslogJson(text: string): { message: string; host: string | undefined } | null {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch (err) {
    throw new BadRecord(`not valid JSON (${(err as Error).message})`);
  }
  if (typeof row !== 'object' || row === null) return null;
  const r = row as Record<string, unknown>;
  const message = MESSAGE_KEYS.map((k) => r[k]).find((v): v is string => typeof v === 'string');
  if (message === undefined) return null;
  const host = HOST_KEYS.map((k) => r[k]).find((v): v is string => typeof v === 'string' && v !== '');
  return { message, host };
}

/** The record types of Microsoft's audit agent (AUOMS) that carry a whole execve in one line. */
export const AUOMS_TYPES: ReadonlySet<string> = new Set(['AUOMS_EXECVE']);

/**
 * One AUOMS_EXECVE record as an audit event: AUOMS folds SYSCALL, EXECVE, CWD and PROCTITLE
 * into one key=value line (`ppid`, `pid`, `comm`, `exe`, `cwd`, `cmdline` or `proctitle`, ids).
 * Its command line is a joined string, so it becomes the exec's cmdline, never an exact argv.
 */
export function auomsEvent(rec: AuditRecord, line: number): AuditEvent {
  const f = rec.fields;
  if (f.get('pid') === undefined) throw new BadRecord(`${rec.type} record without pid=`);
  const cmdline = f.get('cmdline') ?? f.get('proctitle')?.replace(/\0+$/, '').replace(/\0/g, ' ');
  const syscall = new Map(f);
  if (!syscall.has('success')) syscall.set('success', 'yes');
  return {
    node: rec.node,
    tsNs: rec.tsNs,
    line,
    syscall,
    enriched: new Map([['SYSCALL', 'execve']]),
    argv: undefined,
    cwd: f.get('cwd'),
    path0: undefined,
    proctitle: cmdline === undefined || cmdline === '' ? undefined : [cmdline],
  };
}
