/**
 * Reads a map literal as source code writes it, for the members a JWK is made of: JSON5
 * and JavaScript objects with comments, Python dicts with `#` comments and implicitly
 * concatenated strings, Ruby hashes (`"kty" => "RSA"`, `kty: "RSA"`, `:kty => "RSA"`), PHP
 * arrays (`['kty' => 'RSA']`, `array(...)`), Groovy maps (`[kty: 'RSA']`), strings joined
 * with `+` or `.`, and values wrapped over lines (as RFC 7520 prints them). One linear
 * pass; only string members are kept, nested values are stepped over. Undefined when the
 * text is not such a literal.
 */

const OPEN: Readonly<Record<string, string>> = { '{': '}', '[': ']', '(': ')' };
const IDENTIFIER = /[A-Za-z0-9_$]/;

class Reader {
  at = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.at >= this.text.length;
  }

  peek(offset = 0): string {
    return this.text[this.at + offset] ?? '';
  }

  /** Steps over white space and comments (`//`, `/* *\/`, `#`). */
  space(): void {
    const { text } = this;
    while (this.at < text.length) {
      const c = text[this.at]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.at++;
      else if (c === '/' && text[this.at + 1] === '/') this.skipLine();
      else if (c === '#') this.skipLine();
      else if (c === '/' && text[this.at + 1] === '*') {
        const close = text.indexOf('*/', this.at + 2);
        this.at = close === -1 ? text.length : close + 2;
      } else break;
    }
  }

  private skipLine(): void {
    const next = this.text.indexOf('\n', this.at);
    this.at = next === -1 ? this.text.length : next + 1;
  }

  /**
   * A quoted string (`'…'`, `"…"`, `` `…` ``) with its escapes undone; undefined when none
   * starts here. A string that runs over a line break must be a wrapped value (base64 and
   * white space): anything else is code between two quotes, not a string.
   */
  string(): string | undefined {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'" && quote !== '`') return undefined;
    let out = '';
    let wrapped = false;
    for (let i = this.at + 1; i < this.text.length; i++) {
      const c = this.text[i]!;
      if (c === '\\') {
        const next = this.text[++i] ?? '';
        if (next === 'n') wrapped = true;
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
      } else if (c === quote) {
        if (wrapped && !/^[A-Za-z0-9_\-+/=\s]+$/.test(out)) return undefined;
        this.at = i + 1;
        return out;
      } else {
        if (c === '\n') wrapped = true;
        out += c;
      }
    }
    return undefined;
  }

  identifier(): string | undefined {
    const start = this.at;
    while (this.at < this.text.length && IDENTIFIER.test(this.text[this.at]!)) this.at++;
    return this.at > start ? this.text.slice(start, this.at) : undefined;
  }

  /** Steps over a value that is not a string: a nested literal, a number, a name, a call. */
  skipValue(): boolean {
    const c = this.peek();
    const close = OPEN[c];
    if (close) return this.skipNested();
    const start = this.at;
    while (this.at < this.text.length && !/[,;}\])\n]/.test(this.text[this.at]!)) {
      if (OPEN[this.text[this.at]!]) {
        if (!this.skipNested()) return false;
      } else if (this.string() === undefined) this.at++;
    }
    return this.at > start;
  }

  private skipNested(): boolean {
    const stack: string[] = [];
    while (this.at < this.text.length) {
      const c = this.text[this.at]!;
      if (c === '"' || c === "'" || c === '`') {
        if (this.string() === undefined) return false;
        continue;
      }
      if (OPEN[c]) stack.push(OPEN[c]);
      else if (c === stack[stack.length - 1]) {
        stack.pop();
        if (stack.length === 0) {
          this.at++;
          return true;
        }
      }
      this.at++;
    }
    return false;
  }
}

/** A member's key: a quoted string, a name, or a Ruby symbol (`:kty`). */
function readKey(reader: Reader): string | undefined {
  const quoted = reader.string();
  if (quoted !== undefined) return quoted;
  if (reader.peek() === ':' && IDENTIFIER.test(reader.peek(1))) reader.at++;
  return reader.identifier();
}

