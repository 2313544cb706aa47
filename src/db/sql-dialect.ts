import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

/**
 * Generated SQL is built with kysely's `sql` template tag: values inside `${}` (or `sql.val`)
 * are always bound parameters, `sql.raw` is reserved for SQL text the code itself writes
 * (aliases, operators), and one fragment compiles to SQLite's `?` or PostgreSQL's `$1`.
 */
export type SqlFrag = RawBuilder<unknown>;

export type SqlDialect = 'sqlite' | 'postgres';

export interface CompiledSql {
  sql: string;
  parameters: unknown[];
}

// Compiling needs a Kysely instance for its dialect only; nothing here opens a connection.
const compilers: Partial<Record<SqlDialect, Kysely<unknown>>> = {};

function compilerFor(dialect: SqlDialect): Kysely<unknown> {
  let k = compilers[dialect];
  if (!k) {
    k =
      dialect === 'sqlite'
        ? new Kysely<unknown>({
            dialect: {
              createAdapter: () => new SqliteAdapter(),
              createDriver: () => new DummyDriver(),
              createIntrospector: (db) => new SqliteIntrospector(db),
              createQueryCompiler: () => new SqliteQueryCompiler(),
            },
          })
        : new Kysely<unknown>({
            dialect: {
              createAdapter: () => new PostgresAdapter(),
              createDriver: () => new DummyDriver(),
              createIntrospector: (db) => new PostgresIntrospector(db),
              createQueryCompiler: () => new PostgresQueryCompiler(),
            },
          });
    compilers[dialect] = k;
  }
  return k;
}

export function compileSql(frag: SqlFrag, dialect: SqlDialect = 'sqlite'): CompiledSql {
  const q = frag.compile(compilerFor(dialect));
  return { sql: q.sql, parameters: [...q.parameters] };
}
