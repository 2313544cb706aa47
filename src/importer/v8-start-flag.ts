/**
 * The value a V8 flag was given when the process started, spelt with dashes or underscores, as
 * `--flag=value` or `--flag value`: from NODE_OPTIONS and node's own arguments, the command line
 * winning and the last of several winning, as for Node itself. Undefined when it was not given.
 */
export function v8FlagAtStart(name: string): string | undefined {
  const pattern = new RegExp(`^--${name.replace(/[-_]/g, '[-_]')}(?:=(.*))?$`);
  const args = [...(process.env.NODE_OPTIONS ?? '').split(/\s+/).filter((a) => a !== ''), ...process.execArgv];
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const m = pattern.exec(args[i] as string);
    if (m) value = m[1] ?? args[i + 1];
  }
  return value;
}
