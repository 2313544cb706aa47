/**
 * A piece of SQL and the parameters its `?` placeholders take, in order. Fragments are only
 * ever concatenated, so a value can never end up anywhere but in `params`.
 */
export interface Frag {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export function raw(sql: string): Frag {
  return { sql, params: [] };
}

export function param(value: unknown): Frag {
  return { sql: '?', params: [value] };
}

/** Concatenates fragments and SQL text in order: `sql\`instr(${x}, ${param(v)}) > 0\``. */
export function sql(strings: TemplateStringsArray, ...parts: Frag[]): Frag {
  let text = strings[0] ?? '';
  const params: unknown[] = [];
  parts.forEach((p, i) => {
    text += p.sql + (strings[i + 1] ?? '');
    params.push(...p.params);
  });
  return { sql: text, params };
}

export function joinFrags(frags: readonly Frag[], separator: string): Frag {
  return { sql: frags.map((f) => f.sql).join(separator), params: frags.flatMap((f) => f.params) };
}

/** `?, ?, ?` for a list of values. */
export function paramList(values: readonly unknown[]): Frag {
  return { sql: values.map(() => '?').join(', '), params: [...values] };
}
