import type { Node } from 'web-tree-sitter';
import type { Code } from './syntax.js';

/**
 * What a file imports, so that `jwt.verify` is judged as jsonwebtoken's verify only where
 * `jwt` is jsonwebtoken: local names bound to a module (or a module's member), and the
 * modules imported at all (Java's and C#'s imports name packages, not bindings).
 */
export class Imports {
  readonly names = new Map<string, string>();
  readonly modules = new Set<string>();

  constructor(private readonly code: Code) {
    const collect = { js: () => this.js(), python: () => this.python(), go: () => this.go(), java: () => this.java(), csharp: () => this.csharp(), ruby: () => this.ruby() };
    collect[code.family]();
  }

  /** A call's path with its first name replaced by what it is bound to: jsonwebtoken.verify, jose.jwt.decode. */
  qualify(path: readonly string[]): string {
    const [first, ...rest] = path;
    if (first === undefined) return '';
    const bound = this.names.get(first);
    return [bound ?? first, ...rest].join('.');
  }

  /** Whether the file imports a module whose name starts with `prefix`. */
  uses(prefix: string): boolean {
    for (const module of this.modules) if (module === prefix || module.startsWith(`${prefix}/`) || module.startsWith(`${prefix}.`)) return true;
    return false;
  }

  private bind(local: string, target: string, module: string): void {
    this.names.set(local, target);
    this.modules.add(module);
  }

  private js(): void {
    const code = this.code;
    for (const node of code.nodesAt(/\bimport\b|\brequire\s*\(/g, JS_STATEMENTS)) {
      if (!node) continue;
      if (node.type === 'import_statement') {
        const source = node.childForFieldName('source');
        const module = source ? code.stringValue(source) : undefined;
        if (!module) continue;
        this.modules.add(module);
        for (const spec of node.descendantsOfType(['import_specifier', 'namespace_import', 'identifier'])) {
          if (!spec) continue;
          if (spec.type === 'import_specifier') {
            const name = spec.childForFieldName('name');
            const alias = spec.childForFieldName('alias') ?? name;
            if (name && alias) this.bind(alias.text, `${module}.${name.text}`, module);
          } else if (spec.type === 'namespace_import') {
            const id = spec.namedChildren.find((c) => c?.type === 'identifier');
            if (id) this.bind(id.text, module, module);
          } else if (spec.parent?.type === 'import_clause') {
            this.bind(spec.text, module, module); // the default import
          }
        }
        continue;
      }
      // const jwt = require('jsonwebtoken'); const { verify } = require('jsonwebtoken'); const S = require('passport-jwt').Strategy
      const value = node.childForFieldName('value');
      const name = node.childForFieldName('name');
      if (!value || !name) continue;
      const required = requireOf(code, value);
      if (!required) continue;
      if (name.type === 'identifier') this.bind(name.text, required.target, required.module);
      else if (name.type === 'object_pattern') {
        for (const part of name.namedChildren) {
          if (!part) continue;
          if (part.type === 'shorthand_property_identifier_pattern') this.bind(part.text, `${required.target}.${part.text}`, required.module);
          else if (part.type === 'pair_pattern') {
            const key = part.childForFieldName('key');
            const local = part.childForFieldName('value');
            if (key && local?.type === 'identifier') this.bind(local.text, `${required.target}.${key.text}`, required.module);
          }
        }
      }
    }
  }

  private python(): void {
    for (const node of this.code.nodesAt(/^[ \t]*(import|from)\b/gm, PYTHON_STATEMENTS)) {
      if (!node) continue;
      const from = node.type === 'import_from_statement' ? node.childForFieldName('module_name')?.text : undefined;
      if (from) this.modules.add(from);
      for (const spec of node.childrenForFieldName('name')) {
        if (!spec) continue;
        const [name, alias] = spec.type === 'aliased_import' ? [spec.childForFieldName('name')?.text, spec.childForFieldName('alias')?.text] : [spec.text, undefined];
        if (!name) continue;
        const target = from ? `${from}.${name}` : name;
        const local = alias ?? (from ? name : name.split('.')[0]!);
        this.bind(local, from || alias ? target : local, from ?? name);
      }
    }
  }

  private go(): void {
    for (const spec of this.code.nodesAt(/"[^"\n]+"/g, GO_SPECS)) {
      if (!spec) continue;
      const pathNode = spec.childForFieldName('path');
      const module = pathNode ? this.code.stringValue(pathNode) : undefined;
      if (!module) continue;
      // github.com/golang-jwt/jwt/v5 is the package jwt: a major version suffix is not its name.
      const base = module.replace(/\/v\d+$/, '');
      const alias = spec.childForFieldName('name')?.text;
      const local = alias && alias !== '.' && alias !== '_' ? alias : base.split('/').at(-1)!.replace(/^go-/, '');
      this.bind(local, base, base);
    }
  }

  private java(): void {
    for (const node of this.code.nodesAt(/^[ \t]*import\b/gm, JAVA_STATEMENTS)) {
      if (!node) continue;
      const name = node.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier');
      if (!name) continue;
      const wildcard = node.namedChildren.some((c) => c?.type === 'asterisk');
      this.modules.add(name.text);
      if (!wildcard) this.names.set(name.text.split('.').at(-1)!, name.text);
    }
  }

  private csharp(): void {
    for (const node of this.code.nodesAt(/^[ \t]*(global[ \t]+)?using\b/gm, CSHARP_STATEMENTS)) {
      const name = node?.namedChildren.find((c) => c?.type === 'qualified_name' || c?.type === 'identifier');
      if (name) this.modules.add(name.text);
    }
  }

  private ruby(): void {
    for (const call of this.code.calls(RUBY_REQUIRE)) {
      if ((call.name === 'require' || call.name === 'gem') && call.path.length === 1 && call.args[0]) {
        const value = this.code.resolve(call.args[0]);
        if (value.kind === 'string') this.modules.add(value.value);
      }
    }
  }
}

const RUBY_REQUIRE: ReadonlySet<string> = new Set(['require', 'gem']);
const JS_STATEMENTS: ReadonlySet<string> = new Set(['import_statement', 'variable_declarator']);
const PYTHON_STATEMENTS: ReadonlySet<string> = new Set(['import_statement', 'import_from_statement']);
const GO_SPECS: ReadonlySet<string> = new Set(['import_spec']);
const JAVA_STATEMENTS: ReadonlySet<string> = new Set(['import_declaration']);
const CSHARP_STATEMENTS: ReadonlySet<string> = new Set(['using_directive']);

/** `require('m')` or `require('m').X` (also behind `await import('m')`): the module and what the expression stands for. */
function requireOf(code: Code, value: Node): { module: string; target: string } | undefined {
  const n = code.unwrap(value);
  if (n.type === 'call_expression') {
    const fn = n.childForFieldName('function');
    if (fn?.type !== 'identifier' && fn?.type !== 'import') return undefined;
    if (fn.type === 'identifier' && fn.text !== 'require') return undefined;
    const arg = n.childForFieldName('arguments')?.namedChildren[0];
    const module = arg ? code.stringValue(arg) : undefined;
    return module ? { module, target: module } : undefined;
  }
  if (n.type === 'member_expression') {
    const object = n.childForFieldName('object');
    const property = n.childForFieldName('property');
    const inner = object ? requireOf(code, object) : undefined;
    return inner && property ? { module: inner.module, target: `${inner.target}.${property.text}` } : undefined;
  }
  return undefined;
}
