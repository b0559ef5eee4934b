import { createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';
import { DEFAULT_POLICY_PATH, loadPolicy, parsePolicyText } from '../policy/load.js';
import { runCheck, splitTokens } from '../check/run.js';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { encryptToJwe, encryptToPkcs8, openSigningKey } from '../mint/keys.js';
import { auditLine, githubContextClaims, mintTokens, parseClaimSets } from '../mint/mint.js';
import { generateSigningKey } from '../mint/keygen.js';
import { starterPolicy } from '../policy/init.js';
import { runScan } from '../pipeline/run-scan.js';
import { REPORTERS, reportPieces } from '../report/index.js';
import { writeFileAtomic } from '../util/write-file.js';
import { debugFromEnv, parseFailOn, parseFormat, threadsFromEnv, type ScanSettings } from '../pipeline/settings.js';
import { gitTopLevel, resolveTargets } from '../sources/files.js';
import { VERSION } from '../version.js';
import { failureLine } from '../report/summary.js';
import { safeText } from '../report/safe.js';
import { formatSize } from '../util/format.js';
import { INPUT_LIMITS, readRegularFile } from '../util/read-file.js';

/** What the CLI may touch, injected so tests run it in-process. */
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  /** Standard input, as a stream: read once, by one command. */
  stdin(): AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** The running bundle, which re-enters as a scan worker; absent, scans use one thread. */
  workerEntry?: URL;
}

export const EXIT = { clean: 0, findings: 1, usage: 2, internal: 3 } as const;

const USAGE = `Usage: jwt-guard <command> [options]

Commands:
  scan [PATH...]     Scan files and directories (default: the current directory) for keys and tokens
  check [TOKEN...]   Verify tokens against the policy and its trusted keys
  mint               Sign short-lived deployment tokens with an encrypted key
  encrypt-key        Encrypt a signing key for storage in a secret
  keygen             Make a new signing key pair: public JWKS and encrypted private key
  init [DIR]         Write a starter policy to DIR/${DEFAULT_POLICY_PATH}
  help               Show this help

Scan options:
  --policy FILE          Policy file (default: ${DEFAULT_POLICY_PATH} in PATH, then in the repository root;
                         without one the built-in 'recommended' policy applies)
  --format FORMAT        text (default), json or sarif
  --output FILE          Write the report to FILE instead of standard output
  --fail-on LEVEL        error (default), warning, note or none: exit 1 on findings at or above it
  --baseline FILE        Accept the findings recorded in FILE
  --write-baseline FILE  Record every current finding in FILE (and exit 0)
  --stdin-log            Scan standard input as a log (files too only when PATH is given)
  --no-color             No colour in text output (also NO_COLOR=1)

Check options (tokens come from the arguments, --file, or standard input, one per line):
  --file FILE            Read tokens from FILE
  --policy FILE          Policy file, as for scan
  --format FORMAT        text (default), json or sarif
  --output FILE          Write the report to FILE
  --hmac-secret-file F   The secret for HS* tokens (or the JWT_GUARD_HMAC_SECRET environment variable)

Mint options (secrets come from files or the environment, never from arguments):
  --key-file FILE        The encrypted signing key (or JWT_GUARD_SIGNING_KEY)
  --passphrase-file FILE Its passphrase (or JWT_GUARD_KEY_PASSPHRASE)
  --claims JSON          A claim set, or an array of them for several tokens (mint.overridableClaims only)
  --audience AUD         Override aud (when mint.overridableClaims allows it)
  --github-context       Add repository, ref, sha, run_id, run_attempt, workflow_ref from the environment
  --policy FILE          Policy file, as for scan
  Tokens go to standard output, one per line; an audit line per token goes to standard error.

encrypt-key options:
  --key-file FILE        The private key (PEM or JWK); - for standard input
  --passphrase-file FILE The passphrase (or JWT_GUARD_KEY_PASSPHRASE, or the first line of standard input)
  --form jwe|pkcs8       A compact JWE (PBES2-HS512+A256KW, A256GCM; default) or an encrypted PKCS#8 PEM
  --output FILE          Write there instead of standard output (never over an existing file without --force)

keygen options:
  --algorithm ALG        Default: the policy's mint.algorithm (ES256)
  --passphrase-file FILE As for encrypt-key; --form as for encrypt-key
  --out-dir DIR          Write DIR/jwks.json and DIR/signing-key.jwe (or .pem) instead of printing JSON
  --force                Replace files that exist (keygen --out-dir, encrypt-key --output)

Init options:
  --preset NAME          recommended (default) or strict

Exit codes: 0 clean (or only findings below --fail-on), 1 findings, 2 usage or policy error, 3 internal error.
`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'scan':
      return scanCommand(rest, io);
    case 'init':
      return initCommand(rest, io);
    case 'check':
      return checkCommand(rest, io);
    case 'mint':
      return mintCommand(rest, io);
    case 'encrypt-key':
      return encryptKeyCommand(rest, io);
    case 'keygen':
      return keygenCommand(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(USAGE);
      return command === undefined ? EXIT.usage : EXIT.clean;
    case '--version':
    case '-v':
      io.stdout.write(`${VERSION}\n`);
      return EXIT.clean;
    default:
      throw new UserError('ERR_USAGE', `unknown command '${command}'\n\n${USAGE}`);
  }
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UserError('ERR_USAGE', `${(error as Error).message}\n\n${USAGE}`);
  }
}

