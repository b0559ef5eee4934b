import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { VERSION } from '../../src/version.js';
import { planAnnotations } from '../../src/report/annotations.js';
import { renderJobSummary } from '../../src/report/job-summary.js';
import fc from 'fast-check';
import { renderJson } from '../../src/report/json.js';
import { jsonPieces } from '../../src/report/json-stream.js';
import { logLine, safeText } from '../../src/report/safe.js';
import { fileUri, renderSarif } from '../../src/report/sarif.js';
import { summarize } from '../../src/report/summary.js';
import { renderText } from '../../src/report/text.js';
import { gathered } from '../../src/util/write-file.js';
import { RULES } from '../../src/rules/index.js';
import type { Finding, ScanResult, Severity } from '../../src/types.js';
import { findingsIn } from '../helpers/scan.js';
import { hmac } from '../helpers/tokens.js';

const finding = (over: Partial<Finding> = {}): Finding => ({
  ruleId: 'private-key',
  severity: 'error',
  file: 'config/id_rsa',
  line: 3,
  column: 1,
  endLine: 30,
  endColumn: 31,
  message: 'RSA 2048-bit private key (PKCS#1 PEM, thumbprint abc). Rotate it now.',
  fingerprint: '0123456789abcdef0123456789abcdef',
  unitKind: 'file',
  artifact: { type: 'pem', keyType: 'RSA', bits: 2048 },
  ...over,
});

const result = (findings: Finding[], extra: Partial<ScanResult> = {}): ScanResult => ({
  findings,
  suppressed: [],
  skipped: [],
  filesScanned: 12,
  bytesScanned: 4096,
  binaryFiles: 0,
  durationMs: 25,
  ...extra,
});

describe('reports in pieces', () => {
  it('a JSON document written in pieces is byte for byte what JSON.stringify writes, at any split depth', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 5 }), (value, depth) => {
        expect([...jsonPieces(value, depth)].join('')).toBe(JSON.stringify(value, null, 2));
      }),
      { numRuns: 300 },
    );
    const withUndefined = { a: undefined, b: [1, undefined], c: { d: undefined } };
    expect([...jsonPieces(withUndefined, 3)].join('')).toBe(JSON.stringify(withUndefined, null, 2));
  });

  it('pieces are written in writes of at least 64 KiB but the last, and nothing is lost or reordered', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 300 }), { maxLength: 400 }), fc.integer({ min: 1, max: 2000 }), (pieces, size) => {
        const writes = [...gathered(pieces, size)];
        expect(writes.join('')).toBe(pieces.join(''));
        expect(writes.slice(0, -1).every((write) => write.length >= size)).toBe(true);
        expect(writes.every((write) => write.length > 0)).toBe(true);
      }),
      { numRuns: 200 },
    );
    const findings = Array.from({ length: 20_000 }, (_, i) => `{"finding": ${i}},\n`);
    expect([...gathered(findings)].length).toBeLessThan(10);
  });
});

describe('json', () => {
  it('follows the version 1 contract', () => {
    const r = result([finding()], { suppressed: [{ ...finding({ file: 'test/k.pem' }), suppressedBy: 'policy', reason: 'fixture' }] });
    const doc = JSON.parse(renderJson(r, summarize(r, 'error'), 'built-in recommended'));
    expect(doc.version).toBe(1);
    expect(Object.keys(doc.findings[0]).sort()).toEqual(['artifact', 'column', 'endColumn', 'endLine', 'file', 'fingerprint', 'line', 'message', 'ruleId', 'severity']);
    expect(doc.summary).toMatchObject({ findings: 1, bySeverity: { error: 1, warning: 0, note: 0 }, byRule: { 'private-key': 1 }, suppressed: { total: 1, policy: 1, inline: 0, baseline: 0 }, failing: 1, passed: false });
    expect(doc.suppressed[0]).toMatchObject({ suppressedBy: 'policy', reason: 'fixture' });
  });
});

