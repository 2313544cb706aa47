-- pedigree case database, version 6: container ids and event types as string ids.
--
-- Version 5 kept two repeated strings inline in every exec row: the container id (12 hex
-- characters) and the event type ('execve', 'clone', ...), and indexed the container id as text.
-- Both are now stored once in `strings` and referenced by id:
--
-- * exec_rows.container_sid  replaces exec_rows.container_id (execs.container_id, as strings.string_id)
-- * exec_rows.evt_type_id    replaces exec_rows.evt_type     (execs.evt_type, as strings.string_id)
--
-- The `execs` view presents the same columns and values as before.
--
-- execs_container (the container id as text, about 20 bytes per exec with its index entry) is
-- dropped: through the view, a filter on container_id cannot reach an index on exec_rows, and
-- the queries that count execs per container (`containers`, the TUI) group them in one pass.
-- Processes keep processes_container: `ps --container`, the container roots and the TUI look
-- a container's processes up there.
--
-- Existing cases are upgraded in place: the two columns are added and filled, the view and its
-- triggers replaced, then the old columns dropped.

INSERT OR IGNORE INTO strings (value)
  SELECT v FROM (SELECT container_id AS v FROM exec_rows UNION ALL SELECT evt_type FROM exec_rows)
  WHERE v IS NOT NULL;

ALTER TABLE exec_rows ADD COLUMN container_sid INTEGER; -- execs.container_id, as strings.string_id
ALTER TABLE exec_rows ADD COLUMN evt_type_id INTEGER;   -- execs.evt_type, as strings.string_id

UPDATE exec_rows SET
  container_sid = (SELECT string_id FROM strings WHERE value = exec_rows.container_id),
  evt_type_id = (SELECT string_id FROM strings WHERE value = exec_rows.evt_type)
WHERE container_id IS NOT NULL OR evt_type IS NOT NULL;

-- Dropping the view drops its triggers; both are created again below over the new columns.
DROP VIEW execs;

-- Version 1's exec rows, column for column (as in 005_narrow_execs.sql).
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
    (SELECT value FROM strings WHERE string_id = r.container_sid) AS container_id,
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
    (SELECT value FROM strings WHERE string_id = r.evt_type_id) AS evt_type,
    r.source_line,
    r.source_offset
  FROM exec_rows r;

CREATE TRIGGER execs_insert INSTEAD OF INSERT ON execs BEGIN
  INSERT OR IGNORE INTO strings (value) SELECT v FROM (
    SELECT NEW.exe AS v UNION ALL SELECT NEW.exepath UNION ALL SELECT NEW.cwd UNION ALL SELECT NEW.user_name UNION ALL SELECT NEW.env UNION ALL SELECT NEW.cgroups UNION ALL SELECT NEW.cap_permitted UNION ALL SELECT NEW.cap_effective UNION ALL SELECT NEW.cap_inheritable UNION ALL SELECT NEW.container_id UNION ALL SELECT NEW.evt_type)
  WHERE v IS NOT NULL;
  INSERT INTO exec_rows (exec_id, process_id, capture_id, host_id, kind, parent_exec_id, prev_exec_id, ts_ns, pid, tid, vpid, ppid, name, exe_id, exepath_id, args, arg_lengths, cmdline, cwd_id, uid, gid, user_name_id, env_id, cgroups_id, container_sid, res, evt_num, evt_type_id, source_line, source_offset, derived)
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
    (SELECT string_id FROM strings WHERE value = NEW.container_id),
    NEW.res,
    NEW.evt_num,
    (SELECT string_id FROM strings WHERE value = NEW.evt_type),
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
    SELECT NEW.exe AS v UNION ALL SELECT NEW.exepath UNION ALL SELECT NEW.cwd UNION ALL SELECT NEW.user_name UNION ALL SELECT NEW.env UNION ALL SELECT NEW.cgroups UNION ALL SELECT NEW.cap_permitted UNION ALL SELECT NEW.cap_effective UNION ALL SELECT NEW.cap_inheritable UNION ALL SELECT NEW.container_id UNION ALL SELECT NEW.evt_type)
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
    container_sid = (SELECT string_id FROM strings WHERE value = NEW.container_id),
    res = NEW.res,
    evt_num = NEW.evt_num,
    evt_type_id = (SELECT string_id FROM strings WHERE value = NEW.evt_type),
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

DROP INDEX execs_container;
ALTER TABLE exec_rows DROP COLUMN container_id;
ALTER TABLE exec_rows DROP COLUMN evt_type;
