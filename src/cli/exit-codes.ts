import type { ErrorCode } from '../util/errors.js';

/**
 * Exit codes scripts can rely on (sysexits-style): 0 success, 1 a rule or query found nothing
 * where that matters, 2 usage, 65 bad input data, 66 input missing, 70 internal error.
 */
/** Unknown option or command, missing argument, bad option value. */
export const USAGE_EXIT = 2;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'USAGE':
      return 2;
    case 'INPUT_NOT_FOUND':
    case 'DB_NOT_FOUND':
      return 66;
    case 'INPUT_FORMAT':
    case 'INPUT_CORRUPT':
    case 'INPUT_TRUNCATED':
    case 'INPUT_BAD_RECORD':
    case 'RULES_LOAD':
    case 'RULES_COMPILE':
      return 65;
    case 'DB_SCHEMA':
    case 'QUERY':
      return 65;
    case 'DB_WRITE':
      return 74; // EX_IOERR: the case could not be written (disk full, file size limit)
    case 'MEMORY':
      return 71; // EX_OSERR: the import needs more memory than the process may use
  }
}