describe('sarif', () => {
  const sarif = JSON.parse(renderSarif(result([finding(), finding({ file: 'a b/ü#1.pem', line: 2, endLine: 2, endColumn: 40, severity: 'warning' })])));
  const run = sarif.runs[0];

  it('is SARIF 2.1.0 with every rule, its help and its security-severity', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(run.tool.driver.name).toBe('jwt-guard');
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(RULES.map((r) => r.meta.id));
    for (const rule of run.tool.driver.rules) {
      expect(rule.help.markdown.length).toBeGreaterThan(50);
      expect(rule.properties['security-severity']).toMatch(/^\d+\.\d$/);
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
    }
  });

  it('links every rule to its section of docs/rules.md at this version\'s tag, a section that exists', () => {
    const page = readFileSync('docs/rules.md', 'utf8');
    const headings = new Set(page.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3)));
    for (const rule of run.tool.driver.rules) {
      expect(rule.helpUri).toBe(`https://github.com/jwt-guard/jwt-guard/blob/v${VERSION}/docs/rules.md#${rule.id}`);
      expect(headings).toContain(rule.id);
    }
    expect(run.tool.driver.informationUri).toBe('https://github.com/jwt-guard/jwt-guard');
  });

  it('locates results by repository-relative, percent-encoded URI with partial fingerprints', () => {
    const [multi, single] = run.results;
    expect(multi.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'config/id_rsa', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 1, endLine: 30 } });
    expect(single.locations[0].physicalLocation.artifactLocation.uri).toBe('a%20b/%C3%BC%231.pem');
    expect(single.locations[0].physicalLocation.region.endColumn).toBe(40);
    expect(single.level).toBe('warning');
    expect(multi.partialFingerprints).toEqual({ 'jwtGuard/v1': '0123456789abcdef0123456789abcdef' });
    expect(run.tool.driver.rules[multi.ruleIndex].id).toBe(multi.ruleId);
    expect(fileUri('x/y z')).toBe('x/y%20z');
  });

  it('emits accepted findings with suppressions, as code scanning expects, instead of leaving them out', () => {
    const accepted = JSON.parse(
      renderSarif(
        result([finding()], {
          suppressed: [
            { ...finding({ file: 'test/k.pem' }), suppressedBy: 'inline', reason: 'a fixture generated by the suite' },
            { ...finding({ file: 'old/k.pem' }), suppressedBy: 'baseline' },
            { ...finding({ file: 'vendor/k.pem' }), suppressedBy: 'policy', reason: 'vendored test vectors' },
          ],
        }),
      ),
    ).runs[0].results;
    expect(accepted).toHaveLength(4);
    expect(accepted[0].suppressions).toBeUndefined();
    expect(accepted.slice(1).map((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>; suppressions: unknown }) => [r.locations[0]!.physicalLocation.artifactLocation.uri, r.suppressions])).toEqual([
      ['test/k.pem', [{ kind: 'inSource', status: 'accepted', justification: 'a fixture generated by the suite', properties: { by: 'inline' } }]],
      ['old/k.pem', [{ kind: 'external', status: 'accepted', properties: { by: 'baseline' } }]],
      ['vendor/k.pem', [{ kind: 'external', status: 'accepted', justification: 'vendored test vectors', properties: { by: 'policy' } }]],
    ]);
  });
});

