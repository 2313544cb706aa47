import { Command, Option } from 'commander';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCaseForWrite } from '../../db/open.js';
import { importFile } from '../../importer/import-file.js';
import { ancestorsOf } from '../../lineage/ancestry.js';
import { runBoundedQuery } from '../../db/sql-guard.js';
import { findCannedQuery } from '../../queries/canned.js';
import { printRows } from '../output.js';
import { withCase } from '../read-case.js';
import { loadTui } from '../load-tui.js';

const SAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'samples');

/** The bundled story: the .scap capture when present, else the JSON-lines one. */
export function demoCaptures(): string[] {
  const scap = join(SAMPLES, 'story.scap');
  return [existsSync(scap) ? scap : join(SAMPLES, 'story.jsonl')];
}

function seedRules(): string[] {
  const dir = join(SAMPLES, 'rules');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * `buildProgram` makes the whole command tree, which the demo runs its steps through; it is
 * passed in because the tree includes this command.
 */
export function makeDemoCommand(buildProgram: () => Promise<Command>): Command {
  const cmd = new Command('demo')
    .description('import the bundled sample (nginx pod spawns a shell), run the seed rule and the bundled chain rules, open the TUI (or print the answers)')
    .addOption(new Option('--db <path>', 'case database to (re)create').default('./pedigree-demo.db'))
    .addOption(new Option('--no-tui', 'print the answers even when stdout is a terminal'))
    .addOption(new Option('--report <file>', 'HTML report to write (default: the case path with .html)'));
  cmd.action(async (opts) => {
    // A case's WAL and shared-memory files belong to it: a stale WAL must not meet a new case.
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${opts.db}${suffix}`, { force: true });
    const db = openCaseForWrite(opts.db);
    try {
      for (const file of demoCaptures()) {
        const r = await importFile(db, file);
        process.stdout.write(`imported ${relative(process.cwd(), file)}: ${r.processes} processes, ${r.execs} images (${r.status})\n`);
      }
    } finally {
      db.close();
    }
    const program = await buildProgram();
    program.exitOverride();
    process.stdout.write('\n== Falco rules, run after the fact (samples/rules) ==\n');
    await program.parseAsync(['node', 'pedigree', 'rules', 'run', ...seedRules(), '--db', opts.db]);
    process.stdout.write('\n== Attack chains: multi-step stories in the lineage (rules/chains.yaml) ==\n');
    await program.parseAsync(['node', 'pedigree', 'chains', 'run', '--db', opts.db]);
    const html = opts.report ?? `${opts.db.replace(/\.db$/, '')}.html`;
    await program.parseAsync(['node', 'pedigree', 'report', '--db', opts.db, '--out', html, '--title', 'pedigree demo: nginx pod spawns a shell']);
    process.stdout.write(`\n== Report with pictures (findings, lineage trees, timeline): ${html} — open it in a browser ==\n`);

    if (opts.tui && process.stdout.isTTY && process.stdin.isTTY) {
      const { runTui } = await loadTui();
      await runTui(opts.db);
      return;
    }
    process.stdout.write('\n== Process tree ==\n');
    await program.parseAsync(['node', 'pedigree', 'tree', '--db', opts.db]);

    process.stdout.write('\n== Shells spawned by a non-shell parent inside a container ==\n');
    const shells = withCase(opts.db, (ro) => runBoundedQuery(ro, findCannedQuery('shells-spawned-in-containers').sql, [], 100));
    printRows(shells.rows, 'table', ['exec_id', 'pid', 'name', 'cmdline', 'parent_name', 'container_name', 'image', 'pod_name']);

    const cat = withCase(opts.db, (ro) => {
      const row = ro.prepare("SELECT exec_id FROM execs WHERE kind = 'exec' AND name = 'cat' AND args LIKE '%/etc/shadow%' LIMIT 1").get() as
        | { exec_id: bigint }
        | undefined;
      return row ? ancestorsOf(ro, Number(row.exec_id)) : [];
    });
    if (cat.length > 0) {
      process.stdout.write('\n== Who read /etc/shadow? ==\n');
      process.stdout.write(`${cat.map((s) => `${s.name},${s.pid}`).join(' ← ')}\n`);
    }
    process.stdout.write(
      `\nExplore it yourself:\n  npx pedigree tui --db ${opts.db}\n  npx pedigree ancestors --pid 4004 --db ${opts.db}\n  npx pedigree query "SELECT * FROM exec_details" --db ${opts.db}\n  npx pedigree chains explain --chain 'Web service shell fetches and runs a payload'\n`,
    );
  });
  return cmd;
}
