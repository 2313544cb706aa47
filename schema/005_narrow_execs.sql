-- pedigree case database, version 5: narrow exec rows.
--
-- The exec rows of version 1 carried 44 columns, most of them text repeated across a container's
-- processes (environment blocks, cgroup sets, executable paths, working directories), so a case
-- was larger than the evidence it came from. From this version on:
--
-- * `exec_rows` holds the columns every exec has; repeated strings are stored once in `strings`
--   and referenced by id; `kind` is an integer; a command line or thread id that can be derived
--   from other columns is not stored again (`derived` says which), and the argument vector is
--   kept as the argument lengths instead of a second copy of the arguments.
-- * `exec_extras` holds the columns only some sources fill (capabilities, session, tty, exe
--   flags, failed-exec target), one row per exec that has any of them.
-- * `execs` is a view presenting exactly the columns and values of version 1 (documented in
--   001_case.sql), so queries, rules and users' SQL read it as before. Writes through it
--   (INSERT, UPDATE, DELETE) are turned into writes of the tables below by triggers.
--
-- Existing cases are upgraded in place: their exec rows are copied into the new tables.

-- Strings that repeat across exec rows, each stored once.
CREATE TABLE strings (
  string_id  INTEGER PRIMARY KEY,               -- surrogate key, referenced by the *_id columns of exec_rows and exec_extras
  value      TEXT NOT NULL UNIQUE               -- the string (environment blocks keep their NUL separators)
);

-- One row per program image (see execs in 001_case.sql for the meaning of each value).
CREATE TABLE exec_rows (
  exec_id          INTEGER PRIMARY KEY,         -- surrogate key (execs.exec_id)
  process_id       INTEGER NOT NULL,            -- execs.process_id
  capture_id       INTEGER NOT NULL,            -- execs.capture_id
  host_id          INTEGER NOT NULL,            -- execs.host_id
  kind             INTEGER NOT NULL,            -- execs.kind as a number: 0 exec, 1 fork, 2 snapshot, 3 inferred
  parent_exec_id   INTEGER,                     -- execs.parent_exec_id
  prev_exec_id     INTEGER,                     -- execs.prev_exec_id
  ts_ns            INTEGER,                     -- execs.ts_ns
  pid              INTEGER NOT NULL,            -- execs.pid
  tid              INTEGER,                     -- execs.tid, NULL when it equals pid (derived bit 2)
  vpid             INTEGER,                     -- execs.vpid
  ppid             INTEGER,                     -- execs.ppid
  name             TEXT,                        -- execs.name (kept inline: rules filter on it through execs_name)
  exe_id           INTEGER,                     -- execs.exe, as strings.string_id
  exepath_id       INTEGER,                     -- execs.exepath, as strings.string_id
  args             TEXT,                        -- execs.args, NULL when it is cmdline after name and a space (derived bit 1)
  arg_lengths      TEXT,                        -- JSON array of the arguments' lengths in characters when joining them with spaces loses information (execs.argv_json is rebuilt from it and args)
  cmdline          TEXT,                        -- execs.cmdline (rules read it far more often than args)
  cwd_id           INTEGER,                     -- execs.cwd, as strings.string_id
  uid              INTEGER,                     -- execs.uid
  gid              INTEGER,                     -- execs.gid
  user_name_id     INTEGER,                     -- execs.user_name, as strings.string_id
  env_id           INTEGER,                     -- execs.env, as strings.string_id
  cgroups_id       INTEGER,                     -- execs.cgroups, as strings.string_id
  container_id     TEXT,                        -- execs.container_id (kept inline: containers are looked up by it)
  res              INTEGER,                     -- execs.res
  evt_num          INTEGER,                     -- execs.evt_num
  evt_type         TEXT,                        -- execs.evt_type (every rule filters on it: kept inline)
  source_line      INTEGER,                     -- execs.source_line
  source_offset    INTEGER,                     -- execs.source_offset
  derived          INTEGER NOT NULL DEFAULT 0   -- bit 1: cmdline is name + ' ' + args (or name alone when args is empty) and args is not stored; bit 2: tid equals pid; bit 4: argv_json is in exec_extras; bit 8: the exec has an exec_extras row
);