async function scanCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    policy: { type: 'string' },
    format: { type: 'string', default: 'text' },
    output: { type: 'string' },
    'fail-on': { type: 'string', default: 'error' },
    baseline: { type: 'string' },
    'write-baseline': { type: 'string' },
    'stdin-log': { type: 'boolean', default: false },
    'no-color': { type: 'boolean', default: false },
    color: { type: 'boolean', default: false },
  });
  const resolve = (p: string) => path.resolve(io.cwd, p);
  const { targets, targetsAreFiles, base } = await resolveTargets(positionals, io.cwd, io.env);
  const threads = threadsFromEnv(io.env);
  const settings: ScanSettings = {
    targets,
    targetsAreFiles,
    base,
    scanFiles: !values['stdin-log'] || positionals.length > 0,
    format: parseFormat(values.format as string, '--format'),
    failOn: parseFailOn(values['fail-on'] as string, '--fail-on'),
    ...(values.policy ? { policyPath: resolve(values.policy as string) } : {}),
    ...(values.baseline ? { baseline: resolve(values.baseline as string) } : {}),
    ...(values['write-baseline'] ? { writeBaseline: resolve(values['write-baseline'] as string) } : {}),
    ...(values['stdin-log'] ? { stdinLog: () => io.stdin() } : {}),
    ...(io.workerEntry ? { parallel: { entry: io.workerEntry, ...(threads ? { threads } : {}) } } : {}),
    ...(debugFromEnv(io.env) ? { debug: true } : {}),
  };
  const outcome = await runScan(settings);
  const colour = !values.output && !values['no-color'] && !io.env.NO_COLOR && (Boolean(values.color) || Boolean(io.stdout.isTTY) || Boolean(io.env.FORCE_COLOR));
  const report = reportPieces(settings.format, outcome, { colour });
  if (values.output) {
    await writeFileAtomic(resolve(values.output as string), report);
    io.stderr.write(`jwt-guard: ${settings.format} report written to ${safeText(values.output as string)}\n`);
  } else {
    for (const piece of report) io.stdout.write(piece);
  }
  if (settings.writeBaseline) {
    io.stderr.write(`jwt-guard: baseline of ${outcome.result.findings.length + outcome.summary.suppressed.baseline} findings written to ${safeText(values['write-baseline'] as string)}\n`);
    return EXIT.clean;
  }
  if (!outcome.summary.passed) {
    if (settings.format !== 'text' || values.output) io.stderr.write(`${failureLine(outcome.summary)}\n`);
    return EXIT.findings;
  }
  return EXIT.clean;
}

async function initCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { preset: { type: 'string', default: 'recommended' } });
  const preset = values.preset as string;
  if (preset !== 'recommended' && preset !== 'strict') throw new UserError('ERR_USAGE', `--preset must be recommended or strict, not '${preset}'`);
  const file = path.resolve(io.cwd, positionals[0] ?? '.', DEFAULT_POLICY_PATH);
  if (existsSync(file)) {
    throw new UserError('ERR_EXISTS', `${path.relative(io.cwd, file) || file} already exists; not overwriting it (edit it, or remove it first)`);
  }
  const text = starterPolicy(preset);
  parsePolicyText(text, file); // the starter must itself be valid
  await writeFileAtomic(file, text);
  io.stdout.write(`wrote ${path.relative(io.cwd, file)} (extends '${preset}'); commit it, and jwt-guard scan will use it\n`);
  return EXIT.clean;
}

