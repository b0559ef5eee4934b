/**
 * The runner's own reading of a step's output (actions/runner, ActionCommand): a line is
 * a command when, with its leading white space trimmed, it starts with `::` and holds a
 * second `::` (`::name props::data`), or, in the legacy form, when `##[name props]data`
 * appears anywhere in it. Lines between `::stop-commands::TOKEN` and `::TOKEN::` are not
 * read as commands. Tests use it to prove that no text from a file or an input forges one.
 */
const REGISTERED = new Set(['error', 'warning', 'notice', 'debug', 'add-mask', 'group', 'endgroup', 'stop-commands', 'set-output', 'save-state', 'add-path', 'set-env', 'echo', 'add-matcher', 'remove-matcher']);

export interface RunnerCommand {
  name: string;
  data: string;
  form: 'v2' | 'legacy';
}

function parseV2(line: string): RunnerCommand | undefined {
  const trimmed = line.replace(/^\s+/, '');
  if (!trimmed.startsWith('::')) return undefined;
  const end = trimmed.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = trimmed.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  return REGISTERED.has(name) ? { name, data: trimmed.slice(end + 2), form: 'v2' } : undefined;
}

function parseLegacy(line: string): RunnerCommand | undefined {
  const at = line.indexOf('##[');
  if (at < 0) return undefined;
  const close = line.indexOf(']', at);
  if (close < 0) return undefined;
  const info = line.slice(at + 3, close);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  return REGISTERED.has(name) ? { name, data: line.slice(close + 1), form: 'legacy' } : undefined;
}

/** Every command the runner would act on in `stdout`. */
export function runnerCommands(stdout: string): RunnerCommand[] {
  const commands: RunnerCommand[] = [];
  let stopToken: string | undefined;
  for (const line of stdout.split(/\r?\n/)) {
    if (stopToken) {
      if (line.trim() === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const command = parseV2(line) ?? parseLegacy(line);
    if (!command) continue;
    if (command.name === 'stop-commands') stopToken = command.data;
    commands.push(command);
  }
  return commands;
}