-- Columns only some sources fill, one row per exec that has any of them.
CREATE TABLE exec_extras (
  exec_id             INTEGER PRIMARY KEY,      -- the exec_rows row
  euid                INTEGER,                  -- execs.euid
  loginuid            INTEGER,                  -- execs.loginuid
  tty                 INTEGER,                  -- execs.tty
  sid                 INTEGER,                  -- execs.sid
  pgid                INTEGER,                  -- execs.pgid
  vpgid               INTEGER,                  -- execs.vpgid
  exe_writable        INTEGER,                  -- execs.exe_writable
  exe_upper_layer     INTEGER,                  -- execs.exe_upper_layer
  exe_lower_layer     INTEGER,                  -- execs.exe_lower_layer
  exe_from_memfd      INTEGER,                  -- execs.exe_from_memfd
  cap_permitted_id    INTEGER,                  -- execs.cap_permitted, as strings.string_id
  cap_effective_id    INTEGER,                  -- execs.cap_effective, as strings.string_id
  cap_inheritable_id  INTEGER,                  -- execs.cap_inheritable, as strings.string_id
  attempt_exe         TEXT,                     -- execs.attempt_exe
  argv_json           TEXT                      -- execs.argv_json when it is not the arguments of args (written by hand through the view)
);

-- Existing cases: every string once, then the rows.
INSERT OR IGNORE INTO strings (value)
  SELECT v FROM (
    SELECT exe AS v FROM execs UNION ALL SELECT exepath FROM execs UNION ALL SELECT cwd FROM execs
    UNION ALL SELECT user_name FROM execs UNION ALL SELECT env FROM execs UNION ALL SELECT cgroups FROM execs
    UNION ALL SELECT cap_permitted FROM execs
    UNION ALL SELECT cap_effective FROM execs UNION ALL SELECT cap_inheritable FROM execs)
  WHERE v IS NOT NULL;

INSERT INTO exec_rows (exec_id, process_id, capture_id, host_id, kind, parent_exec_id, prev_exec_id, ts_ns, pid, tid,
    vpid, ppid, name, exe_id, exepath_id, args, arg_lengths, cmdline, cwd_id, uid, gid, user_name_id, env_id, cgroups_id,
    container_id, res, evt_num, evt_type, source_line, source_offset, derived)
  SELECT e.exec_id, e.process_id, e.capture_id, e.host_id,
    CASE e.kind WHEN 'exec' THEN 0 WHEN 'fork' THEN 1 WHEN 'snapshot' THEN 2 WHEN 'inferred' THEN 3 END,
    e.parent_exec_id, e.prev_exec_id, e.ts_ns, e.pid,
    CASE WHEN e.tid = e.pid THEN NULL ELSE e.tid END,
    e.vpid, e.ppid, e.name,
    (SELECT string_id FROM strings WHERE value = e.exe),
    (SELECT string_id FROM strings WHERE value = e.exepath),
    CASE WHEN e.name IS NOT NULL AND e.args IS NOT NULL AND e.cmdline IS (CASE WHEN e.args <> '' THEN e.name || ' ' || e.args ELSE e.name END) AND substr(e.cmdline, length(e.name) + 2) = e.args
      THEN NULL ELSE e.args END,
    CASE WHEN (e.argv_json IS NOT NULL AND json_valid(e.argv_json) AND json_type(e.argv_json) = 'array'
       AND NOT EXISTS (SELECT 1 FROM json_each(e.argv_json) WHERE type <> 'text')
       AND (SELECT group_concat(value, ' ') FROM json_each(e.argv_json)) IS e.args
       AND (SELECT json_group_array(value) FROM json_each(e.argv_json)) = e.argv_json)
         THEN (SELECT json_group_array(length(value)) FROM json_each(e.argv_json)) END,
    e.cmdline,
    (SELECT string_id FROM strings WHERE value = e.cwd),
    e.uid, e.gid,
    (SELECT string_id FROM strings WHERE value = e.user_name),
    (SELECT string_id FROM strings WHERE value = e.env),
    (SELECT string_id FROM strings WHERE value = e.cgroups),
    e.container_id, e.res, e.evt_num,
    e.evt_type,
    e.source_line, e.source_offset,
    (CASE WHEN e.name IS NOT NULL AND e.args IS NOT NULL AND e.cmdline IS (CASE WHEN e.args <> '' THEN e.name || ' ' || e.args ELSE e.name END) AND substr(e.cmdline, length(e.name) + 2) = e.args
          THEN 1 ELSE 0 END)
    | (CASE WHEN e.tid = e.pid THEN 2 ELSE 0 END)
    | (CASE WHEN e.argv_json IS NOT NULL AND NOT (e.argv_json IS NOT NULL AND json_valid(e.argv_json) AND json_type(e.argv_json) = 'array'
       AND NOT EXISTS (SELECT 1 FROM json_each(e.argv_json) WHERE type <> 'text')
       AND (SELECT group_concat(value, ' ') FROM json_each(e.argv_json)) IS e.args
       AND (SELECT json_group_array(value) FROM json_each(e.argv_json)) = e.argv_json) THEN 4 ELSE 0 END)
  FROM execs e ORDER BY e.exec_id;

