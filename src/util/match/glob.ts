/**
 * fnmatch(3) as Falco calls it for `glob` / `iglob` (flags 0 or FNM_CASEFOLD): the whole string
 * must match; `*` also matches "/" and leading dots; `?` is one character; `[...]` classes with
 * `!` or `^` negation, ranges and `[:alpha:]`-style names; a backslash makes the next character
 * literal. Patterns are compiled to a token list and cached; matching is the two-pointer
 * algorithm that remembers only the last `*`, so it takes at most (pattern length × value length)
 * steps: no backtracking blow-up on patterns such as `*a*a*a*a*a*b` (a regular expression built
 * from the pattern took minutes on ordinary command lines).
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

/** One position of a compiled pattern: a star, or a test for exactly one character. */
type Token = { star: true } | { star: false; test: (ch: string) => boolean };

function compileGlob(pattern: string, caseFold: boolean): Token[] {
  const tokens: Token[] = [];
  const literal = (c: string): Token => {
    const want = caseFold ? c.toLowerCase() : c;
    return { star: false, test: caseFold ? (ch) => ch.toLowerCase() === want : (ch) => ch === want };
  };
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      if (!tokens.at(-1)?.star) tokens.push({ star: true }); // runs of stars are one star
      i++;
    } else if (ch === '?') {
      tokens.push({ star: false, test: () => true });
      i++;
    } else if (ch === '[') {
      const b = readBracket(pattern, i);
      if (b) {
        const re = new RegExp(`^${b.source}$`, caseFold ? 'i' : '');
        tokens.push({ star: false, test: (c) => re.test(c) });
        i = b.end;
      } else {
        tokens.push(literal('['));
        i++;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) {
      tokens.push(literal(pattern[i + 1] as string));
      i += 2;
    } else {
      tokens.push(literal(ch));
      i++;
    }
  }
  return tokens;
}

function matchTokens(tokens: Token[], value: string): boolean {
  let t = 0;
  let v = 0;
  let starAt = -1; // token index just after the last star seen
  let starFrom = 0; // value index that star's run would next absorb up to
  while (v < value.length) {
    const tok = tokens[t];
    if (tok !== undefined && !tok.star && tok.test(value[v] as string)) {
      t++;
      v++;
    } else if (tok?.star) {
      starAt = ++t;
      starFrom = v;
    } else if (starAt >= 0) {
      // Let the last star absorb one more character and retry from just after it.
      t = starAt;
      v = ++starFrom;
    } else {
      return false;
    }
  }
  while (tokens[t]?.star) t++;
  return t === tokens.length;
}

const cache = new Map<string, Token[]>();

export function globMatch(pattern: string, value: string, caseFold = false): boolean {
  const key = `${caseFold ? 'i' : 's'}${pattern}`;
  let tokens = cache.get(key);
  if (!tokens) {
    if (cache.size > 10_000) cache.clear();
    tokens = compileGlob(pattern, caseFold);
    cache.set(key, tokens);
  }
  return matchTokens(tokens, value);
}

export function hasGlobMeta(s: string): boolean {
  return /[*?[]/.test(s);
}
