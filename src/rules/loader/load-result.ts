import { PedigreeError } from '../../util/errors.js';

/**
 * Load errors and warnings, named as Falco's engine names them (falco_load_result.h), each with
 * the place in the rules file it is about.
 */
export type LoadErrorCode =
  | 'LOAD_ERR_FILE_READ'
  | 'LOAD_ERR_YAML_PARSE'
  | 'LOAD_ERR_YAML_VALIDATE'
  | 'LOAD_ERR_COMPILE_CONDITION'
  | 'LOAD_ERR_COMPILE_OUTPUT'
  | 'LOAD_ERR_VALIDATE';

export type LoadWarningCode =
  | 'LOAD_UNKNOWN_SOURCE'
  | 'LOAD_UNSAFE_NA_CHECK'
  | 'LOAD_NO_EVTTYPE'
  | 'LOAD_UNUSED_MACRO'
  | 'LOAD_UNUSED_LIST'
  | 'LOAD_UNKNOWN_ITEM'
  | 'LOAD_DEPRECATED_ITEM'
  | 'LOAD_APPEND_NO_VALUES'
  | 'LOAD_EXCEPTION_NAME_NOT_UNIQUE'
  | 'LOAD_INVALID_MACRO_NAME'
  | 'LOAD_INVALID_LIST_NAME'
  | 'LOAD_UNKNOWN_PLUGIN'
  /** pedigree's own: a word that names a list of Falco's default rules no loaded file defines. */
  | 'LOAD_UNDEFINED_FALCO_LIST';

/** Where an item (or a key of it) sits in its file. Line and column are 1-based. */
export interface ItemContext {
  file: string;
  line: number;
  column: number;
  /** The item's text as written, cut at 160 characters like Falco's. */
  snippet: string;
  itemType?: string;
  itemName?: string;
}

export interface LoadMessage {
  severity: 'error' | 'warning';
  code: LoadErrorCode | LoadWarningCode;
  message: string;
  context: ItemContext;
}

export function describeMessage(m: LoadMessage): string {
  const c = m.context;
  const item = c.itemType ? ` (${c.itemType}${c.itemName ? ` '${c.itemName}'` : ''})` : '';
  const snippet = c.snippet ? `\n---\n${c.snippet}\n---` : '';
  return `${c.file}:${c.line}:${c.column}: ${m.severity} ${m.code}${item}: ${m.message}${snippet}`;
}

/** Thrown when a rules file cannot be loaded; carries every error found, with positions. */
export class RulesLoadError extends PedigreeError {
  readonly errors: LoadMessage[];
  readonly warnings: LoadMessage[];
  constructor(errors: LoadMessage[], warnings: LoadMessage[]) {
    const shown = errors.slice(0, 20).map(describeMessage);
    if (errors.length > 20) shown.push(`… and ${errors.length - 20} more errors`);
    super('RULES_LOAD', shown.length > 0 ? `rules failed to load:\n${shown.join('\n')}` : 'rules failed to load');
    this.errors = errors;
    this.warnings = warnings;
  }
}

/** Collects messages during a load. */
export class LoadMessages {
  readonly errors: LoadMessage[] = [];
  readonly warnings: LoadMessage[] = [];

  error(code: LoadErrorCode, message: string, context: ItemContext): void {
    this.errors.push({ severity: 'error', code, message, context });
  }

  warn(code: LoadWarningCode, message: string, context: ItemContext): void {
    this.warnings.push({ severity: 'warning', code, message, context });
  }
}