INSERT INTO exec_extras (exec_id, euid, loginuid, tty, sid, pgid, vpgid, exe_writable, exe_upper_layer, exe_lower_layer,
    exe_from_memfd, cap_permitted_id, cap_effective_id, cap_inheritable_id, attempt_exe, argv_json)
  SELECT e.exec_id, e.euid, e.loginuid, e.tty, e.sid, e.pgid, e.vpgid, e.exe_writable, e.exe_upper_layer,
    e.exe_lower_layer, e.exe_from_memfd,
    (SELECT string_id FROM strings WHERE value = e.cap_permitted),
    (SELECT string_id FROM strings WHERE value = e.cap_effective),
    (SELECT string_id FROM strings WHERE value = e.cap_inheritable),
    e.attempt_exe,
    CASE WHEN e.argv_json IS NOT NULL AND NOT (e.argv_json IS NOT NULL AND json_valid(e.argv_json) AND json_type(e.argv_json) = 'array'
       AND NOT EXISTS (SELECT 1 FROM json_each(e.argv_json) WHERE type <> 'text')
       AND (SELECT group_concat(value, ' ') FROM json_each(e.argv_json)) IS e.args
       AND (SELECT json_group_array(value) FROM json_each(e.argv_json)) = e.argv_json)
         THEN e.argv_json END
  FROM execs e
  WHERE e.euid IS NOT NULL OR e.loginuid IS NOT NULL OR e.tty IS NOT NULL OR e.sid IS NOT NULL
     OR e.pgid IS NOT NULL OR e.vpgid IS NOT NULL OR e.exe_writable IS NOT NULL OR e.exe_upper_layer IS NOT NULL
     OR e.exe_lower_layer IS NOT NULL OR e.exe_from_memfd IS NOT NULL OR e.cap_permitted IS NOT NULL
     OR e.cap_effective IS NOT NULL OR e.cap_inheritable IS NOT NULL OR e.attempt_exe IS NOT NULL
     OR (e.argv_json IS NOT NULL AND NOT (e.argv_json IS NOT NULL AND json_valid(e.argv_json) AND json_type(e.argv_json) = 'array'
       AND NOT EXISTS (SELECT 1 FROM json_each(e.argv_json) WHERE type <> 'text')
       AND (SELECT group_concat(value, ' ') FROM json_each(e.argv_json)) IS e.args
       AND (SELECT json_group_array(value) FROM json_each(e.argv_json)) = e.argv_json))
  ORDER BY e.exec_id;

UPDATE exec_rows SET derived = derived | 8 WHERE exec_id IN (SELECT exec_id FROM exec_extras);

-- alerts.exec_id and exec_sources.exec_id referred to the execs table; a foreign key cannot refer
-- to a view, so both tables are rebuilt referring to exec_rows (same columns, documented in
-- 001_case.sql and 004_exec_sources.sql; the view exec_all_sources over it is created again as it was).
CREATE TABLE alerts_v5 (
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
  run_ns        INTEGER NOT NULL                -- alerts.run_ns
);
INSERT INTO alerts_v5 SELECT alert_id, exec_id, rule, priority, time_ns, output, output_fields_json, tags_json, source,
  origin, rules_file, capture_id, run_ns FROM alerts ORDER BY alert_id;
DROP TABLE alerts;
ALTER TABLE alerts_v5 RENAME TO alerts;
CREATE INDEX alerts_exec ON alerts(exec_id);

