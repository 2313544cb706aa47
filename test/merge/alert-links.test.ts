import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContainersPage } from '../../src/tui/data/case-overview.js';
import { HAVE_DATASETS, newCase, sample } from '../readers/sample-case.js';
import { runCli } from '../support/run-cli.js';
import { buildCapture, dockerCgroups } from '../support/scap-writer/capture-builder.js';

const CID = 'c010f5a08549441fb384b5e9ede5a4e4122381543d5213298164215f9a257300';
const START = 1_700_000_000_000_000_000n;

describe('imported Falco alerts are tied to what they name', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  it.skipIf(!HAVE_DATASETS)('falco.org sample alerts: each named container shows its alert', async () => {
    c = newCase();
    await c.import(sample('falco-doc-samples/falco-website-alerts.jsonl'));
    const page = loadContainersPage(c.db, 0, 50);
    expect(page.items.length).toBe(8);
    for (const item of page.items) expect(item.alertCount, item.containerId).toBe(1);
    const listed = JSON.parse(runCli(['containers', '--db', c.db.name, '--json']).stdout) as { id: string; alerts: number }[];
    expect(listed.find((r) => r.id === 'ee97d9c4186f')?.alerts).toBe(1);
  });

  it('an alert naming proc.pid, proc.name and a time ties to that process of an earlier capture, adding no process', async () => {
    c = newCase();
    const scap = c.path('node.scap');
    writeFileSync(
      scap,
      buildCapture(
        {
          hostname: 'node-1',
          startTs: START,
          threads: [
            { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init' },
            { tid: 2300, pid: 2300, ptid: 1, comm: 'containerd-shim', exe: '/usr/bin/containerd-shim' },
            { tid: 2330, pid: 2330, ptid: 2300, comm: 'nginx', exe: 'nginx', vtid: 1, vpid: 1, cgroups: dockerCgroups(CID) },
          ],
        },
        (b) => {
          b.tick();
          b.fork(2330, 2400, { vtid: 9, vpid: 9 });
          b.tick();
          b.exec(2400, { exepath: '/bin/sh', args: ['-i'] });
          b.tick(1_000_000_000n);
          b.filler(2400, 1);
        },
      ),
    );
    await c.import(scap);
    const before = c.db.prepare('SELECT count(*) FROM processes').pluck().get();
    const alertTime = START + 500_000_000n;
    const alerts = c.path('alerts.jsonl');
    writeFileSync(
      alerts,
      `{"hostname":"node-1","output":"Notice A shell was spawned in a container","priority":"Notice","rule":"Terminal shell in container","source":"syscall","time":"2023-11-14T22:13:20.5Z","output_fields":{"evt.time":${alertTime},"proc.pid":2400,"proc.vpid":9,"proc.name":"sh","proc.cmdline":"sh -i","container.id":"${CID.slice(0, 12)}"}}\n`,
    );
    await c.import(alerts);
    expect(c.db.prepare('SELECT count(*) FROM processes').pluck().get()).toBe(before);
    const tied = c.db
      .prepare(`SELECT e.pid, e.name, e.kind, l.container_id FROM alerts a JOIN execs e ON e.exec_id = a.exec_id
                JOIN alert_links l ON l.alert_id = a.alert_id`)
      .all();
    expect(tied).toEqual([{ pid: 2400n, name: 'sh', kind: 'exec', container_id: CID.slice(0, 12) }]);
    const page = loadContainersPage(c.db, 0, 10);
    expect(page.items.find((i) => i.containerId === CID.slice(0, 12))?.alertCount).toBe(1);
  });
});
