import { afterEach, describe, expect, it } from 'vitest';
import { HAVE_DATASETS, newCase, sample } from '../readers/sample-case.js';

const LOG4SHELL = 'otrf/log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json';

describe.skipIf(!HAVE_DATASETS)('inferred processes take the names the records give', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  const inferred = (pid: number) =>
    c.db.prepare(`SELECT p.origin, e.kind, e.name, e.exepath FROM processes p JOIN execs e ON e.exec_id = p.first_exec_id WHERE p.pid = ?`).all(pid);

  it('audit: the clone caller is named by the clone record comm and exe', async () => {
    c = newCase();
    await c.import(sample('laurel-testdata/shell-proc-trace.txt'), { readerOptions: { host: 'laurel' } });
    expect(inferred(71432)).toEqual([{ origin: 'inferred', kind: 'inferred', name: 'bash', exepath: '/usr/bin/bash' }]);
  });

  it('Sysmon: the parent is named by ParentImage', async () => {
    c = newCase();
    await c.import(sample(LOG4SHELL));
    const [java] = inferred(1340) as { origin: string; kind: string; name: string; exepath: string }[];
    expect(java).toMatchObject({ origin: 'inferred', kind: 'inferred' });
    expect(java!.exepath).toMatch(/java$/);
    expect(java!.name).toBe('java');
  });

  it('Tetragon: the parent is named by its parent object', async () => {
    c = newCase();
    await c.import(sample('tetragon/docs-sec-obs-ch3/00_process_lifecycle/lifecycle_sh_process_exec.json'));
    expect(inferred(24200)).toEqual([{ origin: 'inferred', kind: 'inferred', name: 'bash', exepath: '/bin/bash' }]);
  });
});
