import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { validate as validatePolicy } from './validate.generated.js';
import { PolicyError, UserError, type PolicyProblem } from '../errors.js';
import { RULES } from '../rules/index.js';
import { PRESETS } from './presets.js';
import { parseSize } from './size.js';
import { parseDuration } from './duration.js';
import type { CompleteDocument, Policy, PolicyDocument, RuleSetting } from './types.js';
import { lineStarts, position } from '../util/lines.js';
import { duplicateKeys, MAX_JSON_DEPTH, nestingDepth } from '../util/json.js';
import { INPUT_LIMITS, readRegularFile } from '../util/read-file.js';
import { isInside } from '../sources/files.js';

export const DEFAULT_POLICY_PATH = '.github/jwt-guard.json';

/** Where a directory's policy may be, in this order (init writes the first). Two of them at once is refused: one would be edited, the other read. */
export const POLICY_NAMES = [DEFAULT_POLICY_PATH, 'jwt-guard.json', '.jwt-guard.json'] as const;

/** The schema's validator, compiled ahead of time (see __tests__/generated.test.ts). */
const validateFn = validatePolicy as unknown as ValidateFunction;

export interface LoadPolicyOptions {
  /** An explicit policy file (CLI `--policy`, Action `policy`, or JWT_GUARD_POLICY), absolute or relative to the cwd; must exist. */
  policyPath?: string;
  /** Where policyPath came from, when not an option (`JWT_GUARD_POLICY`), for the message if it is not there. */
  policyFrom?: string;
  /** Directories whose policy (POLICY_NAMES) is used when no path is given, first found wins. */
  searchRoots: string[];
}

/**
 * Finds, parses, validates and resolves the policy. Without a policy file the
 * `recommended` preset applies. Every problem is reported with file, JSON pointer,
 * line and column, and nothing is scanned until the policy is valid.
 */
export function loadPolicy(options: LoadPolicyOptions): Policy {
  let file: string | undefined;
  if (options.policyPath) {
    file = path.resolve(options.policyPath);
    if (!existsSync(file)) throw new UserError('ERR_POLICY_NOT_FOUND', `policy file not found: ${options.policyPath}${options.policyFrom ? ` (from ${options.policyFrom})` : ''}`);
  } else {
    for (const root of options.searchRoots) {
      const found = POLICY_NAMES.map((name) => path.join(root, name)).filter((candidate) => existsSync(candidate));
      if (found.length === 0) continue;
      if (found.length > 1) {
        const names = found.map((f) => path.relative(root, f)).join(' and ');
        throw new UserError('ERR_POLICY_AMBIGUOUS', `${names} are ${found.length === 2 ? 'both' : 'all'} policies in ${root}: keep one (jwt-guard reads ${POLICY_NAMES.join(', then ')}), or name one with --policy`);
      }
      const candidate = found[0]!;
      // A policy found in the repository is the repository's: a link out of it (to /proc/self/environ, say) is refused.
      const real = realpathSync(candidate);
      if (!isInside(realpathSync(root), real)) throw new UserError('ERR_POLICY_UNREADABLE', `policy file ${candidate} links outside ${root}: refusing to read it`);
      file = candidate;
      break;
    }
  }
  if (!file) return resolvePolicy({}, 'built-in recommended');
  const relative = path.relative(process.cwd(), file);
  const display = relative && !relative.startsWith('..') ? relative : file;
  const text = readRegularFile(file, { maxBytes: INPUT_LIMITS.policy, what: `policy file ${display}`, code: 'ERR_POLICY_UNREADABLE' });
  return resolvePolicy(parsePolicyText(text, display), display);
}

