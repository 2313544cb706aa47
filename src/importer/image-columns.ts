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
 * The exec columns that follow the image in the execs view: what the image ran in (its process
 * group in the container, environment, cgroups, container), where its executable came from, and
 * its capabilities.
 */
export const EXEC_CONTEXT_COLUMNS = [
  'vpgid',
  'env',
  'cgroups',
  'container_id',
  'exe_writable',
  'exe_upper_layer',
  'exe_lower_layer',
  'exe_from_memfd',
  'cap_permitted',
  'cap_effective',
  'cap_inheritable',
];

/**
 * SET clauses that give each of `columns` the value of exec row `:param` where this row has none,
 * for `UPDATE execs SET … WHERE …`.
 */
export function fillMissingFrom(columns: readonly string[], param: string): string {
  return columns.map((c) => `${c} = COALESCE(${c}, (SELECT ${c} FROM execs src WHERE src.exec_id = :${param}))`).join(', ');
}
