-- title: Chain matches, step by step
-- description: Every stored chain match (pedigree chains run) with each step's process, command line and container, in the order the steps happened; :chain narrows it to one chain rule (empty: all).
-- param chain: chain rule name, or empty for every chain
SELECT c.chain_match_id, c.chain, c.priority, s.step_index, s.step, s.relation,
       e.exec_id, e.ts_ns, e.pid, e.name, e.cmdline, COALESCE(e.container_id, 'host') AS container_id
FROM chains c
JOIN chain_steps s ON s.chain_match_id = c.chain_match_id
JOIN execs e ON e.exec_id = s.exec_id
WHERE :chain = '' OR c.chain = :chain
ORDER BY c.start_ns, c.chain_match_id, s.step_index;
