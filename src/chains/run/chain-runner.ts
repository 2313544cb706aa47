import { hostnamesById } from '../../db/hostnames.js';
import type { Db } from '../../db/open.js';
import { renderOutput } from '../../rules/output/render-output.js';
import type { CompiledChain } from '../compile/chain-query.js';
import { compareMatches, type ChainMatch, type ChainMatchStep } from './chain-match.js';
import { LineagePaths, pathRelation } from './lineage-path.js';

export interface ChainRunStat {
  chain: string;
  priority: string;
  matches: number;
  ms: number;
}

/**
 * Runs compiled chains on a case: one query per chain finds the matches (exec ids and times of
 * every step); each match is then rendered from its steps' rows and given its lineage paths.
 */
export function runCompiledChains(
  db: Db,
  chains: CompiledChain[],
): { matches: ChainMatch[]; stats: ChainRunStat[]; failures: { chain: string; message: string }[] } {
  const hostnames = hostnamesById(db);
  const paths = new LineagePaths(db);
  const matches: ChainMatch[] = [];
  const stats: ChainRunStat[] = [];
  const failures: { chain: string; message: string }[] = [];
  for (const c of chains) {
    const started = process.hrtime.bigint();
    // One chain failing (a statement SQLite refuses) is reported; the others still run.
    const own: ChainMatch[] = [];
    let rows: Record<string, bigint>[];
    try {
      rows = runChainQuery(db, c, hostnames, paths, own);
    } catch (err) {
      failures.push({ chain: c.chain.def.name, message: err instanceof Error ? err.message : String(err) });
      continue;
    }
    matches.push(...own);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    stats.push({ chain: c.chain.def.name, priority: c.chain.def.priority, matches: rows.length, ms });
  }
  matches.sort(compareMatches);
  return { matches, stats, failures };
}

function runChainQuery(db: Db, c: CompiledChain, hostnames: Map<bigint, string>, paths: LineagePaths, matches: ChainMatch[]): Record<string, bigint>[] {
  const rows = db.prepare(c.sql).all(...c.parameters) as Record<string, bigint>[];
  const fieldQueries = c.output.queries.map((q) => ({ ...q, stmt: db.prepare(q.sql) }));
  for (const row of rows) {
    const execIds = c.chain.steps.map((_s, i) => row[`x${i}`] as bigint);
    const times = c.chain.steps.map((_s, i) => row[`t${i}`] as bigint);
    const steps: ChainMatchStep[] = c.chain.steps.map((s, i) => {
      const exec = paths.exec(execIds[i]!);
      const link = i === 0 ? null : pathRelation(s.def.relations);
      return {
        index: i,
        name: s.def.name,
        execId: execIds[i]!,
        tsNs: times[i]!,
        pid: exec?.pid ?? null,
        procName: exec?.name ?? null,
        cmdline: exec?.cmdline ?? null,
        linkedStep: link?.step ?? null,
        relation: link?.kind ?? null,
        path: link ? paths.path(execIds[link.step]!, execIds[i]!, link.kind) : paths.fromParent(execIds[i]!),
      };
    });
    const merged: Record<string, unknown> = {};
    for (const q of fieldQueries) Object.assign(merged, q.stmt.get(...q.parameters, execIds[q.step]));
    const { text, fields } = renderOutput(c.output.parts, c.output.columns, merged);
    const where = paths.exec(execIds[0]!)!;
    matches.push({
      chain: c.chain.def.name,
      chainIndex: c.chain.def.index,
      priority: c.chain.def.priority,
      tags: c.chain.def.tags,
      hostId: where.host_id,
      hostname: hostnames.get(where.host_id) ?? '',
      containerId: where.container_id,
      startNs: times[0]!,
      endNs: times[times.length - 1]!,
      output: text,
      outputFields: fields,
      steps,
    });
  }
  return rows;
}
