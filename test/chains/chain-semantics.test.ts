import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-case.js';
import { chainMatches, describeMatch } from './run-chains.js';
import { PROGRAM, SH, Story } from './story.js';

/** Relations, ordering and unless entries of hand-written chains on small stories. */

const dir = tempDir('pedigree-chain-semantics-');
afterAll(() => dir.cleanup());
let n = 0;

/**
 * A one-chain rules file, window one minute, from steps written `name: condition` followed by
 * `| relation: step` parts (and likewise `unless` entries, without the name).
 */
function chainOf(steps: string[], unless: string[] = []): string {
  const parts = (text: string): string[] => text.split(' | ').map((x) => x.trim());
  const step = (text: string): string => {
    const [head, ...relations] = parts(text);
    const colon = head!.indexOf(': ');
    const condition = JSON.stringify(head!.slice(colon + 2));
    return [`    - step: ${head!.slice(0, colon)}`, `      condition: ${condition}`, ...relations.map((r) => `      ${r}`)].join('\n');
  };
  const entry = (text: string): string => {
    const [condition, ...relations] = parts(text);
    return [`    - condition: ${JSON.stringify(condition)}`, ...relations.map((r) => `      ${r}`)].join('\n');
  };
  const yaml = [
    '- chain: T',
    '  desc: test',
    '  output: "%proc.cmdline"',
    '  priority: NOTICE',
    '  within: 1m',
    '  steps:',
    ...steps.map(step),
    ...(unless.length > 0 ? ['  unless:', ...unless.map(entry)] : []),
  ].join('\n');
  const file = dir.path(`chain-${n++}.yaml`);
  writeFileSync(file, `${yaml}\n`);
  return file;
}

const C1 = 'aaaaaaaaaaa1';
const C2 = 'aaaaaaaaaaa2';

function base(): Story {
  return new Story()
    .container(C1, 'one', 'alpine:3')
    .container(C2, 'two', 'alpine:3')
    .running(1, 0, PROGRAM('systemd', '/usr/lib/systemd/systemd'))
    .running(100, 1, PROGRAM('containerd-shim', '/usr/bin/containerd-shim'));
}

