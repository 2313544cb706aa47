import { describe, expect, it } from 'vitest';
import { decimalSecondsToNs, epochToNs, isoToNs } from '../../src/capture/time-parse.js';

const S = 1_000_000_000n;
const at = (y: number, mo: number, d: number, h: number, mi: number, s: number): bigint => BigInt(Date.UTC(y, mo - 1, d, h, mi, s) / 1000) * S;

/** Times as the text formats write them, to the nanosecond, whatever path reads them. */
describe('time notations', () => {
  it('ISO 8601 in every shape the readers meet', () => {
    const base = at(2023, 4, 27, 15, 24, 5);
    expect(isoToNs('2023-04-27T15:24:05.526123456Z')).toBe(base + 526_123_456n);
    expect(isoToNs('2023-04-27T15:24:05.5Z')).toBe(base + 500_000_000n);
    expect(isoToNs('2023-04-27 15:24:05.123')).toBe(base + 123_000_000n); // Sysmon UtcTime: no zone, UTC
    expect(isoToNs('2023-04-27T15:24:05,25z')).toBe(base + 250_000_000n);
    expect(isoToNs('2023-04-27T15:24:05')).toBe(base);
    expect(isoToNs(' 2023-04-27T15:24:05Z ')).toBe(base);
    expect(isoToNs('2023-04-27T17:24:05.1+02:00')).toBe(base + 100_000_000n);
    expect(isoToNs('2023-04-27T13:24:05-0200')).toBe(base);
    expect(isoToNs('1969-12-31T23:59:59.5Z')).toBe(-500_000_000n);
    expect(isoToNs('2023-04-27T15:24:05.1234567890Z')).toBeUndefined();
    expect(isoToNs('2023-04-27X15:24:05Z')).toBeUndefined();
    expect(isoToNs('2023-4-27T15:24:05Z')).toBeUndefined();
  });

  it('epoch numbers by magnitude, and decimal seconds, exactly', () => {
    expect(decimalSecondsToNs('1795879779.049343')).toBe(1_795_879_779_049_343_000n);
    expect(decimalSecondsToNs('1795879779')).toBe(1_795_879_779n * S);
    expect(epochToNs('1795879797')).toBe(1_795_879_797n * S);
    expect(epochToNs('1795879797123')).toBe(1_795_879_797_123_000_000n);
    expect(epochToNs('1795879797123456')).toBe(1_795_879_797_123_456_000n);
    expect(epochToNs('1795879797123456789')).toBe(1_795_879_797_123_456_789n);
    expect(epochToNs('17958.5x')).toBeUndefined();
  });
});