DROP VIEW exec_all_sources;
CREATE TABLE exec_sources_v5 (
  exec_id        INTEGER NOT NULL REFERENCES exec_rows(exec_id),    -- exec_sources.exec_id
  capture_id     INTEGER NOT NULL REFERENCES captures(capture_id),  -- exec_sources.capture_id
  ts_ns          INTEGER,                      -- exec_sources.ts_ns
  source_line    INTEGER,                      -- exec_sources.source_line
  source_offset  INTEGER,                      -- exec_sources.source_offset
  evt_num        INTEGER,                      -- exec_sources.evt_num
  ppid           INTEGER,                      -- exec_sources.ppid
  cmdline        TEXT,                         -- exec_sources.cmdline
  exepath        TEXT,                         -- exec_sources.exepath
  conflict       TEXT                          -- exec_sources.conflict
);
INSERT INTO exec_sources_v5 SELECT exec_id, capture_id, ts_ns, source_line, source_offset, evt_num, ppid, cmdline, exepath,
  conflict FROM exec_sources ORDER BY rowid;
DROP TABLE exec_sources;
ALTER TABLE exec_sources_v5 RENAME TO exec_sources;
CREATE INDEX exec_sources_exec ON exec_sources(exec_id);
CREATE VIEW exec_all_sources AS
  SELECT exec_id, capture_id, ts_ns, source_line, source_offset, evt_num, 1 AS first_source FROM execs
  UNION ALL
  SELECT exec_id, capture_id, ts_ns, source_line, source_offset, evt_num, 0 AS first_source FROM exec_sources;

-- Dropping the table drops its indexes; they are created again on exec_rows under the same names.
DROP TABLE execs;

CREATE INDEX execs_process ON exec_rows(process_id);
CREATE INDEX execs_parent ON exec_rows(parent_exec_id);
CREATE INDEX execs_pid ON exec_rows(host_id, pid);
CREATE INDEX execs_container ON exec_rows(container_id);
CREATE INDEX execs_name ON exec_rows(name);

-- Version 1's exec rows, column for column. Every string column is a primary-key lookup, made
-- only when a query uses that column.
CREATE VIEW execs AS
  SELECT
    r.exec_id,
    r.process_id,
    r.capture_id,
    r.host_id,
    CASE r.kind WHEN 0 THEN 'exec' WHEN 1 THEN 'fork' WHEN 2 THEN 'snapshot' WHEN 3 THEN 'inferred' END AS kind,
    r.parent_exec_id,
    r.prev_exec_id,
    r.ts_ns,
    r.pid,
    CASE WHEN r.derived & 2 THEN r.pid ELSE r.tid END AS tid,
    r.vpid,
    r.ppid,
    r.name,
    (SELECT value FROM strings WHERE string_id = r.exe_id) AS exe,
    (SELECT value FROM strings WHERE string_id = r.exepath_id) AS exepath,
    CASE WHEN r.derived & 1 THEN substr(r.cmdline, length(r.name) + 2) ELSE r.args END AS args,
    CASE
      WHEN r.arg_lengths IS NOT NULL THEN (
        SELECT json_group_array(substr(CASE WHEN r.derived & 1 THEN substr(r.cmdline, length(r.name) + 2) ELSE r.args END, a.at, a.len)) FROM (
          SELECT value AS len, sum(value + 1) OVER (ORDER BY key) - value AS at
          FROM json_each(r.arg_lengths) ORDER BY key) a)
      WHEN r.derived & 4 THEN (SELECT argv_json FROM exec_extras x WHERE x.exec_id = r.exec_id)
    END AS argv_json,
    r.cmdline,
    (SELECT value FROM strings WHERE string_id = r.cwd_id) AS cwd,
    r.uid,
    r.gid,
    CASE WHEN r.derived & 8 THEN (SELECT euid FROM exec_extras x WHERE x.exec_id = r.exec_id) END AS euid,
    CASE WHEN r.derived & 8 THEN (SELECT loginuid FROM exec_extras x WHERE x.exec_id = r.exec_id) END AS loginuid,
    (SELECT value FROM strings WHERE string_id = r.user_name_id) AS user_name,
    CASE WHEN r.derived & 8 THEN (SELECT tty FROM exec_extras x WHERE x.exec_id = r.exec_id) END AS tty,
    CASE WHEN r.derived & 8 THEN (SELECT sid FROM exec_extras x WHERE x.exec_id = r.exec_id) END AS sid,
    CASE WHEN r.derived & 8 THEN (SELECT pgid FROM exec_extras x WHERE x.exec_id = r.exec_id) END AS pgid,
    CASE WHEN r.derived & 8 THEN (SELECT vpgid FROM exec_extras x WHERE x.exec_id = r.exec_id) END AS vpgid,
    (SELECT value FROM strings WHERE string_id = r.env_id) AS env,
    (SELECT value FROM strings WHERE string_id = r.cgroups_id) AS cgroups,
    r.container_id,
    CASE WHEN r.derived & 8 THEN (SELECT exe_writable FROM exec_extras x WHERE x.exec_id = r.exec_id) END AS exe_writable,
    CASE WHEN r.derived & 8 THEN (SELECT exe_upper_layer FROM exec_extras x WHERE x.exec_id = r.exec_id) END AS exe_upper_layer,
    CASE WHEN r.derived & 8 THEN (SELECT exe_lower_layer FROM exec_extras x WHERE x.exec_id = r.exec_id) END AS exe_lower_layer,
    CASE WHEN r.derived & 8 THEN (SELECT exe_from_memfd FROM exec_extras x WHERE x.exec_id = r.exec_id) END AS exe_from_memfd,
    CASE WHEN r.derived & 8 THEN (SELECT s.value FROM exec_extras x JOIN strings s ON s.string_id = x.cap_permitted_id WHERE x.exec_id = r.exec_id) END AS cap_permitted,
    CASE WHEN r.derived & 8 THEN (SELECT s.value FROM exec_extras x JOIN strings s ON s.string_id = x.cap_effective_id WHERE x.exec_id = r.exec_id) END AS cap_effective,
    CASE WHEN r.derived & 8 THEN (SELECT s.value FROM exec_extras x JOIN strings s ON s.string_id = x.cap_inheritable_id WHERE x.exec_id = r.exec_id) END AS cap_inheritable,
    r.res,
    CASE WHEN r.derived & 8 THEN (SELECT attempt_exe FROM exec_extras x WHERE x.exec_id = r.exec_id) END AS attempt_exe,
    r.evt_num,
    r.evt_type,
    r.source_line,
    r.source_offset
  FROM exec_rows r;

