-- pedigree case database, version 1.
--
-- One file per case. Times are INTEGER nanoseconds since the epoch (UTC), suffix _ns.
-- Surrogate keys (*_id INTEGER PRIMARY KEY) are stable within a case; pids are not unique.
-- This file is the documentation of the schema: every table and column is described here once.

-- Imported input files. One row per file, whole or not at all.
CREATE TABLE captures (
  capture_id      INTEGER PRIMARY KEY,          -- surrogate key
  path            TEXT NOT NULL,                -- path as given to `pedigree import`
  sha256          TEXT NOT NULL UNIQUE,         -- hex sha256 of the file bytes as stored (re-imports are recognised by it)
  size_bytes      INTEGER NOT NULL,             -- file size in bytes
  format          TEXT NOT NULL,                -- reader that read it: jsonl, scap, tetragon, audit, sysmon, strace, falco-alerts, ps, csv
  host_id         INTEGER REFERENCES hosts(host_id), -- host the capture came from (first host seen; NULL if none)
  first_event_ns  INTEGER,                      -- earliest event time in the capture
  last_event_ns   INTEGER,                      -- latest event time in the capture
  event_count     INTEGER NOT NULL DEFAULT 0,   -- lineage events read
  process_count   INTEGER NOT NULL DEFAULT 0,   -- rows added to processes
  exec_count      INTEGER NOT NULL DEFAULT 0,   -- rows added to execs
  warning_count   INTEGER NOT NULL DEFAULT 0,   -- warnings raised while reading (see capture_warnings)
  tool_version    TEXT,                         -- version of the tool that wrote the capture, when it says
  format_version  TEXT,                         -- version of the file format, when it says (e.g. scap SHB 1.2)
  importer        TEXT NOT NULL,                -- pedigree version that imported it
  imported_ns     INTEGER NOT NULL,             -- when the import finished
  status          TEXT NOT NULL                 -- 'complete', or 'truncated at byte N'
);

-- Warnings raised while importing a capture: skipped records, incomplete data.
CREATE TABLE capture_warnings (
  capture_id  INTEGER NOT NULL REFERENCES captures(capture_id), -- capture the warning belongs to
  line        INTEGER,                          -- 1-based line of the record, for text formats
  byte_offset INTEGER,                          -- 0-based byte offset (in the decompressed content) for binary formats
  message     TEXT NOT NULL                     -- what was wrong
);

-- Machines the captures came from. PIDs never join across hosts.
CREATE TABLE hosts (
  host_id       INTEGER PRIMARY KEY,            -- surrogate key
  hostname      TEXT NOT NULL UNIQUE,           -- host name as the capture names it
  boot_id       TEXT,                           -- boot id where the source gives one
  boot_ns       INTEGER,                        -- boot time, when known (scap machine info)
  cpus          INTEGER,                        -- number of CPUs, when known
  memory_bytes  INTEGER                         -- physical memory, when known
);

