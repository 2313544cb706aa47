import { describe, expect, it } from 'vitest';
import { readSysmon } from '../../src/capture/sysmon/sysmon-reader.js';
import { SysmonLineage } from '../../src/capture/sysmon/sysmon-to-lineage.js';
import { bigintJson, readWhole } from './read-whole.js';
import { HAVE_DATASETS } from './sample-case.js';

/** Every event and warning the Sysmon reader gives for `text`, its per-process tables bounded at `held`. */
async function read(text: string, held?: number) {
  const lineage = held === undefined ? new SysmonLineage('h') : new SysmonLineage('h', held);
  return { ...(await readWhole(text, 'in.log', (input, ctx) => readSysmon(input, ctx, lineage))), lineage };
}

const aboutForgetting = (w: { message: string }): boolean => /Sysmon processes ran without a ProcessTerminate/.test(w.message);

describe.skipIf(!HAVE_DATASETS)('Sysmon reader: its per-process tables stay bounded, and forgetting is never silent', async () => {
  const { SCALED } = HAVE_DATASETS ? await import('../../bench/readers-scale.js') : { SCALED: [] };
  const scaled = SCALED.find((f) => f.format === 'sysmon');

  it('processes that never end: the same events come out while each copy execs in place within itself, and the import says what it forgot', async () => {
    // 200 copies of the real log4shell sample: each holds 3 processes that never log a
    // ProcessTerminate and 4 exec-in-place GUIDs, and names only its own processes.
    const text = Array.from({ length: 200 }, (_, i) => scaled!.copy(i)).join('');
    const unbounded = await read(text);
    expect(unbounded.warnings.filter(aboutForgetting)).toEqual([]);
    const bounded = await read(text, 40);
    expect(bigintJson(bounded.events)).toBe(bigintJson(unbounded.events));
    expect(bounded.lineage.forgottenProcesses).toBeGreaterThan(500);
    expect(bounded.lineage.forgottenAliases).toBeGreaterThan(700);
    // The sample's own warnings (events cut short by syslog) are unchanged, and two are added.
    expect(bounded.warnings.filter((w) => !aboutForgetting(w))).toEqual(unbounded.warnings);
    const forgetting = bounded.warnings.filter(aboutForgetting);
    expect(forgetting).toHaveLength(2);
    expect(forgetting[0]).toEqual({
      line: expect.any(Number),
      message: expect.stringMatching(/^more than 40 Sysmon processes ran without a ProcessTerminate .*from here on the older half is forgotten/),
    });
    expect(forgetting[1]).toEqual({
      line: undefined,
      message: expect.stringMatching(
        new RegExp(
          `: ${bounded.lineage.forgottenProcesses.toLocaleString('en')} running processes and ${bounded.lineage.forgottenAliases.toLocaleString('en')} exec-in-place GUIDs were forgotten to keep memory bounded$`,
        ),
      ),
    });
  });

  it('an exec in place of a process forgotten meanwhile comes out as its own GUID, not the first one (what the warning says)', async () => {
    // Copy 0, then enough other copies to push copy 0's processes out, then copy 0 again: its
    // exec-in-place events are no longer recognised as the same process.
    const text = [scaled!.copy(0), ...Array.from({ length: 60 }, (_, i) => scaled!.copy(i + 1)), scaled!.copy(0)].join('');
    const unbounded = await read(text);
    const bounded = await read(text, 40);
    expect(bigintJson(bounded.events)).not.toBe(bigintJson(unbounded.events));
    expect(bounded.events).toHaveLength(unbounded.events.length);
    expect(bounded.warnings.map((w) => w.message).join('\n')).toMatch(/an exec in place of a forgotten process is recorded as a new process of the same pid/);
  });
});