/** Parses and validates a policy document; throws PolicyError listing every problem. */
export function parsePolicyText(text: string, file: string): PolicyDocument {
  const lines = lineStarts(text);
  const where = (offset: number) => position(lines, offset);
  if (nestingDepth(text) > MAX_JSON_DEPTH) {
    throw new PolicyError([{ file, pointer: '', line: 1, column: 1, message: `nested more than ${MAX_JSON_DEPTH} levels deep: a policy needs a handful` }]);
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: false, disallowComments: false });
  if (errors.length > 0 || !tree) {
    const problems = errors.map((e) => ({ file, pointer: '', ...where(e.offset), message: `JSON syntax error: ${describeParseError(printParseErrorCode(e.error))}` }));
    if (problems.length === 0) problems.push({ file, pointer: '', line: 1, column: 1, message: 'the file is empty: a policy is a JSON object' });
    throw new PolicyError(problems);
  }
  const duplicates = duplicateKeys(tree).map((d) => ({ file, pointer: d.pointer, ...where(d.offset), message: `duplicate property '${d.name}': JSON parsers disagree on which one wins, so write it once` }));
  if (duplicates.length > 0) throw new PolicyError(duplicates);
  const document = nodeValue(tree);
  if (!validateFn(document)) {
    throw new PolicyError(toProblems(validateFn.errors ?? [], tree, file, where));
  }
  return document as PolicyDocument;
}

/**
 * Merges a document over its preset chain. Every chain starts at the `recommended`
 * preset, which holds every default (src/policy/presets.ts), so the merge is complete;
 * sizes and durations are parsed, and a value that cannot be is refused with its setting
 * named.
 */
export function resolvePolicy(document: PolicyDocument, source: string): Policy {
  const chain: PolicyDocument[] = [document];
  let next = document.extends ?? (document === PRESETS.recommended ? undefined : 'recommended');
  const seen = new Set<string>();
  while (next && !seen.has(next)) {
    seen.add(next);
    const preset = PRESETS[next];
    chain.unshift(preset);
    next = preset.extends;
  }
  /** A value parsed from the policy, with the setting and the policy named when it is refused. */
  const setting = <T>(name: string, parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      if (error instanceof UserError) throw new UserError(error.code, `policy ${source}: ${name}: ${error.message}`);
      throw error;
    }
  };
  // A copy: a resolved policy shares no array with the presets, so nothing done to one can change another.
  const merged = structuredClone(chain.reduce<Record<string, unknown>>((acc, doc) => merge(acc, doc as Record<string, unknown>), {})) as CompleteDocument;
  const { files, algorithms, keys, tokens, mint, rules, ignore, baseline } = merged;
  const { type, maxLifetime, clockTolerance, jwksUrls, ...tokenLists } = tokens;
  return {
    source,
    files: {
      ...files,
      fixtures: files.fixtures.flatMap((entry) => (typeof entry === 'string' ? [entry] : entry.paths)),
      maxFileSize: setting('files.maxFileSize', () => parseSize(files.maxFileSize)),
    },
    algorithms,
    keys,
    tokens: {
      ...tokenLists,
      ...(type ? { type } : {}),
      maxLifetime: setting('tokens.maxLifetime', () => parseDuration(maxLifetime)),
      clockTolerance: setting('tokens.clockTolerance', () => parseDuration(clockTolerance)),
      jwksUrls: setting('tokens.jwksUrls', () => jwksUrls.map(checkUrl)),
    },
    mint: {
      ...mint,
      audience: typeof mint.audience === 'string' ? (mint.audience ? [mint.audience] : []) : mint.audience,
      lifetime: setting('mint.lifetime', () => parseDuration(mint.lifetime)),
    },
    rules: resolveRules(rules),
    ignore,
    ...(baseline ? { baseline } : {}),
  };
}

function resolveRules(rules: NonNullable<PolicyDocument['rules']>): Record<string, RuleSetting> {
  const resolved: Record<string, RuleSetting> = {};
  for (const rule of RULES) {
    const entry = rules[rule.meta.id];
    const defaults = Object.fromEntries(Object.entries(rule.meta.options ?? {}).map(([name, schema]) => [name, schema.default]));
    if (entry === undefined) resolved[rule.meta.id] = { severity: rule.meta.defaultSeverity, options: defaults };
    else if (typeof entry === 'string') resolved[rule.meta.id] = { severity: entry, options: defaults };
    else {
      const { severity, ...options } = entry;
      resolved[rule.meta.id] = { severity: severity ?? rule.meta.defaultSeverity, options: { ...defaults, ...options } };
    }
  }
  return resolved;
}