async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    file: { type: 'string' },
    policy: { type: 'string' },
    format: { type: 'string', default: 'text' },
    output: { type: 'string' },
    'hmac-secret-file': { type: 'string' },
  });
  const resolve = (p: string) => path.resolve(io.cwd, p);
  const format = parseFormat(values.format as string, '--format');
  let tokens = positionals;
  if (values.file) tokens = [...tokens, ...splitTokens(await readInput(resolve(values.file as string), '--file', INPUT_LIMITS.tokens))];
  if (positionals.length === 0 && !values.file) tokens = splitTokens(await readStdinText(io, INPUT_LIMITS.tokens, 'the tokens'));
  if (tokens.length === 0) throw new UserError('ERR_USAGE', 'check needs tokens: as arguments, with --file, or on standard input (one per line)');
  const hmacSecret = values['hmac-secret-file'] ? (await readInput(resolve(values['hmac-secret-file'] as string), '--hmac-secret-file', INPUT_LIMITS.secret)).replace(/\r?\n$/, '') : io.env.JWT_GUARD_HMAC_SECRET;
  const base = (await gitTopLevel(io.cwd, io.env)) ?? io.cwd;
  const policy = loadPolicy({ ...(values.policy ? { policyPath: resolve(values.policy as string) } : {}), searchRoots: [io.cwd, base] });
  const checked = await runCheck(policy, { tokens, base, ...(hmacSecret ? { hmacSecret } : {}) });
  const failures = checked.flatMap((c) => (c.failure ? [c.failure] : []));
  const report = REPORTERS[format].check(checked, policy);
  if (values.output) await writeFileAtomic(resolve(values.output as string), report);
  else for (const piece of report) io.stdout.write(piece);
  return failures.length > 0 ? EXIT.findings : EXIT.clean;
}

/**
 * Reads a file named by an option: a regular file of bounded size. Messages name the
 * option, never its value: a passphrase or a token pasted where a file name belongs must
 * not be echoed.
 */
async function readInput(file: string, option: string, maxBytes: number = INPUT_LIMITS.key): Promise<string> {
  return readRegularFile(file, { maxBytes, what: `${option} (the value given is not repeated, in case it is a secret)`, code: 'ERR_USAGE' });
}

/** Standard input, whole, for the small inputs commands take there (tokens, a key, a passphrase), up to `maxBytes`. */
async function readStdinText(io: CliIo, maxBytes: number, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of io.stdin()) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    total += data.length;
    if (total > maxBytes) throw new UserError('ERR_USAGE', `${what} on standard input is larger than ${formatSize(maxBytes)}, more than it can be`);
    chunks.push(data);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readSecret(io: CliIo, file: unknown, variable: string, option: string): Promise<string | undefined> {
  if (typeof file === 'string') return (await readInput(path.resolve(io.cwd, file), option)).replace(/\r?\n$/, '');
  return io.env[variable] || undefined;
}

async function passphraseFor(io: CliIo, file: unknown, stdinAllowed: boolean): Promise<string> {
  const fromFileOrEnv = await readSecret(io, file, 'JWT_GUARD_KEY_PASSPHRASE', '--passphrase-file');
  if (fromFileOrEnv) return fromFileOrEnv;
  if (stdinAllowed) {
    const first = (await readStdinText(io, INPUT_LIMITS.secret, 'the passphrase')).split(/\r?\n/)[0] ?? '';
    if (first) return first;
  }
  throw new UserError('ERR_USAGE', 'a passphrase is needed: --passphrase-file FILE, JWT_GUARD_KEY_PASSPHRASE, or standard input');
}

async function mintCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    'key-file': { type: 'string' },
    'passphrase-file': { type: 'string' },
    claims: { type: 'string' },
    audience: { type: 'string' },
    'github-context': { type: 'boolean', default: false },
    policy: { type: 'string' },
  });
  const blob = await readSecret(io, values['key-file'], 'JWT_GUARD_SIGNING_KEY', '--key-file');
  if (!blob) throw new UserError('ERR_USAGE', 'mint needs the signing key: --key-file FILE or JWT_GUARD_SIGNING_KEY');
  const passphrase = await readSecret(io, values['passphrase-file'], 'JWT_GUARD_KEY_PASSPHRASE', '--passphrase-file');
  const base = (await gitTopLevel(io.cwd, io.env)) ?? io.cwd;
  const policy = loadPolicy({ ...(values.policy ? { policyPath: path.resolve(io.cwd, values.policy as string) } : {}), searchRoots: [io.cwd, base] });
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
}

