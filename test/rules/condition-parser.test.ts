import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/rules/condition/ast.js';
import { ConditionSyntaxError, parseCondition } from '../../src/rules/condition/parser.js';
import { printCondition } from '../../src/rules/condition/printer.js';

/**
 * Accept/reject tables in the manner of libsinsp's filter_parser.ut.cpp: every case is parsed
 * as written and again with its blanks changed (single spaces → newlines, tabs, runs of spaces),
 * and must give the same result. `printed` is the canonical form printCondition gives back.
 */

const ACCEPT: [string, string][] = [
  ['proc.name=bash', 'proc.name = bash'],
  ['proc.name = bash', 'proc.name = bash'],
  ['proc.name == bash', 'proc.name == bash'],
  ['proc.name != bash', 'proc.name != bash'],
  ['proc.tty != 0', 'proc.tty != 0'],
  ['evt.rawres >= 0', 'evt.rawres >= 0'],
  ['proc.duration <= 5000000000', 'proc.duration <= 5000000000'],
  ['evt.num < 1', 'evt.num < 1'],
  ['evt.num > -3', 'evt.num > -3'],
  ['proc.pid = 0x1f', 'proc.pid = 0x1f'],
  ['proc.cmdline contains "curl http"', 'proc.cmdline contains "curl http"'],
  ['proc.args icontains password', 'proc.args icontains password'],
  ['evt.buffer bcontains 6c73', 'evt.buffer bcontains 6c73'],
  ['proc.exe startswith /tmp/', 'proc.exe startswith /tmp/'],
  ['evt.buffer bstartswith 6c', 'evt.buffer bstartswith 6c'],
  ['proc.exe endswith .sh', 'proc.exe endswith .sh'],
  ['fd.name glob /etc/*', 'fd.name glob /etc/*'],
  ['fd.name iglob "/ETC/[a-c]?"', 'fd.name iglob /ETC/[a-c]?'],
  ["proc.name regex '^ba.*$'", 'proc.name regex ^ba.*$'],
  ['proc.name exists', 'proc.name exists'],
  ['not proc.pname exists', 'not proc.pname exists'],
  ['proc.name in (bash, sh)', 'proc.name in (bash, sh)'],
  ['proc.name in(bash,sh)', 'proc.name in (bash, sh)'],
  ['proc.name in ()', 'proc.name in ()'],
  ['proc.name in ( )', 'proc.name in ()'],
  ['proc.name intersects (a)', 'proc.name intersects (a)'],
  ['fd.name pmatch (/var/run, /etc)', 'fd.name pmatch (/var/run, /etc)'],
  ['proc.name in ("my prog", \'x,y\', "(systemd)")', 'proc.name in ("my prog", "x,y", "(systemd)")'],
  ['proc.name in (runc:[0:PARENT], 10_etc_sudoers.)', 'proc.name in (runc:[0:PARENT], 10_etc_sudoers.)'],
  ['proc.name = oneof', 'proc.name = oneof'],
  ['proc.name contains anyof (a, b)', 'proc.name contains anyof (a, b)'],
  ['proc.name startswith allof(a,b)', 'proc.name startswith allof (a, b)'],
  ['proc.name = val(proc.pname)', 'proc.name = val(proc.pname)'],
  ['tolower(proc.name) = bash', 'tolower(proc.name) = bash'],
  ['toupper(proc.name) = BASH', 'toupper(proc.name) = BASH'],
  ['len(proc.args) > 10', 'len(proc.args) > 10'],
  ['b64(proc.args) contains x', 'b64(proc.args) contains x'],
  ['basename(proc.exe) = sh', 'basename(proc.exe) = sh'],
  ['tolower(basename(proc.exe)) = sh', 'tolower(basename(proc.exe)) = sh'],
  ['proc.name = tolower(proc.pname)', 'proc.name = tolower(proc.pname)'],
  ['concat(proc.name, "-", proc.pname) = a-b', 'concat(proc.name, "-", proc.pname) = a-b'],
  ['proc.aname[2] = nginx', 'proc.aname[2] = nginx'],
  ['proc.env[HOME] = /root', 'proc.env[HOME] = /root'],
  ['proc.env["MY VAR"] exists', 'proc.env["MY VAR"] exists'],
  ['container.mount.dest[/proc*] != "N/A"', 'container.mount.dest[/proc*] != N/A'],
  ['a and b', 'a and b'],
  ['a or b and c', 'a or (b and c)'],
  ['(a or b) and c', '(a or b) and c'],
  ['a and (b or c) and not d', 'a and (b or c) and not d'],
  ['not not a', 'not not a'],
  ['not(a)', 'not a'],
  ['not (a or b)', 'not (a or b)'],
  ['a and(b)', 'a and b'],
  ['a or(b)', 'a or b'],
  ['((((a))))', 'a'],
  ['andy and orla or notion', '(andy and orla) or notion'],
  ['evt.type in (execve, execveat) and evt.dir=<', 'evt.type in (execve, execveat) and evt.dir = <'],
  ['proc.cmdline = "a \\"quoted\\" \\\\ value"', 'proc.cmdline = "a \\"quoted\\" \\\\ value"'],
  ["proc.cmdline = 'it\\'s'", 'proc.cmdline = "it\'s"'],
  ['proc.cmdline = "tab\\there"', 'proc.cmdline = "tab\\there"'],
  ['proc.cmdline = "\\x41\\x42"', 'proc.cmdline = AB'],
];

