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
      if (value) found.push(...duplicateKeys(value, childPointer));
    }
  } else if (node.type === 'array') {
    (node.children ?? []).forEach((child, index) => found.push(...duplicateKeys(child, `${pointer}/${index}`)));
  }
  return found;
}

/**
 * Strict JSON for untrusted token parts: standard JSON only (no comments, no trailing
 * commas), an object at the top, and no duplicate keys. Returns the reason it is not.
 */
export function strictJsonObjectProblem(text: string): string | undefined {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || !tree) return `not valid JSON (${errors[0] ? printParseErrorCode(errors[0].error) : 'empty'})`;
  if (tree.type !== 'object') return 'not a JSON object';
  const duplicate = duplicateKeys(tree)[0];
  if (duplicate) return `duplicate member '${duplicate.name.slice(0, 40)}'`;
  return undefined;
}
