import type { ChainRelation } from '../../rules/loader/definitions.js';
import type { LoadedChain } from '../../rules/loader/load-rules.js';
import { sql } from 'kysely';
import type { SqlFrag } from '../../db/sql-dialect.js';

/**
 * The joining half of a chain query: one materialized CTE per step, `f0` … `f{n-1}`, each the
 * partial matches up to that step. Stage j joins step j's candidates to stage j-1's rows, driven
 * by its lineage pairs when it has a `descendant_of` relation, and applies the `unless` entries
 * whose steps are all known by then.
 *
 * Each stage keeps one row per combination of the steps something later still refers to (the
 * first step, targets of later relations, bounds and targets of later `unless` entries): the one
 * whose step j is earliest, then whose other steps are. A later step only needs step j to come
 * before it, so the earliest step j loses no completion, and the rows no longer multiply from
 * step to step: a four-step chain costs the sum of its steps' candidates, not their product.
 * The last stage keeps one row per first step: the completion that ends earliest.
 */

/** The SQL names of a step's columns in the stage being built. */
interface StepCols {
  id: string;
  ts: string;
  process: string;
  box: string;
}

/** CTE names of the lineage pairs: `d_s1_0` holds (s1 candidate, its s0 ancestor). */
export function pairName(alias: string, step: number): string {
  return `d_${alias}_${step}`;
}

export function stageCtes(chain: LoadedChain, window: bigint): { ctes: SqlFrag[]; last: string } {
  const n = chain.steps.length;
  const unlessStage = chain.unless.map((u) => Math.max(u.def.after, u.def.before, ...u.def.relations.map((r) => r.step)));
  const ctes: SqlFrag[] = [sql.raw('f0 AS MATERIALIZED (SELECT s0.exec_id AS x0, s0.ts_ns AS t0, s0.process_id AS p0, s0.box AS b0, s0.host_id AS h FROM s0)')];
  for (let j = 1; j < n; j++) {
    const prev = (i: number): StepCols => ({ id: `f.x${i}`, ts: `f.t${i}`, process: `f.p${i}`, box: `f.b${i}` });
    const cols = (i: number): StepCols => (i === j ? { id: `s${j}.exec_id`, ts: `s${j}.ts_ns`, process: `s${j}.process_id`, box: `s${j}.box` } : prev(i));
    const relations = chain.steps[j]!.def.relations;
    const conditions: SqlFrag[] = [
      sql.raw(`s${j}.host_id = f.h`),
      sql.raw(after(cols(j), prev(j - 1))),
      sql`${sql.raw(`s${j}.ts_ns`)} <= f.t0 + ${sql.val(window)}`,
      ...plainRelations(cols(j), relations, cols),
    ];
    const joins: SqlFrag[] = [];
    const [driver, ...others] = relations.filter((r) => r.kind === 'descendant_of');
    if (driver) {
      const alias = `r${j}_${driver.step}`;
      joins.push(sql.raw(`JOIN ${pairName(`s${j}`, driver.step)} ${alias} ON ${alias}.anc_id = f.x${driver.step}`));
      joins.push(sql`CROSS JOIN s${sql.raw(String(j))} ON ${sql.raw(`s${j}.exec_id = ${alias}.desc_id`)} AND ${sql.join(conditions, sql.raw(' AND '))}`);
    } else {
      joins.push(sql`CROSS JOIN s${sql.raw(String(j))} ON ${sql.join(conditions, sql.raw(' AND '))}`);
    }
    for (const r of others) {
      const alias = `r${j}_${r.step}`;
      joins.push(sql.raw(`CROSS JOIN ${pairName(`s${j}`, r.step)} ${alias} ON ${alias}.desc_id = s${j}.exec_id AND ${alias}.anc_id = f.x${r.step}`));
    }
    const unless = chain.unless.flatMap((u, k) => (unlessStage[k] === j ? [unlessClause(`u${k}`, u.def, cols)] : []));
    const carried = Array.from({ length: j }, (_x, i) => `f.x${i}, f.t${i}, f.p${i}, f.b${i}`).join(', ');
    const needed = neededAfter(chain, j, unlessStage);
    const dead = Array.from({ length: j }, (_x, i) => i).filter((i) => !needed.has(i));
    const order = [`s${j}.ts_ns`, `s${j}.exec_id`, ...dead.flatMap((i) => [`f.t${i}`, `f.x${i}`])].join(', ');
    const partition = [...needed]
      .sort((a, b) => a - b)
      .map((i) => (i === j ? `s${j}.exec_id` : `f.x${i}`))
      .join(', ');
    const body = sql`SELECT ${sql.raw(carried)}, f.h, s${sql.raw(String(j))}.exec_id AS x${sql.raw(String(j))}, s${sql.raw(String(j))}.ts_ns AS t${sql.raw(String(j))}, s${sql.raw(String(j))}.process_id AS p${sql.raw(String(j))}, s${sql.raw(String(j))}.box AS b${sql.raw(String(j))},
        ROW_NUMBER() OVER (PARTITION BY ${sql.raw(partition)} ORDER BY ${sql.raw(order)}) AS stage_rank
      FROM f${sql.raw(String(j - 1))} f
      ${sql.join(joins, sql.raw('\n      '))}${unless.length > 0 ? sql`\n      WHERE ${sql.join(unless, sql.raw('\n        AND '))}` : sql.raw('')}`;
    ctes.push(sql`f${sql.raw(String(j))} AS MATERIALIZED (SELECT * FROM (\n      ${body}\n    ) AS ranked WHERE stage_rank = 1)`);
  }
  return { ctes, last: `f${n - 1}` };
}

