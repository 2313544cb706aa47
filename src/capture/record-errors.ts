import { InputError } from '../util/errors.js';
import type { ReaderContext } from './reader.js';

/** A record the reader cannot use, thrown by parsers; the reader adds the file and line. */
export class BadRecord extends Error {}

/**
 * Handles a damaged record the way the user chose: with `--skip-bad` a warning naming the file
 * and line, otherwise an InputError that stops the import. Never silent.
 */
export function badRecord(ctx: ReaderContext, line: number, detail: string, file = ctx.file): void {
  if (ctx.skipBad) {
    ctx.warn({ location: { file, line }, message: `skipped: ${detail}` });
    return;
  }
  throw new InputError('INPUT_BAD_RECORD', { file, line }, detail);
}

/** The message of a parse failure: our own BadRecord text, or the JSON parser's. */
export function describeParseError(err: unknown): string {
  if (err instanceof BadRecord) return err.message;
  if (err instanceof SyntaxError) return `not valid JSON (${err.message})`;
  throw err;
}

/** The host for inputs that name none: `--host`, else `unknown`. */
export function defaultHost(ctx: ReaderContext): string {
  return ctx.options.host ?? 'unknown';
}
