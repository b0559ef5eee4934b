import { UserError } from '../../errors.js';
import { openSigningKey } from '../../mint/keys.js';
import { auditLine, githubContextClaims, mintTokens, parseClaimSets } from '../../mint/mint.js';
import { safeText } from '../../report/safe.js';
import type { Command } from '../command.js';
import { commandPolicy, EXIT, POLICY_OPTION, readSecret } from '../io.js';

export const mintCommand: Command = {
  name: 'mint',
  summary: 'Sign short-lived deployment tokens with an encrypted key (secrets come from files or the environment, never from arguments)',
  options: {
    'key-file': { type: 'string', value: 'FILE', description: 'The encrypted signing key (or JWT_GUARD_SIGNING_KEY)' },
    'passphrase-file': { type: 'string', value: 'FILE', description: 'Its passphrase (or JWT_GUARD_KEY_PASSPHRASE)' },
    claims: { type: 'string', value: 'JSON', description: 'A claim set, or an array of them for several tokens (mint.overridableClaims only)' },
    audience: { type: 'string', value: 'AUD', description: 'Override aud (when mint.overridableClaims allows it)' },
    'github-context': { type: 'boolean', default: false, description: 'Add repository, ref, sha, run_id, run_attempt, workflow_ref from the environment' },
    policy: POLICY_OPTION,
  },
  notes: ['Tokens go to standard output, one per line; an audit line per token goes to standard error.'],
  async run(values, _positionals, io) {
    const blob = await readSecret(io, values['key-file'], 'JWT_GUARD_SIGNING_KEY', '--key-file');
    if (!blob) throw new UserError('ERR_USAGE', 'mint needs the signing key: --key-file FILE or JWT_GUARD_SIGNING_KEY');
    const passphrase = await readSecret(io, values['passphrase-file'], 'JWT_GUARD_KEY_PASSPHRASE', '--passphrase-file');
    const { policy } = await commandPolicy(io, values.policy);
    const key = await openSigningKey(blob, passphrase, { allowPlainKey: policy.mint.allowPlainKey });
    const result = await mintTokens(policy, {
      key,
      ...(values.claims ? { claimSets: parseClaimSets(values.claims as string, '--claims') } : {}),
      ...(values.audience !== undefined ? { audience: values.audience as string } : {}),
      ...(values['github-context'] ? { githubContext: githubContextClaims(io.env) } : {}),
    });
    for (const warning of result.warnings) io.stderr.write(`jwt-guard: warning: ${safeText(warning)}\n`);
    for (const token of result.tokens) io.stderr.write(`jwt-guard: ${safeText(auditLine(token))}\n`);
    io.stdout.write(`${result.tokens.map((t) => t.token).join('\n')}\n`);
    return EXIT.clean;
  },
};