describe('text', () => {
  it('groups by file, says what failed, and has no colour unless asked', () => {
    const r = result([finding(), finding({ file: 'a.json', severity: 'warning', line: 1 })]);
    const text = renderText(r, summarize(r, 'error'), { colour: false });
    expect(text).not.toMatch(/\u001b\[/);
    expect(text.indexOf('./a.json')).toBeLessThan(text.indexOf('./config/id_rsa'));
    expect(text).toContain('3:1     error   RSA 2048-bit private key');
    expect(text).toContain('✖ 2 findings (1 error, 1 warning) · 12 files scanned (4.0 KB)');
    expect(renderText(r, summarize(r, 'error'), { colour: true })).toMatch(/\u001b\[31merror/);
  });

  it('says when findings stay below the failure threshold, and lists skipped files', () => {
    const r = result([finding({ severity: 'note' })], { skipped: [{ file: 'huge.log', reason: 'too-large', detail: '12.0 MB is over files.maxFileSize (10.0 MB)' }] });
    const text = renderText(r, summarize(r, 'error'), { colour: false });
    expect(text).toContain("none at or above the failure threshold 'error'");
    expect(text).toContain('skipped ./huge.log: too-large (12.0 MB is over files.maxFileSize (10.0 MB))');
  });

  it('escapes control characters from file names and messages', () => {
    const r = result([finding({ file: 'evil\u001b[2J\nname', message: 'kid \u0007bell' })]);
    const text = renderText(r, summarize(r, 'error'), { colour: false });
    expect(text).toContain('./evil\\x1b[2J\\nname');
    expect(text).toContain('kid \\x07bell');
    expect(text).not.toContain('\u001b[2J');
  });
});

describe('findings grouped per key or token', () => {
  // One HS256 token signed with 'secret', with no iss, aud or exp: several rules speak of it.
  const scanned = async () => {
    const token = await hmac('secret', { sub: 'user-1', iat: 1_700_000_000 });
    const findings = await findingsIn(`const a = "${token}";\nconst b = "${token}";\n`, { path: 'test/TokenTest.js' });
    return { token, r: result(findings) };
  };

  it('the text report names the token once, then what each rule says of it, most severe first', async () => {
    const { token, r } = await scanned();
    const text = renderText(r, summarize(r, 'error'), { colour: false });
    const rules = new Set(r.findings.map((f) => f.ruleId));
    expect(rules).toEqual(new Set(['committed-token', 'weak-secret', 'missing-claim', 'token-lifetime']));
    const perToken = rules.size;
    expect(text.match(new RegExp(`JWT \\(alg HS256, [^)]*\\): ${perToken} findings`, 'g'))).toHaveLength(2);
    const block = text.slice(text.indexOf('  1:12 '), text.indexOf('  2:12 ')).split('\n').filter(Boolean);
    expect(block).toHaveLength(1 + perToken);
    expect(block[1]).toMatch(/^\s+error\s+committed-token\s+is committed to the repository/);
    expect(block.at(-1)).toMatch(/^\s+warning\s+(missing-claim|token-lifetime)\s/);
    // each finding keeps its fingerprint, for suppression and baselines
    for (const f of r.findings) expect(text).toContain(f.fingerprint);
    expect(text).toContain(`✖ ${r.findings.length} findings (4 errors, 4 warnings) on 1 key or token`);
    expect(text).not.toContain(token);
  });

  it('the job summary has one row per token, with every rule id and fingerprint in it', async () => {
    const { token, r } = await scanned();
    const md = renderJobSummary(r, summarize(r, 'error'));
    const rows = md.split('\n').filter((l) => l.startsWith('| 🔴 error |'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('`committed-token`<br>`weak-secret`<br>');
    expect(rows[0]).toContain('test/TokenTest.js:1');
    expect(rows[0]).toMatch(/JWT \(alg HS256, [^)]*\):<br>error: is committed/);
    for (const f of r.findings.filter((x) => x.line === 1)) expect(rows[0]).toContain(f.fingerprint);
    expect(md).not.toContain(token);
  });

  it('a lone finding keeps its whole message, and a gap is never grouped with a secret', () => {
    const gap = finding({ ruleId: 'incomplete-scan', message: 'config/id_rsa could not be read', fingerprint: 'f'.repeat(32) });
    const r = result([finding({ subject: 'RSA 2048-bit private key (PKCS#1 PEM, thumbprint abc)', digest: 'd1' }), gap]);
    const text = renderText(r, summarize(r, 'error'), { colour: false });
    expect(text).toContain('3:1     error   RSA 2048-bit private key (PKCS#1 PEM, thumbprint abc). Rotate it now.');
    expect(text).toContain('3:1     error   config/id_rsa could not be read');
    expect(text).not.toContain('2 findings on');
  });
});

describe('safe log lines', () => {
  it('never lets a line start a workflow command', () => {
    // The runner trims leading white space before it looks for '::', so a backslash goes first.
    expect(logLine('::add-mask::x')).toBe('\\::add-mask::x');
    expect(logLine('  ::set-output name=a::b')).toBe('\\  ::set-output name=a::b');
    expect(logLine('see ##[error]x')).toBe('see ##\\[error]x');
    expect(safeText('a\r\nb')).toBe('a\\r\\nb');
  });
});

describe('annotations', () => {
  const many = (severity: Severity, n: number) => Array.from({ length: n }, (_, i) => finding({ severity, line: i + 1, endLine: i + 1 }));

  it('shows at most ten per level, most severe first, and a note counting the rest', () => {
    const plan = planAnnotations([...many('error', 12), ...many('warning', 3), ...many('note', 10)]);
    expect(plan.filter((a) => a.level === 'error')).toHaveLength(10);
    expect(plan.filter((a) => a.level === 'warning')).toHaveLength(3);
    const notices = plan.filter((a) => a.level === 'notice');
    expect(notices).toHaveLength(10);
    expect(notices.at(-1)).toEqual({ level: 'notice', title: 'jwt-guard more findings', message: expect.stringContaining('3 more findings are not shown') });
  });

  it('gives the ten error slots to the most urgent rules first, not to the first file', () => {
    // Twelve token-in-log errors on the first lines of one log (security severity 8.0), then 25 committed private keys (9.0).
    const logged = Array.from({ length: 12 }, (_, i) => finding({ ruleId: 'token-in-log', file: 'build.log', line: i + 1, endLine: i + 1 }));
    const keys = Array.from({ length: 25 }, (_, i) => finding({ file: `keys/k${String(i).padStart(2, '0')}.pem` }));
    const errors = planAnnotations([...logged, ...keys]).filter((a) => a.level === 'error');
    expect(errors).toHaveLength(10);
    expect(errors.every((a) => a.title === 'jwt-guard private-key')).toBe(true);
    expect(errors.map((a) => a.file)).toEqual(keys.slice(0, 10).map((f) => f.file));
    expect(RULES.find((r) => r.meta.id === 'private-key')!.meta.securitySeverity).toBeGreaterThan(RULES.find((r) => r.meta.id === 'token-in-log')!.meta.securitySeverity);
  });

  it('carries file, lines and columns (columns only on one line), and no overflow note when all fit', () => {
    const plan = planAnnotations([finding(), finding({ line: 5, endLine: 5, column: 3, endColumn: 9 })]);
    expect(plan).toHaveLength(2);
    expect(plan[0]).toEqual({ level: 'error', title: 'jwt-guard private-key', message: expect.stringContaining('fingerprint 0123'), file: 'config/id_rsa', startLine: 3, endLine: 30 });
    expect(plan[1]).toMatchObject({ startLine: 5, endLine: 5, startColumn: 3, endColumn: 9 });
  });
});

describe('job summary', () => {
  it('has a verdict, a table, and escapes what came from files', () => {
    const r = result([finding({ file: 'x|<img src=y>.pem', message: 'kid `a` [link](http://x)' })]);
    const md = renderJobSummary(r, summarize(r, 'error'));
    expect(md).toContain('❌ 1 finding (1 error)');
    expect(md).toContain('| 🔴 error | `private-key` | x&#124;&lt;img src=y&gt;.pem:3 |');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('[link]');
  });

  it('links a finding from history to its file at the commit that introduced it, at the path it had there', () => {
    const sha = 'a'.repeat(40);
    const commit = { sha, date: '2026-11-02T10:00:00Z', path: 'old dir/key.pem', introducedBy: sha, inHead: true, occurrences: 1 };
    const r = result([finding({ file: 'new/key.pem', commit })]);
    const md = renderJobSummary(r, summarize(r, 'error'), undefined, { serverUrl: 'https://github.com', repository: 'o/r' });
    expect(md).toContain(`[new/key.pem:3](https://github.com/o/r/blob/${sha}/old%20dir/key.pem#L3) (introduced in aaaaaaaaaaaa (2026-11-02T10:00:00Z) as old dir/key.pem; still in HEAD)`);
    // without a repository to link to, the place alone
    expect(renderJobSummary(r, summarize(r, 'error'))).toContain('| new/key.pem:3 |');
  });

  it('stays within its byte budget and says how many rows were left out', () => {
    const r = result(Array.from({ length: 5000 }, (_, i) => finding({ line: i + 1, message: 'm'.repeat(200) })));
    const md = renderJobSummary(r, summarize(r, 'error'), 100_000);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(100_000);
    expect(md).toMatch(/… and \d+ more findings/);
  });

  it('passes with a clean scan', () => {
    const r = result([]);
    expect(renderJobSummary(r, summarize(r, 'error'))).toContain('✅ No findings');
  });

  /** 140 findings as the issue met them: 100 tokens in one log, 25 committed private keys, 15 tokens lacking claims in a test file. */
  const busy = () => {
    const fp = (i: number) => i.toString(16).padStart(32, '0');
    const logged = Array.from({ length: 100 }, (_, i) => finding({ ruleId: 'token-in-log', file: 'logs/build.log', unitKind: 'log', line: i + 1, endLine: i + 1, subject: `JWT ${i}`, digest: `t${i}`, message: `JWT ${i} is in a log`, fingerprint: fp(i) }));
    const keys = Array.from({ length: 25 }, (_, i) => finding({ file: `keys/k${String(i).padStart(2, '0')}.pem`, line: 1, digest: `k${i}`, fingerprint: fp(1000 + i) }));
    const claims = Array.from({ length: 15 }, (_, i) => finding({ ruleId: 'missing-claim', severity: 'warning', file: 'test/t.js', line: i + 1, endLine: i + 1, message: `JWT (iss https://evil.example/x) lacks aud`, fingerprint: fp(2000 + i) }));
    return result([...logged, ...keys, ...claims]);
  };
  const links = { serverUrl: 'https://github.com', repository: 'o/r', sha: 'b'.repeat(40) };

  it('rolls up per rule and severity, the most severe rule first, with how many fail', () => {
    const r = busy();
    const md = renderJobSummary(r, summarize(r, 'error'), undefined, links);
    const totals = md.split('\n').filter((l) => /^\| \S+ (error|warning|note) `/.test(l));
    expect(totals).toEqual(['| 🔴 error `private-key` | 25 errors | 25 |', '| 🔴 error `token-in-log` | 100 errors | 100 |', '| 🟠 warning `missing-claim` | 15 warnings | 0 |']);
    expect(md).toContain("| Rule | Findings | At or above 'error' |");
  });

  it('shows the ten most severe first, linked to their lines at the commit checked out, and folds the rest by rule', () => {
    const r = busy();
    const md = renderJobSummary(r, summarize(r, 'error'), undefined, links);
    const [first, ...folded] = md.split('<details>');
    const rest = folded.join('<details>');
    const topRows = first!.split('\n').filter((l) => l.startsWith('| 🔴 error |'));
    expect(topRows).toHaveLength(10);
    // ten committed private keys (security severity 9.0), not the first ten lines of the log (8.0)
    for (const row of topRows) expect(row).toMatch(/\| \[keys\/k\d\d\.pem:1\]\(https:\/\/github\.com\/o\/r\/blob\/b{40}\/keys\/k\d\d\.pem#L1\) \|/);
    expect(md).toContain('<details><summary>🔴 error <code>private-key</code>: 15 more keys and tokens (15 findings)</summary>');
    expect(md).toContain('<details><summary>🔴 error <code>token-in-log</code>: 100 more keys and tokens (100 findings)</summary>');
    expect(md).toContain('<details><summary>🟠 warning <code>missing-claim</code>: 15 more keys and tokens (15 findings)</summary>');
    expect(md.split('<details>')).toHaveLength(4);
    expect(md.split('</details>')).toHaveLength(4);
    // a log is not a file of the commit: no link
    expect(rest).toContain('| logs/build.log:1 |');
    expect(md).not.toMatch(/blob\/b{40}\/logs/);
    // every finding is somewhere: 140 fingerprints
    for (const f of r.findings) expect(md).toContain(f.fingerprint);
    expect(md).not.toContain('more findings that do not fit');
  });

  it('says what to do next, naming the commands and policy keys', () => {
    const r = busy();
    const md = renderJobSummary(r, summarize(r, 'error'));
    const next = md.slice(md.indexOf('### What to do next'));
    expect(next).toMatch(/^- Rotate every key and token/m);
    expect(next).toContain('`# jwt-guard-ignore-next-line RULE -- REASON`');
    expect(next).toContain('`jwt-guard init --baseline`');
    expect(next).toContain('`files.fixtures`');
    // fixtures only: nothing to rotate
    const fixtures = result([finding({ severity: 'note', fixture: true })]);
    expect(renderJobSummary(fixtures, summarize(fixtures, 'error'))).not.toContain('Rotate every');
  });

  it('never renders a value taken from a token as a link', () => {
    const r = busy();
    const md = renderJobSummary(r, summarize(r, 'error'), undefined, links);
    expect(md).toContain('iss https:\u200b//evil.example/x');
    expect(md).not.toContain('https://evil');
    const mail = result([finding({ message: 'JWT (sub admin@example.com, see www.example.com)' })]);
    const text = renderJobSummary(mail, summarize(mail, 'error'));
    expect(text).not.toMatch(/admin@example|www\.example/);
  });

  it('keeps a large scan under the budget, closing every section it opens, and counts what it left out', () => {
    const r = result(Array.from({ length: 20_000 }, (_, i) => finding({ ruleId: i % 2 ? 'token-in-log' : 'private-key', line: i + 1, digest: `d${i}`, message: 'm'.repeat(300) })));
    const md = renderJobSummary(r, summarize(r, 'error'));
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024);
    expect(md.split('<details>').length).toBe(md.split('</details>').length);
    const left = Number(/… and (\d+) more findings/.exec(md)?.[1]);
    const rows = md.split('\n').filter((l) => l.startsWith('| 🔴 error |')).length;
    expect(rows + left).toBe(20_000);
    expect(md).toContain('### What to do next');
  });
});
