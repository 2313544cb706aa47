import { globMatch, hasGlobMeta } from './glob.js';

/**
 * Falco's `pmatch`: a path matches when one of the patterns' components is a component-wise
 * prefix of the path's components. Empty components are dropped (so `//` and a trailing `/` do
 * not matter, and `/` alone matches every absolute path); components with `*`, `?` or `[` are
 * matched with fnmatch, so wildcards never cross a "/".
 */
export class PathPrefixSet {
  private readonly exact = new Set<string>();
  private readonly wild: string[][] = [];
  private matchesAll = false;

  constructor(patterns: readonly string[]) {
    for (const p of patterns) {
      const comps = components(p);
      if (comps.length === 0) this.matchesAll = true;
      else if (comps.some(hasGlobMeta)) this.wild.push(comps);
      else this.exact.add(comps.join('/'));
    }
  }

  matches(path: string): boolean {
    const comps = components(path);
    if (this.matchesAll && path.startsWith('/')) return true;
    let prefix = '';
    for (const c of comps) {
      prefix = prefix === '' ? c : `${prefix}/${c}`;
      if (this.exact.has(prefix)) return true;
    }
    return this.wild.some((w) => w.length <= comps.length && w.every((pc, i) => globMatch(pc, comps[i] as string)));
  }
}

function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '');
}