describe('chain relations', () => {
  it('descendant_of an intermediate step: the third step must descend from the second, not only the first', async () => {
    const file = chainOf(['a: proc.name = sh', 'b: proc.name = python3 | descendant_of: a', 'c: proc.name = nc | descendant_of: b']);
    const story = base().spawn(1, 200, 1, SH()).spawn(2, 201, 200, PROGRAM('python3', '/usr/bin/python3')).spawn(3, 202, 200, PROGRAM('nc', '/usr/bin/nc'));
    expect(await chainMatches([story], [file])).toEqual([]);
    const nested = base().spawn(1, 200, 1, SH()).spawn(2, 201, 200, PROGRAM('python3', '/usr/bin/python3')).spawn(3, 202, 201, PROGRAM('nc', '/usr/bin/nc'));
    const [m] = await chainMatches([nested], [file]);
    expect(m && describeMatch(m)).toBe('T: a=sh,200 b=python3,201 c=nc,202');
    expect(m?.steps[2]?.linkedStep).toBe(1);
  });

  it('same_process: a later image of the same process, not a child', async () => {
    const file = chainOf(['a: proc.name = sh', 'b: proc.name = nc | same_process: a']);
    const child = base().spawn(1, 200, 1, SH()).spawn(2, 201, 200, PROGRAM('nc', '/usr/bin/nc'));
    expect(await chainMatches([child], [file])).toEqual([]);
    const inPlace = base().spawn(1, 200, 1, SH()).execInPlace(2, 200, 1, PROGRAM('nc', '/usr/bin/nc'));
    expect((await chainMatches([inPlace], [file])).map(describeMatch)).toEqual(['T: a=sh,200 b=nc,200']);
  });

  it('same_container and same_host together with lineage: every relation must hold', async () => {
    const file = chainOf(['a: proc.name = sh', 'b: proc.name = nc | descendant_of: a | same_container: a']);
    const crossed = base()
      .spawn(1, 200, 100, SH([], C1))
      .spawn(2, 201, 200, PROGRAM('nc', '/usr/bin/nc', [], C2));
    expect(await chainMatches([crossed], [file])).toEqual([]);
    const same = base()
      .spawn(1, 200, 100, SH([], C1))
      .spawn(2, 201, 200, PROGRAM('nc', '/usr/bin/nc', [], C1));
    expect((await chainMatches([same], [file])).map(describeMatch)).toEqual(['T: a=sh,200 b=nc,201']);
  });

  it('never joins across hosts, even with same_host only', async () => {
    const file = chainOf(['a: proc.name = sh', 'b: proc.name = nc | same_host: a']);
    const one = new Story('node-a').spawn(1, 200, 1, SH());
    const two = new Story('node-b').spawn(2, 300, 1, PROGRAM('nc', '/usr/bin/nc'));
    expect(await chainMatches([one, two], [file])).toEqual([]);
    const both = new Story('node-a').spawn(1, 200, 1, SH()).spawn(2, 300, 1, PROGRAM('nc', '/usr/bin/nc'));
    expect((await chainMatches([both], [file])).map(describeMatch)).toEqual(['T: a=sh,200 b=nc,300']);
  });

  it('one match per first step (the earliest completion); a second first step is a second match', async () => {
    const file = chainOf(['a: proc.name = sh', 'b: proc.name = nc | descendant_of: a']);
    const story = base()
      .spawn(1, 200, 1, SH())
      .spawn(2, 201, 200, PROGRAM('nc', '/usr/bin/nc', ['first']))
      .spawn(3, 202, 200, PROGRAM('nc', '/usr/bin/nc', ['second']))
      .spawn(4, 203, 200, SH())
      .spawn(5, 204, 203, PROGRAM('nc', '/usr/bin/nc', ['third']));
    expect((await chainMatches([story], [file])).map(describeMatch)).toEqual(['T: a=sh,200 b=nc,201', 'T: a=sh,203 b=nc,204']);
  });

  it('keeps every candidate of a step a later step relates to, and only the earliest of one it does not', async () => {
    // c must share b's process: the earlier b (pid 201) must not shadow the later one (pid 202).
    const tied = chainOf(['a: proc.name = sh', 'b: proc.name = python3 | descendant_of: a', 'c: proc.name = nc | same_process: b']);
    const story = base()
      .spawn(1, 200, 1, SH())
      .spawn(2, 201, 200, PROGRAM('python3', '/usr/bin/python3'))
      .spawn(3, 202, 200, PROGRAM('python3', '/usr/bin/python3'))
      .execInPlace(4, 202, 200, PROGRAM('nc', '/usr/bin/nc'));
    expect((await chainMatches([story], [tied])).map(describeMatch)).toEqual(['T: a=sh,200 b=python3,202 c=nc,202']);
    // c only relates to a: the earliest b that c can follow is kept, and c is the earliest after it.
    const loose = chainOf(['a: proc.name = sh', 'b: proc.name = python3 | descendant_of: a', 'c: proc.name = nc | descendant_of: a']);
    const spread = base()
      .spawn(1, 200, 1, SH())
      .spawn(2, 201, 200, PROGRAM('python3', '/usr/bin/python3'))
      .spawn(3, 202, 200, PROGRAM('nc', '/usr/bin/nc'))
      .spawn(5, 203, 200, PROGRAM('python3', '/usr/bin/python3'))
      .spawn(6, 204, 200, PROGRAM('nc', '/usr/bin/nc'));
    expect((await chainMatches([spread], [loose])).map(describeMatch)).toEqual(['T: a=sh,200 b=python3,201 c=nc,202']);
  });

  it('unless with same_process: only an event in that process, strictly between the steps, cancels', async () => {
    const file = chainOf(['a: proc.name = sh', 'b: proc.name = nc | same_host: a'], ['proc.name = true | same_process: a']);
    const cancelled = base().spawn(1, 200, 1, SH()).execInPlace(2, 200, 1, PROGRAM('true', '/bin/true')).spawn(3, 300, 1, PROGRAM('nc', '/usr/bin/nc'));
    expect(await chainMatches([cancelled], [file])).toEqual([]);
    const elsewhere = base().spawn(1, 200, 1, SH()).spawn(2, 201, 1, PROGRAM('true', '/bin/true')).spawn(3, 300, 1, PROGRAM('nc', '/usr/bin/nc'));
    expect(await chainMatches([elsewhere], [file])).toHaveLength(1);
    const after = base().spawn(1, 200, 1, SH()).spawn(3, 300, 1, PROGRAM('nc', '/usr/bin/nc')).execInPlace(4, 200, 1, PROGRAM('true', '/bin/true'));
    expect(await chainMatches([after], [file])).toHaveLength(1);
  });

  it('binds every literal: quotes and SQL in a condition are matched as text', async () => {
    const file = chainOf(['a: proc.name = sh', 'b: proc.args = "it\'s\' OR 1=1 --" | descendant_of: a']);
    const story = base()
      .spawn(1, 200, 1, SH())
      .spawn(2, 201, 200, PROGRAM('echo', '/bin/echo', ["it's' OR 1=1 --"]))
      .spawn(3, 202, 200, PROGRAM('echo', '/bin/echo', ['harmless']));
    expect((await chainMatches([story], [file])).map(describeMatch)).toEqual(['T: a=sh,200 b=echo,201']);
  });
});
