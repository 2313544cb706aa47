import { describe, expect, it } from 'vitest';
import { containerIdFromCgroups } from '../../src/linker/container-id.js';

const hex = (n: number): string => n.toString(16).padStart(64, 'a');

describe('container ids from cgroups', () => {
  it('gives the same answer for an item asked again, in any list', () => {
    const docker = `cpuset=/docker/${hex(1)}`;
    const host = 'cpu=/user.slice';
    for (let round = 0; round < 3; round++) {
      expect(containerIdFromCgroups([docker])).toBe(hex(1).slice(0, 12));
      expect(containerIdFromCgroups([host])).toBeNull();
      expect(containerIdFromCgroups([host, docker])).toBe(hex(1).slice(0, 12));
      expect(containerIdFromCgroups([`/kubepods/burstable/pod1/cri-containerd-${hex(2)}.scope`, docker])).toBe(hex(2).slice(0, 12));
      expect(containerIdFromCgroups([])).toBeUndefined();
    }
  });

  it('stays right past the number of items it remembers', () => {
    for (let n = 0; n < 10_000; n++) {
      const item = n % 3 === 0 ? `cpu=/system.slice/s${n}.service` : `memory=/system.slice/docker-${hex(n)}.scope`;
      expect(containerIdFromCgroups([item])).toBe(n % 3 === 0 ? null : hex(n).slice(0, 12));
    }
    expect(containerIdFromCgroups([`cpuset=/docker/${hex(1)}`])).toBe(hex(1).slice(0, 12));
  });
});
