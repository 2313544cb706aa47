import type { ChainRelation } from '../../rules/loader/definitions.js';
import type { LoadedChain } from '../../rules/loader/load-rules.js';
import { sql } from 'kysely';
import { compileSql, type SqlFrag } from '../../db/sql-dialect.js';
import { compileChainOutput, type ChainOutput } from './chain-output.js';
import { pairName, stageCtes } from './chain-stages.js';
import { stepCandidates, type TimeBounds } from './step-candidates.js';

/** The SQL for one chain rule (one query), in the manner of kysely's CompiledQuery. */
export interface CompiledChain {
  chain: LoadedChain;
  sql: string;
  parameters: unknown[];
  /** Event types each step matches. */
  eventTypes: string[][];
  output: ChainOutput;
  /** The bounds it was compiled with (to compile it again for one host). */
  bounds: TimeBounds;
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
 *        d_s1_0 AS MATERIALIZED (pairs: s1 candidate descends from s0 candidate), …,
 *        f0 … f{n-1} AS MATERIALIZED (partial matches, step by step: chain-stages.ts)
 *   SELECT x0, t0, x1, t1, … FROM f{n-1} ORDER BY t0, x0
 *
 * Every value (window, literals of the conditions) is a bound parameter.
 */
export function compileChain(chain: LoadedChain, bounds: TimeBounds = {}): ChainVerdict {
  const ctes: SqlFrag[] = [];
  const eventTypes: string[][] = [];
  const members: { name: string; alias: string; ast: LoadedChain['steps'][number]['ast'] }[] = [
    ...chain.steps.map((s, i) => ({ name: `step '${s.def.name}'`, alias: `s${i}`, ast: s.ast })),
    ...chain.unless.map((u, i) => ({ name: `unless entry ${i + 1}`, alias: `u${i}`, ast: u.ast })),
  ];
  for (const m of members) {
    const c = stepCandidates(m.ast, bounds);
    if (c.status === 'not-evaluable') return { status: 'not-evaluable', part: m.name, blocking: c.blocking, reason: c.reason };
    if (c.status === 'error') return { status: 'error', part: m.name, message: c.message };
    ctes.push(sql`${sql.raw(m.alias)} AS MATERIALIZED (\n    ${c.frag}\n  )`);
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
    ctes.push(lineageWalk(m.alias, window, bounds.hostId));
    for (const t of new Set(targets)) {
      ctes.push(
        sql.raw(
          `${pairName(m.alias, t)} AS MATERIALIZED (\n    SELECT DISTINCT w.start_id AS desc_id, w.cur_id AS anc_id FROM up_${m.alias} w JOIN s${t} ON s${t}.exec_id = w.cur_id\n  )`,
        ),
      );
    }
  }

  const stages = stageCtes(chain, window);
  const columns = chain.steps.flatMap((_s, i) => [`x${i}`, `t${i}`]).join(', ');
  const query = sql`WITH RECURSIVE\n  ${sql.join([...ctes, ...stages.ctes], sql.raw(',\n  '))}\nSELECT ${sql.raw(columns)} FROM ${sql.raw(stages.last)}\nORDER BY t0, x0`;

  const output = compileChainOutput(chain);
  return { status: 'evaluable', compiled: { chain, ...compileSql(query), eventTypes, output, bounds } };
}

/**
 * Walks up the lineage from each candidate: the previous image of the same process when there
 * is one, else the parent's image, at any depth. It stops at images too old for the window (an
 * earlier step is at most `within` before any later one); an image without a time (a parent only
 * its children showed) does not stop it. A walk of distinct images can take no more steps than
 * the largest exec id, so that bound (read once per query) only stops a damaged case's cycle.
 */
function lineageWalk(alias: string, window: bigint, hostId: bigint | undefined): SqlFrag {
  const onHost = hostId === undefined ? sql.raw('') : sql`x.host_id = ${sql.val(hostId)} AND `;
  const bound =
    hostId === undefined ? sql.raw('(SELECT max(exec_id) FROM exec_rows)') : sql`(SELECT max(exec_id) FROM exec_rows WHERE host_id = ${sql.val(hostId)})`;
  return sql`up_${sql.raw(alias)}(start_id, start_ts, cur_id, depth) AS (
    SELECT m.exec_id, m.ts_ns, COALESCE(x.prev_exec_id, x.parent_exec_id), 1 FROM ${sql.raw(alias)} m JOIN execs x ON ${onHost}x.exec_id = m.exec_id
    UNION ALL
    SELECT w.start_id, w.start_ts, COALESCE(x.prev_exec_id, x.parent_exec_id), w.depth + 1
    FROM up_${sql.raw(alias)} w JOIN execs x ON ${onHost}x.exec_id = w.cur_id
    WHERE w.depth <= ${bound} AND (x.ts_ns IS NULL OR x.ts_ns >= w.start_ts - ${sql.val(window)})
  )`;
}
