import path from 'node:path';
import { runCheck, splitTokens } from '../../check/run.js';
import { UserError } from '../../errors.js';
import { parseFormat } from '../../pipeline/settings.js';
import { REPORTERS } from '../../report/index.js';
import { INPUT_LIMITS } from '../../util/read-file.js';
import { gathered, writeFileAtomic } from '../../util/write-file.js';
import type { Command } from '../command.js';
import { commandPolicy, EXIT, EXIT_CODE_OPTION, parseExitCode, POLICY_OPTION, readInput, readStdinText } from '../io.js';

export const checkCommand: Command = {
  name: 'check',
  args: '[TOKEN...]',
  summary: 'Verify tokens against the policy and its trusted keys (tokens from standard input or --file, one per line)',
  options: {
    file: { type: 'string', value: 'FILE', description: 'Read tokens from FILE' },
    policy: POLICY_OPTION,
    format: { type: 'string', default: 'text', value: 'FORMAT', description: 'text (default), json or sarif' },
    output: { type: 'string', value: 'FILE', description: 'Write the report to FILE' },
    'hmac-secret-file': { type: 'string', value: 'F', description: 'The secret for HS* tokens (or the JWT_GUARD_HMAC_SECRET environment variable)' },
    'exit-code': EXIT_CODE_OPTION,
  },
  notes: ['Tokens given as arguments work too, but other processes see them (ps) and shells keep them: pipe them instead.'],
  async run(values, positionals, io) {
    const resolve = (p: string) => path.resolve(io.cwd, p);
    const format = parseFormat(values.format as string, '--format');
    const exitCode = parseExitCode(values['exit-code']);
    let tokens = positionals;
    if (positionals.length > 0) io.stderr.write('jwt-guard: warning: tokens given as arguments are visible to other processes (ps) and kept in shell history: pipe them on standard input or use --file\n');
    if (values.file) tokens = [...tokens, ...splitTokens(await readInput(resolve(values.file as string), '--file', INPUT_LIMITS.tokens))];
    if (positionals.length === 0 && !values.file) tokens = splitTokens(await readStdinText(io, INPUT_LIMITS.tokens, 'the tokens'));
    if (tokens.length === 0) throw new UserError('ERR_USAGE', 'check needs tokens: as arguments, with --file, or on standard input (one per line)');
    const hmacSecret = values['hmac-secret-file'] ? (await readInput(resolve(values['hmac-secret-file'] as string), '--hmac-secret-file', INPUT_LIMITS.secret)).replace(/\r?\n$/, '') : io.env.JWT_GUARD_HMAC_SECRET;
    const { policy, base } = await commandPolicy(io, values.policy);
    const checked = await runCheck(policy, { tokens, base, ...(hmacSecret ? { hmacSecret } : {}) });
    const report = REPORTERS[format].check(checked, policy);
    if (values.output) await writeFileAtomic(resolve(values.output as string), report);
    else for (const piece of gathered(report)) io.stdout.write(piece);
    return checked.some((c) => !c.valid) ? exitCode : EXIT.clean;
  },
};