-- Containers seen in any capture, keyed by the 12-hex short id Falco prints. Host processes
-- have no container (container_id NULL on their rows; Falco prints `host`).
CREATE TABLE containers (
  container_id      TEXT PRIMARY KEY,           -- short id (first 12 hex chars, or the runtime's own id when not hex)
  full_id           TEXT,                       -- full 64-hex id, when known
  name              TEXT,                       -- runtime name (docker name, k8s container name)
  image             TEXT,                       -- image reference as the runtime reports it (repo:tag)
  image_repository  TEXT,                       -- image repository (e.g. docker.io/library/nginx)
  image_tag         TEXT,                       -- image tag
  image_digest      TEXT,                       -- image digest (sha256:…)
  image_id          TEXT,                       -- image id
  runtime           TEXT,                       -- docker, containerd, cri-o, podman, …
  privileged        INTEGER,                    -- 1 privileged, 0 not, NULL unknown
  host_pid          INTEGER,                    -- 1 shares the host pid namespace, NULL unknown
  host_network      INTEGER,                    -- 1 shares the host network namespace, NULL unknown
  pod_name          TEXT,                       -- Kubernetes pod name
  pod_namespace     TEXT,                       -- Kubernetes namespace
  pod_uid           TEXT,                       -- Kubernetes pod uid
  labels_json       TEXT,                       -- container labels as a JSON object
  pod_labels_json   TEXT,                       -- pod labels as a JSON object
  mounts_json       TEXT,                       -- mounts as a JSON array of {source,destination,mode,rw,propagation}
  metadata_source   TEXT,                       -- where the metadata came from ('scap container_json', 'cgroups only', …)
  first_capture_id  INTEGER REFERENCES captures(capture_id) -- capture that first named it
);

-- One row per process lifetime on one host: from its creation (or first sight) to its exit.
CREATE TABLE processes (
  process_id         INTEGER PRIMARY KEY,       -- surrogate key; stable across PID reuse
  capture_id         INTEGER NOT NULL REFERENCES captures(capture_id), -- capture it was seen in
  host_id            INTEGER NOT NULL REFERENCES hosts(host_id),       -- host it ran on
  pid                INTEGER NOT NULL,          -- process id (tgid) in the host pid namespace
  vpid               INTEGER,                   -- pid inside its own pid namespace (1 = container init), NULL unknown
  ppid               INTEGER,                   -- parent pid as the source reported it (raw)
  parent_process_id  INTEGER,                   -- the process that created it (kept after that parent exits); NULL unknown
  start_ns           INTEGER,                   -- creation time (fork), or first sight for snapshot/inferred rows
  end_ns             INTEGER,                   -- exit time, NULL if still running at the end of the capture
  exit_code          INTEGER,                   -- exit status (WEXITSTATUS), NULL if unknown
  exit_signal        INTEGER,                   -- terminating signal number, NULL/0 if none
  exit_core          INTEGER,                   -- 1 if it dumped core
  container_id       TEXT,                      -- container it ran in (short id), NULL = host
  origin             TEXT NOT NULL,             -- how it was first seen: 'fork', 'snapshot' (initial process table), 'inferred' (only through its own or its children's events)
  thread_count       INTEGER NOT NULL DEFAULT 1,-- threads seen (leader included)
  first_exec_id      INTEGER,                   -- its first image (execs row)
  last_exec_id       INTEGER                    -- its last image (execs row)
);

-- One row per program image a process ran: every execve/execveat (failed ones too), the image a
-- forked child inherits before it execs (kind 'fork'), and the image a process had when the
-- capture began (kind 'snapshot'). Columns mirror Falco's proc.* fields.
CREATE TABLE execs (
  exec_id          INTEGER PRIMARY KEY,         -- surrogate key
  process_id       INTEGER NOT NULL REFERENCES processes(process_id), -- process that ran the image
  capture_id       INTEGER NOT NULL,          -- capture it came from
  host_id          INTEGER NOT NULL,          -- host (copied from the process for filtering)
  kind             TEXT NOT NULL,             -- 'exec' (execve/execveat), 'fork' (inherited at fork), 'snapshot' (at capture start), 'inferred' (a parent only its children showed)
  parent_exec_id   INTEGER,                   -- the lineage edge: image the parent process was running when this image began
  prev_exec_id     INTEGER,                   -- previous image of the same process
  ts_ns            INTEGER,                   -- when this image began (exec/fork time, or capture start for snapshots)
  pid              INTEGER NOT NULL,          -- process id (host namespace)
  tid              INTEGER,                   -- thread that called exec
  vpid             INTEGER,                   -- pid inside its pid namespace
  ppid             INTEGER,                   -- parent pid as reported at this event
  name             TEXT,                      -- comm, as the kernel truncates it (15 chars): proc.name
  exe              TEXT,                      -- argv[0]: proc.exe
  exepath          TEXT,                      -- resolved executable path: proc.exepath
  args             TEXT,                      -- argv[1..] joined by single spaces: proc.args
  argv_json        TEXT,                      -- argv[1..] as a JSON array, stored only when joining with spaces loses information (an argument is empty or contains a space); NULL otherwise
  cmdline          TEXT,                      -- name + ' ' + args (Falco proc.cmdline), or the joined command line the source gave
  cwd              TEXT,                      -- working directory at exec: proc.cwd
  uid              INTEGER,                   -- user id: user.uid
  gid              INTEGER,                   -- group id: group.gid
  euid             INTEGER,                   -- effective uid, when the source separates it
  loginuid         INTEGER,                   -- audit login uid (-1 unset): user.loginuid
  user_name        TEXT,                      -- user name: user.name
  tty              INTEGER,                   -- controlling tty device number, 0 none: proc.tty
  sid              INTEGER,                   -- session id: proc.sid
  pgid             INTEGER,                   -- process group id (host ns): proc.pgid
  vpgid            INTEGER,                   -- process group id in its pid ns: proc.vpgid
  env              TEXT,                      -- environment, KEY=VALUE items joined by NUL (char 0); NULL if not captured
  cgroups          TEXT,                      -- controller=path items joined by NUL
  container_id     TEXT,                      -- container (short id), NULL = host
  exe_writable     INTEGER,                   -- 1 if the executable was writable by the user: proc.is_exe_writable
  exe_upper_layer  INTEGER,                   -- 1 if it lives in an overlayfs upper layer: proc.is_exe_upper_layer
  exe_lower_layer  INTEGER,                   -- 1 if it lives in an overlayfs lower layer
  exe_from_memfd   INTEGER,                   -- 1 if executed from a memfd: proc.is_exe_from_memfd
  cap_permitted    TEXT,                      -- permitted capabilities, space-separated CAP_* names
  cap_effective    TEXT,                      -- effective capabilities
  cap_inheritable  TEXT,                      -- inheritable capabilities
  res              INTEGER,                   -- exec result: 0 success, negative errno on failure (NULL for fork/snapshot rows)
  attempt_exe      TEXT,                      -- failed execs only: the program it tried to run (the row's other columns keep the old image, as Falco does)
  evt_num          INTEGER,                   -- the event's ordinal in its capture (scap evt.num), NULL if the format has none
  evt_type         TEXT,                      -- source event: execve, execveat, clone, clone3, fork, vfork, procinfo, snapshot
  source_line      INTEGER,                   -- 1-based line of the record in the capture (text formats)
  source_offset    INTEGER                    -- byte offset of the record in the (decompressed) capture (binary formats)
);

-- Users and groups a capture listed (scap user list), so user.name can be filled in.
CREATE TABLE users (
  capture_id  INTEGER NOT NULL REFERENCES captures(capture_id), -- capture that listed it
  uid         INTEGER NOT NULL,                 -- user id
  name        TEXT NOT NULL,                    -- login name
  gid         INTEGER,                          -- primary group
  home        TEXT,                             -- home directory
  shell       TEXT,                             -- login shell
  container_id TEXT                             -- container whose passwd it is, NULL = host
);

-- Rule hits: written by `pedigree rules run` and by imports of other tools' alerts.
CREATE TABLE alerts (
  alert_id      INTEGER PRIMARY KEY,            -- surrogate key
  exec_id       INTEGER REFERENCES execs(exec_id), -- the exec row the rule matched (NULL for imported alerts not tied to one)
  rule          TEXT NOT NULL,                  -- rule name
  priority      TEXT NOT NULL,                  -- Falco priority: Emergency … Debug
  time_ns       INTEGER,                        -- event time of the match
  output        TEXT NOT NULL,                  -- rendered output line (without time and priority)
  output_fields_json TEXT,                      -- the output's %fields and their values, JSON object
  tags_json     TEXT,                           -- rule tags, JSON array
  source        TEXT NOT NULL DEFAULT 'syscall',-- Falco event source
  origin        TEXT NOT NULL,                  -- 'pedigree rules run' or the capture format it was imported from
  rules_file    TEXT,                           -- rules file(s) the rule came from
  capture_id    INTEGER,                        -- capture the alert was imported from (imported alerts)
  run_ns        INTEGER NOT NULL                -- when the rule ran or the alert was imported
);

-- Secondary indexes the lineage walks need (the writer drops and rebuilds them around a
-- first, large import; see src/importer).
CREATE INDEX execs_process ON execs(process_id);
CREATE INDEX execs_parent ON execs(parent_exec_id);
CREATE INDEX execs_pid ON execs(host_id, pid);
CREATE INDEX execs_container ON execs(container_id);
CREATE INDEX processes_parent ON processes(parent_process_id);
CREATE INDEX processes_pid ON processes(host_id, pid);
CREATE INDEX processes_container ON processes(container_id);
CREATE INDEX alerts_exec ON alerts(exec_id);

-- Every execve/execveat (what Falco calls spawned_process), without fork and snapshot rows.
CREATE VIEW spawned_execs AS
  SELECT * FROM execs WHERE kind = 'exec';

-- The image each process was running last (its current image at the end of the capture).
CREATE VIEW current_images AS
  SELECT e.* FROM processes p JOIN execs e ON e.exec_id = p.last_exec_id;

-- Exec rows joined with their process, host, container and parent image: the Falco-shaped row.
CREATE VIEW exec_details AS
  SELECT
    e.exec_id, e.kind, e.ts_ns, h.hostname, e.pid, e.vpid, e.ppid, e.tid,
    e.name, e.exe, e.exepath, e.args, e.cmdline, e.cwd,
    e.uid, e.loginuid, e.user_name, e.tty, e.sid, e.res,
    COALESCE(e.container_id, 'host') AS container_id,
    CASE WHEN e.container_id IS NULL THEN 'host' ELSE c.name END AS container_name,
    c.image AS container_image, c.image_repository, c.image_tag, c.privileged AS container_privileged,
    c.pod_name, c.pod_namespace,
    pe.exec_id AS parent_exec_id, pe.pid AS parent_pid, pe.name AS parent_name, pe.cmdline AS parent_cmdline,
    p.process_id, p.start_ns AS process_start_ns, p.end_ns AS process_end_ns,
    p.exit_code, p.exit_signal, p.origin AS process_origin,
    e.capture_id, e.evt_num
  FROM execs e
  JOIN processes p ON p.process_id = e.process_id
  JOIN hosts h ON h.host_id = e.host_id
  LEFT JOIN containers c ON c.container_id = e.container_id
  LEFT JOIN execs pe ON pe.exec_id = e.parent_exec_id;

-- The first five ancestor images of every exec as columns (a1 = parent image). Joins on the
-- primary key, so `WHERE exec_id = ?` or a scan both stay cheap. Deeper or whole-chain questions
-- use queries/ancestors.sql and queries/descendants.sql: SQLite does not push a filter into a
-- recursive CTE inside a view, so a recursive view would walk the whole table for one exec.
CREATE VIEW exec_lineage AS
  SELECT
    e.exec_id, e.pid, e.name,
    a1.exec_id AS a1_exec_id, a1.pid AS a1_pid, a1.name AS a1_name,
    a2.exec_id AS a2_exec_id, a2.pid AS a2_pid, a2.name AS a2_name,
    a3.exec_id AS a3_exec_id, a3.pid AS a3_pid, a3.name AS a3_name,
    a4.exec_id AS a4_exec_id, a4.pid AS a4_pid, a4.name AS a4_name,
    a5.exec_id AS a5_exec_id, a5.pid AS a5_pid, a5.name AS a5_name
  FROM execs e
  LEFT JOIN execs a1 ON a1.exec_id = e.parent_exec_id
  LEFT JOIN execs a2 ON a2.exec_id = a1.parent_exec_id
  LEFT JOIN execs a3 ON a3.exec_id = a2.parent_exec_id
  LEFT JOIN execs a4 ON a4.exec_id = a3.parent_exec_id
  LEFT JOIN execs a5 ON a5.exec_id = a4.parent_exec_id;