/** Objects merge key by key; arrays and scalars replace. A severity string replaces a rule object and vice versa. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] = isPlainObject(prior) && isPlainObject(value) ? merge(prior, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value) out[key.value as string] = nodeValue(value);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

function toProblems(errors: ErrorObject[], tree: Node, file: string, where: (offset: number) => { line: number; column: number }): PolicyProblem[] {
  const byPointer = new Map<string, PolicyProblem>();
  const hintOf = (error: ErrorObject) => (error.parentSchema as Record<string, unknown> | undefined)?.['x-hint'] as string | undefined;
  // A value that fits none of an anyOf's forms is explained by the anyOf's hint, not by each
  // branch's complaint about it; a complaint deeper inside the value (a form was clearly chosen) stays.
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf' && hintOf(e));
  const explainedByAnyOf = (error: ErrorObject) =>
    error.keyword !== 'anyOf' && anyOfs.some((a) => error.instancePath === a.instancePath && error.schemaPath.startsWith(`${a.schemaPath}/`));
  const ordered = errors.filter((e) => !explainedByAnyOf(e)).sort((a, b) => Number(a.keyword === 'anyOf') - Number(b.keyword === 'anyOf'));
  for (const error of ordered) {
    let pointer = error.instancePath;
    let message: string;
    const hint = hintOf(error);
    switch (error.keyword) {
      case 'additionalProperties': {
        const name = (error.params as { additionalProperty: string }).additionalProperty;
        pointer = `${pointer}/${escapePointer(name)}`;
        const allowed = Object.keys(((error.parentSchema as Record<string, unknown>)?.properties as object) ?? {});
        message = `unknown property '${name}'; allowed: ${allowed.join(', ')}`;
        break;
      }
      case 'required':
        message = `missing required property '${(error.params as { missingProperty: string }).missingProperty}'`;
        break;
      case 'enum':
        message = `must be ${hint ?? `one of: ${((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`}, not ${describeValue(error.data)}`;
        break;
      case 'type':
        message = `must be ${hint ?? `of type ${(error.params as { type: string }).type}`}, not ${describeValue(error.data)}`;
        break;
      case 'pattern':
        message = `must be ${hint ?? `a string matching ${(error.params as { pattern: string }).pattern}`}, not ${describeValue(error.data)}`;
        break;
      case 'anyOf':
        message = `must be ${hint ?? 'one of the allowed forms'}${typeof error.data !== 'object' || error.data === null ? `, not ${describeValue(error.data)}` : ''}`;
        break;
      default:
        message = error.message ?? 'is invalid';
    }
    // One problem per place; an anyOf is not repeated above a deeper problem it contains.
    if (byPointer.has(pointer)) continue;
    if (error.keyword === 'anyOf' && [...byPointer.keys()].some((p) => p.startsWith(`${pointer}/`))) continue;
    byPointer.set(pointer, { file, pointer, ...where(offsetOf(tree, pointer, error.keyword === 'additionalProperties')), message });
  }
  return [...byPointer.values()].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** A JWKS URL that must parse (a space in it used to crash the check): refused without being repeated. */
function checkUrl(url: string, index: number): string {
  try {
    new URL(url);
  } catch {
    throw new UserError('ERR_POLICY_INVALID', `[${index}] is not a URL that parses (${describeValue(url)})`);
  }
  return url;
}

/**
 * A refused value, described without repeating it: a string by its length (a PEM or a
 * password pasted into the wrong field must not be echoed into a CI log), other values by
 * their type, or as themselves when they cannot be secret (numbers, booleans, null).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  return 'an object';
}

function offsetOf(tree: Node, pointer: string, atKey: boolean): number {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const node = findNodeAtLocation(tree, segments);
  if (!node) return tree.offset;
  if (atKey && node.parent?.type === 'property') return node.parent.children?.[0]?.offset ?? node.offset;
  return node.offset;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function describeParseError(code: string): string {
  const sentences: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'a property name in double quotes was expected',
    ValueExpected: 'a value was expected',
    ColonExpected: "':' was expected",
    CommaExpected: "',' was expected",
    CloseBraceExpected: "'}' was expected",
    CloseBracketExpected: "']' was expected",
    EndOfFileExpected: 'nothing may follow the top-level value',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfComment: 'unterminated comment',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in string',
  };
  return sentences[code] ?? code;
}
