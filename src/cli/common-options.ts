import { InvalidArgumentError, Option } from 'commander';
import { resolveZone, type TimeStyle } from '../format/time-text.js';

export const DEFAULT_DB = './pedigree.db';

export function dbOption(): Option {
  return new Option('--db <path>', 'case database: a SQLite file, or postgres://… for a case on PostgreSQL').env('PEDIGREE_DB').default(DEFAULT_DB);
}

/** `--db` on a command that reads no case: accepted, so every command takes it, and not opened. */
export function unusedDbOption(): Option {
  return new Option('--db <path>', 'case database (accepted for uniformity; this command does not read it)');
}

/** `--time-format iso|falco` and `--tz ZONE`: how text output prints times (JSON stays ISO UTC). */
export function timeOptions(): Option[] {
  return [
    new Option('--time-format <style>', 'times in text output: iso (2024-11-28T13:20:15.016500000Z) or falco (time of day, as Falco prints it)')
      .choices(['iso', 'falco'])
      .default('iso'),
    new Option('--tz <zone>', "time zone for text output: UTC (default for iso), 'local', or a name such as America/New_York").argParser(parseZone),
  ];
}

function parseZone(value: string): string {
  try {
    resolveZone(value);
    return value;
  } catch {
    throw new InvalidArgumentError('not a time zone: use UTC, local, or an IANA name such as Europe/Berlin.');
  }
}

export function timeStyle(opts: { timeFormat?: string; tz?: string }): TimeStyle {
  const format = opts.timeFormat === 'falco' ? 'falco' : 'iso';
  return opts.tz !== undefined ? { format, tz: opts.tz } : { format };
}

export type OutputMode = 'table' | 'json' | 'csv';

export function outputOptions(): Option[] {
  return [new Option('--json', 'print JSON (one array) instead of a table'), new Option('--csv', 'print CSV instead of a table')];
}

export function outputMode(opts: { json?: boolean; csv?: boolean }): OutputMode {
  return opts.json ? 'json' : opts.csv ? 'csv' : 'table';
}
