import { fileMatchers, type FileEntry } from '../sources/files.js';
import { CatFile } from '../sources/git.js';
import type { BlobOrigin, CommitRef } from '../sources/history.js';
import { CHUNK_BYTES, decodeText, FileReader, hasAnchor, isKeyMaterial } from '../sources/read.js';
import type { Spool } from '../sources/spool.js';
import type { CommitInfo, Finding } from '../types.js';
import { isoTime } from '../util/format.js';
import { Analyst, empty, type FilesContext, type FilesOutcome } from './scan-files.js';

/** Bytes looked at to tell a binary blob from text, as for files (and as git does). */
const BINARY_SNIFF = 8000;

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
 * its occurrences counted (see Occurrences).
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
  const findings = new Occurrences();
  const suppressed = new Occurrences();
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
      const keyMaterial = isKeyMaterial(data, data.length) && data.length <= CHUNK_BYTES;
      const utf16 = (data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff);
      if (!keyMaterial && !utf16 && data.subarray(0, BINARY_SNIFF).includes(0)) {
        out.binaryFiles++;
        continue;
      }
      if (!keyMaterial && !utf16 && !hasAnchor(data)) {
        out.filesScanned++;
        out.bytesScanned += data.length;
        continue;
      }
      const before = out.findings.length;
      const beforeSuppressed = out.suppressed.length;
      if (data.length <= CHUNK_BYTES) {
        const entry: FileEntry = { absolute: '', relative: pathOf(origin) };
        // A key store or DER key goes to the detectors as its base64, as for files.
        await analyst.analyse(entry, { kind: 'hit', bytes: data.length, text: keyMaterial ? data.toString('base64') : decodeText(data) });
      } else {
        // Larger than a chunk: to the spool, then read like a large file, in chunks around its anchors.
        const spooled = await spool.write([data]);
        try {
          const entry: FileEntry = { absolute: spooled.file, relative: pathOf(origin) };
          const look = reader.look(entry);
          if (look.kind === 'hit') await analyst.analyse(entry, look);
          else if (look.kind === 'clean') {
            out.filesScanned++;
            out.bytesScanned += look.bytes;
          }
        } finally {
          spool.discard(spooled); // read: the next large blob must not add to the disk used
        }
      }
      // Merged as they come, so that a secret in a thousand versions of a file is held once, not a thousand times.
      for (const finding of out.findings.slice(before)) findings.add(finding, origin);
      for (const finding of out.suppressed.slice(beforeSuppressed)) suppressed.add(finding, origin);
      out.findings.length = before;
      out.suppressed.length = beforeSuppressed;
    }
  } finally {
    catFile.close();
  }
  out.findings = findings.merged();
  out.suppressed = suppressed.merged() as FilesOutcome['suppressed'];
  return { ...out, ...counts };
}

/** A secret's occurrence: the finding in one blob, and where that blob came from. */
interface Occurrence {
  finding: Finding;
  origin: BlobOrigin;
}

const introduced = (origin: BlobOrigin) => origin.introducedBy?.time ?? Number.POSITIVE_INFINITY;

/**
 * One finding per secret and rule, however many commits, paths and blobs hold it: the
 * occurrence shown is the one in HEAD where there is one (so its path, and its
 * fingerprint, are those a scan of the tree reports), else the earliest; it carries the
 * commit that introduced that blob, the first commit of all that introduced the secret,
 * the commit that removed it (when none of its occurrences is in HEAD), and how many
 * times it was introduced. Each group keeps two findings at most, and the blobs' origins,
 * whose counts and removals are final once the walk has ended.
 */
class Occurrences {
  private readonly groups = new Map<string, { earliest: Occurrence; inHead?: Occurrence; origins: Set<BlobOrigin> }>();

  add(finding: Finding, origin: BlobOrigin): void {
    const key = `${finding.ruleId}\0${finding.digest ?? finding.fingerprint}`;
    const group = this.groups.get(key);
    if (!group) {
      this.groups.set(key, { earliest: { finding, origin }, ...(origin.inHead ? { inHead: { finding, origin } } : {}), origins: new Set([origin]) });
      return;
    }
    if (introduced(origin) < introduced(group.earliest.origin)) group.earliest = { finding, origin };
    if (!group.inHead && origin.inHead) group.inHead = { finding, origin };
    group.origins.add(origin);
  }

  merged(): Finding[] {
    const merged: Finding[] = [];
    for (const { earliest, inHead, origins } of this.groups.values()) {
      const { finding, origin } = inHead ?? earliest;
      let occurrences = 0;
      for (const each of origins) occurrences += each.occurrences;
      const commit: CommitInfo = {
        sha: commitOf(origin.introducedBy),
        date: origin.introducedBy ? isoTime(origin.introducedBy.time) : '',
        path: origin.path,
        introducedBy: commitOf(earliest.origin.introducedBy),
        ...(!inHead && origin.removedBy ? { removedBy: origin.removedBy.sha } : {}),
        inHead: Boolean(inHead),
        occurrences,
      };
      merged.push({ ...finding, ...(origin.introducedBy ? { commit } : {}) });
    }
    return merged;
  }
}
