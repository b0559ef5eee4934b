/**
 * Text from scanned files and from inputs (paths, kids, audiences, comments) is untrusted:
 * it must not move the cursor, recolour a terminal, or issue a workflow command in a CI
 * log. The runner reads a line as a command when, after trimming leading white space, it
 * starts with `::` (and holds a second `::`), and, in the legacy form, wherever `##[`
 * appears in it (actions/runner, ActionCommand.TryParseV2 and TryParse). So control
 * characters are shown escaped, `##[` is broken everywhere, and logLine keeps a line from
 * starting with `::`. Everything jwt-guard prints from such text goes through these.
 */
export function safeText(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
      const code = c.charCodeAt(0);
      if (c === '\n') return '\\n';
      if (c === '\r') return '\\r';
      if (c === '\t') return '\\t';
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    })
    .replace(/##\[/g, '##\\[');
}

/** A line for a CI log: escaped, and never one the runner would read as a command (a backslash goes before a leading `::`). */
export function logLine(value: string): string {
  const line = safeText(value);
  return /^\s*::/.test(line) ? `\\${line}` : line;
}

/**
 * JSON text (a JSON or SARIF report) made safe to print in a CI log without changing what
 * it parses to: `##[` can only stand inside a string, where `\u0023` is the same `#`.
 * Lines of pretty-printed JSON never start with `::`.
 */
export function safeJson(text: string): string {
  return text.includes('##[') ? text.replace(/##\[/g, '#\\u0023[') : text;
}
