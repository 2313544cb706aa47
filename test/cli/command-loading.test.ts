import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { PEDIGREE_VERSION } from '../../src/version.js';

/**
 * A run loads only its own command's module (start-up cost), so the command built alone must be
 * the one the whole program holds: same name, same help, for every command.
 */
describe('command loading', () => {
  it('each command built alone is the command of the whole program', async () => {
    const whole = await buildProgram();
    const names = whole.commands.map((c) => c.name());
    expect(names.length).toBeGreaterThan(15);
    for (const name of names) {
      const alone = await buildProgram(name);
      expect(
        alone.commands.map((c) => c.name()),
        name,
      ).toEqual([name]);
      expect(alone.commands[0]?.helpInformation(), name).toBe(whole.commands.find((c) => c.name() === name)?.helpInformation());
    }
  });

  it('a bare --version builds no command and still knows the version', async () => {
    const program = await buildProgram(false);
    expect(program.commands).toEqual([]);
    expect(program.version()).toBe(PEDIGREE_VERSION);
  });

  it('a name that is no command builds the whole program (commander then says so and suggests one)', async () => {
    const program = await buildProgram('imprt');
    expect(program.commands.map((c) => c.name())).toContain('import');
    expect(program.commands.length).toBeGreaterThan(15);
  });
});
