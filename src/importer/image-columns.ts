/** The exec columns that describe a process image: what it runs, as whom, where, on which terminal. */
export const IMAGE_COLUMNS = [
  'name',
  'exe',
  'exepath',
  'args',
  'argv_json',
  'cmdline',
  'cwd',
  'uid',
  'gid',
  'euid',
  'loginuid',
  'user_name',
  'tty',
  'sid',
  'pgid',
];

/**
 * SET clauses that give each of `columns` the value of exec row `:param` where this row has none,
 * for `UPDATE execs SET … WHERE …`.
 */
export function fillMissingFrom(columns: readonly string[], param: string): string {
  return columns.map((c) => `${c} = COALESCE(${c}, (SELECT ${c} FROM execs src WHERE src.exec_id = :${param}))`).join(', ');
}
