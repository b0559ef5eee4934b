import path from 'node:path';
import { UserError } from '../errors.js';
import { openSigningKey } from '../mint/keys.js';
import { auditLine, githubContextClaims, mintTokens, parseClaimSets } from '../mint/mint.js';
import { loadPolicy } from '../policy/load.js';
import type { ActionCore } from './run.js';
import { cell } from '../report/job-summary.js';
import { logLine } from '../report/safe.js';

/**
 * mode: mint. The key and passphrase are masked first; each token is masked before it
 * is set as an output; only audit lines (jti, kid, aud, expiry) reach the log and the
 * summary. Any refusal leaves no token anywhere.
 */
export async function runMint(core: ActionCore, env: NodeJS.ProcessEnv): Promise<void> {
  const blob = core.getInput('signing-key');
  const passphrase = core.getInput('key-passphrase');
  for (const secret of [blob, passphrase]) {
    if (!secret) continue;
    core.setSecret(secret);
    for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 8) core.setSecret(line.trim());
  }
  if (!blob) throw new UserError('ERR_INPUT', "mode 'mint' needs the 'signing-key' input (an encrypted key from a secret)");
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const policyInput = core.getInput('policy').trim();
  const policy = loadPolicy({ ...(policyInput ? { policyPath: path.resolve(workspace, policyInput) } : {}), searchRoots: [workspace] });
  const context = core.getInput('include-github-context').trim();
  if (context !== '' && !/^(true|false)$/i.test(context)) throw new UserError('ERR_INPUT', `input 'include-github-context' must be true or false, not '${context}'`);
  const claimsText = core.getInput('claims').trim();
  const sets = claimsText ? parseClaimSets(claimsText, "input 'claims'") : undefined;
  const audience = core.getInput('audience').trim();
  const key = await openSigningKey(blob, passphrase || undefined, { allowPlainKey: policy.mint.allowPlainKey });
  const result = await mintTokens(policy, {
    key,
    ...(sets ? { claimSets: sets } : {}),
    ...(audience ? { audience } : {}),
    ...(!/^false$/i.test(context) ? { githubContext: githubContextClaims(env) } : {}),
  });
  for (const minted of result.tokens) core.setSecret(minted.token);
  for (const warning of result.warnings) core.warning(warning);
  for (const minted of result.tokens) core.info(logLine(auditLine(minted)));
  if (sets && sets.length > 1) core.setOutput('tokens', JSON.stringify(result.tokens.map((t) => t.token)));
  else core.setOutput('token', result.tokens[0]!.token);
  core.setOutput('kid', key.kid);
  core.setOutput('expires-at', result.tokens.map((t) => t.expiresAt).sort()[0]!);
  if (env.GITHUB_STEP_SUMMARY) {
    const rows = result.tokens.map((t) => `| \`${t.jti}\` | \`${t.kid}\` | ${cell(Array.isArray(t.aud) ? t.aud.join(', ') : t.aud)} | ${t.expiresAt} |`);
    await core.summary.addRaw(['## jwt-guard mint', '', '| jti | kid | aud | expires |', '| --- | --- | --- | --- |', ...rows, ''].join('\n')).write();
  }
}