/** `:` (JSON, JS, Python, Groovy, Ruby's `kty:`), `=>` (Ruby, PHP) or `=` (Python's `dict(kty=…)`). */
function readSeparator(reader: Reader): boolean {
  if (reader.peek() === '=' && reader.peek(1) === '>') {
    reader.at += 2;
    return true;
  }
  if (reader.peek() === ':' || reader.peek() === '=') {
    reader.at++;
    return true;
  }
  return false;
}

/** A string value, with what joins strings in source (`+`, PHP's `.`, adjacency, Python's parentheses) taken in; white space inside a wrapped value dropped. */
function readStringValue(reader: Reader): string | undefined {
  const parenthesised = reader.peek() === '(';
  const start = reader.at;
  // Not a literal value after all: the reader goes back to where it was.
  const none = () => {
    reader.at = start;
    return undefined;
  };
  if (parenthesised) {
    reader.at++;
    reader.space();
  }
  let value = reader.string();
  if (value === undefined) return none();
  for (;;) {
    const before = reader.at;
    reader.space();
    const c = reader.peek();
    const joiner = c === '+' || c === '.';
    if (!joiner && c !== '"' && c !== "'" && c !== '`') {
      reader.at = before;
      break;
    }
    if (joiner) {
      reader.at++;
      reader.space();
    }
    const next = reader.string();
    // Joined to something that is not a string (a variable, a call): not a literal value.
    if (next === undefined) return none();
    value += next;
  }
  if (parenthesised) {
    reader.space();
    if (reader.peek() !== ')') return none();
    reader.at++;
  }
  // A value wrapped over lines in a raw string or text block: base64url with white space in it.
  return /^[A-Za-z0-9_\-+/=\s]+$/.test(value) && /\s/.test(value) ? value.replace(/\s+/g, '') : value;
}

/**
 * The string literal that opens at `text[quoteAt]` together with the literals joined to
 * it (`+`, `.`, adjacency): their content, escapes undone, and where the last one ends.
 * How a JWK written as escaped JSON is cut over lines in Java, C#, Go or Python.
 */
export function readJoinedString(text: string, quoteAt: number): { value: string; end: number } | undefined {
  const reader = new Reader(text);
  reader.at = quoteAt;
  const value = readStringValue(reader);
  return value === undefined ? undefined : { value, end: reader.at };
}

/** The string members of the map literal that opens at `text[0]` (`{`, `[`, `array(`, `dict(`). */
export function readMapLiteral(text: string): Record<string, string> | undefined {
  const reader = new Reader(text);
  const opening = /^(?:array|dict)\s*\(/.exec(text);
  let close: string;
  if (opening) {
    reader.at = opening[0].length;
    close = ')';
  } else {
    close = OPEN[text[0] ?? ''] ?? '';
    if (!close) return undefined;
    reader.at = 1;
  }
  const members: Record<string, string> = {};
  let count = 0;
  for (;;) {
    reader.space();
    if (reader.peek() === close) break;
    const key = readKey(reader);
    if (key === undefined) return undefined;
    reader.space();
    if (!readSeparator(reader)) return undefined;
    reader.space();
    const value = readStringValue(reader);
    if (value !== undefined) {
      if (!Object.hasOwn(members, key)) members[key] = value;
    } else if (!reader.skipValue()) return undefined;
    count++;
    reader.space();
    const c = reader.peek();
    if (c === ',' || c === ';') reader.at++;
    else if (c !== close) return undefined;
  }
  return count > 0 ? members : undefined;
}

/**
 * A block (a PEM body, a JWK) whose every line carries what stands before its start (its BEGIN marker, its `{`) (a diff's `+`, a
 * log's timestamp, a quote's `> `, `+ ` and a timestamp in a CI log of a diff) is read
 * without it. Digits in the prefix may differ from line to line (timestamps); the rest
 * must be the same. A prefix any line lacks is left for the body's cleaning to judge.
 */
export function withoutLinePrefix(prefix: string, inner: string): string {
  if (prefix.trim() === '' || prefix.length > 96 || !inner.includes('\n')) return inner;
  // Linear: digit runs become \d+ and everything else is a literal, so no two quantifiers meet.
  const shape = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/\d+/g, '\\d+')}`);
  const lines = inner.split('\n');
  const stripped = [lines[0]!];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const found = shape.exec(line);
    if (!found) return inner;
    stripped.push(line.slice(found[0].length));
  }
  return stripped.join('\n');
}
