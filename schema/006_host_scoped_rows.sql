-- pedigree case database, version 6: every row that belongs to one host names it.
--
-- alerts, alert_links, chain_steps and exec_sources gain a NOT NULL host_id (filled from the row
-- they hang off), so on PostgreSQL they are host-scoped like execs, processes and chains:
-- host_id leads their primary key and Citus distributes them by host, co-located with the
-- execs they name. The tables are rebuilt (SQLite cannot add a NOT NULL column without a
-- default); their other columns are unchanged and documented in 001_case.sql, 003_chains.sql,
-- 004_alert_links.sql and 004_exec_sources.sql. host_id comes last, as an added column would.

CREATE TABLE alerts_v6 (
  alert_id      INTEGER PRIMARY KEY,            -- alerts.alert_id
  exec_id       INTEGER REFERENCES exec_rows(exec_id), -- alerts.exec_id
  rule          TEXT NOT NULL,                  -- alerts.rule
  priority      TEXT NOT NULL,                  -- alerts.priority
  time_ns       INTEGER,                        -- alerts.time_ns
  output        TEXT NOT NULL,                  -- alerts.output
  output_fields_json TEXT,                      -- alerts.output_fields_json
  tags_json     TEXT,                           -- alerts.tags_json
  source        TEXT NOT NULL DEFAULT 'syscall',-- alerts.source
  origin        TEXT NOT NULL,                  -- alerts.origin
  rules_file    TEXT,                           -- alerts.rules_file
  capture_id    INTEGER,                        -- alerts.capture_id
  run_ns        INTEGER NOT NULL,               -- alerts.run_ns
  host_id       INTEGER NOT NULL                -- host of the exec it matched, or the host the imported alert names
);
-- The exec's host; for an imported alert not tied to an exec, the host it names, else its capture's.
INSERT INTO alerts_v6 SELECT a.alert_id, a.exec_id, a.rule, a.priority, a.time_ns, a.output, a.output_fields_json, a.tags_json,
  a.source, a.origin, a.rules_file, a.capture_id, a.run_ns,
  COALESCE((SELECT e.host_id FROM exec_rows e WHERE e.exec_id = a.exec_id),
           (SELECT l.host_id FROM alert_links l WHERE l.alert_id = a.alert_id),
           (SELECT c.host_id FROM captures c WHERE c.capture_id = a.capture_id),
           (SELECT min(h.host_id) FROM hosts h))
  FROM alerts a ORDER BY a.alert_id;

CREATE TABLE alert_links_v6 (
  alert_id      INTEGER PRIMARY KEY REFERENCES alerts(alert_id), -- alert_links.alert_id
  host_id       INTEGER NOT NULL,                 -- alert_links.host_id (the alert's host when it named none)
  container_id  TEXT                              -- alert_links.container_id
);
INSERT INTO alert_links_v6 SELECT l.alert_id, COALESCE(l.host_id, (SELECT a.host_id FROM alerts_v6 a WHERE a.alert_id = l.alert_id)), l.container_id
  FROM alert_links l ORDER BY l.alert_id;

PRAGMA legacy_alter_table = ON;
DROP TABLE alert_links;
DROP TABLE alerts;
ALTER TABLE alerts_v6 RENAME TO alerts;
ALTER TABLE alert_links_v6 RENAME TO alert_links;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX alerts_exec ON alerts(exec_id);
CREATE INDEX alert_links_container ON alert_links(container_id);

CREATE TABLE chain_steps_v6 (
  chain_match_id  INTEGER NOT NULL REFERENCES chains(chain_match_id), -- chain_steps.chain_match_id
  step_index      INTEGER NOT NULL,               -- chain_steps.step_index
  step            TEXT NOT NULL,                  -- chain_steps.step
  exec_id         INTEGER NOT NULL,               -- chain_steps.exec_id
  ts_ns           INTEGER NOT NULL,               -- chain_steps.ts_ns
  linked_step     INTEGER,                        -- chain_steps.linked_step
  relation        TEXT,                           -- chain_steps.relation
  path_json       TEXT,                           -- chain_steps.path_json
  host_id         INTEGER NOT NULL,               -- the match's host (chains.host_id)
  PRIMARY KEY (chain_match_id, step_index)
);
INSERT INTO chain_steps_v6 SELECT s.chain_match_id, s.step_index, s.step, s.exec_id, s.ts_ns, s.linked_step, s.relation, s.path_json,
  COALESCE((SELECT c.host_id FROM chains c WHERE c.chain_match_id = s.chain_match_id),
           (SELECT e.host_id FROM exec_rows e WHERE e.exec_id = s.exec_id))
  FROM chain_steps s ORDER BY s.chain_match_id, s.step_index;
DROP TABLE chain_steps;
ALTER TABLE chain_steps_v6 RENAME TO chain_steps;
CREATE INDEX chain_steps_exec ON chain_steps(exec_id);

DROP VIEW exec_all_sources;
CREATE TABLE exec_sources_v6 (
  exec_id        INTEGER NOT NULL REFERENCES exec_rows(exec_id),    -- exec_sources.exec_id
  capture_id     INTEGER NOT NULL REFERENCES captures(capture_id),  -- exec_sources.capture_id
  ts_ns          INTEGER,                      -- exec_sources.ts_ns
  source_line    INTEGER,                      -- exec_sources.source_line
  source_offset  INTEGER,                      -- exec_sources.source_offset
  evt_num        INTEGER,                      -- exec_sources.evt_num
  ppid           INTEGER,                      -- exec_sources.ppid
  cmdline        TEXT,                         -- exec_sources.cmdline
  exepath        TEXT,                         -- exec_sources.exepath
  conflict       TEXT,                         -- exec_sources.conflict
  host_id        INTEGER NOT NULL              -- the exec's host
);
INSERT INTO exec_sources_v6 SELECT s.exec_id, s.capture_id, s.ts_ns, s.source_line, s.source_offset, s.evt_num, s.ppid, s.cmdline, s.exepath,
  s.conflict, COALESCE((SELECT e.host_id FROM exec_rows e WHERE e.exec_id = s.exec_id),
                       (SELECT c.host_id FROM captures c WHERE c.capture_id = s.capture_id))
  FROM exec_sources s ORDER BY s.rowid;
DROP TABLE exec_sources;
ALTER TABLE exec_sources_v6 RENAME TO exec_sources;
CREATE INDEX exec_sources_exec ON exec_sources(exec_id);
CREATE VIEW exec_all_sources AS
  SELECT exec_id, capture_id, ts_ns, source_line, source_offset, evt_num, 1 AS first_source FROM execs
  UNION ALL
  SELECT exec_id, capture_id, ts_ns, source_line, source_offset, evt_num, 0 AS first_source FROM exec_sources;
