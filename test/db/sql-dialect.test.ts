import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compileSql } from '../../src/db/sql-dialect.js';

describe('generated SQL through kysely', () => {
  const frag = sql`SELECT e.exec_id FROM execs e WHERE e.name IN (${sql.join(['sh', 'bash'])}) AND e.ts_ns >= ${5n} AND ${sql.raw('e.kind')} = ${'exec'}`;

  it('compiles to ? placeholders for SQLite, values bound in order', () => {
    expect(compileSql(frag, 'sqlite')).toEqual({
      sql: 'SELECT e.exec_id FROM execs e WHERE e.name IN (?, ?) AND e.ts_ns >= ? AND e.kind = ?',
      parameters: ['sh', 'bash', 5n, 'exec'],
    });
  });

  it('compiles the same fragment to $n placeholders for PostgreSQL', () => {
    expect(compileSql(frag, 'postgres')).toEqual({
      sql: 'SELECT e.exec_id FROM execs e WHERE e.name IN ($1, $2) AND e.ts_ns >= $3 AND e.kind = $4',
      parameters: ['sh', 'bash', 5n, 'exec'],
    });
  });

  it('never puts a value into the SQL text, whatever it contains', () => {
    const hostile = "x' OR 1=1; --";
    const compiled = compileSql(sql`SELECT 1 WHERE name = ${hostile}`);
    expect(compiled.sql).not.toContain(hostile);
    expect(compiled.parameters).toEqual([hostile]);
  });
});
