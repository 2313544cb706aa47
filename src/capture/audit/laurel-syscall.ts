import type { AuditFields } from './audit-event.js';

type Json = Record<string, unknown>;

/** laurel writes its interpreted fields in upper case (`UID`, `SYSCALL`) beside the raw ones: a letter, and none in lower case. */
function isEnrichedName(k: string): boolean {
  let upper = false;
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
    if (c >= 65 && c <= 90) upper = true;
  }
  return upper;
}

function withoutHexPrefix(s: string): string {
  return s.startsWith('0x') ? s.slice(2) : s;
}

/**
 * laurel's SYSCALL object read as audit fields, without copying its ~35 members: the raw fields
 * (`enriched` false: names with a lower-case letter, `arch` without `0x`, `aN` from the `ARGV`
 * registers) or the interpreted ones (upper-case names). Values are the members as strings;
 * null and nested members are not fields.
 */
export class LaurelSyscall implements AuditFields {
  constructor(
    private readonly sc: Json,
    private readonly enriched: boolean,
  ) {}

  get(key: string): string | undefined {
    if (isEnrichedName(key) !== this.enriched) return undefined;
    if (!this.enriched && key.charCodeAt(0) === 97 /* a */) {
      const regs = this.sc.ARGV;
      const i = Array.isArray(regs) ? registerIndex(key) : -1;
      if (i >= 0 && i < (regs as unknown[]).length) return withoutHexPrefix(String((regs as unknown[])[i]));
    }
    const v = member(this.sc, key);
    if (v === undefined || v === null || typeof v === 'object') return undefined;
    const s = typeof v === 'string' ? v : String(v);
    return key === 'arch' ? withoutHexPrefix(s) : s;
  }

  /** A member that is a safe integer, as get() and Number() would give it (-0 as 0); else undefined. */
  integer(key: string): number | undefined {
    if (this.enriched || registerIndex(key) >= 0 || isEnrichedName(key)) return undefined;
    const v = member(this.sc, key);
    return typeof v === 'number' && Number.isSafeInteger(v) ? v + 0 : undefined;
  }

  [Symbol.iterator](): Iterator<readonly [string, string]> {
    const all = new Map<string, string>();
    for (const k in this.sc) {
      const v = this.get(k);
      if (v !== undefined) all.set(k, v);
    }
    const regs = this.sc.ARGV;
    if (!this.enriched && Array.isArray(regs)) regs.forEach((_r, i) => all.set(`a${i}`, this.get(`a${i}`)!));
    return all.entries();
  }
}

/**
 * The member `key` of a SYSCALL object. The members the lineage reads are loaded by name (a
 * load the engine caches per object shape; a load by a key in a variable is looked up each time).
 * Objects from JSON.parse have no prototype members of these names, so a missing one is undefined.
 */
function member(sc: Json, key: string): unknown {
  switch (key) {
    case 'arch':
      return sc.arch;
    case 'syscall':
      return sc.syscall;
    case 'success':
      return sc.success;
    case 'exit':
      return sc.exit;
    case 'pid':
      return sc.pid;
    case 'ppid':
      return sc.ppid;
    case 'uid':
      return sc.uid;
    case 'gid':
      return sc.gid;
    case 'euid':
      return sc.euid;
    case 'auid':
      return sc.auid;
    case 'tty':
      return sc.tty;
    case 'comm':
      return sc.comm;
    case 'exe':
      return sc.exe;
    case 'SYSCALL':
      return sc.SYSCALL;
    case 'UID':
      return sc.UID;
    default:
      return Object.hasOwn(sc, key) ? sc[key] : undefined;
  }
}

/** N of a register name `aN` (no leading zeros), else -1. */
function registerIndex(key: string): number {
  if (key.length < 2 || key.charCodeAt(0) !== 97 || (key.charCodeAt(1) === 48 && key.length > 2)) return -1;
  let n = 0;
  for (let i = 1; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + c - 48;
  }
  return n;
}
