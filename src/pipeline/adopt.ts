import picomatch from 'picomatch';
import { loadFixtureJudge } from '../analyze/production.js';
import { resolvePolicy } from '../policy/load.js';
import { starterDocument } from '../policy/init.js';
import type { FixtureEntry, PolicyDocument } from '../policy/types.js';
import { renderBaseline } from '../report/baseline.js';
import type { Finding } from '../types.js';
import { byCodeUnit } from '../util/order.js';
import { plural } from '../util/format.js';
import { scan } from './scan.js';
import { NEVER_BASELINED } from '../suppress/suppressions.js';

/**
 * `jwt-guard init --baseline`: what a repository that already has findings needs to start
 * green and stay honest. Keys and tokens in test material become `files.fixtures` (notes
 * from then on, each glob with the reason it was proposed); what remains is accepted in a
 * baseline that the policy names; what could not be read is never accepted. Nothing here
 * writes a file: the caller writes both texts, then proves the next scan passes.
 */
export interface Adoption {
  policy: PolicyDocument;
  /** The baseline's text, or undefined when nothing is left to accept. */
  baseline?: string;
  fixtures: FixtureProposal[];
  /** The findings the baseline accepts. */
  accepted: Finding[];
  /** What could not be read or analysed completely: it still fails the scan, and nothing accepts it for you. */
  gaps: Finding[];
  /** Everything found with the starter policy, before fixtures and baseline. */
  found: Finding[];
  filesScanned: number;
}

export interface FixtureProposal {
  glob: string;
  /** What kind of test material the glob names ("Go test files"). */
  kind: string;
  files: string[];
  findings: number;
  secrets: number;
}

/** Directory names that hold test material, and what kind. Matched whole, in any case. */
const TEST_DIRECTORIES: Record<string, string> = {
  test: 'test directories',
  tests: 'test directories',
  __tests__: 'test directories',
  spec: 'test directories',
  specs: 'test directories',
  testing: 'test directories',
  e2e: 'test directories',
  testdata: 'test data directories',
  'test-data': 'test data directories',
  test_data: 'test data directories',
  fixtures: 'fixture directories',
  fixture: 'fixture directories',
  __fixtures__: 'fixture directories',
  __mocks__: 'mock directories',
  mocks: 'mock directories',
  vectors: 'test vector directories',
  'test-vectors': 'test vector directories',
  testvectors: 'test vector directories',
  examples: 'example directories',
  example: 'example directories',
  samples: 'example directories',
};

/** File names of tests, by language: the glob that names them all, and what they are. */
const TEST_FILES = [
  { glob: '**/*_test.go', kind: 'Go test files' },
  { glob: '**/*.{test,spec}.{js,jsx,mjs,cjs,ts,tsx,mts,cts}', kind: 'JavaScript and TypeScript test files' },
  { glob: '**/{test_*,test-*,tests,tests_*,tests-*,*_test,*_tests,conftest}.py', kind: 'Python test files' },
  { glob: '**/*{Test,Tests,Spec}.{java,kt,scala,groovy,cs,php,swift}', kind: 'JVM, .NET, PHP and Swift test classes' },
  { glob: '**/*_{spec,test}.rb', kind: 'Ruby specs and tests' },
  { glob: '**/*_test.{rs,exs,dart}', kind: 'Rust, Elixir and Dart test files' },
].map((entry: { glob: string; kind: string }) => ({ ...entry, match: picomatch(entry.glob, { dot: true }) }));

/** The fixture glob a finding's file falls under, if its path says it is test material: its first test-named directory, else its test-named file. */
export function fixtureGlobFor(file: string): { glob: string; kind: string } | undefined {
  const segments = file.split('/');
  for (const directory of segments.slice(0, -1)) {
    const kind = TEST_DIRECTORIES[directory.toLowerCase()];
    // a name with glob characters cannot be one of the names above, so it is written as it is
    if (kind) return { glob: `**/${directory}/**`, kind };
  }
  const named = TEST_FILES.find((entry) => entry.match(file));
  return named && { glob: named.glob, kind: named.kind };
}

/** Proposes `files.fixtures` from where the keys and tokens were found: one glob per kind of test path that holds some, most findings first. */
export function proposeFixtures(findings: readonly Finding[]): FixtureProposal[] {
  const proposals = new Map<string, { kind: string; files: Set<string>; findings: number; secrets: Set<string> }>();
  for (const finding of findings) {
    if (finding.ruleId === 'incomplete-scan' || finding.subject === undefined) continue;
    const where = fixtureGlobFor(finding.file);
    if (!where) continue;
    let proposal = proposals.get(where.glob);
    if (!proposal) proposals.set(where.glob, (proposal = { kind: where.kind, files: new Set(), findings: 0, secrets: new Set() }));
    proposal.files.add(finding.file);
    proposal.findings++;
    proposal.secrets.add(finding.digest ?? finding.fingerprint);
  }
  return [...proposals]
    .map(([glob, p]) => ({ glob, kind: p.kind, files: [...p.files].sort(byCodeUnit), findings: p.findings, secrets: p.secrets.size }))
    .sort((a, b) => b.findings - a.findings || byCodeUnit(a.glob, b.glob));
}


/** The reason written into the policy for a proposed glob: what it names and what it held when proposed. */
export function fixtureReason(proposal: FixtureProposal): string {
  return `${proposal.kind} (proposed by jwt-guard init --baseline: ${plural(proposal.findings, 'finding')} on ${plural(proposal.secrets, 'key or token', 'keys and tokens')} in ${plural(proposal.files.length, 'file')}, such as ${proposal.files[0]})`;
}

export interface AdoptOptions {
  /** The directory to scan and write the policy for. */
  root: string;
  /** The repository root: what paths, globs and the baseline path are relative to. */
  base: string;
  preset: 'recommended' | 'strict';
  /** The baseline's repository path, as the policy names it. */
  baselinePath: string;
  parallel?: { entry: URL; threads?: number };
}

/** Scans with the starter policy, proposes fixtures, scans again with them, and accepts what remains (never a gap). */
export async function adopt(options: AdoptOptions): Promise<Adoption> {
  const starter = starterDocument(options.preset);
  const common = { targets: [options.root], base: options.base, ...(options.parallel ? { parallel: options.parallel } : {}) };
  const first = await scan({ ...common, policy: resolvePolicy(starter, 'the starter policy') });
  const fixtures = proposeFixtures(first.findings);
  const entries: FixtureEntry[] = fixtures.map((p) => ({ paths: [p.glob], reason: fixtureReason(p) }));
  const withFixtures: PolicyDocument = { ...starter, files: { ...starter.files, fixtures: entries } };
  const policy = resolvePolicy(withFixtures, 'the proposed policy');
  const judge = await loadFixtureJudge(policy, options.base);
  const second = fixtures.length > 0 ? await scan({ ...common, policy, ...(judge ? { fixtures: judge } : {}) }) : first;
  const gaps = second.findings.filter((f) => f.ruleId === 'incomplete-scan');
  const accepted = second.findings.filter((f) => !NEVER_BASELINED.has(f.ruleId) && !f.fixture);
  const document: PolicyDocument = accepted.length > 0 ? { ...withFixtures, baseline: options.baselinePath } : withFixtures;
  return {
    policy: document,
    ...(accepted.length > 0 ? { baseline: renderBaseline(accepted) } : {}),
    fixtures,
    accepted,
    gaps,
    found: first.findings,
    filesScanned: first.filesScanned,
  };
}
