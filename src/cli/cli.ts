import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { optionLines, parseCommand, usageOf, type Command } from './command.js';
import { checkCommand } from './commands/check.js';
import { encryptKeyCommand } from './commands/encrypt-key.js';
import { hookCommand } from './commands/hook.js';
import { initCommand } from './commands/init.js';
import { keygenCommand } from './commands/keygen.js';
import { mintCommand } from './commands/mint.js';
import { scanCommand } from './commands/scan.js';
import { EXIT, type CliIo } from './io.js';

export { EXIT, type CliIo };

/** Every command, in the order the usage text lists them. Adding one: a module in commands/ and an entry here. */
export const COMMANDS: readonly Command[] = [scanCommand, checkCommand, mintCommand, encryptKeyCommand, keygenCommand, initCommand, hookCommand];

const EXIT_CODES = 'Exit codes: 0 clean (or only findings below --fail-on), 1 findings (or --exit-code N), 2 usage or policy error, 3 internal error.';

/** The whole usage text, rendered from the commands' own declarations. */
export function usage(): string {
  const width = COMMANDS.reduce((widest, c) => Math.max(widest, `${c.name}${c.args ? ` ${c.args}` : ''}`.length), 0) + 3;
  const list = COMMANDS.map((c) => `  ${`${c.name}${c.args ? ` ${c.args}` : ''}`.padEnd(width)}${c.summary}`);
  return [
    'Usage: jwt-guard <command> [options]   (jwt-guard <command> --help for one command)',
    '',
    'Commands:',
    ...list,
    `  ${'help'.padEnd(width)}Show this help`,
    '',
    ...COMMANDS.flatMap((c) => [`${c.name} options:`, ...optionLines(c), '']),
    EXIT_CODES,
    '',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (command) {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${usageOf(command)}\n${EXIT_CODES}\n`);
      return EXIT.clean;
    }
    const { values, positionals } = parseCommand(command, rest);
    return command.run(values, positionals, io);
  }
  switch (name) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(usage());
      return name === undefined ? EXIT.usage : EXIT.clean;
    case '--version':
    case '-v':
      io.stdout.write(`${VERSION}\n`);
      return EXIT.clean;
    default:
      throw new UserError('ERR_USAGE', `unknown command '${name}': run jwt-guard --help for the commands`);
  }
}