/**
 * The steps up to j that something after stage j still refers to: the first step (the match's
 * key) and every target or bound of a later relation or `unless` entry.
 */
function neededAfter(chain: LoadedChain, j: number, unlessStage: number[]): Set<number> {
  const needed = new Set<number>([0]);
  chain.steps.forEach((s, i) => {
    if (i > j) for (const r of s.def.relations) if (r.step <= j) needed.add(r.step);
  });
  chain.unless.forEach((u, k) => {
    if (unlessStage[k]! <= j) return;
    for (const i of [u.def.after, u.def.before, ...u.def.relations.map((r) => r.step)]) if (i <= j) needed.add(i);
  });
  return needed;
}

/** `a` happened after `b`: later time, or the same time and imported later. */
function after(a: StepCols, b: StepCols): string {
  return `(${a.ts} > ${b.ts} OR (${a.ts} = ${b.ts} AND ${a.id} > ${b.id}))`;
}

/** Relations that are plain column comparisons (descendant_of joins its pairs instead). */
function plainRelations(me: StepCols, relations: ChainRelation[], cols: (i: number) => StepCols): SqlFrag[] {
  const out: SqlFrag[] = [];
  for (const r of relations) {
    if (r.kind === 'same_process') out.push(sql.raw(`${me.process} = ${cols(r.step).process}`));
    if (r.kind === 'same_container') out.push(sql.raw(`${me.box} = ${cols(r.step).box}`));
    // same_host is implied: every step is on the first step's host.
  }
  return out;
}

function unlessClause(alias: string, u: LoadedChain['unless'][number]['def'], cols: (i: number) => StepCols): SqlFrag {
  const me: StepCols = { id: `${alias}.exec_id`, ts: `${alias}.ts_ns`, process: `${alias}.process_id`, box: `${alias}.box` };
  const joins = u.relations
    .filter((r) => r.kind === 'descendant_of')
    .map((r) => ` JOIN ${pairName(alias, r.step)} q${r.step} ON q${r.step}.desc_id = ${alias}.exec_id AND q${r.step}.anc_id = ${cols(r.step).id}`)
    .join('');
  const conds = [
    sql.raw(`${alias}.host_id = f.h`),
    sql.raw(after(me, cols(u.after))),
    sql.raw(after(cols(u.before), me)),
    ...plainRelations(me, u.relations, cols),
  ];
  return sql`NOT EXISTS (SELECT 1 FROM ${sql.raw(`${alias}${joins}`)} WHERE ${sql.join(conds, sql.raw(' AND '))})`;
}
