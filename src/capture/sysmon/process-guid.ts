/**
 * Sysmon for Linux ProcessGuid: machine id (u32) | process creation time, epoch seconds (u32,
 * printed low half then high half) | an 8-byte key. A zero key is not unique (seen while
 * Sysmon starts), so such GUIDs do not identify a process.
 */
const GUID = /^\{?([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})\}?$/;

export interface ProcessGuid {
  text: string;
  /** Creation time in ns (whole seconds). */
  startNs: bigint;
  /** The GUID identifies one process (non-zero key). */
  unique: boolean;
}

export function parseProcessGuid(text: string | undefined): ProcessGuid | undefined {
  if (text === undefined) return undefined;
  const m = GUID.exec(text.trim());
  if (!m) return undefined;
  const seconds = parseInt(m[3]! + m[2]!, 16);
  const unique = !/^0+$/.test(m[4]! + m[5]!);
  if (seconds === 0 && !unique && /^0+$/.test(m[1]!)) return undefined;
  return { text: text.trim().toLowerCase(), startNs: BigInt(seconds) * 1_000_000_000n, unique };
}
