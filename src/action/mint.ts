import { openSigningKey } from '../mint/keys.js';
import { auditLine, githubContextClaims, mintTokens } from '../mint/mint.js';
import { loadPolicy } from '../policy/load.js';
import type { ActionCore } from './core.js';
import { readMintInputs } from './inputs.js';
import { cell } from '../report/job-summary.js';
import { logLine } from '../report/safe.js';

/**
 * mode: mint. The key and passphrase were masked first (runAction); each token is masked
 * before it is set as an output; only audit lines (jti, kid, aud, expiry) reach the log
 * and the summary. Any refusal leaves no token anywhere.
 */
export async function runMint(core: ActionCore, env: NodeJS.ProcessEnv): Promise<void> {
  const settings = readMintInputs(core, env);
  const policy = loadPolicy({ ...(settings.policyPath ? { policyPath: settings.policyPath } : {}), searchRoots: [settings.workspace] });
  const key = await openSigningKey(settings.signingKey, settings.passphrase, { allowPlainKey: policy.mint.allowPlainKey });
  const result = await mintTokens(policy, {
    key,
    ...(settings.claimSets ? { claimSets: settings.claimSets } : {}),
    ...(settings.audience ? { audience: settings.audience } : {}),
    ...(settings.githubContext ? { githubContext: githubContextClaims(env) } : {}),
  });
  for (const minted of result.tokens) core.setSecret(minted.token);
  for (const warning of result.warnings) core.warning(warning);
  for (const minted of result.tokens) core.info(logLine(auditLine(minted)));
  if (settings.claimSets && settings.claimSets.length > 1) core.setOutput('tokens', JSON.stringify(result.tokens.map((t) => t.token)));
  else core.setOutput('token', result.tokens[0]!.token);
  core.setOutput('kid', key.kid);
  core.setOutput('expires-at', result.tokens.map((t) => t.expiresAt).sort()[0]!);
  if (env.GITHUB_STEP_SUMMARY) {
    const rows = result.tokens.map((t) => `| \`${t.jti}\` | \`${t.kid}\` | ${cell(Array.isArray(t.aud) ? t.aud.join(', ') : t.aud)} | ${t.expiresAt} |`);
    await core.summary.addRaw(['## jwt-guard mint', '', '| jti | kid | aud | expires |', '| --- | --- | --- | --- |', ...rows, ''].join('\n')).write();
  }
}
