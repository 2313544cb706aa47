import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** Seconds of CPU a process and the children it reaped have used (utime, stime, cutime, cstime). */
function processCpu(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): state is field 3; utime is 14.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return ticks / 100; // USER_HZ on Linux
  } catch {
    return 0; // the process ended between listing and reading
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * A reader of the CPU seconds a local PostgreSQL server has used so far: its postmaster, with the
 * backends it has reaped, plus the processes still running under it. Null when the server is not
 * on this machine or its data directory cannot be read (the benchmark then shows wall time only).
 */
export async function pgServerCpu(url: string): Promise<(() => number) | null> {
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    const dir = String((await c.query('SHOW data_directory')).rows[0]?.data_directory ?? '');
    const pid = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!(pid > 0) || !existsSync(`/proc/${pid}/task/${pid}/children`)) return null;
    return () => processCpu(pid) + childrenOf(pid).reduce((sum, child) => sum + processCpu(child), 0);
  } catch {
    return null;
  } finally {
    await c.end().catch(() => {});
  }
}
