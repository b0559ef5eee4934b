/**
 * Runs of base64 characters, measured by hand: a regular expression finds where a run
 * starts, and these find where it ends, in one pass with no backtracking stack (a greedy
 * class over megabytes overflowed V8's).
 */

/** Whether a character code is base64url's (`A-Z a-z 0-9 - _`), or, with `standard`, also `+` and `/`. */
export function isBase64Code(code: number, standard = false): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 95 || (standard && (code === 43 || code === 47));
}

/** Where the run of base64 characters from `from` ends (base64url's alone, or with `standard` both alphabets'). */
export function runEnd(text: string, from: number, standard = false): number {
  let end = from;
  while (end < text.length && isBase64Code(text.charCodeAt(end), standard)) end++;
  return end;
}

/** Where the standard-alphabet base64 run from `from` ends, with up to two `=` of padding. */
export function paddedRunEnd(text: string, from: number): number {
  let end = runEnd(text, from, true);
  for (let pad = 0; pad < 2 && text.charCodeAt(end) === 61; pad++) end++;
  return end;
}

/** Line widths base64 is wrapped at: PEM's and OpenSSL's 64, MIME's and `base64`'s 76, and the 60 and 72 other tools use. */
const WRAP_WIDTHS: ReadonlySet<number> = new Set([60, 64, 72, 76]);

/**
 * A standard-alphabet base64 run from `start` to `end` that is one line of a wrapped block
 * (`base64` without `-w0`, a YAML block scalar): the run continued over the lines that
 * follow, each as wide as the first, the last no wider, indented alike or not. Returns
 * the whole block's end and its base64 without the line breaks; a run that is not a
 * wrapped block's first line comes back as it is.
 */
export function wrappedRun(text: string, start: number, end: number): { end: number; run: string } {
  const width = end - start;
  let run = text.slice(start, end);
  if (!WRAP_WIDTHS.has(width)) return { end, run };
  let at = end;
  for (;;) {
    let next = at;
    if (text.charCodeAt(next) === 13) next++;
    if (text.charCodeAt(next) !== 10) break;
    next++;
    while (text.charCodeAt(next) === 32 || text.charCodeAt(next) === 9) next++;
    const padded = paddedRunEnd(text, next);
    const length = padded - next;
    if (length === 0 || length > width) break;
    run += text.slice(next, padded);
    at = padded;
    if (length < width || text.charCodeAt(padded - 1) === 61) break; // the last line: shorter, or padded
  }
  return { end: at, run };
}
