/**
 * JSON text in pieces, exactly as `JSON.stringify(value, null, 2)` writes it, so that a
 * report of tens of thousands of findings is written piece by piece instead of being
 * built as one string (twice its size in memory, as UTF-16) and then copied to UTF-8.
 * Arrays and objects are split down to `splitDepth` levels; below it, each value is one
 * piece.
 */
export function* jsonPieces(value: unknown, splitDepth = 2, indent = ''): Generator<string> {
  const inner = `${indent}  `;
  if (Array.isArray(value) && value.length > 0 && splitDepth > 0) {
    yield '[\n';
    for (let i = 0; i < value.length; i++) {
      yield inner;
      yield* jsonPieces(value[i] === undefined || typeof value[i] === 'function' ? null : value[i], splitDepth - 1, inner);
      yield i < value.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}]`;
    return;
  }
  if (isPlainObject(value) && splitDepth > 0) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
    if (entries.length === 0) {
      yield '{}';
      return;
    }
    yield '{\n';
    for (let i = 0; i < entries.length; i++) {
      const [key, member] = entries[i]!;
      yield `${inner}${JSON.stringify(key)}: `;
      yield* jsonPieces(member, splitDepth - 1, inner);
      yield i < entries.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}}`;
    return;
  }
  const text = JSON.stringify(value, null, 2) ?? 'null';
  yield indent ? text.replace(/\n/g, `\n${indent}`) : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}
