/**
 * The bound on `regex` rules: JavaScript's engine backtracks, so a repeated group that itself
 * repeats (`(a+)+b`, `(a|aa)*c`, `(\w*)*x`) can take time exponential in the length of the value
 * (Falco's RE2 runs in linear time). Such patterns are refused with this reason instead of run;
 * every other pattern is a plain anchored JavaScript regular expression.
 */
export function nestedRepetition(pattern: string): string | null {
  // For each open group: whether it contains a quantifier or an alternation.
  const groups: { repeats: boolean; alternates: boolean }[] = [];
  let inClass = false;
  let closedGroup: { repeats: boolean; alternates: boolean } | null = null;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    const justClosed = closedGroup;
    closedGroup = null;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      continue;
    }
    if (ch === '(') {
      groups.push({ repeats: false, alternates: false });
      continue;
    }
    if (ch === ')') {
      const g = groups.pop();
      if (g) {
        closedGroup = g;
        const outer = groups.at(-1);
        if (outer && g.repeats) outer.repeats = true;
      }
      continue;
    }
    if (ch === '|') {
      const g = groups.at(-1);
      if (g) g.alternates = true;
      continue;
    }
    const unbounded = ch === '*' || ch === '+' || (ch === '{' && /^\{\d*,\d*\}/.test(pattern.slice(i)));
    if (ch === '*' || ch === '+' || ch === '?' || ch === '{') {
      if (unbounded && justClosed && (justClosed.repeats || justClosed.alternates)) {
        return `the group ending at character ${i} repeats and contains ${justClosed.repeats ? 'a repetition' : 'alternatives'}, which can take exponential time`;
      }
      const g = groups.at(-1);
      if (g && unbounded) g.repeats = true;
    }
  }
  return null;
}
