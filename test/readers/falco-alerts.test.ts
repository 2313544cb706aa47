import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/util/errors.js';
import { HAVE_DATASETS, edges, newCase, proc, processes, sample } from './sample-case.js';

const ALERTS = 'falco-doc-samples/falco-website-alerts.jsonl';

describe.skipIf(!HAVE_DATASETS)('Falco JSON alert reader', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  it('imports the 14 website alerts with their containers and pods; none names a pid, so no processes', async () => {
    c = newCase();
    const r = await c.import(sample(ALERTS));
    expect(r.format).toBe('falco-alerts');
    expect(r.processes).toBe(0);
    const alerts = c.db.prepare('SELECT rule, priority, source, time_ns, output, exec_id FROM alerts ORDER BY alert_id').all() as Record<string, unknown>[];
    expect(alerts).toHaveLength(14);
    expect(alerts.filter((a) => a.source === 'k8s_audit')).toHaveLength(6);
    const kubecon = alerts.find((a) => a.time_ns === 1685022245478445995n)!;
    expect(kubecon).toMatchObject({ rule: 'Terminal shell in container', priority: 'Critical', exec_id: null });
    expect(String(kubecon.output)).toMatch(/^A shell was spawned in a container with an attached terminal \(user=root/);
    const pod = c.db.prepare("SELECT pod_name, pod_namespace, image_repository FROM containers WHERE container_id = 'ee97d9c4186f'").get();
    expect(pod).toEqual({ pod_name: 'kubecon', pod_namespace: 'default', image_repository: 'docker.io/library/alpine' });
    const fields = JSON.parse(String(c.db.prepare('SELECT output_fields_json FROM alerts WHERE time_ns = ?').pluck().get(1685022245478445995n))) as Record<
      string,
      unknown
    >;
    expect(fields['proc.pname']).toBe('runc');
  });

  it('an alert with the append_output lineage fields yields the process and its ancestors', async () => {
    c = newCase();
    // The documented kubecon alert, with the fields capture-formats.md §1 recommends appending.
    const line = readFileSync(sample(ALERTS), 'utf8')
      .split('\n')
      .find((l) => l.includes('"hostname":"falco-xczjd"'))!;
    const extra =
      '"proc.pid":4711,"proc.ppid":4700,"proc.vpid":7,"proc.apid[2]":4690,"proc.aname[2]":"containerd-shim","proc.exepath":"/bin/busybox","container.full_id":"ee97d9c4186f1c0f3e8c8a2f5e2a4b9d3c1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a",';
    const enriched = line.replace('"output_fields": {', `"output_fields": {${extra}`);
    const file = c.path('alerts.jsonl');
    writeFileSync(file, `${enriched}\n${enriched}\n`);
    await c.import(file);
    const ps = processes(c.db);
    expect(edges(ps)).toEqual(['4690>4700', '4700>4711']);
    const sh = proc(ps, 4711);
    expect(sh.images[0]).toMatchObject({ kind: 'snapshot', name: 'sh', exepath: '/bin/busybox', cmdline: 'sh -c clear; (bash || ash || sh)' });
    expect(proc(ps, 4700).images[0]!.name).toBe('runc');
    expect(proc(ps, 4690).images[0]!.name).toBe('containerd-shim');
    const row = c.db.prepare('SELECT vpid, container_id FROM execs WHERE pid = 4711').get();
    expect(row).toEqual({ vpid: 7n, container_id: 'ee97d9c4186f' });
    const linked = c.db.prepare('SELECT count(*) FROM alerts WHERE exec_id IS NOT NULL').pluck().get();
    expect(linked).toBe(2n);
  });

  it('a damaged line names file and line', async () => {
    c = newCase();
    const lines = readFileSync(sample(ALERTS), 'utf8').trim().split('\n');
    lines.splice(2, 0, '{"rule":"x","priority":');
    const file = c.path('bad.jsonl');
    writeFileSync(file, lines.join('\n'));
    const err = await c.import(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).location).toEqual({ file, line: 3 });
    const r = await c.import(file, { skipBad: true });
    expect(r.warnings).toBe(2); // and one naming the default host
    expect(c.db.prepare('SELECT count(*) FROM alerts WHERE capture_id = ?').pluck().get(r.captureId)).toBe(14n);
  });
});
