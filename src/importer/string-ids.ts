import type BetterSqlite3 from 'better-sqlite3';

/** Distinct strings remembered per import; past this the memo starts again (RSS stays flat). */
const MAX_REMEMBERED_CHARS = 8 * 1024 * 1024;

/**
 * Ids of the rows of `strings` (schema/005_narrow_execs.sql): each distinct string is stored once
 * per case. A memo keeps the ids of strings already seen, so repeated environment blocks, cgroup
 * sets and paths cost one Map lookup each.
 */
export class StringIds {
  private readonly memo = new Map<string, number>();
  private rememberedChars = 0;
  private readonly find: BetterSqlite3.Statement;
  private readonly add: BetterSqlite3.Statement;

  constructor(db: BetterSqlite3.Database) {
    this.find = db.prepare('SELECT string_id FROM strings WHERE value = ?').pluck();
    // Without RETURNING, which made SQLite keep a statement journal for each insert (a copy of the
    // pages it changed, written to a temporary file); string_id is the row id.
    this.add = db.prepare('INSERT INTO strings (value) VALUES (?)');
  }

  id(value: string): number {
    const known = this.memo.get(value);
    if (known !== undefined) return known;
    const found = this.find.get(value) as bigint | number | undefined;
    const id = Number(found ?? this.add.run(value).lastInsertRowid);
    if (this.rememberedChars + value.length > MAX_REMEMBERED_CHARS) {
      this.memo.clear();
      this.rememberedChars = 0;
    }
    this.memo.set(value, id);
    this.rememberedChars += value.length;
    return id;
  }
}
