import { fileMatchers, type FileEntry } from '../sources/files.js';
import { CatFile } from '../sources/git.js';
import type { BlobOrigin, CommitRef } from '../sources/history.js';
import { CHUNK_BYTES, decodeText, FileReader, hasAnchor } from '../sources/read.js';
import type { Spool } from '../sources/spool.js';
import type { CommitInfo, Finding } from '../types.js';
import { isoTime } from '../util/format.js';
import { Analyst, empty, type FilesContext, type FilesOutcome } from './scan-files.js';

/** Bytes looked at to tell a binary blob from text, as for files (and as git does). */
const BINARY_SNIFF = 8000;

/** The commit facts a finding in a blob carries, before findings of the same secret are merged. */
interface Attribution {
  origin: BlobOrigin;
}

/** How many blobs the selection held, and how many of them the policy's files selected. */
export interface BlobCounts {
  blobs: number;
  selectedBlobs: number;
}

const commitOf = (ref: CommitRef | undefined) => ref?.sha ?? '';

/** The path a blob is reported at: where HEAD holds it (so that the fingerprint is a tree scan's), else where it was introduced. */
const pathOf = (origin: BlobOrigin) => origin.headPath ?? origin.path;

/**
 * Scans the blobs of a history selection, each once, read through one long-lived
 * `git cat-file --batch`: the same pre-filter, decoding, detectors, analysis, rules and
 * budget as a file, the blob reported at the path it was introduced at. A blob git cannot
 * give is a gap; a binary one is counted and passed over; one larger than a chunk is
 * written to the spool and read in chunks like a large file. Memory is bounded by the
 * largest blob. Findings of one secret in several blobs are then merged into one, with
 * its occurrences counted (see mergeOccurrences).
 */
export async function scanBlobs(cwd: string, origins: AsyncIterable<BlobOrigin> | Iterable<BlobOrigin>, context: FilesContext, spool: Spool): Promise<FilesOutcome & BlobCounts> {
  const out = empty();
  const counts: BlobCounts = { blobs: 0, selectedBlobs: 0 };
  const { selected } = fileMatchers(context.policy);
  async function* chosen() {
    for await (const origin of origins) {
      counts.blobs++;
      if (!selected(pathOf(origin))) continue;
      counts.selectedBlobs++;
      yield origin;
    }
  }
  const reader = new FileReader(context.policy.files.maxFileSize);
  const analyst = new Analyst(context, reader, out);
  const attributed: Array<{ finding: Finding; attribution: Attribution }> = [];
  const catFile = new CatFile(cwd);
  try {
    for await (const blob of catFile.read(chosen())) {
      const origin = blob.item;
      if (!blob.data) {
        out.skipped.push({ file: pathOf(origin), reason: 'unreadable', detail: `blob ${origin.oid} (introduced in ${commitOf(origin.introducedBy) || 'an unknown commit'}) could not be read: ${blob.missing}`, unitKind: 'file' });
        continue;
      }
      const data = blob.data;
      if (data.length > context.policy.files.maxFileSize) {
        out.skipped.push({ file: pathOf(origin), reason: 'too-large', detail: `blob ${origin.oid} is ${data.length} bytes, over files.maxFileSize`, unitKind: 'file' });
        continue;
      }
      const utf16 = (data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff);
      if (!utf16 && data.subarray(0, BINARY_SNIFF).includes(0)) {
        out.binaryFiles++;
        continue;
      }
      if (!utf16 && !hasAnchor(data)) {
        out.filesScanned++;
        out.bytesScanned += data.length;
        continue;
      }
      const before = out.findings.length;
      const beforeSuppressed = out.suppressed.length;
      if (data.length <= CHUNK_BYTES) {
        const entry: FileEntry = { absolute: '', relative: pathOf(origin) };
        await analyst.analyse(entry, { kind: 'hit', bytes: data.length, text: decodeText(data) });
      } else {
        // Larger than a chunk: to the spool, then read like a large file, in chunks around its anchors.
        const spooled = await spool.write([data]);
        const entry: FileEntry = { absolute: spooled.file, relative: pathOf(origin) };
        const look = reader.look(entry);
        if (look.kind === 'hit') await analyst.analyse(entry, look);
        else if (look.kind === 'clean') {
          out.filesScanned++;
          out.bytesScanned += look.bytes;
        }
      }
      for (const finding of out.findings.slice(before)) attributed.push({ finding, attribution: { origin } });
      for (const finding of out.suppressed.slice(beforeSuppressed)) attributed.push({ finding, attribution: { origin } });
    }
  } finally {
    catFile.close();
  }
  out.findings = mergeOccurrences(attributed.filter(({ finding }) => !('suppressedBy' in finding)));
  out.suppressed = mergeOccurrences(attributed.filter(({ finding }) => 'suppressedBy' in finding)) as FilesOutcome['suppressed'];
  return { ...out, ...counts };
}

/**
 * One finding per secret and rule, however many commits, paths and blobs hold it: the
 * occurrence shown is the one in HEAD where there is one (so its path, and its
 * fingerprint, are those a scan of the tree reports), else the earliest; it carries the
 * commit that introduced that blob, the first commit of all that introduced the secret,
 * the commit that removed it (when none of its occurrences is in HEAD), and how many
 * times it was introduced.
 */
function mergeOccurrences(found: Array<{ finding: Finding; attribution: Attribution }>): Finding[] {
  const groups = new Map<string, Array<{ finding: Finding; attribution: Attribution }>>();
  for (const item of found) {
    const key = `${item.finding.ruleId}\0${item.finding.digest ?? item.finding.fingerprint}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const merged: Finding[] = [];
  for (const group of groups.values()) {
    const time = (item: { attribution: Attribution }) => item.attribution.origin.introducedBy?.time ?? Number.POSITIVE_INFINITY;
    const earliest = group.reduce((a, b) => (time(b) < time(a) ? b : a));
    const inHead = group.find((item) => item.attribution.origin.inHead);
    const shown = inHead ?? earliest;
    const origin = shown.attribution.origin;
    const commit: CommitInfo = {
      sha: commitOf(origin.introducedBy),
      date: origin.introducedBy ? isoTime(origin.introducedBy.time) : '',
      path: origin.path,
      introducedBy: commitOf(earliest.attribution.origin.introducedBy),
      ...(!inHead && origin.removedBy ? { removedBy: origin.removedBy.sha } : {}),
      inHead: Boolean(inHead),
      occurrences: group.reduce((sum, item) => sum + item.attribution.origin.occurrences, 0),
    };
    merged.push({ ...shown.finding, ...(origin.introducedBy ? { commit } : {}) });
  }
  return merged;
}
