-- pedigree case database, version 4: one exec, several sources (docs/lineage.md, "Merging").
--
-- When a later capture reports an exec the case already holds (audit and Sysmon on the same
-- host, two Tetragon exports, overlapping captures), the exec stays one row; each further
-- report is recorded here with what it said where it may disagree.

CREATE TABLE exec_sources (
  exec_id        INTEGER NOT NULL REFERENCES execs(exec_id),        -- the exec row
  capture_id     INTEGER NOT NULL REFERENCES captures(capture_id),  -- the capture that reported it again
  ts_ns          INTEGER,                      -- the time that capture gave
  source_line    INTEGER,                      -- 1-based line of the record in that capture (text formats)
  source_offset  INTEGER,                      -- byte offset of the record in that capture (binary formats)
  evt_num        INTEGER,                      -- the event's ordinal in that capture, when numbered
  ppid           INTEGER,                      -- parent pid that capture reported
  cmdline        TEXT,                         -- command line that capture reported
  exepath        TEXT,                         -- executable path that capture reported
  conflict       TEXT                          -- what it disagreed on with the kept row ('cmdline', 'ppid', …), NULL if nothing
);

CREATE INDEX exec_sources_exec ON exec_sources(exec_id);

-- Every source of every exec: the capture that wrote the row, then those that reported it again.
CREATE VIEW exec_all_sources AS
  SELECT exec_id, capture_id, ts_ns, source_line, source_offset, evt_num, 1 AS first_source FROM execs
  UNION ALL
  SELECT exec_id, capture_id, ts_ns, source_line, source_offset, evt_num, 0 AS first_source FROM exec_sources;
