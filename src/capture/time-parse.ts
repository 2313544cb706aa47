/** Parsing the time notations of text formats into ns since the epoch (bigint). */

const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?\s*(Z|[+-]\d\d:?\d\d)?$/i;

/**
 * ISO 8601 / RFC 3339 with up to 9 fractional digits. A time without a zone is taken as UTC
 * (Sysmon's UtcTime has none).
 */
export function isoToNs(text: string): bigint | undefined {
  return isoUtcFast(text) ?? isoByPattern(text);
}

/** Two digits at `i`, or NaN. */
function digits2(t: string, i: number): number {
  const a = t.charCodeAt(i) - 48;
  const b = t.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
}

/**
 * The common shape, `YYYY-MM-DD[T ]hh:mm:ss[.fraction][Z]` in UTC, without a regular expression
 * (Tetragon and Sysmon give one per event); undefined for any other shape, which the pattern reads.
 */
function isoUtcFast(t: string): bigint | undefined {
  const n = t.length;
  if (n < 19 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return undefined;
  const sep = t.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return undefined;
  let end = n;
  const last = t.charCodeAt(n - 1);
  if (last === 90 || last === 122) end = n - 1; // Z
  let fractionNs = 0;
  if (end > 19) {
    const dot = t.charCodeAt(19);
    if ((dot !== 46 && dot !== 44) || end - 20 < 1 || end - 20 > 9) return undefined;
    for (let i = 20; i < 29; i++) {
      let d = 0;
      if (i < end) {
        d = t.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return undefined;
      }
      fractionNs = fractionNs * 10 + d;
    }
  }
  const year = digits2(t, 0) * 100 + digits2(t, 2);
  const ms = Date.UTC(year, digits2(t, 5) - 1, digits2(t, 8), digits2(t, 11), digits2(t, 14), digits2(t, 17));
  if (Number.isNaN(ms) || ms < 0) return undefined;
  return epochSecondNs(ms / 1000) + BigInt(fractionNs);
}

let lastSecond = -1;
let lastSecondNs = 0n;

/** Whole epoch `second` (a safe integer) × 10⁹ as a bigint; events come many to a second, so the last product is kept. */
export function epochSecondNs(second: number): bigint {
  if (second !== lastSecond) {
    lastSecondNs = BigInt(second) * 1_000_000_000n;
    lastSecond = second;
  }
  return lastSecondNs;
}

function isoByPattern(text: string): bigint | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (Number.isNaN(ms)) return undefined;
  let ns = BigInt(ms) * 1_000_000n + BigInt((m[7] ?? '').padEnd(9, '0'));
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1n : 1n;
    const digits = zone.slice(1).replace(':', '');
    const minutes = BigInt(+digits.slice(0, 2) * 60 + +digits.slice(2, 4));
    ns -= sign * minutes * 60_000_000_000n;
  }
  return ns;
}

/** `1795879779.049343` (seconds with a decimal fraction) → ns. */
export function decimalSecondsToNs(text: string): bigint {
  const dot = text.indexOf('.');
  if (dot < 0) return BigInt(text) * 1_000_000_000n;
  // One BigInt from the digits (seconds then nine of the fraction): several per event added up.
  return BigInt(text.slice(0, dot) + text.slice(dot + 1, dot + 10).padEnd(9, '0'));
}

/**
 * An epoch number whose unit is guessed from its magnitude (seconds, ms, µs or ns), as CSV
 * exports mix them. Digits are kept exactly (no float rounding).
 */
export function epochToNs(text: string): bigint | undefined {
  const t = text.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return undefined;
  const dot = t.indexOf('.');
  const intPart = dot < 0 ? t : t.slice(0, dot);
  if (intPart.length <= 11) return decimalSecondsToNs(t);
  const n = BigInt(intPart);
  if (intPart.length <= 14) return n * 1_000_000n;
  if (intPart.length <= 17) return n * 1_000n;
  return n;
}

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/**
 * `ps` lstart (`Sat Nov 28 15:29:57 2026`): local time of the traced machine with no zone. Read
 * as UTC (docs/formats.md): capture with `TZ=UTC` to make that true.
 */
export function lstartToNs(text: string): bigint | undefined {
  const m = /^(?:[A-Z][a-z]{2})\s+([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d\d):(\d\d):(\d\d)\s+(\d{4})$/.exec(text.trim());
  if (!m) return undefined;
  const month = MONTHS[m[1]!];
  if (month === undefined) return undefined;
  return BigInt(Date.UTC(+m[6]!, month, +m[2]!, +m[3]!, +m[4]!, +m[5]!)) * 1_000_000n;
}
