import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseSource, type CaseSource } from '../../src/tui/data/case-source.js';
import { substringSearchSql } from '../../src/tui/data/search-query.js';
import { openCaseReadOnly } from '../../src/db/open.js';
import { execById } from '../../src/lineage/ancestry.js';
import { storyCase, type StoryCase } from './support/story-case.js';

let story: StoryCase;
let source: CaseSource;

beforeAll(async () => {
  story = storyCase();
  source = openCaseSource(story.dbPath);
});
afterAll(async () => {
  await source.close();
  story.cleanup();
});

describe('TUI data over the story case', () => {
  it('summarises the case from the small tables, and counts rows on the worker', async () => {
    const s = source.summary();
    const counts = await source.counts();
    expect(counts.processes).toBe(17);
    expect(counts.execs).toBe(11); // execve images only, as `pedigree execs --all` lists them
    expect([...counts.hostProcesses.values()]).toEqual([17]);
    expect(s.hosts.map((h) => h.hostname)).toEqual(['node-1']);
    expect(s.alertsByPriority).toEqual([
      { priority: 'Warning', count: 1 },
      { priority: 'Notice', count: 1 },
    ]);
    expect(s.hasChains).toBe(true); // import applies schema 003; the case has no matches yet
    expect(s.chainMatchCount).toBe(0);
  });

  it('counts processes and alerts per container', () => {
    const [c] = source.containers(0, 10).items;
    expect(c).toMatchObject({ containerId: '3f9a1c0e2b7d', name: 'nginx', podName: 'nginx-test', processCount: 8, alertCount: 2 });
  });

  it("pages a container's entry points and a parent's children by keyset", () => {
    const scope = source.containerScope('3f9a1c0e2b7d', 1);
    const roots = source.processes({ kind: 'roots', scope }, { after: null }, 10);
    expect(roots.items.map((r) => r.name)).toEqual(['nginx']);
    const sh = source.processOfExec(story.execs.sh) as number;
    const first = source.processes({ kind: 'children', parentProcessId: sh }, { after: null }, 2);
    expect(first.items.map((r) => r.name)).toEqual(['curl', 'wget']);
    expect(first.moreAfter).toBe(true);
    const next = source.processes({ kind: 'children', parentProcessId: sh }, { after: first.items[1]!.processId }, 2);
    expect(next.items.map((r) => r.name)).toEqual(['cat', 'x']);
    expect(next.moreAfter).toBe(false);
    const from = source.processes({ kind: 'children', parentProcessId: sh }, { from: next.items[0]!.processId }, 1);
    expect(from).toMatchObject({ moreBefore: true, moreAfter: true });
    expect(next.items[0]!.alerted).toBe(true);
  });

  it('gives the detail and the ancestry root first', () => {
    const d = source.execDetail(story.execs.cat)!;
    expect(d.ancestry.map((a) => a.name)).toEqual(['systemd', 'containerd-shim', 'nginx', 'nginx', 'sh', 'cat']);
    expect(d.images.at(-1)).toMatchObject({ kind: 'exec', name: 'cat', execId: story.execs.cat });
    expect(d.alerts).toEqual([{ rule: 'Read sensitive file untrusted', priority: 'Warning' }]);
    expect(d).toMatchObject({ exepath: '/usr/bin/cat', args: '/etc/shadow', podName: 'nginx-test' });
  });

  it('builds every detail from the lineage ExecNode, plus the columns only the pane shows', () => {
    const db = openCaseReadOnly(story.dbPath);
    try {
      const rows = db
        .prepare(`SELECT e.exec_id, e.args, e.gid, e.loginuid, e.tty, e.env, c.image, c.pod_namespace
          FROM execs e LEFT JOIN containers c ON c.container_id = e.container_id`)
        .all() as Record<string, unknown>[];
      expect(rows.length).toBeGreaterThan(15);
      const n = (v: unknown): number | null => (v === null ? null : Number(v));
      for (const r of rows) {
        const { args, gid, loginuid, tty, hasEnv, image, podNamespace, images, imagesMore, ancestry, alerts, chainSteps, ...node } = source.execDetail(
          Number(r.exec_id),
        )!;
        expect(node).toEqual(execById(db, Number(r.exec_id)));
        expect({ args, gid, loginuid, tty, hasEnv, image, podNamespace }).toEqual({
          args: r.args,
          gid: n(r.gid),
          loginuid: n(r.loginuid),
          tty: n(r.tty),
          hasEnv: r.env !== null,
          image: r.image,
          podNamespace: r.pod_namespace,
        });
        expect(ancestry.at(-1)?.execId).toBe(Number(r.exec_id));
        expect(images.some((i) => i.execId === Number(r.exec_id)) || imagesMore).toBe(true);
      }
      for (const column of ['args', 'gid', 'image', 'pod_namespace'])
        expect(
          rows.some((r) => r[column] !== null),
          column,
        ).toBe(true);
    } finally {
      db.close();
    }
  });

  it('searches names and command lines on the worker, in scope, without fork duplicates', async () => {
    const scope = source.containerScope('3f9a1c0e2b7d', 1);
    const { sql, params } = substringSearchSql('curl', scope);
    const res = await source.runQuery(sql, params, 100);
    const names = res.rows.map((r) => source.execDetail(Number(r[0]))!.name);
    expect(names).toContain('curl');
    expect(names.every((n) => n === 'curl' || n === 'sh')).toBe(true);
    expect(res.rows.length).toBeLessThan(5); // the four fork rows of sh would match too
    const host = source.hostScope(1);
    expect(await source.runQuery(substringSearchSql('shadow', host).sql, substringSearchSql('shadow', host).params, 100)).toMatchObject({ truncated: false });
  });

  it('search pages by keyset on exec id add up to one unbounded read; the whole case is every host', async () => {
    const all = await source.runQuery(substringSearchSql('-', null, null, 1000).sql, substringSearchSql('-', null, null, 1000).params, 1000);
    expect(all.rows.length).toBeGreaterThan(6);
    const paged: number[] = [];
    let after: number | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const q = substringSearchSql('-', null, after, 3);
      const res = await source.runQuery(q.sql, q.params, 3);
      paged.push(...res.rows.map((r) => Number(r[0])));
      expect(res.rows.length).toBeLessThanOrEqual(3);
      if (!res.truncated) break;
      after = paged[paged.length - 1] as number;
    }
    expect(paged).toEqual(all.rows.map((r) => Number(r[0])));
  });

  it("the worker opens the case as every reader does (pedigree's SQL functions are there)", async () => {
    const r = await source.runQuery("SELECT pedigree_basename('/usr/bin/curl') AS b", [], 1);
    expect(r.rows).toEqual([['curl']]);
  });

  it('refuses to write and bounds user SQL', async () => {
    await expect(source.runQuery('DELETE FROM alerts', [], 10)).rejects.toThrow(/read-only|only statements/);
    const r = await source.runQuery('SELECT exec_id FROM execs', [], 5);
    expect(r.rows).toHaveLength(5);
    expect(r.truncated).toBe(true);
  });

  it('finds a pid through the index, in scope', () => {
    const curl = source.execDetail(story.execs.curl)!;
    expect(source.pidMatches(curl.pid, source.containerScope('3f9a1c0e2b7d', 1)).map((m) => m.execId)).toEqual([story.execs.curl]);
  });
});
