import { describe, expect, it } from 'vitest';
import { parseAuditLine } from '../../src/capture/audit/record-parser.js';

const record = (line: string) => {
  const r = parseAuditLine(line);
  if (r === null || r === 'skip') throw new Error(`no record: ${line}`);
  return r;
};

describe('audit record lines: the header read by hand and by the pattern agree', () => {
  it('plain, node= and tab-separated headers; the ms part padded or cut to three digits', () => {
    expect(record('type=SYSCALL msg=audit(1700000003.5:30): pid=1')).toMatchObject({
      type: 'SYSCALL',
      node: undefined,
      key: '|1700000003.5:30',
      tsNs: 1700000003500000000n,
    });
    expect(record('node=n2\ttype=CWD\tmsg=audit(1700000003.1234:31):\tcwd="/x"')).toMatchObject({
      node: 'n2',
      key: 'n2|1700000003.1234:31',
      tsNs: 1700000003123000000n,
    });
    expect(record('type=1307 audit(1700000003.12:32): cwd="/"').type).toBe('CWD');
    // A prefix before the header (syslog, kmsg) and an empty node= leave it to the pattern.
    expect(record('Nov 10 host kernel: audit: type=1300 audit(1700000001.5:11): pid=2')).toMatchObject({ type: 'SYSCALL', tsNs: 1700000001500000000n });
    expect(record('node= type=SYSCALL msg=audit(1700000003.120:33): pid=3')).toMatchObject({ node: undefined, key: '|1700000003.120:33' });
    expect(() => parseAuditLine('type=SYSCALL msg=audit(1700000003.:35): pid=4')).toThrow('not an audit record');
    expect(parseAuditLine('type=USER_LOGIN msg=audit(1700000003.1:36): pid=1')).toBe('skip');
  });

  it('keeps the fields the lineage reads, and still refuses a bad value in one it does not keep', () => {
    const r = record('type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=59 items=2 pid=7 comm=2F6120 key=(null) subj==unconfined exe="/a b"');
    expect(r.fields.get('pid')).toBe('7');
    expect(r.fields.get('comm')).toBe('/a ');
    expect(r.fields.get('exe')).toBe('/a b');
    expect(r.fields.get('items')).toBeUndefined();
    expect(() => parseAuditLine('type=SYSCALL msg=audit(1.0:1): pid=7 key=4G')).toThrow('key: expected a quoted string or hex, got 4G');
    expect(() => parseAuditLine('type=SYSCALL msg=audit(1.0:1): pid=7 name=\u0010\u0011')).toThrow('name: expected a quoted string or hex');
    expect(() => parseAuditLine('type=SYSCALL msg=audit(1.0:1): pid=7 subj="open')).toThrow('unterminated quoted value for subj');
  });

  it('EXECVE keeps every argument; ENRICHED fields after 0x1D are read apart', () => {
    const e = record('type=EXECVE msg=audit(1.0:1): argc=3 a0="sh" a1=2D63 a2_len=8 a2[0]=6C73 a2[1]="-la"');
    expect([...e.fields]).toEqual([
      ['argc', '3'],
      ['a0', 'sh'],
      ['a1', '-c'],
      ['a2_len', '8'],
      ['a2[0]', 'ls'],
      ['a2[1]', '-la'],
    ]);
    const s = record('type=SYSCALL msg=audit(1.0:2): pid=1 uid=0\u001dUID="root" SYSCALL=execve ARCH=x86_64');
    expect(s.fields.get('uid')).toBe('0');
    expect(s.fields.get('UID')).toBeUndefined();
    expect(s.enriched?.get('UID')).toBe('root');
    expect(s.enriched?.get('SYSCALL')).toBe('execve');
  });
});
