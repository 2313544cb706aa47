import { documentedAliases } from './field-aliases.js';
import { allFields } from './falco-fields.js';
import { unansweredFalcoFieldNames } from './falco-catalogue.js';

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prevPrev[j - 2] as number) + 1);
      row.push(d);
    }
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length] as number;
}

interface Candidate {
  name: string;
  /** Falco's spelling when the candidate is one of pedigree's aliases. */
  falco?: string;
}

let candidates: Candidate[] | undefined;

function allCandidates(): Candidate[] {
  candidates ??= [
    ...allFields().map((f) => ({ name: f.name })),
    ...documentedAliases().map((a) => ({ name: a.alias, falco: a.target.falco })),
    ...unansweredFalcoFieldNames().map((name) => ({ name })),
  ];
  return candidates;
}

/**
 * The field a misspelt name most likely meant, as the message shows it: `proc.parent.name
 * (proc.pname)` for an alias, the name alone otherwise. Undefined when nothing is close.
 */
function suggestField(name: string): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 6)));
  let best: { c: Candidate; d: number } | undefined;
  for (const c of allCandidates()) {
    const d = editDistance(name, c.name, limit);
    if (d <= limit && (!best || d < best.d)) best = { c, d };
  }
  if (!best) return undefined;
  return best.c.falco ? `${best.c.name} (${best.c.falco})` : best.c.name;
}

/** The message for a name that is neither in pedigree's table nor a Falco field. */
export function notAFieldMessage(name: string): string {
  const suggestion = suggestField(name);
  return suggestion ? `${name} is not a field; did you mean ${suggestion}?` : `${name} is not a field (see pedigree fields)`;
}
