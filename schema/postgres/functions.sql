-- The SQL functions pedigree registers on every SQLite connection (src/db/sql-functions.ts),
-- as PostgreSQL functions, plus the few SQLite built-ins the generated SQL, the views and the
-- canned queries use. They live in schema pedigree_sql, which the case's search_path puts
-- before pg_catalog, so `substr`, `instr`, `group_concat` … mean what they mean in SQLite.
-- Predicates return boolean (SQLite's 1/0); every function returns NULL for a NULL input, so
-- Falco's "missing value ⇒ false" carries through.

CREATE SCHEMA IF NOT EXISTS pedigree_sql;

-- fnmatch(3) pattern → anchored POSIX regular expression (the same translation as
-- src/util/match/glob.ts): `*` and `?` cross "/", `[...]` classes with ! or ^, [:name:] classes,
-- backslash quotes the next character.
CREATE OR REPLACE FUNCTION pedigree_sql.pedigree_glob_regex(pattern text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  out text := '';
  i int := 1;
  n int := length(pattern);
  ch text;
  j int;
  body text;
  negate boolean;
  first boolean;
  closed boolean;
  close_at int;
  cls text;
BEGIN
  WHILE i <= n LOOP
    ch := substring(pattern FROM i FOR 1);
    IF ch = '*' THEN
      out := out || '.*'; i := i + 1;
    ELSIF ch = '?' THEN
      out := out || '.'; i := i + 1;
    ELSIF ch = '[' THEN
      j := i + 1; negate := false; body := ''; first := true; closed := false;
      IF substring(pattern FROM j FOR 1) IN ('!', '^') THEN negate := true; j := j + 1; END IF;
      WHILE j <= n LOOP
        ch := substring(pattern FROM j FOR 1);
        IF ch = ']' AND NOT first THEN closed := true; EXIT; END IF;
        first := false;
        IF ch = '[' AND substring(pattern FROM j + 1 FOR 1) = ':' THEN
          close_at := position(':]' IN substring(pattern FROM j + 2));
          cls := CASE WHEN close_at > 0 THEN substring(pattern FROM j + 2 FOR close_at - 1) ELSE '' END;
          IF cls IN ('alpha','digit','alnum','upper','lower','space','blank','punct','xdigit','cntrl','print','graph') THEN
            body := body || '[:' || cls || ':]';
            j := j + 2 + close_at + 1;
            CONTINUE;
          END IF;
        END IF;
        IF ch = '\' AND j < n THEN
          body := body || '\' || substring(pattern FROM j + 1 FOR 1); j := j + 2; CONTINUE;
        END IF;
        IF ch = '-' AND body <> '' AND j < n AND substring(pattern FROM j + 1 FOR 1) <> ']' THEN
          body := body || '-'; j := j + 1; CONTINUE;
        END IF;
        body := body || CASE WHEN ch IN ('\', ']', '^', '-') THEN '\' || ch ELSE ch END;
        j := j + 1;
      END LOOP;
      IF closed THEN
        out := out || '[' || CASE WHEN negate THEN '^' ELSE '' END || body || ']';
        i := j + 1;
      ELSE
        out := out || '\['; i := i + 1;
      END IF;
    ELSIF ch = '\' AND i < n THEN
      out := out || pedigree_sql.pedigree_regex_literal(substring(pattern FROM i + 1 FOR 1)); i := i + 2;
    ELSE
      out := out || pedigree_sql.pedigree_regex_literal(ch); i := i + 1;
    END IF;
  END LOOP;
  RETURN '^(?:' || out || ')$';
END $$;

CREATE OR REPLACE FUNCTION pedigree_sql.pedigree_regex_literal(ch text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN ch ~ '[.*+?^${}()|\[\]\\/]' THEN '\' || ch ELSE ch END
$$;

-- falco_glob(pattern, value [, casefold]): whole-string fnmatch.
CREATE OR REPLACE FUNCTION pedigree_sql.falco_glob(pattern text, value text, casefold integer DEFAULT 0) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN casefold <> 0 THEN value ~* pedigree_sql.pedigree_glob_regex(pattern)
              ELSE value ~ pedigree_sql.pedigree_glob_regex(pattern) END
$$;

-- falco_regex(pattern, value): anchored full regular-expression match.
CREATE OR REPLACE FUNCTION pedigree_sql.falco_regex(pattern text, value text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT value ~ ('^(?:' || pattern || ')$')
$$;

-- falco_pmatch(value, patterns_json): one pattern's components are a component-wise prefix of
-- the path's (empty components dropped; `/` alone matches every absolute path; components with
-- wildcards are matched with fnmatch, so wildcards never cross "/").
CREATE OR REPLACE FUNCTION pedigree_sql.falco_pmatch(value text, patterns_json text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  path_parts text[] := array_remove(string_to_array(value, '/'), '');
  pat text;
  pat_parts text[];
  k int;
  ok boolean;
BEGIN
  FOR pat IN SELECT json_array_elements_text(patterns_json::json) LOOP
    pat_parts := array_remove(string_to_array(pat, '/'), '');
    IF coalesce(array_length(pat_parts, 1), 0) = 0 THEN
      IF left(value, 1) = '/' THEN RETURN true; END IF;
      CONTINUE;
    END IF;
    IF array_length(pat_parts, 1) > coalesce(array_length(path_parts, 1), 0) THEN CONTINUE; END IF;
    ok := true;
    FOR k IN 1 .. array_length(pat_parts, 1) LOOP
      IF pat_parts[k] ~ '[*?[]' THEN
        IF NOT path_parts[k] ~ pedigree_sql.pedigree_glob_regex(pat_parts[k]) THEN ok := false; EXIT; END IF;
      ELSIF pat_parts[k] <> path_parts[k] THEN
        ok := false; EXIT;
      END IF;
    END LOOP;
    IF ok THEN RETURN true; END IF;
  END LOOP;
  RETURN false;
END $$;

-- pedigree_env(env, name): value of NAME in a NUL-joined KEY=VALUE environment (bytea here).
CREATE OR REPLACE FUNCTION pedigree_sql.pedigree_env(env bytea, name text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  rest bytea := env;
  at int;
  item text;
  prefix text := name || '=';
BEGIN
  LOOP
    at := position('\x00'::bytea IN rest);
    item := convert_from(CASE WHEN at = 0 THEN rest ELSE substring(rest FROM 1 FOR at - 1) END, 'UTF8');
    IF left(item, length(prefix)) = prefix THEN RETURN substring(item FROM length(prefix) + 1); END IF;
    EXIT WHEN at = 0;
    rest := substring(rest FROM at + 1);
  END LOOP;
  RETURN NULL;
END $$;

-- pedigree_b64decode(text): base64-decoded text (bytes read as Latin-1), NULL when not base64.
CREATE OR REPLACE FUNCTION pedigree_sql.pedigree_b64decode(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN t ~ '^[A-Za-z0-9+/]*={0,2}$' AND length(t) % 4 = 0
              THEN convert_from(decode(t, 'base64'), 'LATIN1') END
$$;

-- pedigree_basename(path): last path component ('' when the path ends in /).
CREATE OR REPLACE FUNCTION pedigree_sql.pedigree_basename(path text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT substring(path FROM '[^/]*$')
$$;

-- pedigree_mount(mounts_json, want, match_on, key): one attribute of the container mount whose
-- `match_on` attribute matches `key` (regex search), or of the key-th mount when key is a number.
CREATE OR REPLACE FUNCTION pedigree_sql.pedigree_mount(mounts_json text, want text, match_on text, key text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  mounts json;
  hit json;
  v json;
BEGIN
  IF mounts_json IS NULL OR key IS NULL THEN RETURN NULL; END IF;
  BEGIN
    mounts := mounts_json::json;
  EXCEPTION WHEN others THEN RETURN NULL;
  END;
  IF key ~ '^\d+$' THEN
    hit := mounts -> key::int;
  ELSE
    BEGIN
      SELECT m INTO hit FROM json_array_elements(mounts) m WHERE coalesce(m ->> match_on, '') ~ key LIMIT 1;
    EXCEPTION WHEN invalid_regular_expression THEN RETURN NULL;
    END;
  END IF;
  v := hit -> want;
  IF v IS NULL OR json_typeof(v) = 'null' THEN RETURN NULL; END IF;
  RETURN hit ->> want;
END $$;

-- SQLite built-ins with SQLite's meaning.
CREATE OR REPLACE FUNCTION pedigree_sql.instr(haystack text, needle text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT strpos(haystack, needle) $$;

-- substr with a negative start counts from the end (SQLite), where PostgreSQL's would not.
CREATE OR REPLACE FUNCTION pedigree_sql.substr(s text, start integer) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN start < 0 THEN right(s, -start) WHEN start = 0 THEN s ELSE pg_catalog.substr(s, start) END
$$;

CREATE OR REPLACE FUNCTION pedigree_sql.substr(s text, start integer, len integer) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN start < 0 THEN pg_catalog.substr(right(s, -start), 1, greatest(len, 0))
              WHEN start = 0 THEN pg_catalog.substr(s, 1, greatest(len - 1, 0))
              ELSE pg_catalog.substr(s, start, greatest(len, 0)) END
$$;

-- pedigree_env_list(env): the NUL-joined environment with the NULs replaced by spaces.
CREATE OR REPLACE FUNCTION pedigree_sql.pedigree_env_list(env bytea) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  parts text[] := ARRAY[]::text[];
  rest bytea := env;
  at int;
BEGIN
  LOOP
    at := position('\x00'::bytea IN rest);
    EXIT WHEN at = 0;
    parts := parts || convert_from(substring(rest FROM 1 FOR at - 1), 'UTF8');
    rest := substring(rest FROM at + 1);
  END LOOP;
  RETURN array_to_string(parts || convert_from(rest, 'UTF8'), ' ');
END $$;

-- json_extract(json, '$."key"' or '$.a.b'): the value as text (objects and arrays as JSON).
CREATE OR REPLACE FUNCTION pedigree_sql.json_extract(doc text, path text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  keys text[] := ARRAY[]::text[];
  rest text := substring(path FROM 2);
  m text[];
BEGIN
  IF left(path, 1) <> '$' THEN RETURN NULL; END IF;
  WHILE rest <> '' LOOP
    m := regexp_match(rest, '^\."((?:[^"\\]|\\.)*)"(.*)$');
    IF m IS NULL THEN m := regexp_match(rest, '^\.([^.\[]+)(.*)$'); END IF;
    IF m IS NULL THEN RETURN NULL; END IF;
    keys := keys || regexp_replace(m[1], '\\(.)', '\1', 'g');
    rest := m[2];
  END LOOP;
  RETURN doc::jsonb #>> keys;
END $$;

CREATE OR REPLACE FUNCTION pedigree_sql.group_concat_step(acc text, v text, sep text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || sep || v END
$$;

CREATE OR REPLACE FUNCTION pedigree_sql.group_concat_step(acc text, v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT pedigree_sql.group_concat_step(acc, v, ',') $$;

CREATE OR REPLACE AGGREGATE pedigree_sql.group_concat(text, text) (SFUNC = pedigree_sql.group_concat_step, STYPE = text);
CREATE OR REPLACE AGGREGATE pedigree_sql.group_concat(text) (SFUNC = pedigree_sql.group_concat_step, STYPE = text);

-- printf(format, value) for the one form the lineage queries use: %0Nd (zero-padded integer).
CREATE OR REPLACE FUNCTION pedigree_sql.printf(fmt text, v bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN fmt ~ '^%0\d+d$' AND v >= 0 THEN lpad(v::text, substring(fmt FROM 3 FOR length(fmt) - 3)::int, '0')
              ELSE format(regexp_replace(fmt, '%0?\d*d', '%s'), v) END
$$;

-- json_each(array) for the id and value lists the queries bind as one JSON parameter. Values come
-- back as text; the operator below lets an integer column equal them, as SQLite's typed values do.
CREATE OR REPLACE FUNCTION pedigree_sql.json_each(doc text) RETURNS TABLE (key bigint, value text)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (ord - 1)::bigint, v FROM json_array_elements_text(doc::json) WITH ORDINALITY AS t(v, ord)
$$;

CREATE OR REPLACE FUNCTION pedigree_sql.bigint_eq_text(a bigint, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT a = b::bigint $$;

DO $$ BEGIN
  CREATE OPERATOR pedigree_sql.= (LEFTARG = bigint, RIGHTARG = text, FUNCTION = pedigree_sql.bigint_eq_text);
EXCEPTION WHEN duplicate_function THEN NULL;
END $$;
