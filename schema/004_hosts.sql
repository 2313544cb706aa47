-- pedigree case database, version 4: hosts are machines, not names (docs/lineage.md, "Hosts").
--
-- Two captures that give the same hostname but different boot times come from different
-- machines (or boots): they get two hosts rows. `pedigree hosts merge` joins two host ids when
-- the investigator knows better; `--host` on import names the machine outright.

CREATE TABLE hosts_v4 (
  host_id       INTEGER PRIMARY KEY,
  hostname      TEXT NOT NULL,
  boot_id       TEXT,
  boot_ns       INTEGER,
  cpus          INTEGER,
  memory_bytes  INTEGER
);
INSERT INTO hosts_v4 (host_id, hostname, boot_id, boot_ns, cpus, memory_bytes)
  SELECT host_id, hostname, boot_id, boot_ns, cpus, memory_bytes FROM hosts;
-- Views that name hosts keep their text: the new table takes the old one's name.
PRAGMA legacy_alter_table = ON;
DROP TABLE hosts;
ALTER TABLE hosts_v4 RENAME TO hosts;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX hosts_hostname ON hosts(hostname);

-- The hosts a capture's events came from, with what it added on each: one capture (a Falco
-- or Tetragon export of a cluster, a scap file of several nodes) can span many machines.
CREATE TABLE capture_hosts (
  capture_id     INTEGER NOT NULL REFERENCES captures(capture_id), -- the capture
  host_id        INTEGER NOT NULL REFERENCES hosts(host_id),       -- a host its events named
  process_count  INTEGER NOT NULL DEFAULT 0,   -- rows it added to processes on that host
  exec_count     INTEGER NOT NULL DEFAULT 0,   -- rows it added to execs on that host
  PRIMARY KEY (capture_id, host_id)
);
INSERT INTO capture_hosts (capture_id, host_id, process_count, exec_count)
  SELECT c.capture_id, p.host_id, count(*), 0 FROM captures c JOIN processes p ON p.capture_id = c.capture_id GROUP BY c.capture_id, p.host_id;
UPDATE capture_hosts SET exec_count = (SELECT count(*) FROM execs e WHERE e.capture_id = capture_hosts.capture_id AND e.host_id = capture_hosts.host_id);
