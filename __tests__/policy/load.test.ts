import { starterPolicy } from '../../src/policy/init.js';
import { describe, expect, it } from '@jest/globals';
import { PolicyError, UserError } from '../../src/errors.js';
import { loadPolicy, parsePolicyText, resolvePolicy } from '../../src/policy/load.js';
import { PRESETS, RECOMMENDED } from '../../src/policy/presets.js';
import { policySchema } from '../../src/policy/schema.js';
import { parseSize } from '../../src/policy/size.js';
import { tempTree } from '../helpers/scan.js';

function problems(text: string) {
  try {
    parsePolicyText(text, 'policy.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as PolicyError).problems;
  }
  throw new Error('expected the policy to be rejected');
}

describe('policy: defaults and presets', () => {
  it('applies the recommended preset without a policy file', () => {
    const { dir, cleanup } = tempTree({ 'a.txt': 'x' });
    try {
      const policy = loadPolicy({ searchRoots: [dir] });
      expect(policy.source).toBe('built-in recommended');
      expect(policy.files).toEqual({ include: ['**'], exclude: ['**/node_modules/**'], logs: ['**/*.log', '**/logs/**'], fixtures: [], maxFileSize: Number.POSITIVE_INFINITY });
      expect(policy.rules['private-key']).toEqual({ severity: 'error', options: { encryptedSeverity: 'warning' } });
    } finally {
      cleanup();
    }
  });

  it('reads .github/jwt-guard.json, merging objects over the preset and replacing arrays', () => {
    const { dir, cleanup } = tempTree({
      '.github/jwt-guard.json': JSON.stringify({ extends: 'strict', files: { exclude: ['vendor/**'], maxFileSize: '512KB' }, rules: { 'private-key': { encryptedSeverity: 'note' } } }),
    });
    try {
      const policy = loadPolicy({ searchRoots: [dir] });
      expect(policy.source).toContain('jwt-guard.json');
      expect(policy.files.exclude).toEqual(['vendor/**']);
      expect(policy.files.logs).toEqual(['**/*.log', '**/logs/**']);
      expect(policy.files.maxFileSize).toBe(512 * 1024);
      // strict sets encryptedSeverity error; the file's own value wins, and severity stays strict's.
      expect(policy.rules['private-key']).toEqual({ severity: 'error', options: { encryptedSeverity: 'note' } });
    } finally {
      cleanup();
    }
  });

  it('accepts comments in the policy file', () => {
    expect(() => parsePolicyText('{\n  // keys live in the vault\n  "extends": "strict"\n}', 'p.json')).not.toThrow();
  });

  it('refuses an explicit policy path that does not exist, as a user error', () => {
    expect(() => loadPolicy({ policyPath: '/nonexistent/policy.json', searchRoots: [] })).toThrow(UserError);
  });

  it('every preset is itself a valid policy', () => {
    for (const preset of Object.values(PRESETS)) expect(() => parsePolicyText(JSON.stringify(preset), 'preset')).not.toThrow();
  });

  it('every schema property has a description, and every value a default', () => {
    const missing: string[] = [];
    const visit = (schema: Record<string, unknown>, at: string) => {
      for (const [name, child] of Object.entries((schema.properties as Record<string, Record<string, unknown>>) ?? {})) {
        if (!child.description) missing.push(`${at}/${name}: description`);
        if (child.type !== 'object' && !('default' in child) && at !== '' && !at.startsWith('/ignore')) missing.push(`${at}/${name}: default`);
        if (child.type === 'object') visit(child, `${at}/${name}`);
      }
    };
    visit(policySchema(), '');
    expect(missing).toEqual([]);
  });
});

describe('policy: errors say what and where', () => {
  it('names the pointer, line and column of an unknown property and lists the allowed ones', () => {
    const [problem, ...rest] = problems('{\n  "files": {\n    "includes": ["src/**"]\n  }\n}');
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file: 'policy.json', pointer: '/files/includes', line: 3, column: 5 });
    expect(problem!.message).toBe("unknown property 'includes'; allowed: include, exclude, logs, fixtures, maxFileSize");
  });

  it('says which values a severity may take', () => {
    const [problem] = problems('{"rules": {"private-key": "fatal"}}');
    expect(problem).toMatchObject({ pointer: '/rules/private-key', line: 1, column: 27 });
    expect(problem!.message).toBe("must be a severity ('error', 'warning', 'note', 'off') or an object with 'severity' and the rule's options, not a string of 5 characters");
  });

  it('points inside a rule object when the object form was chosen', () => {
    const [problem, ...rest] = problems('{"rules": {"private-key": {"severity": "fatal"}}}');
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ pointer: '/rules/private-key/severity', message: expect.stringContaining("'error', 'warning', 'note' or 'off'") });
  });

  it('rejects unknown rule ids and presets', () => {
    expect(problems('{"rules": {"private-keys": "off"}}')[0]!.message).toContain("unknown property 'private-keys'");
    expect(problems('{"extends": "lenient"}')[0]).toMatchObject({ pointer: '/extends', message: expect.stringContaining("'recommended' or 'strict'") });
  });

  it('explains a malformed size', () => {
    const [problem] = problems('{"files": {"maxFileSize": "ten megabytes"}}');
    expect(problem).toMatchObject({ pointer: '/files/maxFileSize' });
    expect(problem!.message).toContain("a size such as '100MB'");
  });

  it('requires a reason and a target on every ignore entry', () => {
    const list = problems('{"ignore": [{"paths": ["test/**"]}, {"reason": "vendored"}]}');
    expect(list.map((p) => p.pointer)).toEqual(['/ignore/0', '/ignore/1']);
    expect(list[0]!.message).toContain("missing required property 'reason'");
    expect(list[1]!.message).toContain("'paths' or 'fingerprints'");
  });

  it('reports JSON syntax errors with line and column', () => {
    const [problem] = problems('{\n  "extends": "strict",\n}');
    expect(problem).toMatchObject({ line: 3, column: 1 });
    expect(problem!.message).toMatch(/^JSON syntax error/);
  });

  it('rejects duplicate properties instead of silently taking one', () => {
    const [problem] = problems('{"extends": "strict", "extends": "recommended"}');
    expect(problem).toMatchObject({ pointer: '/extends', column: 23 });
    expect(problem!.message).toContain('duplicate');
  });

  it('formats every problem into the error message, file first', () => {
    expect(() => parsePolicyText('{"files": {"include": "src"}}', 'x/policy.json')).toThrow(/x\/policy\.json:1:23: \/files\/include: must be/);
  });
});

