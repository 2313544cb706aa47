import type Database from 'better-sqlite3';
import { globMatch } from '../util/match/glob.js';
import { PathPrefixSet } from '../util/match/pmatch.js';
import { nestedRepetition } from '../util/match/regex-bound.js';

/**
 * SQL functions the compiled rules and ad-hoc queries use, registered on every connection.
 * All are deterministic and return NULL for a NULL input, so Falco's "missing value ⇒ false"
 * carries through.
 *
 *   falco_glob(pattern, value [, casefold])  fnmatch(3) whole-string match → 1/0
 *   falco_pmatch(value, patterns_json)       path-prefix match against a JSON array of paths → 1/0
 *   falco_regex(pattern, value)              anchored full regular-expression match → 1/0
 *   pedigree_env(env, name)                  value of NAME in a NUL-joined KEY=VALUE environment
 *   pedigree_env_list(env)                   the environment with its NULs replaced by spaces
 *   pedigree_b64decode(text)                 base64-decoded text, NULL when not valid base64
 *   pedigree_basename(path)                  last path component ('' when the path ends in /)
 *   pedigree_mount(mounts_json, want, match_on, key)
 *                                            one attribute of the container mount whose
 *                                            `match_on` attribute matches `key` (regex search),
 *                                            or the key-th mount when key is a number
 */
export function registerSqlFunctions(db: Database.Database): void {
  const fn = { deterministic: true };
  db.function('falco_glob', { ...fn, varargs: true }, (pattern: unknown, value: unknown, casefold: unknown = 0) => {
    if (pattern === null || value === null || value === undefined) return null;
    return globMatch(String(pattern), String(value), Boolean(Number(casefold))) ? 1 : 0;
  });

  const prefixSets = new Map<string, PathPrefixSet>();
  db.function('falco_pmatch', fn, (value: unknown, patternsJson: unknown) => {
    if (value === null || patternsJson === null) return null;
    const key = String(patternsJson);
    let set = prefixSets.get(key);
    if (!set) {
      set = new PathPrefixSet(JSON.parse(key) as string[]);
      if (prefixSets.size > 1000) prefixSets.clear();
      prefixSets.set(key, set);
    }
    return set.matches(String(value)) ? 1 : 0;
  });

  const regexes = new Map<string, RegExp | null>();
  db.function('falco_regex', fn, (pattern: unknown, value: unknown) => {
    if (pattern === null || value === null) return null;
    const p = String(pattern);
    let re = regexes.get(p);
    if (re === undefined) {
      const unsafe = nestedRepetition(p);
      if (unsafe !== null) throw new Error(`regular expression refused: ${unsafe} (docs/reliability.md)`);
      try {
        re = new RegExp(`^(?:${p})$`, 'u');
      } catch {
        re = null;
      }
      if (regexes.size > 1000) regexes.clear();
      regexes.set(p, re);
    }
    if (re === null) throw new Error(`invalid regular expression: ${p}`);
    return re.test(String(value)) ? 1 : 0;
  });

  db.function('pedigree_env', fn, (env: unknown, name: unknown) => {
    if (env === null || name === null) return null;
    const prefix = `${String(name)}=`;
    for (const item of String(env).split('\0')) if (item.startsWith(prefix)) return item.slice(prefix.length);
    return null;
  });

  db.function('pedigree_env_list', fn, (env: unknown) => (env === null ? null : String(env).replaceAll('\0', ' ')));

  db.function('pedigree_b64decode', fn, (text: unknown) => {
    if (text === null) return null;
    const s = String(text);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return null;
    return Buffer.from(s, 'base64').toString('latin1');
  });

  db.function('pedigree_basename', fn, (path: unknown) => {
    if (path === null) return null;
    const s = String(path);
    return s.slice(s.lastIndexOf('/') + 1);
  });

  const mountCache = new Map<string, Record<string, unknown>[]>();
  db.function('pedigree_mount', fn, (mountsJson: unknown, want: unknown, matchOn: unknown, key: unknown) => {
    if (mountsJson === null || key === null) return null;
    const json = String(mountsJson);
    let mounts = mountCache.get(json);
    if (!mounts) {
      try {
        mounts = JSON.parse(json) as Record<string, unknown>[];
      } catch {
        return null;
      }
      if (mountCache.size > 1000) mountCache.clear();
      mountCache.set(json, mounts);
    }
    const k = String(key);
    let hit: Record<string, unknown> | undefined;
    if (/^\d+$/.test(k)) hit = mounts[Number(k)];
    else {
      let re: RegExp;
      try {
        re = new RegExp(k);
      } catch {
        return null;
      }
      hit = mounts.find((m) => re.test(String(m[String(matchOn)] ?? '')));
    }
    const v = hit?.[String(want)];
    if (v === undefined || v === null) return null;
    return typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v);
  });
}
