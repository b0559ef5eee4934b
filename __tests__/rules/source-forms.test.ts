/** Keys in the forms source code, documentation and logs write them: map literals of many languages, diffs, prefixed log lines. */
import { describe, expect, it } from '@jest/globals';
import type { KeyObject } from 'node:crypto';
import { describeKeyObject } from '../../src/analyze/public-key.js';
import * as k from '../helpers/keys.js';
import { findingsIn } from '../helpers/scan.js';

const ec = () => k.keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey;
const thumbprintOf = async (key: KeyObject) => (await describeKeyObject(key)).thumbprint;

/** The private-key findings of a text, by line, with the thumbprint each names. */
async function privateKeys(text: string, path: string): Promise<Array<{ line: number; thumbprint: unknown }>> {
  return (await findingsIn(text, { path })).filter((f) => f.ruleId === 'private-key').map((f) => ({ line: f.line, thumbprint: f.artifact.thumbprint }));
}

type Jwk = Record<string, string>;

const FORMS: Array<[string, string, (j: Jwk) => string, number]> = [
  ['a Python dict with # comments and implicit concatenation', 'keys.py', (j) => `KEY = {\n    # the signing key\n    "kty": "EC",  # EC\n    "crv": "P-256",\n    "x": "${j.x}",\n    "y": "${j.y}",\n    "d": ("${j.d!.slice(0, 20)}"\n          "${j.d!.slice(20)}"),\n}\n`, 1],
  ["a Python dict() call", 'keys.py', (j) => `key = dict(kty="EC", crv="P-256", x="${j.x}", y="${j.y}", d="${j.d}")\n`, 1],
  ['a JavaScript object with // and /* */ comments and + concatenation', 'keys.js', (j) => `const key = {\n  // signing\n  kty: "EC", /* curve */ crv: "P-256",\n  x: "${j.x}",\n  y: "${j.y}",\n  d: "${j.d!.slice(0, 10)}" +\n     "${j.d!.slice(10)}",\n};\n`, 1],
  ['JSON5', 'key.json5', (j) => `{\n  // JSON5\n  kty: 'EC', crv: 'P-256',\n  x: '${j.x}',\n  y: '${j.y}',\n  d: '${j.d}',\n}\n`, 1],
  ['a Ruby hash with =>', 'key.rb', (j) => `KEY = { "kty" => "EC", "crv" => "P-256", "x" => "${j.x}", "y" => "${j.y}", "d" => "${j.d}" }\n`, 1],
  ['a Ruby hash with symbols', 'key.rb', (j) => `KEY = { :kty => "EC", :crv => "P-256", :x => "${j.x}", :y => "${j.y}", :d => "${j.d}" }\n`, 1],
  ['a PHP short array', 'key.php', (j) => `<?php\n$key = [\n  'kty' => 'EC',\n  'crv' => 'P-256',\n  'x' => '${j.x}',\n  'y' => '${j.y}',\n  'd' => '${j.d}',\n];\n`, 2],
  ['a PHP array() with . concatenation', 'key.php', (j) => `<?php\n$key = array("kty" => "EC", "crv" => "P-256", "x" => "${j.x}", "y" => "${j.y}", "d" => "${j.d!.slice(0, 9)}" . "${j.d!.slice(9)}");\n`, 2],
  ['a Groovy map', 'KeyTest.groovy', (j) => `def key = [kty: 'EC', crv: 'P-256', x: '${j.x}', y: '${j.y}', d: '${j.d}']\n`, 1],
  ['values wrapped over lines, as RFC 7520 prints them', 'vectors.txt', (j) => `{"kty":"EC","crv":"P-256",\n "x":"${j.x!.slice(0, 20)}\n     ${j.x!.slice(20)}",\n "y":"${j.y}",\n "d":"${j.d}"}\n`, 1],
  ['a Go raw string', 'key_test.go', (j) => `const key = \`{\n\t"kty": "EC",\n\t"crv": "P-256",\n\t"x": "${j.x}",\n\t"y": "${j.y}",\n\t"d": "${j.d}"\n}\`\n`, 1],
  ['a diff that adds it', 'fix.md', (j) => `\`\`\`diff\n@@ -1,2 +1,9 @@\n const keys = [\n${JSON.stringify(j, null, 2).split('\n').map((l) => `+${l}`).join('\n')}\n ];\n\`\`\`\n`, 4],
  ['escaped JSON cut into Java literals joined with +', 'JwkTest.java', (j) => `String jwk = "${JSON.stringify(JSON.stringify(j)).slice(1, -1).match(/.{1,50}/g)!.join('" +\n    "')}";\n`, 1],
  ["escaped JSON cut into Python's adjacent literals", 'test_jwk.py', (j) => `JWK = ("${JSON.stringify(JSON.stringify(j)).slice(1, -1).match(/.{1,50}/g)!.join('"\n       "')}")\n`, 1],
  ['JSON cut into JavaScript single-quoted literals', 'jwk.test.js', (j) => `const jwk = '{"kty":"EC","crv":"P-256",' +\n  '"x":"${j.x}","y":"${j.y}",' +\n  '"d":"${j.d}"}';\n`, 1],
  ['a commented-out block', 'example_test.go', (j) => `// OUTPUT:\n${JSON.stringify(j, null, 2).split('\n').map((l) => `// ${l}`).join('\n')}\n`, 2],
];

describe('JWKs as source code writes them', () => {
  it.each(FORMS)('finds a private JWK written as %s', async (_name, path, write, line) => {
    const key = ec();
    const jwk = k.jwk(key);
    expect(await privateKeys(write(jwk), path)).toEqual([{ line, thumbprint: await thumbprintOf(key) }]);
  });

  it.each(FORMS)('passes over a public JWK written as %s', async (_name, path, write) => {
    const { d: _d, ...publicJwk } = k.jwk(ec());
    // The same form with an empty d: a public key on an allowed curve, no finding at all.
    expect(await findingsIn(write({ ...publicJwk, d: '' }), { path })).toEqual([]);
  });

  it.each([
    ['a value joined to a variable', 'const key = { kty: "EC", crv: "P-256", x: X, y: Y, d: "abc" + secret };'],
    ['code between two quotes that builds a JWK', 'buf.WriteString(`{"e":"`)\n\tbuf.WriteString(base64.Encode(key.E))\n\tbuf.WriteString(`","kty":"RSA","n":"`)\n\tbuf.WriteString(base64.Encode(key.N))\n\tbuf.WriteString(`"}`)'],
    ['a map whose values are placeholders', "$key = ['kty' => 'EC', 'crv' => 'P-256', 'x' => '...', 'y' => '...', 'd' => '<your key>'];"],
  ])('stays quiet on %s', async (_name, text) => {
    expect(await findingsIn(text, { path: 'src/app.txt' })).toEqual([]);
  });
});

describe('PEM blocks behind a prefix on every line', () => {
  const PREFIXES: Array<[string, (line: string, i: number) => string]> = [
    ["a diff's +", (line) => `+${line}`],
    ['a timestamp', (line, i) => `2026-12-01T10:00:${String(i).padStart(2, '0')}Z ${line}`],
    ["a GitHub job log's timestamp and a diff's +", (line, i) => `2026-12-01T10:00:00.${String(1234567 + i * 31)}Z +${line}`],
    ['a logger prefix', (line, i) => `[worker-1] INFO  ${String(i)} ${line}`],
  ];

  it.each(PREFIXES)('finds a PEM key behind %s', async (_name, prefix) => {
    const key = ec();
    const text = `${k.pkcs8(key).trim().split('\n').map(prefix).join('\n')}\n`;
    expect(await privateKeys(text, 'logs/ci.log')).toEqual([{ line: 1, thumbprint: await thumbprintOf(key) }]);
  });

  it('stays quiet on a block whose lines carry prefixes that differ (a diff that changes a placeholder)', async () => {
    const text = ['-----BEGIN PRIVATE KEY-----', '-<your key here>', '+<paste the key here>', '-----END PRIVATE KEY-----'].map((l) => ` ${l}`).join('\n');
    expect(await findingsIn(text, { path: 'docs/setup.md' })).toEqual([]);
  });
});
