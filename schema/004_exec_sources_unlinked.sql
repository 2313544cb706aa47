-- pedigree case database, version 4: exec_sources without a foreign key on execs.
--
-- From version 5 `execs` is a view over narrower tables, and a foreign key may not name a view
-- (SQLite reports a mismatch in foreign_key_check). exec_sources.exec_id keeps its meaning, an
-- exec row's exec_id, without the declared reference.

CREATE TABLE exec_sources_v4 (
  exec_id        INTEGER NOT NULL,
  capture_id     INTEGER NOT NULL REFERENCES captures(capture_id),
  ts_ns          INTEGER,
  source_line    INTEGER,
  source_offset  INTEGER,
  evt_num        INTEGER,
  ppid           INTEGER,
  cmdline        TEXT,
  exepath        TEXT,
  conflict       TEXT
);
INSERT INTO exec_sources_v4 SELECT exec_id, capture_id, ts_ns, source_line, source_offset, evt_num, ppid, cmdline, exepath, conflict FROM exec_sources;
PRAGMA legacy_alter_table = ON;
DROP TABLE exec_sources;
ALTER TABLE exec_sources_v4 RENAME TO exec_sources;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX exec_sources_exec_v4 ON exec_sources(exec_id);
