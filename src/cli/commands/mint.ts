import { UserError } from '../../errors.js';
import { openSigningKey } from '../../mint/keys.js';
import { auditLine, githubContextClaims, mintTokens, parseClaimSets } from '../../mint/mint.js';
import { safeText } from '../../report/safe.js';
import type { Command } from '../command.js';
import { commandPolicy, EXIT, passphraseFor, POLICY_OPTION, readSecret } from '../io.js';

export const mintCommand: Command = {
  name: 'mint',
  summary: 'Sign short-lived deployment tokens with an encrypted key (secrets come from files or the environment, never from arguments)',
  options: {
    'key-file': { type: 'string', value: 'FILE', description: 'The encrypted signing key (or JWT_GUARD_SIGNING_KEY)' },
    'passphrase-file': { type: 'string', value: 'FILE', description: 'Its passphrase (or JWT_GUARD_KEY_PASSPHRASE; asked for on a terminal)' },
    claims: { type: 'string', value: 'JSON', description: 'A claim set, or an array of them for several tokens (mint.overridableClaims only)' },
    audience: { type: 'string', value: 'AUD', description: 'Override aud (when mint.overridableClaims allows it)' },
    'github-context': { type: 'boolean', default: false, description: 'Add repository, ref, sha, run_id, run_attempt, workflow_ref from the environment' },
    policy: POLICY_OPTION,
  },
  notes: ['Tokens go to standard output, one per line; an audit line per token goes to standard error.'],
  async run(values, _positionals, io) {
    const blob = await readSecret(io, values['key-file'], 'JWT_GUARD_SIGNING_KEY', '--key-file');
    if (!blob) throw new UserError('ERR_USAGE', 'mint needs the signing key: --key-file FILE or JWT_GUARD_SIGNING_KEY');
    // An encrypted key and no passphrase from a file or the environment: ask on the terminal, if there is one.
    const encrypted = /ENCRYPTED/.test(blob) || blob.trim().split('.').length === 5;
    const passphrase = (await readSecret(io, values['passphrase-file'], 'JWT_GUARD_KEY_PASSPHRASE', '--passphrase-file')) ?? (encrypted && io.prompt ? await passphraseFor(io, undefined, false, 'existing') : undefined);
    const { policy } = await commandPolicy(io, values.policy);
    const context = values['github-context'] ? githubContextClaims(io.env) : undefined;
    const key = await openSigningKey(blob, passphrase, { allowPlainKey: policy.mint.allowPlainKey });
    const result = await mintTokens(policy, {
      key,
      ...(values.claims ? { claimSets: parseClaimSets(values.claims as string, '--claims') } : {}),
      ...(values.audience !== undefined ? { audience: values.audience as string } : {}),
      ...(context ? { githubContext: context } : {}),
    });
    if (context && Object.keys(context).length === 0) io.stderr.write('jwt-guard: warning: --github-context found none of GITHUB_REPOSITORY, GITHUB_REF, GITHUB_SHA, GITHUB_RUN_ID (not in a GitHub Actions job?): no context claims were added\n');
    for (const warning of result.warnings) io.stderr.write(`jwt-guard: warning: ${safeText(warning)}\n`);
    for (const token of result.tokens) io.stderr.write(`jwt-guard: ${safeText(auditLine(token))}\n`);
    io.stdout.write(`${result.tokens.map((t) => t.token).join('\n')}\n`);
    return EXIT.clean;
  },
};
