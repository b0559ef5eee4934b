import { createPublicKey } from 'node:crypto';
import path from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { generateSigningKey } from '../../mint/keygen.js';
import { encryptToJwe, encryptToPkcs8 } from '../../mint/keys.js';
import { writeFileAtomic } from '../../util/write-file.js';
import type { Command } from '../command.js';
import { commandPolicy, EXIT, keyForm, passphraseFor, POLICY_OPTION, refuseOverwrite } from '../io.js';

export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'Make a new signing key pair: public JWKS and encrypted private key',
  options: {
    algorithm: { type: 'string', value: 'ALG', description: "Default: the policy's mint.algorithm (ES256)" },
    'passphrase-file': { type: 'string', value: 'FILE', description: 'As for encrypt-key; --form as for encrypt-key' },
    form: { type: 'string', value: 'jwe|pkcs8', description: 'A compact JWE (default) or an encrypted PKCS#8 PEM' },
    'out-dir': { type: 'string', value: 'DIR', description: 'Write DIR/jwks.json and DIR/signing-key.jwe (or .pem) instead of printing JSON' },
    policy: POLICY_OPTION,
    force: { type: 'boolean', default: false, description: 'Replace files that exist in --out-dir' },
  },
  async run(values, _positionals, io) {
    const form = keyForm(values.form);
    const outDir = values['out-dir'] ? path.resolve(io.cwd, values['out-dir'] as string) : undefined;
    const keyFile = form === 'jwe' ? 'signing-key.jwe' : 'signing-key.pem';
    // Both files are checked before either is written: a refusal leaves nothing half-done.
    if (outDir) refuseOverwrite([path.join(outDir, 'jwks.json'), path.join(outDir, keyFile)], io, Boolean(values.force));
    const { policy } = await commandPolicy(io, values.policy);
    const alg = (values.algorithm as string | undefined) ?? policy.mint.algorithm;
    const passphrase = await passphraseFor(io, values['passphrase-file'], true);
    const privateKey = generateSigningKey(alg, policy);
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(jwk);
    const jwks = { keys: [{ ...jwk, kid, alg, use: 'sig' }] };
    const encryptedKey = form === 'jwe' ? await encryptToJwe(privateKey, passphrase) : encryptToPkcs8(privateKey, passphrase);
    if (outDir) {
      await writeFileAtomic(path.join(outDir, 'jwks.json'), `${JSON.stringify(jwks, null, 2)}\n`);
      await writeFileAtomic(path.join(outDir, keyFile), form === 'jwe' ? `${encryptedKey}\n` : encryptedKey, 0o600);
      const shown = values['out-dir'] as string;
      io.stdout.write(`made ${alg} key ${kid}: publish ${path.join(shown, 'jwks.json')}, store ${path.join(shown, keyFile)} as a secret (then delete it)\n`);
    } else {
      io.stdout.write(`${JSON.stringify({ kid, alg, jwks, encryptedKey }, null, 2)}\n`);
    }
    return EXIT.clean;
  },
};
