import { createHash } from 'node:crypto';
import type { Node } from 'web-tree-sitter';
import { errorKind } from '../errors.js';
import { checkCSharp } from './checks/csharp.js';
import { checkGo } from './checks/go.js';
import { checkJava } from './checks/java.js';
import { checkJavaScript } from './checks/javascript.js';
import { checkPython } from './checks/python.js';
import { checkRuby } from './checks/ruby.js';
import type { CheckContext, CodeFact, InsecureMessage, SecretLiteral } from './facts.js';
import { parse } from './grammar.js';
import { Imports } from './imports.js';
import { builtCode, languageOf, type CodeLanguage } from './languages.js';
import { Code, type Family } from './syntax.js';
import { isWellKnownSecret, secretSource } from '../rules/data/well-known-secrets.js';
import { lineBreaks } from '../util/lines.js';

export type { CodeFact } from './facts.js';

const CHECKS: Record<Family, (context: CheckContext) => void> = { js: checkJavaScript, python: checkPython, go: checkGo, java: checkJava, csharp: checkCSharp, ruby: checkRuby };

export interface CodeAnalysis {
  facts: CodeFact[];
  /** What could not be analysed: the grammar did not load, the parse ran out of time, a check failed. */
  gap?: string;
}

/**
 * The code checks of one source file: parsed (tree-sitter recovers from syntax errors, so
 * a file that does not parse is analysed as far as the parser gets), then each library's
 * checks of its language. Never throws: trouble is a gap, reported as incomplete-scan.
 */
export async function analyzeCode(file: string, text: string, language: CodeLanguage | undefined = languageOf(file), debug = false): Promise<CodeAnalysis> {
  if (!language || !worthParsing(text, language)) return { facts: [] };
  let tree;
  try {
    tree = await parse(language, text);
  } catch (error) {
    return { facts: [], gap: `the ${language.id} grammar could not be loaded (${errorKind(error, debug)}), so the code checks did not read this file` };
  }
  if (!tree) return { facts: [], gap: `parsing it as ${language.id} took too long, so the code checks did not read this file` };
  const facts: CodeFact[] = [];
  try {
    const code = new Code(language.id, tree, text);
    const imports = new Imports(code);
    const seen = new Set<string>();
    const push = (fact: CodeFact) => {
      const key = `${fact.ruleId}\0${fact.start}\0${fact.messageId}`;
      if (seen.has(key)) return;
      seen.add(key);
      facts.push(fact);
    };
    const context: CheckContext = {
      code,
      imports,
      insecure(messageId: InsecureMessage, at: Node, library: string, call: string, how: string, safe: string, where?: string) {
        push({ ruleId: 'insecure-verification', messageId, data: { call, how, safe, ...(where ? { where } : {}) }, start: at.startIndex, end: at.endIndex, library, identity: `insecure-verification\0${library}\0${call}\0${messageId}\0${how}` });
      },
      secret(literal: SecretLiteral, library: string, call: string) {
        push({
          ruleId: 'hardcoded-secret',
          messageId: 'literal',
          data: { call, length: literal.value.length, via: literal.via ? ` (through ${literal.via})` : '', weak: isWellKnownSecret(literal.value) ? `, ${secretSource(literal.value)}` : '' },
          start: literal.node.startIndex,
          end: literal.node.endIndex,
          library,
          // Never the value: a digest of a short secret is a dictionary attack away from it.
          identity: `hardcoded-secret\0${library}\0${call}\0${literal.via ?? ''}\0${literal.value.length}`,
        });
      },
    };
    CHECKS[code.family](context);
    return { facts };
  } catch (error) {
    return { facts, gap: `the code checks failed on this file (${errorKind(error, debug)}); what they found before is reported` };
  } finally {
    tree.delete();
  }
}

/** Whether the code checks parse this text: it names a library they know, and it is not built code. */
export function worthParsing(text: string, language: CodeLanguage): boolean {
  return language.uses.test(text) && !builtCode(text.length, () => lineBreaks(text));
}

/** The digest of a code fact, for its fingerprint: what it is, never where it sits. */
export const codeDigest = (fact: CodeFact): string => createHash('sha256').update(fact.identity).digest('hex').slice(0, 32);
