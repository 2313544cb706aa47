/**
 * Example commands as the README and docs/*.md show them (a `$ pedigree …` line in a fenced block,
 * then the output it prints), and the comparison of that output with what the command printed.
 */

/** Splits a shell command line as the README writes them: single and double quotes, no escapes. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (const m of text.matchAll(re)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

export interface Example {
  line: number;
  command: string;
  expected: string[];
  /** The block sets the environment (`export PEDIGREE_DB=…`): its examples run elsewhere. */
  environment: boolean;
  /** Shown without a prompt and without output (`pedigree import … --db story.db` in a synopsis). */
  bare?: boolean;
}

/**
 * The examples of a markdown text. With `bare`, a line `pedigree …` in a fenced block (no `$`,
 * no output shown, a trailing `# comment` dropped) is an example too, and `a && b` two.
 */
export function examples(markdown: string, options: { bare?: boolean } = {}): Example[] {
  const out: Example[] = [];
  const lines = markdown.split('\n');
  let inBlock = false;
  let environment = false;
  let current: Example | null = null;
  lines.forEach((line, i) => {
    if (line.startsWith('```')) {
      if (current) out.push(current);
      current = null;
      inBlock = !inBlock;
      environment = false;
      return;
    }
    if (!inBlock) return;
    if (options.bare && /^pedigree [a-z]/.test(line)) {
      if (current) out.push(current);
      current = null;
      for (const part of line.replace(/\s+#.*$/, '').split(' && '))
        out.push({ line: i + 1, command: part.trim().slice('pedigree '.length), expected: [], environment, bare: true });
      return;
    }
    if (line.startsWith('$ ')) {
      if (current) out.push(current);
      if (line.startsWith('$ export ')) environment = true;
      const command = line.slice('$ pedigree '.length).replace(/\s+#.*$/, '');
      current = line.startsWith('$ pedigree ') ? { line: i + 1, command, expected: [], environment } : null;
      return;
    }
    current?.expected.push(line);
  });
  return out.map((e) => {
    const expected = [...e.expected];
    while (expected.length > 0 && expected[expected.length - 1]?.trim() === '') expected.pop();
    return { ...e, expected };
  });
}

/** A README line with ` … ` inside stands for the line with any text there (an elided middle). */
function lineMatches(want: string, got: string): boolean {
  if (want === got) return true;
  if (!/ …([ )]|$)/.test(want)) return false;
  const pattern = want
    .split(/(?<= )…(?=[ )]|$)/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(got);
}

/**
 * The actual lines, with the runs a README `…` line stands for folded into that `…`, and lines
 * that match an elided README line replaced by it, so a diff shows only real drift.
 */
export function foldEllipses(expected: string[], actual: string[]): string[] {
  const out: string[] = [];
  let a = 0;
  for (let e = 0; e < expected.length; e++) {
    const want = expected[e] as string;
    if (want.trim() !== '…') {
      if (a < actual.length) {
        const got = actual[a++] as string;
        out.push(lineMatches(want, got) ? want : got);
      }
      continue;
    }
    const next = expected[e + 1];
    let skipped = 0;
    while (a < actual.length && (next === undefined || !lineMatches(next, actual[a] as string))) {
      a++;
      skipped++;
    }
    out.push(skipped > 0 ? '…' : '(nothing where the README shows …)');
  }
  while (a < actual.length) out.push(actual[a++] as string);
  return out;
}

/** Files an example writes (`--out`, `--pdf`, `--report`) go to `scratch`, never into the checkout. */
export function writeOutputsTo(args: string[], scratch: (name: string) => string): void {
  for (const option of ['--out', '--pdf', '--report']) {
    const at = args.indexOf(option);
    if (at >= 0) args[at + 1] = scratch(args[at + 1] as string);
  }
}

/**
 * An example's output lines against what the page shows, with only what must vary made equal:
 * the scratch directory, and a size or duration a command reports. Returns [expected, actual].
 */
export function comparableOutput(shown: string[], stdout: string, stderr: string, scratchDir: string): [string[], string[]] {
  const vary = (l: string): string =>
    l
      .trimEnd()
      .replaceAll(`${scratchDir}/`, '')
      .replace(/\(\d+ KiB\)/g, '(N KiB)')
      .replace(/\bin \d+(\.\d+)? s\b/g, 'in N s');
  const expected = shown.map(vary);
  const actual = `${stdout}${stderr}`.replace(/\s+$/, '').split('\n').map(vary);
  return [expected, foldEllipses(expected, actual)];
}
