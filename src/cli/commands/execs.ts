import { Command, Option } from 'commander';
import { compileOutputFormat, parseOutputFormat, runOutputFormat } from '../../format/output-format.js';
import { dbOption } from '../common-options.js';
import { parseIntArg } from '../parse-args.js';
import { withCase } from '../read-case.js';

const DEFAULT_FORMAT = '*%evt.num %proc.pid %proc.ppid %proc.name %proc.pname %container.id %proc.cmdline';

export function makeExecsCommand(): Command {
  const cmd = new Command('execs')
    .description("one line per exec, formatted with sysdig's -p syntax")
    .addOption(dbOption())
    .addOption(new Option('-p, --print <format>', 'output format: %field tokens as in sysdig -p; a leading * prints missing fields as <NA>').default(DEFAULT_FORMAT))
    .addOption(new Option('--where <sql>', 'extra SQL condition over the exec row (alias e), e.g. "e.name = \'sh\'"'))
    .addOption(new Option('--capture <id>', 'only this capture').argParser(parseIntArg))
    .addOption(new Option('--all-kinds', 'include fork, snapshot and inferred images, not only execve/execveat'))
    .addOption(new Option('--limit <n>', 'at most n lines').argParser(parseIntArg))
    .addOption(new Option('--explain', 'print the SQL and its parameters instead of running it'));
  cmd.addHelpText(
    'after',
    `
Rows are execve/execveat events (failed ones too, showing the image that tried), ordered as in
the capture. Without a leading *, lines with any missing field are dropped, as in sysdig.

Examples:
  $ pedigree execs -p '*%evt.num\\t%proc.name\\t%proc.pname\\t%proc.aname[2]\\t%container.id'
  $ pedigree execs -p '%proc.cmdline (%user.name) in %container.name' --where "e.container_id IS NOT NULL"`,
  );
  cmd.action((opts) => {
    const compiled = compileOutputFormat(parseOutputFormat(opts.print), {
      where: opts.where,
      captureId: opts.capture,
      kinds: opts.allKinds ? ['exec', 'fork', 'snapshot', 'inferred'] : ['exec'],
      limit: opts.limit,
    });
    if (opts.explain) {
      process.stdout.write(`${compiled.sql}\n-- parameters: ${JSON.stringify(compiled.params, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
      return;
    }
    withCase(opts.db, (db) => {
      const chunks: string[] = [];
      runOutputFormat(db, compiled, (line) => {
        chunks.push(line);
        if (chunks.length >= 4096) process.stdout.write(`${chunks.splice(0).join('\n')}\n`);
      });
      if (chunks.length > 0) process.stdout.write(`${chunks.join('\n')}\n`);
    });
  });
  return cmd;
}
