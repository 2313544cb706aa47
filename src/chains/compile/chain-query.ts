import { MAX_ANCESTOR_DEPTH } from '../../fields/field-query.js';
import type { ChainRelation } from '../../rules/loader/definitions.js';
import type { LoadedChain } from '../../rules/loader/load-rules.js';
import { joinFrags, param, raw, sql, type Frag } from '../../rules/compile/sql-fragment.js';
import { compileChainOutput, type ChainOutput } from './chain-output.js';
import { stepCandidates, type TimeBounds } from './step-candidates.js';

/** The SQL for one chain rule (one query), in the manner of kysely's CompiledQuery. */
export interface CompiledChain {
  chain: LoadedChain;
  sql: string;
  parameters: unknown[];
  /** Event types each step matches. */
  eventTypes: string[][];
  output: ChainOutput;
}

export type ChainVerdict =
  | { status: 'evaluable'; compiled: CompiledChain }
  | { status: 'not-evaluable'; part: string; blocking: string; reason: string }
  | { status: 'error'; part: string; message: string };

/** A step or an unless entry: something with candidates and relations to steps. */
interface Member {
  alias: string;
  relations: ChainRelation[];
}

/**
 * Compiles a chain rule (docs/chains.md) to one query:
 *
 *   WITH s0 AS MATERIALIZED (candidates of step 0), s1 …, u0 … (unless entries),
 *        up_s1(start_id, start_ts, cur_id, depth) AS (walk up the lineage from s1's candidates),
 *        d_s1_0 AS MATERIALIZED (pairs: s1 candidate descends from s0 candidate), …
 *   SELECT x0, t0, x1, t1, … FROM (
 *     SELECT …, ROW_NUMBER() OVER (PARTITION BY s0.exec_id ORDER BY t1, x1, …) AS match_rank
 *     FROM s0 JOIN s1 ON <same host, after s0, within the window, relations> JOIN d_s1_0 …
 *     WHERE NOT EXISTS (<unless entry between its steps>) …)
 *   WHERE match_rank = 1
 *
 * Every value (window, depth, literals of the conditions) is a bound parameter.
 */
export function compileChain(chain: LoadedChain, bounds: TimeBounds = {}): ChainVerdict {
  const ctes: Frag[] = [];
  const eventTypes: string[][] = [];
  const members: { name: string; alias: string; ast: LoadedChain['steps'][number]['ast'] }[] = [
    ...chain.steps.map((s, i) => ({ name: `step '${s.def.name}'`, alias: `s${i}`, ast: s.ast })),
    ...chain.unless.map((u, i) => ({ name: `unless entry ${i + 1}`, alias: `u${i}`, ast: u.ast })),
  ];
  for (const m of members) {
    const c = stepCandidates(m.ast, bounds);
    if (c.status === 'not-evaluable') return { status: 'not-evaluable', part: m.name, blocking: c.blocking, reason: c.reason };
    if (c.status === 'error') return { status: 'error', part: m.name, message: c.message };
    ctes.push(sql`${raw(m.alias)} AS MATERIALIZED (\n    ${c.frag}\n  )`);
    if (m.alias.startsWith('s')) eventTypes.push(c.eventTypes);
  }
  const window = chain.def.withinNs;
  const related: Member[] = [
    ...chain.steps.map((s, i) => ({ alias: `s${i}`, relations: s.def.relations })),
    ...chain.unless.map((u, i) => ({ alias: `u${i}`, relations: u.def.relations })),
  ];
  for (const m of related) {
    const targets = m.relations.filter((r) => r.kind === 'descendant_of').map((r) => r.step);
    if (targets.length === 0) continue;
    ctes.push(lineageWalk(m.alias, window));
    for (const t of new Set(targets)) {
      ctes.push(raw(`${pairName(m.alias, t)} AS MATERIALIZED (\n    SELECT DISTINCT w.start_id AS desc_id, w.cur_id AS anc_id FROM up_${m.alias} w JOIN s${t} ON s${t}.exec_id = w.cur_id\n  )`));
    }
  }

  const selects: string[] = [];
  chain.steps.forEach((_s, i) => selects.push(`s${i}.exec_id AS x${i}`, `s${i}.ts_ns AS t${i}`));
  const from: Frag[] = [raw('FROM s0')];
  for (let i = 1; i < chain.steps.length; i++) from.push(...stepJoin(i, chain.steps[i]!.def.relations, window));
  const where = chain.unless.map((u, k) => unlessClause(`u${k}`, u.def));
  const order = chain.steps.slice(1).flatMap((_s, j) => [`s${j + 1}.ts_ns`, `s${j + 1}.exec_id`]);
  const inner = sql`SELECT ${raw(selects.join(', '))}, ROW_NUMBER() OVER (PARTITION BY s0.exec_id ORDER BY ${raw(order.join(', '))}) AS match_rank
  ${joinFrags(from, '\n  ')}${where.length > 0 ? sql`\n  WHERE ${joinFrags(where, '\n    AND ')}` : raw('')}`;
  const outer = chain.steps.flatMap((_s, i) => [`x${i}`, `t${i}`]).join(', ');
  const query = sql`WITH RECURSIVE\n  ${joinFrags(ctes, ',\n  ')}\nSELECT ${raw(outer)} FROM (\n  ${inner}\n) WHERE match_rank = 1\nORDER BY t0, x0`;

  const output = compileChainOutput(chain);
  return { status: 'evaluable', compiled: { chain, sql: query.sql, parameters: [...query.params], eventTypes, output } };
}

