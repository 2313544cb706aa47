import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseForWrite } from '../../src/db/open.js';
import { openCaseSource, type CaseSource } from '../../src/tui/data/case-source.js';
import { pathText } from '../../src/tui/format/chain-lines.js';
import { addStoryChains, type StoryChains } from './support/chain-case.js';
import { storyCase, type StoryCase } from './support/story-case.js';

let story: StoryCase;
let chains: StoryChains;
let odd: number;
let source: CaseSource;

beforeAll(() => {
  story = storyCase({ alerts: false });
  chains = addStoryChains(story.dbPath);
  const db = openCaseForWrite(story.dbPath);
  // A match whose steps have a 20-exec path (ids repeat: only the length matters), a
  // malformed path and an exec the case does not hold.
  odd = Number(
    db
      .prepare(`INSERT INTO chains (chain, priority, host_id, container_id, first_exec_id, last_exec_id, start_ns, end_ns, output, run_ns)
    VALUES ('odd', 'Debug', 1, NULL, ?, 999999, 1732800030000000000, 1732800031000000000, 'odd', 0)`)
      .run(chains.execs.bash).lastInsertRowid,
  );
  const step = db.prepare(
    'INSERT INTO chain_steps (chain_match_id, step_index, step, exec_id, ts_ns, linked_step, relation, path_json, host_id) VALUES (?, ?, ?, ?, 0, ?, ?, ?, 1)',
  );
  const long = [chains.execs.nginx, ...Array.from({ length: 18 }, () => chains.execs.sh), chains.execs.x];
  step.run(odd, 0, 'deep', chains.execs.x, null, null, JSON.stringify(long));
  step.run(odd, 1, 'broken', chains.execs.curl, 0, 'same_host', '{not json');
  step.run(odd, 2, 'gone', 999999, 0, 'same_host', JSON.stringify([chains.execs.curl, 999999]));
  db.close();
  source = openCaseSource(story.dbPath);
});
afterAll(async () => {
  await source.close();
  story.cleanup();
});

describe('chain matches and steps through the CaseSource', () => {
  it('pages matches by start time with a keyset cursor', () => {
    const first = source.chainMatches(null, 1);
    expect(first.items.map((m) => m.matchId)).toEqual([chains.hostRead]);
    expect(first).toMatchObject({ moreBefore: false, moreAfter: true });
    const last = first.items[0]!;
    const next = source.chainMatches({ startNs: last.startNs, matchId: last.matchId }, 5);
    expect(next.items.map((m) => m.matchId)).toEqual([chains.payload, odd]);
    expect(next).toMatchObject({ moreBefore: true, moreAfter: false });
    expect(next.items[0]).toMatchObject({
      chain: 'Web service shell fetches and runs a payload',
      hostname: 'node-1',
      containerId: '3f9a1c0e2b7d',
      lastExecId: chains.execs.x,
    });
  });

  it('reads the steps with their execs and renders the lineage path from exec rows', () => {
    const steps = source.chainSteps(chains.payload).items;
    expect(steps.map((s) => [s.step, s.execId, s.name, s.pid])).toEqual([
      ['shell', chains.execs.sh, 'sh', 4001],
      ['fetch', chains.execs.curl, 'curl', 4002],
      ['run', chains.execs.x, 'x', 4005],
    ]);
    expect(steps.map((s) => pathText(s.path))).toEqual(['nginx,2351 → sh,4001', 'sh,4001 → curl,4002', 'sh,4001 → x,4005']);
  });

  it('bounds a long path, and survives a malformed path and a missing exec', () => {
    const [deep, broken, gone] = source.chainSteps(odd).items;
    expect(deep!.path).toHaveLength(3 + 1 + 6);
    // the same process through several images shows once, as `chains run` prints it
    expect(pathText(deep!.path)).toBe('nginx,2351 → sh,4001 → … 11 more … → sh,4001 → x,4005');
    expect(broken!.path).toEqual([]);
    expect(gone).toMatchObject({ execId: 999999, pid: null, name: null });
    expect(pathText(gone!.path)).toBe('curl,4002 → exec 999999?');
  });
});

describe('exec detail', () => {
  it('names the chain matches an exec is a step of', () => {
    const x = source.execDetail(chains.execs.x);
    expect(x?.chainSteps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ chain: 'Web service shell fetches and runs a payload', step: 'run' }),
        expect.objectContaining({ chain: 'odd', step: 'deep' }),
      ]),
    );
    const curl = source.execDetail(chains.execs.curl);
    expect(curl?.chainSteps.map((c) => `${c.chain}/${c.step}`)).toEqual(['Web service shell fetches and runs a payload/fetch', 'odd/broken']);
    expect(source.execDetail(chains.execs.nginx)?.chainSteps).toEqual([]);
  });
});
