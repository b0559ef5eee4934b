/** Tokens in the forms they are committed in: headers written with white space, after a string escape, glued to a prefix. */
import { describe, expect, it } from '@jest/globals';
import { createHmac, randomBytes } from 'node:crypto';
import { compactVerify } from 'jose';
import { detectArtifacts } from '../../src/detect/index.js';
import { findingsIn } from '../helpers/scan.js';
import { goodClaims, hmac } from '../helpers/tokens.js';

const secret = randomBytes(32);
const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** An HS256 JWS whose header is the given JSON text, exactly as written (white space and all), validly signed. */
function tokenWithHeader(headerText: string): string {
  const input = `${b64(headerText)}.${b64(JSON.stringify(goodClaims()))}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const committed = async (text: string, path = 'src/config.ts') => (await findingsIn(text, { path })).filter((f) => f.ruleId === 'committed-token');

describe('headers that are not compact JSON', () => {
  it.each([
    ['a space after the brace', '{ "alg": "HS256", "typ": "JWT" }', 'eyA'],
    ['pretty-printed, two spaces', '{\n  "alg": "HS256",\n  "typ": "JWT"\n}', 'ewo'],
    ['pretty-printed, no indent', '{\n"alg":"HS256"}', 'ewo'],
    ['a tab', '{\t"alg": "HS256"}', 'ewk'],
    ['Windows line ends', '{\r\n  "alg": "HS256"\r\n}', 'ew0'],
  ])('finds a token whose header has %s', async (_name, header, start) => {
    const token = tokenWithHeader(header);
    expect(token.startsWith(start)).toBe(true);
    await expect(compactVerify(token, secret)).resolves.toBeDefined(); // a real token, as jose reads it
    for (const text of [`const t = "${token}";`, `Authorization: Bearer ${token}\n`, `token=${token}`]) {
      const found = await committed(text);
      expect(found).toEqual([expect.objectContaining({ severity: 'error', artifact: expect.objectContaining({ alg: 'HS256' }) })]);
      expect(found[0]!.message).not.toContain(token);
    }
  });

  it.each([
    ['a header that decodes to JSON without alg', `${b64('{ "typ": "JWT" }')}.${b64('{}')}.c2ln`],
    ['base64url that is not JSON at all', `${b64('{ not json')}.${b64('{}')}.c2ln`],
    ['host names that begin like a header', 'see ewokstuff.example.com and ew0rld-service.internal.example and eyAbcdefg.corp.local'],
    ['a version string', 'ewkt1234-rc1.2.3'],
  ])('finds nothing in %s', async (_name, text) => {
    expect(await findingsIn(`x = "${text}"\n`)).toEqual([]);
  });
});

describe('tokens right after a string escape', () => {
  it('finds a token after \\n, \\r\\n, \\t and \\" in a JSON-lines log message', async () => {
    const token = await hmac(randomBytes(32), goodClaims());
    for (const escape of ['\\n', '\\r\\n', '\\t', '\\"']) {
      const line = `{"level":"info","msg":"login ok:${escape}${token}","ts":1}\n`;
      const found = (await findingsIn(line, { path: 'logs/app.jsonl', kind: 'log' })).filter((f) => f.ruleId === 'token-in-log');
      expect(found).toHaveLength(1);
      expect(found[0]!.column).toBe(line.indexOf(token) + 1);
    }
  });

  it('does not start a token inside a base64url run', async () => {
    const token = await hmac(randomBytes(32), goodClaims());
    expect(await findingsIn(`x = "abc${token}"\n`)).toEqual([]);
    expect(await findingsIn(`x = "\\\\n${token.slice(1)}"\n`)).toEqual([]);
  });
});

describe('tokens glued to a prefix', () => {
  it('finds a token after an underscore or a dash, at its own column', async () => {
    const token = await hmac(randomBytes(32), goodClaims());
    for (const prefix of [`ghs_${randomBytes(18).toString('hex')}_`, 'session-', 'jwt_']) {
      const text = `value: ${prefix}${token}\n`;
      const found = await committed(text);
      expect(found).toHaveLength(1);
      expect(found[0]!.column).toBe(text.indexOf(token) + 1);
    }
  });

  it('finds each glued token once', async () => {
    const [a, b] = [await hmac(randomBytes(32), goodClaims()), await hmac(randomBytes(32), goodClaims())];
    const text = `${a} x_${b} y-${a}\n`;
    expect((await committed(text)).map((f) => f.column)).toEqual([1, text.indexOf(b) + 1, text.lastIndexOf(a) + 1]);
  });

  it('stays linear on a run of glued header starts that never becomes a token', () => {
    const hostile = `${'_eyJhbGciOi'.repeat(200_000)}`;
    const started = process.hrtime.bigint();
    expect(detectArtifacts(hostile)).toEqual([]);
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(5);
  });
});

describe('Jupyter notebooks', () => {
  it('finds a PEM key in a cell source, a JWK and a token in its outputs, each on its line in the file', async () => {
    const { keyPair, pkcs8, jwk } = await import('../helpers/keys.js');
    const pem = pkcs8(keyPair({ type: 'ec', curve: 'P-256' }, true).privateKey);
    const token = await hmac(randomBytes(32), goodClaims());
    const notebook = {
      cells: [
        { cell_type: 'markdown', source: ['# Signing\n'] },
        { cell_type: 'code', source: `key = """\n${pem}"""\n`.split(/(?<=\n)/), outputs: [{ output_type: 'stream', text: ['ok\n', `${JSON.stringify(jwk(keyPair({ type: 'ed25519' }, true).privateKey))}\n`, `Bearer ${token}\n`] }] },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    const text = JSON.stringify(notebook, null, 1);
    const findings = await findingsIn(text, { path: 'notebooks/sign.ipynb' });
    const lineOf = (needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
    expect(findings.map((f) => [f.ruleId, f.line])).toEqual(
      expect.arrayContaining([
        ['private-key', lineOf('-----BEGIN PRIVATE KEY-----')],
        ['private-key', lineOf('"kty')],
        ['committed-token', lineOf(token)],
      ]),
    );
  });
});

describe('a run of megabytes', () => {
  it('does not take the rest of the text down with it: a token after a 6 MB token-shaped run is still found, and nothing is a gap', async () => {
    const token = await hmac(randomBytes(32), goodClaims());
    const text = `blob = "eyJ${'A'.repeat(6 << 20)}.x"\nstd = "eyJ${'A'.repeat(6 << 20)}+"\nt = "${token}"\n`;
    const { artifacts, gaps } = (await import('../../src/detect/index.js')).detect(text);
    expect(gaps).toEqual([]);
    expect(artifacts.map((a) => a.raw)).toEqual([token]);
  });
});

describe('tokens cut into joined string literals', () => {
  const cut = (token: string, size: number) => token.match(new RegExp(`.{1,${size}}`, 'g'))!;
  it.each([
    ['JavaScript +, over lines', (p: string[]) => `const token =\n  ${p.map((s) => `"${s}"`).join(' +\n  ')};\n`, 'app.js'],
    ['Java +, single pieces per line', (p: string[]) => `String token = "${p.join('"\n    + "')}";\n`, 'Auth.java'],
    ["Python's adjacent literals in parentheses", (p: string[]) => `TOKEN = (\n${p.map((s) => `    '${s}'`).join('\n')}\n)\n`, 'settings.py'],
    ["PHP's .", (p: string[]) => `$token = '${p.join("' .\n  '")}';\n`, 'config.php'],
    ['C adjacent literals', (p: string[]) => `static const char *token = "${p.join('"\n                          "')}";\n`, 'auth.c'],
    ['a shell string continued with a backslash', (p: string[]) => `export TOKEN="${p.join('\\\n')}"\n`, 'deploy.sh'],
    ["Ruby's backslash between literals", (p: string[]) => `TOKEN = "${p.join('" \\\n  "')}"\n`, 'token.rb'],
  ])('finds a token cut into %s, once, over all its pieces', async (_name, write, path) => {
    const token = await hmac(randomBytes(32), goodClaims());
    const pieces = cut(token, 48);
    const text = write(pieces);
    const found = await committed(text, path);
    expect(found).toEqual([expect.objectContaining({ severity: 'error', line: text.slice(0, text.indexOf(pieces[0]!)).split('\n').length, artifact: expect.objectContaining({ alg: 'HS256' }) })]);
    expect(found[0]!.endLine).toBe(text.slice(0, text.lastIndexOf(pieces[pieces.length - 1]!)).split('\n').length);
    for (const piece of pieces.slice(1)) expect(found[0]!.message).not.toContain(piece);
  });

  it('stays with the plain token when what follows is not more of it', async () => {
    const token = await hmac(randomBytes(32), goodClaims());
    for (const text of [`const h = "${token}" + "\\n";`, `const t = "${token}" + suffix;`, `f("${token}", "eyJhbGciOiJub25lIn0")`]) {
      const found = await committed(text);
      expect(found).toHaveLength(1);
      expect(found[0]!.artifact).toMatchObject({ alg: 'HS256' });
    }
  });

  it('finds nothing in pieces that join to no token', async () => {
    expect(await committed(`const a = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + "not a token at all";\n`)).toEqual([]);
  });
});

describe('tokens wrapped over log lines', () => {
  it.each([
    ['at 80 columns, with no indent', 80, ''],
    ['at 120 columns, the next lines indented', 120, '    '],
  ])('finds a token a fixed-width logger wrapped %s, over all its lines', async (_name, width, indent) => {
    const token = await hmac(randomBytes(32), goodClaims());
    const line = `2026-12-01 10:00:00 INFO auth: issued Bearer ${token}`;
    const lines = line.match(new RegExp(`.{1,${width}}`, 'g'))!;
    const text = `${lines.map((l, i) => (i === 0 ? l : `${indent}${l}`)).join('\n')}\n2026-12-01 10:00:01 INFO next request\n`;
    const found = await committed(text, 'logs/app.log');
    expect(found).toEqual([expect.objectContaining({ severity: 'error', line: 1, endLine: lines.length, artifact: expect.objectContaining({ alg: 'HS256' }) })]);
  });

  it('does not join a whole token to the line after it, nor a short line that was not wrapped', async () => {
    const token = await hmac(randomBytes(32), goodClaims());
    const whole = await committed(`token ${token}\nabc\n`, 'logs/app.log');
    expect(whole).toEqual([expect.objectContaining({ line: 1, endLine: 1 })]);
    const header = token.split('.')[0]!;
    expect(await committed(`h ${header}\n${token.slice(header.length)}\n`, 'logs/app.log')).toEqual([]);
  });
});
