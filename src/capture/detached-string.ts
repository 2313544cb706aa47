/**
 * A copy of `s` that shares no memory with the text it was cut from. V8 keeps a slice of 13 or
 * more characters (`slice`, `substring`, regular-expression captures) as a view into its parent
 * string, so one value a reader cut from a record and the linker kept for as long as its process
 * lives (a GUID, an executable path, a working directory) kept the whole record alive: 1.6 KB per
 * Sysmon event, 145 MB of retained XML at 1M execs. Joining first makes V8 copy the characters into
 * a new flat string, which the slice then points into instead. `JSON.parse` copies its strings.
 */
export function detachedString(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}
