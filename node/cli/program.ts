// What the three CLIs (npm run train, sweep and fetch-data) share of commander: a program whose output
// goes to the given streams and whose errors come back as values, and the parse that turns help into exit
// 0 and a bad flag into one line on stderr and exit 2.

import { Command, CommanderError } from 'commander';

/** The streams a CLI writes to (process.stdout/stderr, or a test's collectors). */
export interface ProgramIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** A commander program named `name` that writes to `io`, throws instead of exiting and suggests nothing. */
export function cliProgram(name: string, description: string, io: ProgramIO): Command {
  return new Command(name)
    .description(description)
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s), outputError: () => {} })
    .showSuggestionAfterError(false);
}

/** Parses flags (argv without node and the script): null when they parsed; 0 after printing help; 2 after one error line. */
export function parseFlags(program: Command, argv: readonly string[], io: ProgramIO): 0 | 2 | null {
  try {
    program.parse([...argv], { from: 'user' });
    return null;
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return 0;
    io.stderr.write(`${e.message.replace(/\s*\n\s*/g, ' ').trim()}\n`);
    return 2;
  }
}
