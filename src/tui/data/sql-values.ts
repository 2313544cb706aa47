/** Converters for rows read with safe integers (ids become numbers, times stay bigint). */
export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const big = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as bigint));
export const bool = (v: unknown): boolean => v === 1n || v === 1 || v === true;

export type Raw = Record<string, unknown>;

/** A LIKE pattern matching `text` anywhere, with %, _ and \ escaped (use with ESCAPE '\'). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
