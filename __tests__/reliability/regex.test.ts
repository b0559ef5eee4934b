/**
 * Every regular expression in src/ is checked for catastrophic backtracking with recheck,
 * and the detectors' patterns are fed inputs built to attack them.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { checkSync } from 'recheck';
import { detectArtifacts } from '../../src/detect/index.js';
import { inlineDirectives } from '../../src/suppress/suppressions.js';
import { hasAnchor } from '../../src/sources/read.js';

function regexLiterals(): Array<{ where: string; source: string; flags: string }> {
  const out: Array<{ where: string; source: string; flags: string }> = [];
  const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = readFileSync(path.join('src', file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node) => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const literal = node.getText(source);
        const end = literal.lastIndexOf('/');
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        out.push({ where: `src/${file}:${line + 1}`, source: literal.slice(1, end), flags: literal.slice(end + 1) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}

describe('regular expressions', () => {
  const literals = regexLiterals();

  it('finds the regexes it is meant to check', () => {
    expect(literals.length).toBeGreaterThan(60);
  });

  it('none is vulnerable to catastrophic backtracking (recheck)', () => {
    const vulnerable = literals
      .map((literal) => ({ ...literal, result: checkSync(literal.source, literal.flags.replace(/[gy]/g, ''), { timeout: 10_000 }) }))
      .filter(({ result }) => result.status === 'vulnerable')
      .map(({ where, source, result }) => `${where} /${source}/: ${result.status === 'vulnerable' ? result.complexity.type : ''}`);
    expect(vulnerable).toEqual([]);
  }, 300_000);
});

/** Token parts are made at run time, so that this file holds no token. */
const b64u = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('inputs built to attack the detectors finish in linear time', () => {
  const attacks: Array<[string, string]> = [
    ['lone BEGIN markers', '-----BEGIN PRIVATE KEY-----\n'.repeat(40_000)],
    ['a BEGIN with a huge body and no END', `-----BEGIN RSA PRIVATE KEY-----\n${'A'.repeat(2_000_000)}`],
    ['many kty with unbalanced braces', '{"kty":'.repeat(100_000)],
    ['nested braces around kty', `${'{'.repeat(50_000)}"kty":"RSA"${'}'.repeat(50_000)}`],
    ['eyJ runs with dots', `eyJ${'a.'.repeat(500_000)}`],
    ['eyJ headers without end', `${b64u({ alg: 'HS256' })}.`.repeat(50_000)],
    ['URL parameters before a token', `https://x.test/?${'a=b&'.repeat(100_000)}token=${b64u({ alg: 'HS256' })}.${b64u({ sub: '1' })}.c2ln`],
    ['ssh key types without blobs', 'ssh-rsa '.repeat(200_000)],
    ['PuTTY headers without a MAC', 'PuTTY-User-Key-File-3: ssh-rsa\n'.repeat(30_000)],
    ['ignore directives', '// jwt-guard-ignore-begin private-key -- reason\n'.repeat(50_000)],
  ];

  it.each(attacks)('%s', (_name, text) => {
    const started = performance.now();
    detectArtifacts(text);
    inlineDirectives(text);
    hasAnchor(Buffer.from(text));
    // Generous: a super-linear pattern on these 1-2 MB inputs would take minutes.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
