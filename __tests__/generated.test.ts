/**
 * Files generated from the code's own metadata: the policy schema, and the README's
 * rule table and policy reference. `npm run generate` rewrites them; otherwise these
 * tests fail when a file and the code disagree.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { policySchema } from '../src/policy/schema.js';
import { RULES } from '../src/rules/index.js';

const update = Boolean(process.env.UPDATE_GENERATED);

function check(file: string, expected: string) {
  if (update) writeFileSync(file, expected);
  expect(readFileSync(file, 'utf8')).toBe(expected);
}

function replaceSection(text: string, name: string, body: string): string {
  const begin = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from === -1 || to === -1) throw new Error(`README.md lacks the ${begin} … ${end} section`);
  return `${text.slice(0, from + begin.length)}\n${body}\n${text.slice(to)}`;
}

const escape = (s: string) => s.replace(/\|/g, '\\|').replace(/\n+/g, ' ');

function rulesTable(): string {
  const rows = RULES.map((r) => `| \`${r.meta.id}\` | ${r.meta.defaultSeverity} | ${r.meta.securitySeverity.toFixed(1)} | ${escape(r.meta.description)} |`);
  return ['| Rule | Default severity | Security severity | Fires on |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

type Schema = { description?: string; default?: unknown; properties?: Record<string, Schema>; type?: string; items?: Schema };

function policyTable(): string {
  const rows: string[] = [];
  const visit = (schema: Schema, at: string) => {
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      if (name === '$schema') continue;
      const key = at ? `${at}.${name}` : name;
      const value = 'default' in child ? `\`${JSON.stringify(child.default)}\`` : '';
      rows.push(`| \`${key}\` | ${value} | ${escape(child.description ?? '')} |`);
      if (name === 'rules' && at === '') {
        for (const rule of RULES) {
          rows.push(`| \`rules.${rule.meta.id}\` | \`"${rule.meta.defaultSeverity}"\` | Severity of \`${rule.meta.id}\`, or an object with \`severity\` and its options. |`);
          for (const [option, spec] of Object.entries(rule.meta.options ?? {})) {
            rows.push(`| \`rules.${rule.meta.id}.${option}\` | \`${JSON.stringify(spec.default)}\` | ${escape(spec.description)} |`);
          }
        }
      } else if (child.type === 'object') visit(child, key);
      if (name === 'ignore' && child.items) visit(child.items, 'ignore[]');
    }
  };
  visit(policySchema() as Schema, '');
  return ['| Field | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

describe('generated files are current (npm run generate)', () => {
  it('policy.schema.json is the schema the code validates with', () => {
    check('policy.schema.json', `${JSON.stringify(policySchema(), null, 2)}\n`);
  });

  it('the README rule table and policy reference come from the rules and the schema', () => {
    const readme = readFileSync('README.md', 'utf8');
    check('README.md', replaceSection(replaceSection(readme, 'rules', rulesTable()), 'policy', policyTable()));
  });
});
