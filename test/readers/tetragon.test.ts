import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/util/errors.js';
import { HAVE_DATASETS, edges, newCase, proc, processes, sample } from './sample-case.js';

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? jsonFiles(p) : p.endsWith('.json') ? [p] : [];
  });
}

describe.skipIf(!HAVE_DATASETS)('Tetragon reader on the cilium/tetragon samples', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  it('testdata/events.json: three pod processes under their containerd shims, with pods and containers', async () => {
    c = newCase();
    const r = await c.import(sample('tetragon/testdata/events.json'));
    expect(r.format).toBe('tetragon');
    const ps = processes(c.db);
    expect(edges(ps)).toEqual(['68578>68920', '68598>68790', '68635>68862']);
    expect(proc(ps, 68862).images.at(-1)!.cmdline).toBe('starwars-docker --port 80 --host 0.0.0.0');
    expect(proc(ps, 68635).images[0]!.exepath).toBe('/usr/bin/containerd-shim-runc-v2');
    const containers = c.db.prepare('SELECT container_id, full_id, name, image, pod_name, pod_namespace, runtime FROM containers ORDER BY container_id').all();
    expect(containers).toEqual([
      expect.objectContaining({
        container_id: '16ecce28d680',
        name: 'deathstar',
        pod_name: 'deathstar-6f87496b94-qdlh8',
        pod_namespace: 'default',
        runtime: 'containerd',
        image: 'docker.io/cilium/starwars:latest',
      }),
      expect.objectContaining({ container_id: '19a02291e106', name: 'spaceship', pod_name: 'tiefighter', runtime: 'containerd' }),
      expect.objectContaining({ name: 'deathstar', pod_namespace: 'default' }),
    ]);
    const vpid = c.db.prepare("SELECT vpid, container_id FROM execs WHERE pid = 68862 AND kind = 'exec'").get();
    expect(vpid).toEqual({ vpid: 1n, container_id: '16ecce28d680' });
    // the shim runs on the host
    expect(c.db.prepare('SELECT container_id FROM execs WHERE pid = 68635').get()).toEqual({ container_id: null });
  });

  it('every pretty-printed chapter-3 event imports on its own', async () => {
    c = newCase();
    const files = jsonFiles(sample('tetragon/docs-sec-obs-ch3'));
    expect(files).toHaveLength(40);
    for (const f of files) {
      const r = await c.import(f);
      expect(r.format, f).toBe('tetragon');
      // A file about a process an earlier file already showed extends it instead of adding rows.
      expect(r.processes + r.execs + (r.execsKnown ?? 0), f).toBeGreaterThan(0);
    }
  });

  it('the lifecycle story (events in time order): sh lifecycle.sh runs cat and nc in the elasticsearch pod', async () => {
    c = newCase();
    const dir = sample('tetragon/docs-sec-obs-ch3/00_process_lifecycle');
    const events = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .sort((a, b) => (JSON.parse(a) as { time: string }).time.localeCompare((JSON.parse(b) as { time: string }).time));
    const file = c.path('lifecycle.json');
    writeFileSync(file, events.join('\n'));
    await c.import(file);
    const ps = processes(c.db);
    expect(edges(ps)).toEqual(expect.arrayContaining(['38312>38313', '38312>38314']));
    expect(proc(ps, 38313).images.at(-1)!.cmdline).toBe('cat /usr/share/elasticsearch/config/elasticsearch.keystore');
    expect(proc(ps, 38313).exitCode).toBe(0);
    expect(proc(ps, 38314).images.at(-1)!.cmdline).toMatch(/^nc raiz3gjkgtfhkkc/);
    const pod = c.db.prepare("SELECT pod_name, pod_namespace, name FROM containers WHERE container_id = 'e6af4dff4ea3'").get();
    expect(pod).toEqual({ pod_name: 'elasticsearch-56f8fc6988-65smb', pod_namespace: 'tenant-jobs', name: 'elasticsearch' });
    expect(proc(ps, 38313).images.at(-1)).toBeDefined();
    expect(c.db.prepare('SELECT DISTINCT container_id FROM execs WHERE pid IN (38312, 38313, 38314)').all()).toEqual([{ container_id: 'e6af4dff4ea3' }]);
  });

  it('the privileged-pod escape: nsenter into the host namespaces, then bash', async () => {
    c = newCase();
    const dir = sample('tetragon/docs-sec-obs-ch3/03_security_observability_events/01_reaching_the_host_namespace');
    const file = c.path('escape.json');
    writeFileSync(
      file,
      ['privileged-pod-init.json', 'privileged-pod-nsenter.json', 'host-namespace-bash.json'].map((f) => readFileSync(join(dir, f), 'utf8')).join('\n'),
    );
    await c.import(file);
    const ps = processes(c.db);
    const nsenter = ps.find((p) => p.images.some((i) => i.exepath?.endsWith('/nsenter')))!;
    expect(nsenter.images.at(-1)!.cmdline).toContain('-t 1 -m -u -n -i -p bash');
    expect(ps.find((p) => p.parentPid === nsenter.pid)!.images.at(-1)!.exepath).toMatch(/bash$/);
    const pod = c.db.prepare("SELECT pod_name, pod_namespace FROM containers WHERE name = 'privileged-pod'").get();
    expect(pod).toEqual({ pod_name: 'privileged-pod', pod_namespace: 'default' });
    const caps = c.db.prepare("SELECT cap_effective FROM execs WHERE pid = ? AND kind = 'exec'").get(nsenter.pid) as { cap_effective: string };
    expect(caps.cap_effective.split(' ')).toContain('CAP_SYS_ADMIN');
  });

  it('a damaged line names file and line', async () => {
    c = newCase();
    const lines = readFileSync(sample('tetragon/testdata/events.json'), 'utf8').trim().split('\n');
    lines[1] = lines[1]!.slice(0, 200);
    const file = c.path('bad.json');
    writeFileSync(file, lines.join('\n'));
    const err = await c.import(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).location).toEqual({ file, line: 2 });
    const r = await c.import(file, { skipBad: true });
    expect(r.warnings).toBe(1);
    expect(r.processes).toBe(4);
  });
});