-- Writes through the view: strings are interned, then the rows written.
CREATE TRIGGER execs_insert INSTEAD OF INSERT ON execs BEGIN
  INSERT OR IGNORE INTO strings (value) SELECT v FROM (
    SELECT NEW.exe AS v UNION ALL SELECT NEW.exepath UNION ALL SELECT NEW.cwd UNION ALL SELECT NEW.user_name UNION ALL SELECT NEW.env UNION ALL SELECT NEW.cgroups UNION ALL SELECT NEW.cap_permitted UNION ALL SELECT NEW.cap_effective UNION ALL SELECT NEW.cap_inheritable)
  WHERE v IS NOT NULL;
  INSERT INTO exec_rows (exec_id, process_id, capture_id, host_id, kind, parent_exec_id, prev_exec_id, ts_ns, pid, tid, vpid, ppid, name, exe_id, exepath_id, args, arg_lengths, cmdline, cwd_id, uid, gid, user_name_id, env_id, cgroups_id, container_id, res, evt_num, evt_type, source_line, source_offset, derived)
  VALUES (
    NEW.exec_id,
    NEW.process_id,
    NEW.capture_id,
    NEW.host_id,
    CASE NEW.kind WHEN 'exec' THEN 0 WHEN 'fork' THEN 1 WHEN 'snapshot' THEN 2 WHEN 'inferred' THEN 3 END,
    NEW.parent_exec_id,
    NEW.prev_exec_id,
    NEW.ts_ns,
    NEW.pid,
    CASE WHEN NEW.tid = NEW.pid THEN NULL ELSE NEW.tid END,
    NEW.vpid,
    NEW.ppid,
    NEW.name,
    (SELECT string_id FROM strings WHERE value = NEW.exe),
    (SELECT string_id FROM strings WHERE value = NEW.exepath),
    CASE WHEN NEW.name IS NOT NULL AND NEW.args IS NOT NULL AND NEW.cmdline IS (CASE WHEN NEW.args <> '' THEN NEW.name || ' ' || NEW.args ELSE NEW.name END) AND substr(NEW.cmdline, length(NEW.name) + 2) = NEW.args
      THEN NULL ELSE NEW.args END,
    CASE WHEN (NEW.argv_json IS NOT NULL AND json_valid(NEW.argv_json) AND json_type(NEW.argv_json) = 'array'
       AND NOT EXISTS (SELECT 1 FROM json_each(NEW.argv_json) WHERE type <> 'text')
       AND (SELECT group_concat(value, ' ') FROM json_each(NEW.argv_json)) IS NEW.args
       AND (SELECT json_group_array(value) FROM json_each(NEW.argv_json)) = NEW.argv_json)
      THEN (SELECT json_group_array(length(value)) FROM json_each(NEW.argv_json)) END,
    NEW.cmdline,
    (SELECT string_id FROM strings WHERE value = NEW.cwd),
    NEW.uid,
    NEW.gid,
    (SELECT string_id FROM strings WHERE value = NEW.user_name),
    (SELECT string_id FROM strings WHERE value = NEW.env),
    (SELECT string_id FROM strings WHERE value = NEW.cgroups),
    NEW.container_id,
    NEW.res,
    NEW.evt_num,
    NEW.evt_type,
    NEW.source_line,
    NEW.source_offset,
    (CASE WHEN NEW.name IS NOT NULL AND NEW.args IS NOT NULL AND NEW.cmdline IS (CASE WHEN NEW.args <> '' THEN NEW.name || ' ' || NEW.args ELSE NEW.name END) AND substr(NEW.cmdline, length(NEW.name) + 2) = NEW.args THEN 1 ELSE 0 END)
      | (CASE WHEN NEW.tid = NEW.pid THEN 2 ELSE 0 END)
      | (CASE WHEN NEW.argv_json IS NOT NULL AND NOT (NEW.argv_json IS NOT NULL AND json_valid(NEW.argv_json) AND json_type(NEW.argv_json) = 'array'
       AND NOT EXISTS (SELECT 1 FROM json_each(NEW.argv_json) WHERE type <> 'text')
       AND (SELECT group_concat(value, ' ') FROM json_each(NEW.argv_json)) IS NEW.args
       AND (SELECT json_group_array(value) FROM json_each(NEW.argv_json)) = NEW.argv_json) THEN 4 ELSE 0 END)
      | (CASE WHEN COALESCE(NEW.euid, NEW.loginuid, NEW.tty, NEW.sid, NEW.pgid, NEW.vpgid, NEW.exe_writable, NEW.exe_upper_layer,
      NEW.exe_lower_layer, NEW.exe_from_memfd, NEW.cap_permitted, NEW.cap_effective, NEW.cap_inheritable, NEW.attempt_exe) IS NOT NULL OR (NEW.argv_json IS NOT NULL AND NOT (NEW.argv_json IS NOT NULL AND json_valid(NEW.argv_json) AND json_type(NEW.argv_json) = 'array'
       AND NOT EXISTS (SELECT 1 FROM json_each(NEW.argv_json) WHERE type <> 'text')
       AND (SELECT group_concat(value, ' ') FROM json_each(NEW.argv_json)) IS NEW.args
       AND (SELECT json_group_array(value) FROM json_each(NEW.argv_json)) = NEW.argv_json)) THEN 8 ELSE 0 END));
  INSERT INTO exec_extras (exec_id, euid, loginuid, tty, sid, pgid, vpgid, exe_writable, exe_upper_layer, exe_lower_layer,
      exe_from_memfd, cap_permitted_id, cap_effective_id, cap_inheritable_id, attempt_exe, argv_json)
    SELECT last_insert_rowid(), NEW.euid, NEW.loginuid, NEW.tty, NEW.sid, NEW.pgid, NEW.vpgid, NEW.exe_writable, NEW.exe_upper_layer,
      NEW.exe_lower_layer, NEW.exe_from_memfd, (SELECT string_id FROM strings WHERE value = NEW.cap_permitted), (SELECT string_id FROM strings WHERE value = NEW.cap_effective),
      (SELECT string_id FROM strings WHERE value = NEW.cap_inheritable), NEW.attempt_exe,
      CASE WHEN NEW.argv_json IS NOT NULL AND NOT (NEW.argv_json IS NOT NULL AND json_valid(NEW.argv_json) AND json_type(NEW.argv_json) = 'array'
       AND NOT EXISTS (SELECT 1 FROM json_each(NEW.argv_json) WHERE type <> 'text')
       AND (SELECT group_concat(value, ' ') FROM json_each(NEW.argv_json)) IS NEW.args
       AND (SELECT json_group_array(value) FROM json_each(NEW.argv_json)) = NEW.argv_json) THEN NEW.argv_json END
    WHERE COALESCE(NEW.euid, NEW.loginuid, NEW.tty, NEW.sid, NEW.pgid, NEW.vpgid, NEW.exe_writable, NEW.exe_upper_layer,
      NEW.exe_lower_layer, NEW.exe_from_memfd, NEW.cap_permitted, NEW.cap_effective, NEW.cap_inheritable, NEW.attempt_exe) IS NOT NULL OR (NEW.argv_json IS NOT NULL AND NOT (NEW.argv_json IS NOT NULL AND json_valid(NEW.argv_json) AND json_type(NEW.argv_json) = 'array'
       AND NOT EXISTS (SELECT 1 FROM json_each(NEW.argv_json) WHERE type <> 'text')
       AND (SELECT group_concat(value, ' ') FROM json_each(NEW.argv_json)) IS NEW.args
       AND (SELECT json_group_array(value) FROM json_each(NEW.argv_json)) = NEW.argv_json));
