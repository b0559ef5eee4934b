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