const REJECT: [string, RegExp][] = [
  ['', /empty condition/],
  ['proc.name', /expected an operator/],
  ['proc.name =', /expected a value/],
  ['proc.name bash', /expected an operator/],
  ['proc.name contains"x"', /must be followed by a blank/],
  ['proc.name in bash', /expected a list/],
  ['proc.name in (a, b', /expected "," or "\)"|not closed/],
  ['proc.name in (a,, b)', /expected a list item/],
  ['proc.tty > abc', /expected a number/],
  ['a and', /condition ended|needs an operand/],
  ['a or or b', /needs an operand|expected/],
  ['(a and b', /expected "\)"/],
  ['a and b)', /unexpected '\)'/],
  ['not', /condition ended/],
  ['a b', /unexpected/],
  ['proc.name = "unterminated', /unterminated quoted string/],
  ['proc.name = "bad \\q escape"', /unknown escape sequence/],
  ['proc.name = "\\xZZ"', /two hex digits/],
  ['proc.aname[2 = x', /expected "\]"/],
  ['tolower() = x', /needs an argument/],
  ['tolower(proc.name = x', /expected "\)"|expected/],
  ['val(proc.name) = x', /expected/],
  ['proc.name = val(x)', /expected a field inside val/],
  ['proc.name exists and', /condition ended|needs an operand/],
  ['proc.name =! bash', /unexpected 'bash'/],
  ['proc.name in (a) b', /unexpected/],
];

/** The same condition with its blanks changed, as libsinsp's parser tests do. */
function variants(text: string): string[] {
  return [text, text.replace(/ /g, '\n'), text.replace(/ /g, '\t'), text.replace(/ /g, '   '), text.replace(/ /g, ' \r\n '), `  ${text}\n`];
}

function stripPositions(e: unknown): unknown {
  return JSON.parse(JSON.stringify(e, (k, v: unknown) => (k === 'pos' || k === 'quoted' ? undefined : v)));
}

describe('condition parser: accepted conditions', () => {
  for (const [text, printed] of ACCEPT) {
    it(`accepts ${JSON.stringify(text)}`, () => {
      const ast = parseCondition(text);
      expect(printCondition(ast)).toBe(printed);
      // Printing is faithful: the printed text parses back to the same tree.
      expect(stripPositions(parseCondition(printCondition(ast)))).toEqual(stripPositions(ast));
      // Blanks outside quotes do not matter.
      if (!/["']/.test(text)) {
        for (const v of variants(text)) expect(stripPositions(parseCondition(v)), JSON.stringify(v)).toEqual(stripPositions(ast));
      }
    });
  }
});

describe('condition parser: rejected conditions', () => {
  for (const [text, message] of REJECT) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      const texts = /["']/.test(text) ? [text] : variants(text);
      for (const v of texts) {
        let error: unknown;
        try {
          parseCondition(v);
        } catch (err) {
          error = err;
        }
        expect(error, JSON.stringify(v)).toBeInstanceOf(ConditionSyntaxError);
        expect((error as Error).message).toMatch(message);
      }
    });
  }
});

describe('condition parser: AST and positions', () => {
  it('builds kind-tagged nodes with 1-based line and column', () => {
    const ast = parseCondition('spawned_process and\n  proc.aname[3] in (sshd, "my app")') as Extract<Expr, { kind: 'and' }>;
    expect(ast.kind).toBe('and');
    expect(ast.children[0]).toMatchObject({ kind: 'macro', name: 'spawned_process', pos: { offset: 0, line: 1, col: 1 } });
    expect(ast.children[1]).toMatchObject({
      kind: 'binary',
      op: 'in',
      left: { kind: 'field', name: 'proc.aname', arg: '3', pos: { line: 2, col: 3 } },
      right: {
        kind: 'list',
        items: [
          { value: 'sshd', quoted: false },
          { value: 'my app', quoted: true },
        ],
      },
      pos: { line: 2, col: 3 },
    });
  });

  it('reports the position of a syntax error', () => {
    try {
      parseCondition('proc.name = a and\n  proc.pname ~ b');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConditionSyntaxError);
      expect((err as ConditionSyntaxError).pos).toMatchObject({ line: 2, col: 14 });
    }
  });

  it('parses operator modifiers and val() into their own nodes', () => {
    expect(parseCondition('proc.name = anyof (a, b)')).toMatchObject({ kind: 'binary', op: '=', modifier: 'anyof', right: { kind: 'list' } });
    expect(parseCondition('proc.name = val(proc.pname)')).toMatchObject({ right: { kind: 'field-value', field: { name: 'proc.pname' } } });
    expect(parseCondition('tolower(proc.name) = x')).toMatchObject({
      left: { kind: 'transformer', name: 'tolower', args: [{ kind: 'field', name: 'proc.name' }] },
    });
  });

  it('caps nesting depth like Falco (1000 levels)', () => {
    expect(() => parseCondition(`${'('.repeat(1200)}a${')'.repeat(1200)}`)).toThrow(/deeper than 1000/);
    expect(printCondition(parseCondition(`${'('.repeat(200)}a${')'.repeat(200)}`))).toBe('a');
  });
});
