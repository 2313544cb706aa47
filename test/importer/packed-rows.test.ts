import { describe, expect, it } from 'vitest';
import { PackedRowsBuilder, PackedRowsReader, type PackedRows } from '../../src/importer/packed-rows.js';
import { EXEC_ROW_COLUMNS, type Cell } from '../../src/importer/row-cells.js';
import type { ExecRow } from '../../src/linker/rows.js';

function exec(i: number): ExecRow {
  return {
    execId: i,
    processId: i,
    host: `host-${i % 3}`,
    kind: 'exec',
    parentExecId: i > 1 ? i - 1 : null,
    prevExecId: null,
    ts: 1732800000000000000n + BigInt(i),
    pid: 100 + i,
    tid: null,
    vpid: null,
    ppid: 99 + i,
    name: 'sh',
    exe: 'sh',
    exepath: `/bin/tool-${i % 7}`,
    args: `-c run-${i}`,
    argv: ['-c', `run-${i}`],
    cmdline: `sh -c run-${i}`,
    cwd: i % 2 === 0 ? '/srv' : `/home/u${i % 5}`,
    uid: 0,
    gid: 0,
    euid: null,
    loginuid: null,
    user: null,
    tty: null,
    sid: null,
    pgid: null,
    vpgid: null,
    env: [`N=${i % 11}`],
    cgroups: null,
    containerId: i % 4 === 0 ? null : `c0ffee00000${i % 4}`,
    exeWritable: null,
    exeUpperLayer: null,
    exeLowerLayer: null,
    exeFromMemfd: null,
    capPermitted: null,
    capEffective: null,
    capInheritable: null,
    res: 0,
    attemptExe: null,
    evtNum: null,
    evtType: 'execve',
    line: i,
    offset: null,
  };
}

const col = (name: (typeof EXEC_ROW_COLUMNS)[number]): number => EXEC_ROW_COLUMNS.indexOf(name);

describe('packed rows', () => {
  it('give every string cell the id of its own string, also across batches after the worker forgets its numbering', () => {
    // A tiny memory: the builder forgets its string numbers after almost every batch.
    const builder = new PackedRowsBuilder(40);
    const batches: PackedRows[] = [];
    for (let i = 1; i <= 300; i++) {
      builder.exec(exec(i));
      if (i % 25 === 0) batches.push(builder.take().rows);
    }
    expect(batches.filter((b) => b.stringsReset).length).toBeGreaterThan(5);

    const strings: string[] = [];
    const hosts: string[] = [];
    const written: Cell[][] = [];
    const reader = new PackedRowsReader({
      hostId: (name) => hosts.push(name),
      stringId: (value) => {
        const known = strings.indexOf(value);
        return known >= 0 ? known + 1 : strings.push(value);
      },
      containerIds: new Set(),
      execResolved: (cells) => written.push(cells.slice(0, EXEC_ROW_COLUMNS.length)),
      processResolved: () => {},
    });
    for (const b of batches) reader.write(b);

    expect(written.length).toBe(300);
    written.forEach((cells, n) => {
      const want = exec(n + 1);
      const text = (c: Cell): string | null => (c === null ? null : (strings[(c as number) - 1] as string));
      expect({
        host: hosts[(cells[col('host_id')] as number) - 1],
        exepath: text(cells[col('exepath_id')] as Cell),
        cwd: text(cells[col('cwd_id')] as Cell),
        env: text(cells[col('env_id')] as Cell),
        container: text(cells[col('container_sid')] as Cell),
        evtType: text(cells[col('evt_type_id')] as Cell),
        ts: cells[col('ts_ns')],
        cmdline: cells[col('cmdline')],
        parent: cells[col('parent_exec_id')],
      }).toEqual({
        host: want.host,
        exepath: want.exepath,
        cwd: want.cwd,
        env: (want.env as string[]).join('\0'),
        container: want.containerId,
        evtType: 'execve',
        ts: want.ts,
        cmdline: want.cmdline,
        parent: want.parentExecId,
      });
    });
  });
});
