/** The process syscalls audit records name by number, per architecture (`arch=` of SYSCALL). */

export type ProcessSyscall = 'clone' | 'clone3' | 'fork' | 'vfork' | 'execve' | 'execveat' | 'exit' | 'exit_group';

const X86_64: Record<number, ProcessSyscall> = {
  56: 'clone',
  57: 'fork',
  58: 'vfork',
  59: 'execve',
  60: 'exit',
  231: 'exit_group',
  322: 'execveat',
  435: 'clone3',
};
const AARCH64: Record<number, ProcessSyscall> = {
  220: 'clone',
  221: 'execve',
  93: 'exit',
  94: 'exit_group',
  281: 'execveat',
  435: 'clone3',
};
const I386: Record<number, ProcessSyscall> = {
  1: 'exit',
  2: 'fork',
  11: 'execve',
  120: 'clone',
  190: 'vfork',
  252: 'exit_group',
  358: 'execveat',
  435: 'clone3',
};
const ARM: Record<number, ProcessSyscall> = {
  1: 'exit',
  2: 'fork',
  11: 'execve',
  120: 'clone',
  190: 'vfork',
  248: 'exit_group',
  387: 'execveat',
  435: 'clone3',
};

/** AUDIT_ARCH_* values as audit prints them (hex, without 0x). */
const TABLES: Record<string, Record<number, ProcessSyscall>> = {
  c000003e: X86_64,
  c00000b7: AARCH64,
  '40000003': I386,
  '40000028': ARM,
};

const NAMES = new Set<string>(['clone', 'clone3', 'fork', 'vfork', 'execve', 'execveat', 'exit', 'exit_group']);

/**
 * The process syscall a SYSCALL record is about, or undefined for any other syscall. The
 * ENRICHED `SYSCALL=` name wins when present; an unknown arch falls back to x86_64 numbers.
 */
export function processSyscall(arch: string | undefined, number: string | undefined, enrichedName?: string): ProcessSyscall | undefined {
  if (enrichedName !== undefined) return NAMES.has(enrichedName) ? (enrichedName as ProcessSyscall) : undefined;
  if (number === undefined) return undefined;
  return tableOf(arch)[Number(number)];
}

let lastArch: string | undefined;
let lastTable = X86_64;

/** The table of an `arch=` value; the last one is kept (a log has one or two arches, not one per record). */
function tableOf(arch: string | undefined): Record<number, ProcessSyscall> {
  if (arch !== lastArch) {
    lastTable = TABLES[(arch ?? '').toLowerCase().replace(/^0x/, '')] ?? X86_64;
    lastArch = arch;
  }
  return lastTable;
}