/** A key helper never replaces a file (it may be the only copy of a key) unless told to with --force. */
function refuseOverwrite(files: string[], io: CliIo, force: boolean): void {
  if (force) return;
  const existing = files.find((file) => existsSync(file));
  if (existing) throw new UserError('ERR_EXISTS', `${safeText(path.relative(io.cwd, existing) || existing)} already exists; not overwriting it (it may be the only copy of a key): move it away, or pass --force to replace it`);
}

function keyForm(value: unknown): 'jwe' | 'pkcs8' {
  if (value === undefined || value === 'jwe' || value === 'pkcs8') return (value ?? 'jwe') as 'jwe' | 'pkcs8';
  throw new UserError('ERR_USAGE', `--form must be jwe or pkcs8, not '${String(value)}'`);
}

async function encryptKeyCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { 'key-file': { type: 'string' }, 'passphrase-file': { type: 'string' }, form: { type: 'string' }, output: { type: 'string' }, force: { type: 'boolean', default: false } });
  if (values.output) refuseOverwrite([path.resolve(io.cwd, values.output as string)], io, Boolean(values.force));
  const form = keyForm(values.form);
  if (!values['key-file']) throw new UserError('ERR_USAGE', 'encrypt-key needs --key-file FILE (or - for standard input)');
  const fromStdin = values['key-file'] === '-';
  const text = fromStdin ? await readStdinText(io, INPUT_LIMITS.key, 'the key') : await readInput(path.resolve(io.cwd, values['key-file'] as string), '--key-file');
  const passphrase = await passphraseFor(io, values['passphrase-file'], !fromStdin);
  if (/ENCRYPTED/.test(text) || /^[\w-]+\.[\w-]*\.[\w-]+\.[\w-]+\.[\w-]+\s*$/.test(text.trim())) throw new UserError('ERR_USAGE', 'the key is already encrypted');
  const { privateKey } = await openSigningKey(text, undefined, { allowPlainKey: true });
  const encrypted = form === 'jwe' ? `${await encryptToJwe(privateKey, passphrase)}\n` : encryptToPkcs8(privateKey, passphrase);
  if (values.output) await writeFileAtomic(path.resolve(io.cwd, values.output as string), encrypted, 0o600);
  else io.stdout.write(encrypted);
  return EXIT.clean;
}

async function keygenCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { algorithm: { type: 'string' }, 'passphrase-file': { type: 'string' }, form: { type: 'string' }, 'out-dir': { type: 'string' }, policy: { type: 'string' }, force: { type: 'boolean', default: false } });
  const form = keyForm(values.form);
  const outDir = values['out-dir'] ? path.resolve(io.cwd, values['out-dir'] as string) : undefined;
  // Both files are checked before either is written: a refusal leaves nothing half-done.
  if (outDir) refuseOverwrite([path.join(outDir, 'jwks.json'), path.join(outDir, form === 'jwe' ? 'signing-key.jwe' : 'signing-key.pem')], io, Boolean(values.force));
  const base = (await gitTopLevel(io.cwd, io.env)) ?? io.cwd;
  const policy = loadPolicy({ ...(values.policy ? { policyPath: path.resolve(io.cwd, values.policy as string) } : {}), searchRoots: [io.cwd, base] });
  const alg = (values.algorithm as string | undefined) ?? policy.mint.algorithm;
  const passphrase = await passphraseFor(io, values['passphrase-file'], true);
  const privateKey = generateSigningKey(alg, policy);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  const jwks = { keys: [{ ...jwk, kid, alg, use: 'sig' }] };
  const encryptedKey = form === 'jwe' ? await encryptToJwe(privateKey, passphrase) : encryptToPkcs8(privateKey, passphrase);
  if (values['out-dir']) {
    const dir = path.resolve(io.cwd, values['out-dir'] as string);
    await writeFileAtomic(path.join(dir, 'jwks.json'), `${JSON.stringify(jwks, null, 2)}\n`);
    await writeFileAtomic(path.join(dir, form === 'jwe' ? 'signing-key.jwe' : 'signing-key.pem'), form === 'jwe' ? `${encryptedKey}\n` : encryptedKey, 0o600);
    io.stdout.write(`made ${alg} key ${kid}: publish ${path.join(values['out-dir'] as string, 'jwks.json')}, store ${path.join(values['out-dir'] as string, form === 'jwe' ? 'signing-key.jwe' : 'signing-key.pem')} as a secret (then delete it)\n`);
  } else {
    io.stdout.write(`${JSON.stringify({ kid, alg, jwks, encryptedKey }, null, 2)}\n`);
  }
  return EXIT.clean;
}
