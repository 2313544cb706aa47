import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-case.js';
import { cli, STORY_JSONL } from './support.js';

/** An explicit --depth that leaves levels out says so; one that cuts nothing says nothing. */
describe('--depth never cuts silently', () => {
  const tmp = tempDir('pedigree-depth-cut-');
  const db = tmp.path('case.db');

  beforeAll(async () => {
    expect((await cli(['import', STORY_JSONL, '--db', db, '-q'])).code).toBe(0);
  }, 60_000);
  afterAll(() => tmp.cleanup());

  const depths = (json: string): number[] => (JSON.parse(json) as { depth: number }[]).map((r) => r.depth);

  it('tree --depth N names the depth and how to lift it; --json adds "truncated": true with the depth', async () => {
    const text = await cli(['tree', '--depth', '1', '--db', db]);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('pedigree: showing 1 level below each root (--depth 1); more levels exist (raise --depth, or leave it out for every level)\n');
    const json = await cli(['tree', '--depth', '1', '--json', '--db', db]);
    expect(Math.max(...depths(json.stdout))).toBe(1);
    expect(JSON.parse(json.stderr)).toEqual({ truncated: true, depth: 1, unit: 'levels', lift: ['--depth'] });
    const whole = await cli(['tree', '--depth', '50', '--json', '--db', db]);
    expect(whole.stderr).toBe('');
    expect(Math.max(...depths(whole.stdout))).toBeGreaterThan(1);
  });

  it('descendants --depth N says so too', async () => {
    const r = await cli(['descendants', '--pid', '2330', '--depth', '1', '--json', '--db', db]);
    expect(r.code).toBe(0);
    expect(Math.max(...depths(r.stdout))).toBe(1);
    expect(JSON.parse(r.stderr)).toEqual({ truncated: true, depth: 1, unit: 'levels', lift: ['--depth'] });
    expect((await cli(['descendants', '--pid', '2330', '--depth', '50', '--db', db])).stderr).toBe('');
  });

  it('ancestors --depth N stops N levels up and says the older ones exist', async () => {
    const r = await cli(['ancestors', '--pid', '4004', '--depth', '2', '--json', '--db', db]);
    expect(r.code).toBe(0);
    expect(depths(r.stdout)).toEqual([0, 1, 2]);
    expect(JSON.parse(r.stderr)).toEqual({ truncated: true, depth: 2, unit: 'levels', lift: ['--depth'] });
    const text = await cli(['ancestors', '--pid', '4004', '--depth', '2', '--db', db]);
    expect(text.stderr).toBe('pedigree: showing 2 levels above the exec (--depth 2); more levels exist (raise --depth, or leave it out for every level)\n');
    const all = await cli(['ancestors', '--pid', '4004', '--depth', '50', '--json', '--db', db]);
    expect(all.stderr).toBe('');
    expect(depths(all.stdout).length).toBeGreaterThan(3);
  });
});
