/**
 * The ids a reader has forgotten (Tetragon's exec ids, the Falco-alert reader's processes), as a
 * Bloom filter: a fixed 16 MB whatever their number, made only once the first id is forgotten. It
 * never answers "no" for an id that was forgotten, so a later event that names one is always
 * counted; it answers "maybe" for an id never seen about once in a million lookups with 1M ids
 * forgotten, once in 3,000 with 5M.
 */
export class ForgottenIds {
  private static readonly BITS = 1 << 27;
  private readonly words = new Int32Array(ForgottenIds.BITS >>> 5);

  add(id: string): void {
    const [h1, h2] = hashes(id);
    for (let i = 0; i < 4; i++) {
      const bit = (h1 + Math.imul(i, h2)) & (ForgottenIds.BITS - 1);
      this.words[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  mayHold(id: string): boolean {
    const [h1, h2] = hashes(id);
    for (let i = 0; i < 4; i++) {
      const bit = (h1 + Math.imul(i, h2)) & (ForgottenIds.BITS - 1);
      if ((this.words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/** Two independent 32-bit hashes of a string (FNV-1a and a multiplicative one), for the filter's four probes. */
function hashes(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b + c, 0x85ebca6b) ^ (b >>> 13);
  }
  return [a >>> 0, (b | 1) >>> 0];
}
