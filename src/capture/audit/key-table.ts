/**
 * Field names, and their indexes by first character and length, so a key in a line is recognised
 * without slicing it out (and most keys that are not in the table without comparing any text).
 */
export class KeyTable {
  // Filled to its full size first: an array given only a few far-apart indexes becomes a slow dictionary.
  private readonly byFirstAndLength = new Array<number[] | undefined>(128 << 4).fill(undefined);

  constructor(readonly names: readonly string[]) {
    names.forEach((k, i) => {
      (this.byFirstAndLength[bucket(k.charCodeAt(0), k.length)] ??= []).push(i);
    });
  }

  /** The index of the name spelled by text[start, end), or -1. */
  indexAt(text: string, start: number, end: number): number {
    const candidates = this.byFirstAndLength[bucket(text.charCodeAt(start), end - start)];
    if (candidates === undefined) return -1;
    // Names are a few characters: compared here rather than by a call per candidate.
    for (let c = 0; c < candidates.length; c++) {
      const i = candidates[c]!;
      const k = this.names[i]!;
      if (k.length !== end - start) continue;
      let j = 0;
      while (j < k.length && text.charCodeAt(start + j) === k.charCodeAt(j)) j++;
      if (j === k.length) return i;
    }
    return -1;
  }

  /** The name spelled by text[start, end), as the table's own string. */
  nameAt(text: string, start: number, end: number): string | undefined {
    const i = this.indexAt(text, start, end);
    return i < 0 ? undefined : this.names[i];
  }
}

function bucket(first: number, length: number): number {
  return ((first & 127) << 4) | (length < 15 ? length : 15);
}