describe('policy: sizes', () => {
  it.each([
    ['10MB', 10 * 1024 * 1024],
    ['512 KiB', 512 * 1024],
    ['1.5g', 1.5 * 1024 ** 3],
    ['100', 100],
    [2048, 2048],
  ])('%s', (input, bytes) => expect(parseSize(input)).toBe(bytes));

  it('rejects nonsense', () => expect(() => parseSize('lots')).toThrow(UserError));
});

describe('policy: resolution', () => {
  it('resolves a policy that extends strict', () => {
    expect(resolvePolicy({ extends: 'strict' }, 'x').rules['private-key']!.options.encryptedSeverity).toBe('error');
  });
});

describe('one source of defaults', () => {
  it('the schema\'s defaults are the recommended preset\'s values, and init writes the schema\'s $id', () => {
    const schema = policySchema() as { $id: string; properties: Record<string, { properties?: Record<string, { default?: unknown }> }> };
    for (const section of ['files', 'algorithms', 'keys', 'tokens', 'mint'] as const) {
      for (const [name, property] of Object.entries(schema.properties[section]!.properties!)) {
        expect([section, name, property.default]).toEqual([section, name, (RECOMMENDED[section] as Record<string, unknown>)[name]]);
      }
    }
    for (const preset of ['recommended', 'strict'] as const) {
      const starter = JSON.parse(starterPolicy(preset));
      expect(starter.$schema).toBe(schema.$id);
      // what init writes resolves to the preset itself
      expect(resolvePolicy(starter, 'starter').rules).toEqual(resolvePolicy(PRESETS[preset], 'preset').rules);
    }
  });
});
