import { fileURLToPath } from 'node:url';
import { compileChains, evaluableChains, selectChains } from '../../src/chains/chainset.js';
import type { ChainMatch } from '../../src/chains/run/chain-match.js';
import { runCompiledChains } from '../../src/chains/run/chain-runner.js';
import { openCaseForWrite, openCaseReadOnly } from '../../src/db/open.js';
import { importFile } from '../../src/importer/import-file.js';
import { mergeAcrossSources } from '../../src/importer/merge-sources.js';
import { loadRulesFiles } from '../../src/rules/loader/load-rules.js';
import { tempDir } from '../support/temp-case.js';
import type { Story } from './story.js';

export const BUNDLED_CHAINS = fileURLToPath(new URL('../../rules/chains.yaml', import.meta.url));

/** Imports the inputs into a fresh case (as `pedigree import` does) and runs the chain rules of `rulesFiles` on it. */
export async function chainMatches(inputs: (string | Story)[], rulesFiles: string[] = [BUNDLED_CHAINS]): Promise<ChainMatch[]> {
  const tmp = tempDir('pedigree-chains-');
  try {
    const dbPath = tmp.path('case.db');
    const db = openCaseForWrite(dbPath);
    try {
      let n = 0;
      for (const input of inputs) {
        const file = typeof input === 'string' ? input : input.write(tmp.path(`story-${n++}.jsonl`));
        await importFile(db, file, { afterWrite: mergeAcrossSources });
      }
    } finally {
      db.close();
    }
    const compiled = evaluableChains(compileChains(selectChains(loadRulesFiles(rulesFiles))));
    const ro = openCaseReadOnly(dbPath);
    try {
      return runCompiledChains(ro, compiled).matches;
    } finally {
      ro.close();
    }
  } finally {
    tmp.cleanup();
  }
}

/** A match as `chain: step=name,pid …`, for assertions that read like the story. */
export function describeMatch(m: ChainMatch): string {
  return `${m.chain}: ${m.steps.map((s) => `${s.name}=${s.procName},${s.pid}`).join(' ')}`;
}
