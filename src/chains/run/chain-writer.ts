import type { Db } from '../../db/open.js';
import type { ChainMatch } from './chain-match.js';

/**
 * Writes matches to `chains` and `chain_steps` in one transaction. A chain that matches the
 * same first-step exec again replaces its earlier match.
 */
export function writeChainMatches(db: Db, matches: ChainMatch[], rulesFiles: string[], runNs: bigint): void {
  const earlier = db.prepare('SELECT chain_match_id FROM chains WHERE chain = ? AND first_exec_id = ?');
  const removeSteps = db.prepare('DELETE FROM chain_steps WHERE chain_match_id = ?');
  const remove = db.prepare('DELETE FROM chains WHERE chain_match_id = ?');
  const insert = db.prepare(
    `INSERT INTO chains (chain, priority, host_id, container_id, first_exec_id, last_exec_id, start_ns, end_ns, output, output_fields_json, tags_json, rules_file, run_ns)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertStep = db.prepare(
    `INSERT INTO chain_steps (chain_match_id, step_index, step, exec_id, ts_ns, linked_step, relation, path_json, host_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const files = rulesFiles.join(',');
  const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  db.transaction(() => {
    for (const m of matches) {
      const first = m.steps[0]!.execId;
      for (const row of earlier.all(m.chain, first) as { chain_match_id: bigint }[]) {
        removeSteps.run(row.chain_match_id);
        remove.run(row.chain_match_id);
      }
      const last = m.steps[m.steps.length - 1]!.execId;
      const id = insert.run(
        m.chain,
        m.priority,
        m.hostId,
        m.containerId,
        first,
        last,
        m.startNs,
        m.endNs,
        m.output,
        json(m.outputFields),
        JSON.stringify(m.tags),
        files,
        runNs,
      ).lastInsertRowid;
      for (const s of m.steps) {
        const path = s.path.length > 0 ? `[${s.path.map((p) => p.execId.toString()).join(',')}]` : null;
        insertStep.run(id, s.index, s.name, s.execId, s.tsNs, s.linkedStep, s.relation, path, m.hostId);
      }
    }
  })();
}
