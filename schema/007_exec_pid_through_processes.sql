-- pedigree case database, version 7: no pid index on exec rows.
--
-- An exec's host and pid are its process's, and processes_pid indexes (host_id, pid) on the
-- process rows. Exec rows by pid (`--pid`, the cross-source merge) are found through their
-- process (processes_pid, then execs_process), so execs_pid (13 bytes per exec) is dropped.
-- Users' SQL filtering execs on pid alone reads every exec row, as it did without a host.

DROP INDEX execs_pid;
