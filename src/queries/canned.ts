import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PedigreeError } from '../util/errors.js';

const QUERIES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'queries');

export interface CannedParam {
  name: string;
  description: string;
}

export interface CannedQuery {
  name: string;
  title: string;
  description: string;
  params: CannedParam[];
  sql: string;
}

/** `:name` tokens outside comments and string literals. */
function namedParameters(sql: string): string[] {
  const stripped = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''");
  const names = new Set<string>();
  for (const m of stripped.matchAll(/(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)/g)) if (m[1]) names.add(m[1]);
  return [...names];
}

function parseCannedQuery(name: string, text: string): CannedQuery {
  const header = new Map<string, string>();
  const paramDocs = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^--\s*(title|description):\s*(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) header.set(m[1], m[2].trim());
    const p = /^--\s*param\s+([A-Za-z_][A-Za-z0-9_]*):\s*(.*)$/.exec(line);
    if (p?.[1]) paramDocs.set(p[1], (p[2] ?? '').trim());
  }
  const title = header.get('title');
  if (!title) throw new PedigreeError('QUERY', `queries/${name}.sql has no "-- title:" header`);
  return {
    name,
    title,
    description: header.get('description') ?? '',
    params: namedParameters(text).map((n) => ({ name: n, description: paramDocs.get(n) ?? '' })),
    sql: text,
  };
}

export function listCannedQueries(dir: string = QUERIES_DIR): CannedQuery[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => parseCannedQuery(basename(f, '.sql'), readFileSync(join(dir, f), 'utf8')));
}

export function findCannedQuery(name: string, dir: string = QUERIES_DIR): CannedQuery {
  const q = listCannedQueries(dir).find((c) => c.name === name);
  if (!q) {
    throw new PedigreeError('USAGE', `no canned query ${name}; see pedigree queries list`);
  }
  return q;
}

/** Values from `--param k=v`: integers bind as integers, everything else as text. */
export function bindCannedParams(query: CannedQuery, given: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of query.params) {
    const v = given[p.name];
    if (v === undefined) {
      throw new PedigreeError('USAGE', `query ${query.name} needs --param ${p.name}=VALUE${p.description ? ` (${p.description})` : ''}`);
    }
    out[p.name] = /^-?\d+$/.test(v) ? BigInt(v) : v;
  }
  for (const k of Object.keys(given)) {
    if (!query.params.some((p) => p.name === k)) throw new PedigreeError('USAGE', `query ${query.name} has no parameter ${k}`);
  }
  return out;
}
