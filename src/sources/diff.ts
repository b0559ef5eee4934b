/**
 * Unified diffs (`git diff`, `git log -p`, a `.patch` file) read as the files they add.
 * A key added in a diff has every line prefixed with `+`, which no detector reads as a
 * key; so each file's new side (added and context lines, without their prefix) is
 * rebuilt as a text of its own, with a map from its lines back to where they stand:
 * the line in the new file, and the line of the diff text itself.
 */

export interface DiffFile {
  /** The new file's path (`+++ b/path`), or the old one for a deletion. */
  path: string;
  /** The new side's lines, prefix removed, in order. */
  text: string;
  /** Per line of `text`: its line in the new file, its line in the diff (1-based), and whether the diff adds it. */
  lines: Array<{ newLine: number; diffLine: number; added: boolean }>;
}

export interface ParsedDiff {
  files: DiffFile[];
  /** Lines of the diff text that belong to a hunk or a file header (1-based): the rest is commit headers and messages. */
  diffLines: Set<number>;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/** Whether a text holds a unified diff: a `+++` file header after a `---` one, and a hunk header. */
export function looksLikeDiff(text: string): boolean {
  return /^--- \S/m.test(text) && /^\+\+\+ \S/m.test(text) && /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/m.test(text);
}

/** Strips git's `b/` (or `a/`) prefix and any quoting from a diff header's path. */
function headerPath(rest: string): string {
  const tab = rest.indexOf('\t');
  let path = (tab === -1 ? rest : rest.slice(0, tab)).trim();
  if (path.startsWith('"') && path.endsWith('"')) path = path.slice(1, -1);
  return path.replace(/^[ab]\//, '');
}

/** Parses every file of a unified diff. Linear, and tolerant: what is not a diff line is left as text. */
export function parseDiff(text: string): ParsedDiff {
  const files: DiffFile[] = [];
  const diffLines = new Set<number>();
  const lines = text.split('\n');
  let oldPath = '';
  let current: { path: string; parts: string[]; lines: DiffFile['lines'] } | undefined;
  let newLine = 0;
  let remainingNew = 0;
  let remainingOld = 0;
  const finish = () => {
    if (current && current.lines.length > 0) files.push({ path: current.path, text: current.parts.join('\n'), lines: current.lines });
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const number = i + 1;
    if (current && (remainingNew > 0 || remainingOld > 0)) {
      const kind = line[0];
      if (kind === '+' || kind === ' ' || (kind === undefined && remainingNew > 0)) {
        current.parts.push(line.slice(1));
        current.lines.push({ newLine, diffLine: number, added: kind === '+' });
        newLine++;
        remainingNew--;
        if (kind !== '+') remainingOld--;
        diffLines.add(number);
        continue;
      }
      if (kind === '-') {
        remainingOld--;
        diffLines.add(number);
        continue;
      }
      if (kind === '\\') {
        diffLines.add(number); // "\ No newline at end of file"
        continue;
      }
      remainingNew = remainingOld = 0; // a hunk cut short: read on as text
    }
    if (line.startsWith('--- ')) {
      oldPath = headerPath(line.slice(4));
      diffLines.add(number);
      continue;
    }
    if (line.startsWith('+++ ')) {
      finish();
      const path = headerPath(line.slice(4));
      current = { path: path === '/dev/null' ? oldPath : path, parts: [], lines: [] };
      diffLines.add(number);
      continue;
    }
    const hunk = HUNK.exec(line);
    if (hunk && current) {
      newLine = Number(hunk[1]);
      remainingNew = hunk[2] === undefined ? 1 : Number(hunk[2]);
      const old = /^@@ -\d+(?:,(\d+))?/.exec(line);
      remainingOld = old?.[1] === undefined ? 1 : Number(old[1]);
      diffLines.add(number);
      // Separate hunks: a gap in the new file must not join two hunks' lines into one artifact.
      if (current.parts.length > 0) {
        current.parts.push('');
        current.lines.push({ newLine: -1, diffLine: number, added: false });
      }
      continue;
    }
    if (line.startsWith('diff --git ') || line.startsWith('index ') || /^(new|deleted) file mode /.test(line) || /^(old|new) mode /.test(line) || line.startsWith('similarity index ') || line.startsWith('rename ') || line.startsWith('Binary files ')) {
      if (line.startsWith('diff --git ')) finish();
      diffLines.add(number);
    }
  }
  finish();
  return { files, diffLines };
}
