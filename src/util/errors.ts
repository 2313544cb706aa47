/**
 * Errors a user can act on. Every one names what went wrong and, for input problems, the file
 * and the line or byte offset, so the CLI prints it without a stack trace.
 */
export type ErrorCode =
  | 'INPUT_FORMAT'
  | 'INPUT_CORRUPT'
  | 'INPUT_TRUNCATED'
  | 'INPUT_BAD_RECORD'
  | 'INPUT_NOT_FOUND'
  | 'DB_NOT_FOUND'
  | 'DB_SCHEMA'
  | 'QUERY'
  | 'USAGE'
  | 'RULES_LOAD'
  | 'RULES_COMPILE'
  | 'DB_WRITE'
  | 'MEMORY';

export class PedigreeError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'PedigreeError';
    this.code = code;
  }
}

/** Where in an input file a problem is: a 1-based line, or a 0-based byte offset. */
export interface InputLocation {
  file: string;
  line?: number;
  offset?: number;
}

export function describeLocation(loc: InputLocation): string {
  if (loc.line !== undefined) return `${loc.file}:${loc.line}`;
  if (loc.offset !== undefined) return `${loc.file} at byte ${loc.offset}`;
  return loc.file;
}

/** A problem with an input file at a known place. */
export class InputError extends PedigreeError {
  readonly location: InputLocation;
  readonly detail: string;
  constructor(code: ErrorCode, location: InputLocation, detail: string) {
    super(code, `${describeLocation(location)}: ${detail}`);
    this.name = 'InputError';
    this.location = location;
    this.detail = detail;
  }
}

export function isPedigreeError(err: unknown): err is PedigreeError {
  return err instanceof PedigreeError;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
