import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import type { CliIo } from './io.js';

/** One option of a command, declared once: parsing and the usage text both come from it. */
export interface CommandOption {
  type: 'string' | 'boolean';
  default?: string | boolean;
  /** The value's name in the usage text (`FILE`, `LEVEL`); none for a flag. */
  value?: string;
  /** One line (or several, joined by line breaks) for the usage text. */
  description: string;
  /** A one-letter alias (`-q`), for the flags people type often. */
  short?: string;
  /** Parsed but not listed (an alias kept for compatibility). */
  hidden?: boolean;
}

export type ParsedValues = Record<string, string | boolean | undefined>;

/** A CLI command: one module in src/cli/commands/, with its options and what it does. */
export interface Command {
  name: string;
  /** Positional arguments, as the usage text shows them (`[PATH...]`). */
  args?: string;
  /** One line, for the list of commands. */
  summary: string;
  options: Record<string, CommandOption>;
  /** Lines printed after the options (where secrets come from, what goes where). */
  notes?: string[];
  run(values: ParsedValues, positionals: string[], io: CliIo): Promise<number>;
}

const COLUMN = 24;

/** A command's options and notes as the usage text lists them, rendered from its declarations. */
export function optionLines(command: Command): string[] {
  const lines: string[] = [];
  for (const [name, option] of Object.entries(command.options)) {
    if (option.hidden) continue;
    const flag = `  ${option.short ? `-${option.short}, ` : ''}--${name}${option.value ? ` ${option.value}` : ''}`;
    const [first, ...more] = option.description.split('\n');
    lines.push(`${flag.padEnd(COLUMN)} ${first}`);
    for (const line of more) lines.push(`${' '.repeat(COLUMN + 1)}${line}`);
  }
  for (const note of command.notes ?? []) lines.push(`  ${note}`);
  return lines;
}

/** The usage text of one command (`jwt-guard <command> --help`). */
export function usageOf(command: Command): string {
  return `${[`Usage: jwt-guard ${command.name}${command.args ? ` ${command.args}` : ''} [options]`, '', command.summary, '', 'Options:', ...optionLines(command)].join('\n')}\n`;
}

/** Parses a command's arguments against its declared options; a mistake is a usage error that points at the command's help. */
export function parseCommand(command: Command, args: string[]): { values: ParsedValues; positionals: string[] } {
  const options = Object.fromEntries(Object.entries(command.options).map(([name, option]) => [name, { type: option.type, ...(option.short ? { short: option.short } : {}), ...(option.default !== undefined ? { default: option.default } : {}) }]));
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as ParsedValues, positionals };
  } catch (error) {
    // One line, and where to look: not the whole manual.
    const first = (error as Error).message.split(/\.\s/)[0]!;
    const dash = /argument is ambiguous/.test(first) ? ' (a value that starts with a dash is written --option=VALUE)' : '';
    throw new UserError('ERR_USAGE', `${first}${dash}: run jwt-guard ${command.name} --help for its options`);
  }
}
