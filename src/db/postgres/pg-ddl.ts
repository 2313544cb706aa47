import type { CaseSchema, IndexShape, TableShape } from '../case-schema.js';
import { idSequence, isHostScoped, pgColumnType } from './pg-layout.js';

export interface PgLayoutOptions {
  /**
   * Hash-partition the host-scoped tables by host_id into this many partitions (plain
   * PostgreSQL's picture of a Citus distribution, used to prove queries stay on one host).
   */
  hashPartitions?: number;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The PostgreSQL statements that create the case schema, table by table, from the SQLite one. */
export function createTableSql(table: TableShape, options: PgLayoutOptions = {}): string[] {
  const hostScoped = isHostScoped(table);
  const seq = idSequence(table);
  const cols = table.columns.map((c) => {
    let def = `${quote(c.name)} ${pgColumnType(table.name, c.name, c.type)}`;
    if (c.notNull) def += ' NOT NULL';
    if (c.defaultSql !== null) def += ` DEFAULT ${c.defaultSql}`;
    // An INSERT that leaves the id out gets the next one, as SQLite's INTEGER PRIMARY KEY does.
    else if (seq && c.name === table.primaryKey[0]) def += ` DEFAULT nextval('${seq}')`;
    return def;
  });
  const key = hostScoped && !table.primaryKey.includes('host_id') ? ['host_id', ...table.primaryKey] : table.primaryKey;
  if (table.primaryKey.length > 0) cols.push(`PRIMARY KEY (${key.map(quote).join(', ')})`);
  for (const u of table.unique) {
    const ukey = hostScoped && !u.includes('host_id') ? ['host_id', ...u] : u;
    cols.push(`UNIQUE (${ukey.map(quote).join(', ')})`);
  }
  const partitions = hostScoped ? (options.hashPartitions ?? 0) : 0;
  const out = seq ? [`CREATE SEQUENCE ${quote(seq)}`] : [];
  out.push(`CREATE TABLE ${quote(table.name)} (\n  ${cols.join(',\n  ')}\n)${partitions > 0 ? ' PARTITION BY HASH (host_id)' : ''}`);
  // host_id leads the key, so a lookup by id alone (which host is exec N on? the largest id)
  // gets its own index: per shard on Citus, each probed once.
  if (hostScoped && table.primaryKey.length === 1) {
    out.push(`CREATE INDEX ${quote(`${table.name}_${table.primaryKey[0]}_lookup`)} ON ${quote(table.name)} (${quote(table.primaryKey[0] as string)})`);
  }
  for (let i = 0; i < partitions; i++) {
    out.push(`CREATE TABLE ${quote(`${table.name}_p${i}`)} PARTITION OF ${quote(table.name)} FOR VALUES WITH (MODULUS ${partitions}, REMAINDER ${i})`);
  }
  return out;
}

export function createIndexSql(ix: IndexShape): string {
  return `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${quote(ix.name)} ON ${quote(ix.table)} (${ix.columns.map(quote).join(', ')})`;
}

/** SQLite's view text, which PostgreSQL runs as written (the SQLite-named functions exist there). */
export function createViewSql(view: { name: string; sql: string }): string {
  return view.sql.replace(/^CREATE\s+VIEW\s+/i, 'CREATE VIEW ');
}

export function caseDdl(schema: CaseSchema, options: PgLayoutOptions = {}): string[] {
  return [...schema.tables.flatMap((t) => createTableSql(t, options)), ...schema.indexes.map(createIndexSql), ...schema.views.map(createViewSql)];
}
