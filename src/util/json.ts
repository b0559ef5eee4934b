import { append } from './arrays.js';
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export interface DuplicateKey {
  pointer: string;
  offset: number;
  name: string;
}

/** Properties that occur twice in one object, by JSON pointer: parsers disagree on which one wins. */
export function duplicateKeys(node: Node, pointer = ''): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      if (!key) continue;
      const name = key.value as string;
      const childPointer = `${pointer}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (seen.has(name)) found.push({ pointer: childPointer, offset: key.offset, name });
      seen.add(name);
      if (value) append(found, duplicateKeys(value, childPointer));
    }
  } else if (node.type === 'array') {
    (node.children ?? []).forEach((child, index) => append(found, duplicateKeys(child, `${pointer}/${index}`)));
  }
  return found;
}

/** Deepest nesting accepted before parsing: policies and token parts need a handful of levels. */
export const MAX_JSON_DEPTH = 64;

/** The deepest bracket nesting of a JSON text, outside strings; linear, and stops once past `limit`. */
export function nestingDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      deepest = Math.max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c === '}' || c === ']') depth--;
  }
  return deepest;
}

/**
 * Strict JSON for untrusted token parts: standard JSON only (no comments, no trailing
 * commas), an object at the top, and no duplicate keys. Returns the reason it is not.
 */
export function strictJsonObjectProblem(text: string): string | undefined {
  if (nestingDepth(text) > MAX_JSON_DEPTH) return `nested more than ${MAX_JSON_DEPTH} levels deep`;
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || !tree) return `not valid JSON (${errors[0] ? printParseErrorCode(errors[0].error) : 'empty'})`;
  if (tree.type !== 'object') return 'not a JSON object';
  const duplicate = duplicateKeys(tree)[0];
  if (duplicate) return `duplicate member '${duplicate.name.slice(0, 40)}'`;
  return undefined;
}
