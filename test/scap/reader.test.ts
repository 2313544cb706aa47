import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { LineageEvent } from '../../src/events/lineage-event.js';
import type { CaptureInfo, ImportWarning } from '../../src/capture/reader.js';
import { scapReader } from '../../src/capture/scap/scap-reader.js';
import { podFromDockerName } from '../../src/capture/scap/container-meta.js';
import { capabilityNames } from '../../src/capture/scap/capabilities.js';
import { CAPTURES_DIR, HAVE_CAPTURES } from './shared-captures.js';

async function read(chunks: Buffer[]): Promise<{ events: LineageEvent[]; info: CaptureInfo; warnings: ImportWarning[] }> {
  const events: LineageEvent[] = [];
  const info: CaptureInfo = {};
  const warnings: ImportWarning[] = [];
  const ctx = {
    file: 'x.scap',
    skipBad: false,
    options: {},
    warn: (w: ImportWarning) => warnings.push(w),
    markTruncated: () => {},
    setCaptureInfo: (i: CaptureInfo) => Object.assign(info, i),
  };
  for await (const batch of scapReader.read({ stream: Readable.from(chunks), path: 'x.scap', siblings: [] }, ctx)) events.push(...batch);
  return { events, info, warnings };
}

function capture(name: string): Buffer {
  const raw = readFileSync(join(CAPTURES_DIR, name));
  return raw[0] === 0x1f ? gunzipSync(raw) : raw;
}

const json = (evs: LineageEvent[]): string => JSON.stringify(evs, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

describe.skipIf(!HAVE_CAPTURES)('scap reader on the real captures', () => {
  it('yields the same events whatever the chunk boundaries', async () => {
    const buf = capture('sfcollector__alpine_alpine.scap');
    const whole = await read([buf]);
    let seed = 1;
    const chunks: Buffer[] = [];
    for (let at = 0; at < buf.length; ) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = 1 + (seed % 3000);
      chunks.push(buf.subarray(at, at + n));
      at += n;
    }
    const split = await read(chunks);
    expect(split.events.length).toBe(whole.events.length);
    expect(json(split.events)).toBe(json(whole.events));
  });

  it('yields the same events from chunks read into one reused buffer, whatever the boundaries', async () => {
    const buf = capture('sfcollector__alpine_alpine.scap');
    const whole = await read([buf]);
    const memory = Buffer.alloc(3000);
    async function* reused(): AsyncGenerator<Buffer> {
      let seed = 7;
      for (let at = 0; at < buf.length; ) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const n = Math.min(1 + (seed % memory.length), buf.length - at);
        buf.copy(memory, 0, at, at + n);
        yield memory.subarray(0, n);
        memory.fill(0xee); // what the next read would overwrite: nothing may still point here
        at += n;
      }
    }
    const events: LineageEvent[] = [];
    const ctx = { file: 'x.scap', skipBad: false, options: {}, warn: () => {}, markTruncated: () => {}, setCaptureInfo: () => {} };
    for await (const batch of scapReader.read({ stream: reused(), path: 'x.scap', siblings: [] }, ctx)) events.push(...batch);
    expect(events.length).toBe(whole.events.length);
    expect(json(events)).toBe(json(whole.events));
  });

  it('reads SHB 1.0 with v1 event headers, PL_V5, UL and the machine name (libs__curl_google)', async () => {
    const { events, info } = await read([capture('libs__curl_google.scap')]);
    expect(info).toMatchObject({ formatVersion: 'scap SHB 1.0' });
    expect(typeof info.host).toBe('string');
    const snaps = events.filter((e) => e.kind === 'snapshot');
    expect(snaps.length).toBeGreaterThan(50);
    const bash = snaps.find((e) => e.kind === 'snapshot' && e.pid === 3200);
    expect(bash).toMatchObject({ comm: 'bash', ppid: expect.any(Number) });
    const exec = events.find((e) => e.kind === 'exec');
    expect(exec).toMatchObject({ pid: 17497, ppid: 3200, comm: 'curl', args: ['-6', 'http://www.google.com'], ok: true, evtNum: 211 });
    expect(events.some((e) => e.kind === 'user' && e.uid === 0 && e.name === 'root')).toBe(true);
  });

  it('skips pcapng options in the section header and inside an event block (libs__curl_google_comments)', async () => {
    const plain = await read([capture('libs__curl_google.scap')]);
    const edited = await read([capture('libs__curl_google_comments.scap')]);
    expect(json(edited.events.filter((e) => e.kind !== 'hostinfo' && e.kind !== 'snapshot' && e.kind !== 'user').map((e) => ({ ...e, pos: undefined })))).toBe(
      json(plain.events.filter((e) => e.kind !== 'hostinfo' && e.kind !== 'snapshot' && e.kind !== 'user').map((e) => ({ ...e, pos: undefined }))),
    );
  });

  it('numbers events as sysdig 0.29.3 does, skipping types it does not know (libs__sample: 572 blocks, 477 numbered)', async () => {
    // rename_rename has types 354/358 before its execve: evt.num 2370 only holds if they are not counted
    const { events } = await read([capture('sfcollector__rename_rename.scap')]);
    const exec = events.find((e) => e.kind === 'exec');
    expect(exec?.evtNum).toBe(2370);
    expect(exec).toMatchObject({ comm: 'mv', args: ['/tmp/test1', '/tmp/test2'] });
  });

  it('decodes procexit with 4 parameters and CONTAINER_JSON_2 in an EV_V2_LARGE block', async () => {
    const { events } = await read([capture('sfcollector__rename_rename.scap')]);
    expect(events.filter((e) => e.kind === 'exit')).toHaveLength(1);
    expect(events.find((e) => e.kind === 'container')).toMatchObject({ id: 'cdde3b8b16ab', name: 'sysdig', image: 'sysdig/sysdig', privileged: true });
  });

  it('derives Kubernetes pod and namespace from dockershim container names (instruqt capture)', async () => {
    const { events } = await read([capture('instruqt__ticket-generator-http-error-b841f454.scap')]);
    const server = events.find((e) => e.kind === 'container' && e.name?.startsWith('k8s_ticket-server_'));
    expect(server).toMatchObject({
      podName: 'ticket-server-56c75bf88b-kr8jb',
      podNamespace: 'ticket-generator',
      podUid: '1ea09279-2542-11e9-ad97-02bee12446f6',
    });
  });
});

describe('scap decoding helpers', () => {
  it('parses both dockershim name forms and rejects other names', () => {
    expect(podFromDockerName('k8s_nginx.28ee2ec4_nginx-3449338310-q9saj_default_0d5485a2-9f2b_69b16510')).toEqual({
      pod: 'nginx-3449338310-q9saj',
      namespace: 'default',
      uid: '0d5485a2-9f2b',
    });
    expect(podFromDockerName('/k8s_db_db-1_voting_u-2_0')).toEqual({ pod: 'db-1', namespace: 'voting', uid: 'u-2' });
    expect(podFromDockerName('hopeful_taussig')).toBeUndefined();
  });

  it('names capability bits', () => {
    expect(capabilityNames(0n)).toBe('');
    expect(capabilityNames((1n << 0n) | (1n << 21n) | (1n << 63n))).toBe('CAP_CHOWN CAP_SYS_ADMIN CAP_63');
  });
});
