import { Option } from 'commander';

export const DEFAULT_DB = './pedigree.db';

export function dbOption(): Option {
  return new Option('--db <path>', 'case database').default(DEFAULT_DB);
}

export type OutputMode = 'table' | 'json' | 'csv';

export function outputOptions(): Option[] {
  return [new Option('--json', 'print JSON (one array) instead of a table'), new Option('--csv', 'print CSV instead of a table')];
}

export function outputMode(opts: { json?: boolean; csv?: boolean }): OutputMode {
  return opts.json ? 'json' : opts.csv ? 'csv' : 'table';
}