/**
 * Joins step `i` to the steps before it, driven by its most selective relation so that SQLite
 * never pairs every candidate with every other (CROSS JOIN fixes the order): a lineage relation
 * starts from the (ancestor, descendant) pairs, a process or container relation from the
 * candidates sharing that key, a host relation from the candidates on the host.
 */
function stepJoin(i: number, relations: ChainRelation[], window: bigint): Frag[] {
  const me = `s${i}`;
  const ordered: Frag[] = [raw(`${me}.host_id = s0.host_id`), raw(after(me, `s${i - 1}`)), sql`${raw(`${me}.ts_ns`)} <= s0.ts_ns + ${param(window)}`];
  const lineage = relations.filter((r) => r.kind === 'descendant_of');
  const joins: Frag[] = [];
  const conditions: Frag[] = [...ordered, ...plainRelations(me, relations)];
  const [driver, ...others] = lineage;
  if (driver) {
    const alias = `r${i}_${driver.step}`;
    // A plain JOIN: SQLite may start from the pairs, which are usually the fewest rows.
    joins.push(raw(`JOIN ${pairName(me, driver.step)} ${alias} ON ${alias}.anc_id = s${driver.step}.exec_id`));
    joins.push(sql`CROSS JOIN ${raw(me)} ON ${raw(`${me}.exec_id = ${alias}.desc_id`)} AND ${joinFrags(conditions, ' AND ')}`);
  } else {
    joins.push(sql`CROSS JOIN ${raw(me)} ON ${joinFrags(conditions, ' AND ')}`);
  }
  for (const r of others) {
    const alias = `r${i}_${r.step}`;
    joins.push(raw(`CROSS JOIN ${pairName(me, r.step)} ${alias} ON ${alias}.desc_id = ${me}.exec_id AND ${alias}.anc_id = s${r.step}.exec_id`));
  }
  return joins;
}

function pairName(alias: string, step: number): string {
  return `d_${alias}_${step}`;
}

/** `a` happened after `b`: later time, or the same time and imported later. */
function after(a: string, b: string): string {
  return `(${a}.ts_ns > ${b}.ts_ns OR (${a}.ts_ns = ${b}.ts_ns AND ${a}.exec_id > ${b}.exec_id))`;
}

/** Relations that are plain column comparisons (descendant_of is a join on its pairs). */
function plainRelations(alias: string, relations: ChainRelation[]): Frag[] {
  const out: Frag[] = [];
  for (const r of relations) {
    if (r.kind === 'same_process') out.push(raw(`${alias}.process_id = s${r.step}.process_id`));
    if (r.kind === 'same_container') out.push(raw(`${alias}.box = s${r.step}.box`));
    // same_host is implied: every member is on the first step's host.
  }
  return out;
}

/**
 * Walks up the lineage from each candidate: the previous image of the same process when there
 * is one, else the parent's image. It stops at the depth limit and at images too old for the
 * window (an earlier step is at most `within` before any later one); an image without a time
 * (a parent only its children showed) does not stop it.
 */
function lineageWalk(alias: string, window: bigint): Frag {
  return sql`up_${raw(alias)}(start_id, start_ts, cur_id, depth) AS (
    SELECT m.exec_id, m.ts_ns, COALESCE(x.prev_exec_id, x.parent_exec_id), 1 FROM ${raw(alias)} m JOIN execs x ON x.exec_id = m.exec_id
    UNION ALL
    SELECT w.start_id, w.start_ts, COALESCE(x.prev_exec_id, x.parent_exec_id), w.depth + 1
    FROM up_${raw(alias)} w JOIN execs x ON x.exec_id = w.cur_id
    WHERE w.depth < ${param(MAX_ANCESTOR_DEPTH)} AND (x.ts_ns IS NULL OR x.ts_ns >= w.start_ts - ${param(window)})
  )`;
}

function unlessClause(alias: string, u: LoadedChain['unless'][number]['def']): Frag {
  const joins = u.relations
    .filter((r) => r.kind === 'descendant_of')
    .map((r) => {
      const q = `q${r.step}`;
      return ` JOIN ${pairName(alias, r.step)} ${q} ON ${q}.desc_id = ${alias}.exec_id AND ${q}.anc_id = s${r.step}.exec_id`;
    })
    .join('');
  const conds: Frag[] = [raw(`${alias}.host_id = s0.host_id`), raw(after(alias, `s${u.after}`)), raw(after(`s${u.before}`, alias)), ...plainRelations(alias, u.relations)];
  return sql`NOT EXISTS (SELECT 1 FROM ${raw(alias)}${raw(joins)} WHERE ${joinFrags(conds, ' AND ')})`;
}
