/**
 * Sysmon for Linux ProcessGuid: machine id (u32) | process creation time, epoch seconds (u32,
 * printed low half then high half) | an 8-byte key. A zero key is not unique (seen while
 * Sysmon starts), so such GUIDs do not identify a process.
 */
export interface ProcessGuid {
  text: string;
  /** Creation time in ns (whole seconds). */
  startNs: bigint;
  /** The GUID identifies one process (non-zero key). */
  unique: boolean;
}

/** Hex digits per group of `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`. */
const GROUPS = [8, 4, 4, 4, 12];

/** The GUID in `text` (braces optional, surrounding white space ignored), read without a regular expression (three per exec). */
export function parseProcessGuid(text: string | undefined): ProcessGuid | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  let i = t.charCodeAt(0) === 123 /* { */ ? 1 : 0;
  const end = t.charCodeAt(t.length - 1) === 125 /* } */ ? t.length - 1 : t.length;
  if (end - i !== 36) return undefined;
  const starts: number[] = [];
  let zeroKey = true;
  let zeroMachine = true;
  for (let g = 0; g < GROUPS.length; g++) {
    if (g > 0) {
      if (t.charCodeAt(i) !== 45 /* - */) return undefined;
      i++;
    }
    starts.push(i);
    for (const stop = i + GROUPS[g]!; i < stop; i++) {
      const c = t.charCodeAt(i);
      if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return undefined;
      if (c !== 48) {
        if (g === 0) zeroMachine = false;
        else if (g >= 3) zeroKey = false;
      }
    }
  }
  const seconds = parseInt(t.slice(starts[2], starts[2]! + 4) + t.slice(starts[1], starts[1]! + 4), 16);
  if (seconds === 0 && zeroKey && zeroMachine) return undefined;
  return { text: t.toLowerCase(), startNs: BigInt(seconds) * 1_000_000_000n, unique: !zeroKey };
}
