import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.js';
import { adopt, fixtureReason, type Adoption } from '../../pipeline/adopt.js';
import { runScan } from '../../pipeline/run-scan.js';
import { threadsFromEnv } from '../../pipeline/settings.js';
import { policyText, starterPolicy } from '../../policy/init.js';
import { DEFAULT_POLICY_PATH, parsePolicyText } from '../../policy/load.js';
import { safeText } from '../../report/safe.js';
import { countLine } from '../../report/summary.js';
import { gitTopLevel, relativeTo } from '../../sources/files.js';
import { writeFileAtomic } from '../../util/write-file.js';
import { plural } from '../../util/format.js';
import type { Command } from '../command.js';
import { EXIT, type CliIo } from '../io.js';

/** Where `init --baseline` writes the baseline, beside the policy. */
export const DEFAULT_BASELINE_PATH = '.github/jwt-guard.baseline.json';

export const initCommand: Command = {
  name: 'init',
  args: '[DIR]',
  summary: `Write a starter policy to DIR/${DEFAULT_POLICY_PATH}`,
  options: {
    preset: { type: 'string', default: 'recommended', value: 'NAME', description: 'recommended (default) or strict' },
    baseline: {
      type: 'boolean',
      default: false,
      description: `Adopt in a repository that has findings: propose files.fixtures from where keys and tokens sit,\naccept the rest in ${DEFAULT_BASELINE_PATH}, and check that the next scan passes`,
    },
  },
  async run(values, positionals, io) {
    const preset = values.preset as string;
    if (preset !== 'recommended' && preset !== 'strict') throw new UserError('ERR_USAGE', `--preset must be recommended or strict, not '${preset}'`);
    const root = path.resolve(io.cwd, positionals[0] ?? '.');
    const file = path.join(root, DEFAULT_POLICY_PATH);
    const shown = (p: string) => safeText(path.relative(io.cwd, p) || p);
    if (existsSync(file)) {
      const hint = values.baseline ? `; to accept today's findings under it, run jwt-guard scan --write-baseline ${DEFAULT_BASELINE_PATH} and name that file in its "baseline"` : ' (edit it, or remove it first)';
      throw new UserError('ERR_EXISTS', `${shown(file)} already exists; not overwriting it${hint}`);
    }
    if (!values.baseline) {
      const text = starterPolicy(preset);
      parsePolicyText(text, file); // the starter must itself be valid
      await writeFileAtomic(file, text);
      io.stdout.write(`wrote ${shown(file)} (extends '${preset}'); commit it, and jwt-guard scan will use it\n`);
      return EXIT.clean;
    }
    return adoptCommand(root, file, preset, io);
  },
};

async function adoptCommand(root: string, file: string, preset: 'recommended' | 'strict', io: CliIo): Promise<number> {
  const shown = (p: string) => safeText(path.relative(io.cwd, p) || p);
  const base = (await gitTopLevel(root, io.env)) ?? root;
  const baselineFile = path.join(root, DEFAULT_BASELINE_PATH);
  if (existsSync(baselineFile)) throw new UserError('ERR_EXISTS', `${shown(baselineFile)} already exists; not overwriting it (remove it first, or name it in a policy yourself)`);
  const threads = threadsFromEnv(io.env);
  const adoption = await adopt({
    root,
    base,
    preset,
    baselinePath: relativeTo(base, baselineFile),
    ...(io.workerEntry ? { parallel: { entry: io.workerEntry, ...(threads ? { threads } : {}) } } : {}),
  });
  const text = policyText(adoption.policy);
  parsePolicyText(text, file); // what is written must itself be a valid policy
  // The baseline first, then the policy that names it: a policy is never left naming a baseline that is not there.
  if (adoption.baseline) await writeFileAtomic(baselineFile, adoption.baseline);
  try {
    await writeFileAtomic(file, text);
  } catch (error) {
    if (adoption.baseline) rmSync(baselineFile, { force: true });
    throw error;
  }
  for (const line of decisions(adoption, preset)) io.stdout.write(`${line}\n`);
  io.stdout.write(`wrote ${shown(file)}${adoption.baseline ? ` and ${shown(baselineFile)}` : ''}: commit ${adoption.baseline ? 'both' : 'it'}\n`);
  // The proof: the scan a user (or the Action) runs next, on the files just written.
  const check = await runScan({ targets: [root], base, scanFiles: true, format: 'text', failOn: 'error' });
  if (check.summary.passed) {
    io.stdout.write(`checked: jwt-guard scan passes now (${countLine(check.summary)}, ${check.summary.suppressed.baseline} in the baseline); a new key or token outside test material fails it\n`);
    return EXIT.clean;
  }
  io.stdout.write(`checked: jwt-guard scan still fails (${countLine(check.summary)}): ${adoption.gaps.length > 0 ? 'what could not be read is never accepted for you (see above)' : 'see jwt-guard scan'}\n`);
  return EXIT.findings;
}


/** What init decided and why, in lines: counts, globs, rules and paths, never a secret. */
function decisions(adoption: Adoption, preset: string): string[] {
  const lines = [`jwt-guard init --baseline: ${plural(adoption.filesScanned, 'file')} scanned with the '${preset}' starter policy: ${plural(adoption.found.length, 'finding')}`];
  if (adoption.fixtures.length > 0) {
    lines.push('', 'test material (files.fixtures): keys and tokens there are notes from now on, unless the policy trusts them (keys.trusted):');
    for (const proposal of adoption.fixtures) lines.push(`  ${safeText(proposal.glob)}`, `      ${safeText(fixtureReason(proposal))}`);
  } else {
    lines.push('', 'test material (files.fixtures): none proposed (no key or token sits in a path named like tests, test data, fixtures or examples)');
  }
  if (adoption.accepted.length > 0) {
    const byRule = new Map<string, number>();
    const byFile = new Map<string, number>();
    for (const f of adoption.accepted) {
      byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
      byFile.set(f.file, (byFile.get(f.file) ?? 0) + 1);
    }
    const rules = [...byRule].sort((a, b) => b[1] - a[1]).map(([rule, n]) => `${rule} ${n}`);
    const files = [...byFile].sort((a, b) => b[1] - a[1]);
    lines.push('', `accepted in the baseline: ${plural(adoption.accepted.length, 'finding')} in ${plural(files.length, 'file')} (${rules.join(', ')}); each is still a secret to rotate, and the baseline only stops it failing the build:`);
    for (const [name, n] of files.slice(0, 10)) lines.push(`  ${safeText(name)} (${n})`);
    if (files.length > 10) lines.push(`  … and ${files.length - 10} more files`);
  } else {
    lines.push('', 'baseline: none needed (nothing outside test material)');
  }
  if (adoption.gaps.length > 0) {
    lines.push('', `not accepted: ${plural(adoption.gaps.length, 'part')} could not be read completely, and a gate never passes over what it did not read. Fix them, or accept each in the policy's ignore list with a reason:`);
    for (const gap of adoption.gaps.slice(0, 10)) lines.push(`  ${safeText(gap.file)}:${gap.line}  ${safeText(gap.message)}`);
  }
  lines.push('');
  return lines;
}
