/**
 * Text from scanned files (paths, kids, comments) is untrusted: it must not move the
 * cursor, recolour a terminal, or start a workflow command in a CI log. Control
 * characters are shown escaped, and a line can never begin with `::`.
 */
export function safeText(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A line for a CI log: escaped, and never one the runner would read as a command. */
export function logLine(value: string): string {
  const line = safeText(value);
  return /^\s*::/.test(line) ? ` ${line.replace(/^\s*/, '')}` : line;
}
