/**
 * Times as Falco prints them. Text output uses `%evt.time`: the local time of day with
 * nanoseconds (`10:35:15.123456789`, in the TZ of the process, as Falco does); JSON uses UTC
 * ISO 8601 with nanoseconds (`2024-11-28T13:20:15.016500000Z`).
 */
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function split(ns: bigint): { date: Date; nanos: string } {
  const ms = ns / 1_000_000n;
  const nanos = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  return { date: new Date(Number(ms)), nanos: nanos.toString().padStart(9, '0') };
}

export function timeOfDay(ns: bigint): string {
  const { date, nanos } = split(ns);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${nanos}`;
}

export function isoTime(ns: bigint): string {
  const { date, nanos } = split(ns);
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${nanos}Z`
  );
}
