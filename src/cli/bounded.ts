import { Option } from 'commander';
import { parseIntArg } from './parse-args.js';

/**
 * Row bounds that never cut silently: every bounded command takes `--limit N` and `--all`, and
 * when rows were left out it says so on stderr (as text, or as one JSON object with `--json`),
 * naming the options that lift the bound.
 */

export function limitOptions(defaultLimit: number | undefined, noun: string): Option[] {
  const limit = new Option('--limit <n>', `at most n ${noun}`).argParser(parseIntArg);
  if (defaultLimit !== undefined) limit.default(defaultLimit);
  return [limit, new Option('--all', `every ${noun}: no --limit`)];
}

/** The bound to apply, or undefined for none (`--all`). */
export function effectiveLimit(opts: { limit?: number; all?: boolean }): number | undefined {
  return opts.all ? undefined : opts.limit;
}

/** SQLite's LIMIT value for "limit + 1 rows" (to see whether more exist), -1 for none. */
export function probeLimit(limit: number | undefined): number {
  return limit === undefined ? -1 : limit + 1;
}

/** Keeps the first `limit` rows and says whether more were there. */
export function cut<T>(rows: T[], limit: number | undefined): { rows: T[]; truncated: boolean } {
  if (limit === undefined || rows.length <= limit) return { rows, truncated: false };
  return { rows: rows.slice(0, limit), truncated: true };
}

export function reportTruncation(noun: string, limit: number, json: boolean): void {
  if (json) {
    process.stderr.write(`${JSON.stringify({ truncated: true, shown: limit, unit: noun, lift: ['--limit', '--all'] })}\n`);
    return;
  }
  process.stderr.write(`pedigree: showing the first ${limit} ${noun}; more exist (raise --limit, or pass --all)\n`);
}

/**
 * An explicit `--depth N` left levels out: said on stderr (one JSON object with `--json`), with
 * the depth reached and how to lift it. `what` names where the levels were cut ("below the root").
 */
export function reportDepthCut(depth: number, what: string, json: boolean): void {
  if (json) {
    process.stderr.write(`${JSON.stringify({ truncated: true, depth, unit: 'levels', lift: ['--depth'] })}\n`);
    return;
  }
  process.stderr.write(
    `pedigree: showing ${depth} level${depth === 1 ? '' : 's'} ${what} (--depth ${depth}); more levels exist (raise --depth, or leave it out for every level)\n`,
  );
}