END;

CREATE TRIGGER execs_update INSTEAD OF UPDATE ON execs BEGIN
  INSERT OR IGNORE INTO strings (value) SELECT v FROM (
    SELECT NEW.exe AS v UNION ALL SELECT NEW.exepath UNION ALL SELECT NEW.cwd UNION ALL SELECT NEW.user_name UNION ALL SELECT NEW.env UNION ALL SELECT NEW.cgroups UNION ALL SELECT NEW.cap_permitted UNION ALL SELECT NEW.cap_effective UNION ALL SELECT NEW.cap_inheritable)
  WHERE v IS NOT NULL;
  UPDATE exec_rows SET
    exec_id = NEW.exec_id,
    process_id = NEW.process_id,
    capture_id = NEW.capture_id,
    host_id = NEW.host_id,
    kind = CASE NEW.kind WHEN 'exec' THEN 0 WHEN 'fork' THEN 1 WHEN 'snapshot' THEN 2 WHEN 'inferred' THEN 3 END,
    parent_exec_id = NEW.parent_exec_id,
    prev_exec_id = NEW.prev_exec_id,
    ts_ns = NEW.ts_ns,
    pid = NEW.pid,
    tid = CASE WHEN NEW.tid = NEW.pid THEN NULL ELSE NEW.tid END,
    vpid = NEW.vpid,
    ppid = NEW.ppid,
    name = NEW.name,
    exe_id = (SELECT string_id FROM strings WHERE value = NEW.exe),
    exepath_id = (SELECT string_id FROM strings WHERE value = NEW.exepath),
    args = CASE WHEN NEW.name IS NOT NULL AND NEW.args IS NOT NULL AND NEW.cmdline IS (CASE WHEN NEW.args <> '' THEN NEW.name || ' ' || NEW.args ELSE NEW.name END) AND substr(NEW.cmdline, length(NEW.name) + 2) = NEW.args
      THEN NULL ELSE NEW.args END,
    arg_lengths = CASE WHEN (NEW.argv_json IS NOT NULL AND json_valid(NEW.argv_json) AND json_type(NEW.argv_json) = 'array'
       AND NOT EXISTS (SELECT 1 FROM json_each(NEW.argv_json) WHERE type <> 'text')
       AND (SELECT group_concat(value, ' ') FROM json_each(NEW.argv_json)) IS NEW.args
       AND (SELECT json_group_array(value) FROM json_each(NEW.argv_json)) = NEW.argv_json)
      THEN (SELECT json_group_array(length(value)) FROM json_each(NEW.argv_json)) END,
    cmdline = NEW.cmdline,
    cwd_id = (SELECT string_id FROM strings WHERE value = NEW.cwd),
    uid = NEW.uid,
    gid = NEW.gid,
    user_name_id = (SELECT string_id FROM strings WHERE value = NEW.user_name),
    env_id = (SELECT string_id FROM strings WHERE value = NEW.env),
    cgroups_id = (SELECT string_id FROM strings WHERE value = NEW.cgroups),
    container_id = NEW.container_id,
    res = NEW.res,
    evt_num = NEW.evt_num,
    evt_type = NEW.evt_type,
    source_line = NEW.source_line,
    source_offset = NEW.source_offset,
    derived = (CASE WHEN NEW.name IS NOT NULL AND NEW.args IS NOT NULL AND NEW.cmdline IS (CASE WHEN NEW.args <> '' THEN NEW.name || ' ' || NEW.args ELSE NEW.name END) AND substr(NEW.cmdline, length(NEW.name) + 2) = NEW.args THEN 1 ELSE 0 END)
      | (CASE WHEN NEW.tid = NEW.pid THEN 2 ELSE 0 END)
      | (CASE WHEN NEW.argv_json IS NOT NULL AND NOT (NEW.argv_json IS NOT NULL AND json_valid(NEW.argv_json) AND json_type(NEW.argv_json) = 'array'
       AND NOT EXISTS (SELECT 1 FROM json_each(NEW.argv_json) WHERE type <> 'text')
       AND (SELECT group_concat(value, ' ') FROM json_each(NEW.argv_json)) IS NEW.args
       AND (SELECT json_group_array(value) FROM json_each(NEW.argv_json)) = NEW.argv_json) THEN 4 ELSE 0 END)
      | (CASE WHEN COALESCE(NEW.euid, NEW.loginuid, NEW.tty, NEW.sid, NEW.pgid, NEW.vpgid, NEW.exe_writable, NEW.exe_upper_layer,
      NEW.exe_lower_layer, NEW.exe_from_memfd, NEW.cap_permitted, NEW.cap_effective, NEW.cap_inheritable, NEW.attempt_exe) IS NOT NULL OR (NEW.argv_json IS NOT NULL AND NOT (NEW.argv_json IS NOT NULL AND json_valid(NEW.argv_json) AND json_type(NEW.argv_json) = 'array'
       AND NOT EXISTS (SELECT 1 FROM json_each(NEW.argv_json) WHERE type <> 'text')
       AND (SELECT group_concat(value, ' ') FROM json_each(NEW.argv_json)) IS NEW.args
       AND (SELECT json_group_array(value) FROM json_each(NEW.argv_json)) = NEW.argv_json)) THEN 8 ELSE 0 END)
  WHERE exec_id = OLD.exec_id;
  DELETE FROM exec_extras WHERE exec_id = OLD.exec_id;
  INSERT INTO exec_extras (exec_id, euid, loginuid, tty, sid, pgid, vpgid, exe_writable, exe_upper_layer, exe_lower_layer,
      exe_from_memfd, cap_permitted_id, cap_effective_id, cap_inheritable_id, attempt_exe, argv_json)
    SELECT NEW.exec_id, NEW.euid, NEW.loginuid, NEW.tty, NEW.sid, NEW.pgid, NEW.vpgid, NEW.exe_writable, NEW.exe_upper_layer,
      NEW.exe_lower_layer, NEW.exe_from_memfd, (SELECT string_id FROM strings WHERE value = NEW.cap_permitted), (SELECT string_id FROM strings WHERE value = NEW.cap_effective),
      (SELECT string_id FROM strings WHERE value = NEW.cap_inheritable), NEW.attempt_exe,
      CASE WHEN NEW.argv_json IS NOT NULL AND NOT (NEW.argv_json IS NOT NULL AND json_valid(NEW.argv_json) AND json_type(NEW.argv_json) = 'array'
       AND NOT EXISTS (SELECT 1 FROM json_each(NEW.argv_json) WHERE type <> 'text')
       AND (SELECT group_concat(value, ' ') FROM json_each(NEW.argv_json)) IS NEW.args
       AND (SELECT json_group_array(value) FROM json_each(NEW.argv_json)) = NEW.argv_json) THEN NEW.argv_json END
    WHERE COALESCE(NEW.euid, NEW.loginuid, NEW.tty, NEW.sid, NEW.pgid, NEW.vpgid, NEW.exe_writable, NEW.exe_upper_layer,
      NEW.exe_lower_layer, NEW.exe_from_memfd, NEW.cap_permitted, NEW.cap_effective, NEW.cap_inheritable, NEW.attempt_exe) IS NOT NULL OR (NEW.argv_json IS NOT NULL AND NOT (NEW.argv_json IS NOT NULL AND json_valid(NEW.argv_json) AND json_type(NEW.argv_json) = 'array'
       AND NOT EXISTS (SELECT 1 FROM json_each(NEW.argv_json) WHERE type <> 'text')
       AND (SELECT group_concat(value, ' ') FROM json_each(NEW.argv_json)) IS NEW.args
       AND (SELECT json_group_array(value) FROM json_each(NEW.argv_json)) = NEW.argv_json));
END;

CREATE TRIGGER execs_delete INSTEAD OF DELETE ON execs BEGIN
  DELETE FROM exec_rows WHERE exec_id = OLD.exec_id;
  DELETE FROM exec_extras WHERE exec_id = OLD.exec_id;
END;
