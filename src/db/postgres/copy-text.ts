import { pgSafeText } from './pg-text-nul.js';

/** One value in PostgreSQL's COPY text format (tab-separated, `\N` for NULL; NULs stood in for, pg-text-nul.ts). */
export function copyTextValue(v: unknown, bytea: boolean): string {
  if (v === null || v === undefined) return '\\N';
  if (bytea) {
    const buf = Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8');
    return `\\\\x${buf.toString('hex')}`;
  }
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  return pgSafeText(String(v)).replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}
