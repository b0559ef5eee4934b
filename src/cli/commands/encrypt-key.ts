import path from 'node:path';
import { UserError } from '../../errors.js';
import { encryptToJwe, encryptToPkcs8, openSigningKey } from '../../mint/keys.js';
import { INPUT_LIMITS } from '../../util/read-file.js';
import { writeFileAtomic } from '../../util/write-file.js';
import type { Command } from '../command.js';
import { commandPolicy, EXIT, keyForm, passphraseFor, POLICY_OPTION, readInput, readStdinText, refuseOverwrite } from '../io.js';
import { checkSigningKey } from '../../mint/mint.js';
import { safeText } from '../../report/safe.js';

export const encryptKeyCommand: Command = {
  name: 'encrypt-key',
  summary: 'Encrypt a signing key for storage in a secret',
  options: {
    'key-file': { type: 'string', value: 'FILE', description: 'The private key (PEM or JWK); - for standard input' },
    'passphrase-file': { type: 'string', value: 'FILE', description: 'The passphrase (or JWT_GUARD_KEY_PASSPHRASE, or the first line of standard input)' },
    form: { type: 'string', value: 'jwe|pkcs8', description: 'A compact JWE (PBES2-HS512+A256KW, A256GCM; default) or an encrypted PKCS#8 PEM' },
    output: { type: 'string', value: 'FILE', description: 'Write there instead of standard output (never over an existing file without --force)' },
    force: { type: 'boolean', default: false, description: 'Replace --output if it exists' },
    policy: POLICY_OPTION,
  },
  notes: ['A key that mint would refuse (weak, or unfit for the policy\'s mint.algorithm) is refused here, before it is stored.'],
  async run(values, _positionals, io) {
    if (values.output) refuseOverwrite([path.resolve(io.cwd, values.output as string)], io, Boolean(values.force));
    const form = keyForm(values.form);
    if (!values['key-file']) throw new UserError('ERR_USAGE', 'encrypt-key needs --key-file FILE (or - for standard input)');
    const fromStdin = values['key-file'] === '-';
    const text = fromStdin ? await readStdinText(io, INPUT_LIMITS.key, 'the key') : await readInput(path.resolve(io.cwd, values['key-file'] as string), '--key-file');
    if (/ENCRYPTED/.test(text) || /^[\w-]+\.[\w-]*\.[\w-]+\.[\w-]+\.[\w-]+\s*$/.test(text.trim())) throw new UserError('ERR_USAGE', 'the key is already encrypted');
    const key = await openSigningKey(text, undefined, { allowPlainKey: true });
    // Refused here, not at the first deployment: mint would refuse it with the same policy.
    const { policy } = await commandPolicy(io, values.policy);
    const facts = await checkSigningKey(policy, key, 'refusing to encrypt a key mint would refuse');
    const passphrase = await passphraseFor(io, values['passphrase-file'], !fromStdin);
    const encrypted = form === 'jwe' ? `${await encryptToJwe(key.privateKey, passphrase)}\n` : encryptToPkcs8(key.privateKey, passphrase);
    const what = `${facts.keyType}${facts.curve ? ` ${facts.curve}` : facts.bits ? ` ${facts.bits}-bit` : ''} key (kid ${key.kid}) for ${policy.mint.algorithm}, as ${form === 'jwe' ? 'a compact JWE (PBES2-HS512+A256KW, A256GCM)' : 'an encrypted PKCS#8 PEM'}`;
    if (values.output) {
      await writeFileAtomic(path.resolve(io.cwd, values.output as string), encrypted, 0o600);
      io.stderr.write(`jwt-guard: encrypted the ${what}, to ${safeText(values.output as string)} (mode 600): store it as a secret, then delete it and the plain key\n`);
    } else {
      io.stdout.write(encrypted);
      io.stderr.write(`jwt-guard: encrypted the ${what}, to standard output\n`);
    }
    return EXIT.clean;
  },
};
