-- pedigree case database, version 9: two indexes fewer.
--
-- processes_container (about 20 bytes per process: a 12-character id and the row id) served
-- counting and listing a container's processes one container at a time. Those counts are one
-- grouped pass over the process rows now, like the per-container exec counts since version 6
-- (src/queries/per-container.ts), and a single container's processes (`ps --container`, the
-- container's root processes) are one pass over the process rows.
--
-- execs_parent (about 12 bytes per exec) served finding the images whose parent is a given
-- image. Lineage walks down through processes (processes_parent, then execs_process) and up
-- through primary keys; the importer's look-ups by parent image each sit beside one by
-- prev_exec_id that already reads every exec row; a query walking the whole case top-down
-- (queries/longest-chains.sql) gets a temporary index from SQLite, built once per statement.
-- Users' SQL filtering exec rows on parent_exec_id reads every exec row.

DROP INDEX processes_container;
DROP INDEX execs_parent;
