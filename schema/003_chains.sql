-- pedigree case database, version 3: multi-step chain matches (docs/chains.md).
--
-- Written by `pedigree chains run`. One `chains` row per match, one `chain_steps` row per step
-- of that match. A chain rule that matches the same first-step exec again replaces its earlier
-- match, so running the same chain rules twice leaves one row per match.

CREATE TABLE chains (
  chain_match_id  INTEGER PRIMARY KEY,            -- surrogate key
  chain           TEXT NOT NULL,                  -- chain rule name
  priority        TEXT NOT NULL,                  -- Falco priority: Emergency … Debug
  host_id         INTEGER NOT NULL,               -- host every step ran on
  container_id    TEXT,                           -- container of the first step (short id), NULL = host
  first_exec_id   INTEGER NOT NULL,               -- exec row of the first step (the anchor)
  last_exec_id    INTEGER NOT NULL,               -- exec row of the last step (the one that completed the chain)
  start_ns        INTEGER NOT NULL,               -- time of the first step
  end_ns          INTEGER NOT NULL,               -- time of the last step
  output          TEXT NOT NULL,                  -- rendered output (without time and priority)
  output_fields_json TEXT,                        -- the output's %fields (and %step.fields) with their values, JSON object
  tags_json       TEXT,                           -- chain tags, JSON array
  rules_file      TEXT,                           -- rules file(s) the chain came from
  run_ns          INTEGER NOT NULL                -- when the chain rule ran
);

CREATE TABLE chain_steps (
  chain_match_id  INTEGER NOT NULL REFERENCES chains(chain_match_id), -- the match
  step_index      INTEGER NOT NULL,               -- 0-based position of the step in the chain rule
  step            TEXT NOT NULL,                  -- step name as the rule names it
  exec_id         INTEGER NOT NULL,               -- exec row that matched the step
  ts_ns           INTEGER NOT NULL,               -- its time
  linked_step     INTEGER,                        -- step_index of the earlier step it is related to (NULL for the first step)
  relation        TEXT,                           -- how: descendant_of, same_process, same_container or same_host
  path_json       TEXT,                           -- exec ids from the linked step's exec down to this one, inclusive (JSON array): the lineage that links them; for the first step, the image that started it and itself
  PRIMARY KEY (chain_match_id, step_index)
);

CREATE INDEX chains_first_exec ON chains(chain, first_exec_id);
CREATE INDEX chain_steps_exec ON chain_steps(exec_id);
