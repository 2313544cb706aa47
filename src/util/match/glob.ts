/**
 * fnmatch(3) as Falco calls it for `glob` / `iglob` (flags 0 or FNM_CASEFOLD): the whole string
 * must match; `*` also matches "/" and leading dots; `?` is one character; `[...]` classes with
 * `!` or `^` negation, ranges and `[:alpha:]`-style names; a backslash makes the next character
 * literal. Patterns are compiled to anchored regular expressions and cached.
 */

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9a-fA-F',
  cntrl: '\\x00-\\x1f\\x7f',
  print: ' -~',
  graph: '!-~',
};

function escapeForClass(ch: string): string {
  return /[\\\]^-]/.test(ch) ? `\\${ch}` : ch;
}

function escapeLiteral(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}

/** Reads a bracket expression starting at `start` ("["); null if it never closes (then "[" is literal). */
function readBracket(p: string, start: number): { source: string; end: number } | null {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < p.length) {
    const ch = p[i] as string;
    if (ch === ']' && !first) return { source: `[${negate ? '^' : ''}${body}]`, end: i + 1 };
    first = false;
    if (ch === '[' && p[i + 1] === ':') {
      const close = p.indexOf(':]', i + 2);
      const name = close > 0 ? p.slice(i + 2, close) : '';
      const cls = POSIX_CLASSES[name];
      if (cls !== undefined) {
        body += cls;
        i = close + 2;
        continue;
      }
    }
    if (ch === '\\' && i + 1 < p.length) {
      body += escapeForClass(p[i + 1] as string);
      i += 2;
      continue;
    }
    if (ch === '-' && body !== '' && p[i + 1] !== ']' && i + 1 < p.length) {
      body += '-';
      i++;
      continue;
    }
    body += escapeForClass(ch);
    i++;
  }
  return null;
}

function globToRegExp(pattern: string, caseFold: boolean): RegExp {
  let src = '';
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      src += '[\\s\\S]*';
      i++;
    } else if (ch === '?') {
      src += '[\\s\\S]';
      i++;
    } else if (ch === '[') {
      const b = readBracket(pattern, i);
      if (b) {
        src += b.source;
        i = b.end;
      } else {
        src += '\\[';
        i++;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) {
      src += escapeLiteral(pattern[i + 1] as string);
      i += 2;
    } else {
      src += escapeLiteral(ch);
      i++;
    }
  }
  return new RegExp(`^(?:${src})$`, caseFold ? 'i' : '');
}

const cache = new Map<string, RegExp>();

export function globMatch(pattern: string, value: string, caseFold = false): boolean {
  const key = `${caseFold ? 'i' : 's'}${pattern}`;
  let re = cache.get(key);
  if (!re) {
    if (cache.size > 10_000) cache.clear();
    re = globToRegExp(pattern, caseFold);
    cache.set(key, re);
  }
  return re.test(value);
}

export function hasGlobMeta(s: string): boolean {
  return /[*?[]/.test(s);
}
