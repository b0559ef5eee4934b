import type { Node, Tree } from 'web-tree-sitter';
import type { LanguageId } from './languages.js';

/**
 * One model of calls and values over the six grammars, so that each library's checks
 * read like the library's documentation: a call, its positional and named arguments, and
 * what an argument is once followed through the file the way a reviewer would (a literal,
 * an options object assigned to a constant, a boolean constant). Nothing here guesses: a
 * name assigned more than once in its scope, a parameter, or a value computed at run time
 * is `unknown`, and the checks say nothing about it.
 */
export type Family = 'js' | 'python' | 'go' | 'java' | 'csharp' | 'ruby';

export const familyOf = (language: LanguageId): Family =>
  language === 'javascript' || language === 'typescript' || language === 'tsx' ? 'js' : language === 'python' ? 'python' : language === 'go' ? 'go' : language === 'java' ? 'java' : language === 'csharp' ? 'csharp' : 'ruby';

export type Value =
  | { kind: 'string'; value: string; node: Node; via?: string }
  | { kind: 'bool'; value: boolean; node: Node }
  | { kind: 'null'; node: Node }
  | { kind: 'map'; entries: Map<string, Node>; node: Node }
  | { kind: 'list'; items: Node[]; node: Node }
  | { kind: 'unknown'; node: Node };

export interface Call {
  node: Node;
  /** The callee as names, outermost first: `jwt.verify` → jwt, verify; `Jwts.parser().parse` → Jwts, parser, parse; `new X()` → X. */
  path: string[];
  /** The last name: the method or function called. */
  name: string;
  /** The expression the method is called on (`Jwts.parser()` in `Jwts.parser().parse(t)`). */
  receiver?: Node;
  args: Node[];
  /** Keyword arguments (Python, Ruby's trailing pairs, C#'s `name:`). */
  named: Map<string, Node>;
  /** A constructor call (`new`, or a Java/C# object creation). */
  isNew: boolean;
}

const CALLS: Record<Family, readonly string[]> = {
  js: ['call_expression', 'new_expression'],
  python: ['call'],
  go: ['call_expression'],
  java: ['method_invocation', 'object_creation_expression'],
  csharp: ['invocation_expression', 'object_creation_expression'],
  ruby: ['call'],
};

const FUNCTIONS: Record<Family, ReadonlySet<string>> = {
  js: new Set(['function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function_declaration']),
  python: new Set(['function_definition', 'lambda']),
  go: new Set(['function_declaration', 'method_declaration', 'func_literal']),
  java: new Set(['method_declaration', 'constructor_declaration', 'lambda_expression']),
  csharp: new Set(['method_declaration', 'constructor_declaration', 'lambda_expression', 'local_function_statement', 'anonymous_method_expression']),
  ruby: new Set(['method', 'singleton_method', 'block', 'do_block', 'lambda']),
};

/** Nodes that are a name in some grammar: what a word found in the text must be to count. */
const NAME_TYPES = new Set(['identifier', 'property_identifier', 'field_identifier', 'type_identifier', 'constant', 'shorthand_property_identifier', 'shorthand_property_identifier_pattern']);

/** The nearest enclosing node of a type, within `levels` levels above `node`. */
export function ancestor(node: Node, type: string, levels = 5): Node | undefined {
  for (let n: Node | null = node.parent, depth = 0; n && depth < levels; n = n.parent, depth++) if (n.type === type) return n;
  return undefined;
}

function within(node: Node, container: Node | null): boolean {
  return container !== null && node.startIndex >= container.startIndex && node.endIndex <= container.endIndex;
}

/** Wrappers that do not change a value: parentheses, type assertions, `await`. */
const TRANSPARENT = new Set(['parenthesized_expression', 'as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion', 'await_expression', 'cast_expression', 'argument', 'expression_statement', 'parenthesized_statements']);

function unquote(text: string): string {
  return text.replace(/\\(["'\\/bfnrt`$])/g, (_whole, c: string) => ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' })[c] ?? c);
}

interface Declaration {
  /** The function it belongs to, or the file's root. */
  scope: Node;
  value: Node | 'parameter';
}

/** Lists whose identifier children are parameters (JavaScript's and Python's bare names). */
const PARAMETER_LISTS = new Set(['formal_parameters', 'parameters', 'lambda_parameters', 'method_parameters', 'block_parameters', 'parameter_list', 'bracketed_parameter_list']);

export class Code {
  readonly family: Family;
  readonly root: Node;
  private callsCache = new Map<string, Call[]>();
  private declarations = new Map<string, Declaration[]>();

  constructor(
    readonly language: LanguageId,
    tree: Tree,
    readonly text: string,
  ) {
    this.family = familyOf(language);
    this.root = tree.rootNode;
  }

  /**
   * The calls whose callee's last name is one of `names`, in source order. Found from the
   * text (each occurrence of a name, then the syntax node there): parsing is the cost
   * that must be paid, walking every call of a large file is not.
   */
  calls(names: ReadonlySet<string>): Call[] {
    const key = [...names].sort().join(' ');
    const cached = this.callsCache.get(key);
    if (cached) return cached;
    const calls: Call[] = [];
    const seen = new Set<number>();
    for (const node of this.nodesNamed(names)) {
      // From the name up to the call it names: a.b.verify(…) or new Verifier(…), never a call it is an argument of.
      for (let n: Node | null = node.parent, depth = 0; n && depth < 4; n = n.parent, depth++) {
        if (!CALLS[this.family].includes(n.type)) continue;
        if (seen.has(n.id)) break;
        const call = this.callOf(n);
        if (call && call.name === node.text && !within(node, n.childForFieldName('arguments'))) {
          seen.add(n.id);
          calls.push(call);
        }
        break;
      }
    }
    calls.sort((a, b) => a.node.startIndex - b.node.startIndex);
    this.callsCache.set(key, calls);
    return calls;
  }

  /** The nodes of one of `types` at or around each match of `pattern` (a statement found by its keyword), each once, in source order. */
  nodesAt(pattern: RegExp, types: ReadonlySet<string>): Node[] {
    const nodes: Node[] = [];
    const seen = new Set<number>();
    for (const match of this.text.matchAll(pattern)) {
      const at = match.index + (match[0].length - match[0].trimStart().length);
      for (let n: Node | null = this.root.descendantForIndex(at, at + 1), depth = 0; n && depth < 6; n = n.parent, depth++) {
        if (!types.has(n.type)) continue;
        if (!seen.has(n.id)) nodes.push(n);
        seen.add(n.id);
        break;
      }
    }
    return nodes;
  }

  /** The name nodes at each whole-word occurrence of one of `names` in the text (a word in a comment or a string is no name node). */
  nodesNamed(names: ReadonlySet<string>): Node[] {
    if (names.size === 0) return [];
    const words = [...names].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    const pattern = new RegExp(`(?<![\\w$])(?:${words})(?![\\w$])`, 'g');
    const nodes: Node[] = [];
    for (const match of this.text.matchAll(pattern)) {
      const node = this.root.descendantForIndex(match.index, match.index + match[0].length);
      if (node && node.startIndex === match.index && node.endIndex === match.index + match[0].length && NAME_TYPES.has(node.type)) nodes.push(node);
    }
    return nodes;
  }

  callOf(node: Node, depth = 0): Call | undefined {
    const named = new Map<string, Node>();
    const args: Node[] = [];
    const argumentList = node.childForFieldName('arguments');
    for (const arg of argumentList?.namedChildren ?? []) {
      if (!arg || arg.type === 'comment') continue;
      if (this.family === 'python' && arg.type === 'keyword_argument') {
        const name = arg.childForFieldName('name');
        const value = arg.childForFieldName('value');
        if (name && value) named.set(name.text, value);
      } else if (this.family === 'ruby' && arg.type === 'pair') {
        const key = arg.childForFieldName('key');
        const value = arg.childForFieldName('value');
        if (key && value) named.set(symbolName(key), value);
      } else if (this.family === 'csharp' && arg.type === 'argument' && arg.childForFieldName('name')) {
        const name = arg.childForFieldName('name')!;
        const value = arg.namedChildren.filter((c): c is Node => Boolean(c) && c!.id !== name.id).at(-1);
        if (value) named.set(name.text, value);
      } else {
        args.push(arg);
      }
    }
    switch (node.type) {
      case 'new_expression':
      case 'object_creation_expression': {
        const type = node.childForFieldName(this.family === 'js' ? 'constructor' : 'type');
        if (!type) return undefined;
        const path = this.pathOf(type, depth);
        return { node, path, name: path.at(-1) ?? type.text, args, named, isNew: true };
      }
      case 'method_invocation': {
        const name = node.childForFieldName('name');
        const object = node.childForFieldName('object');
        if (!name) return undefined;
        return { node, path: [...(object ? this.pathOf(object, depth) : []), name.text], name: name.text, ...(object ? { receiver: object } : {}), args, named, isNew: false };
      }
      case 'call':
        if (this.family === 'ruby') {
          const method = node.childForFieldName('method');
          const receiver = node.childForFieldName('receiver');
          if (!method) return undefined;
          return { node, path: [...(receiver ? this.pathOf(receiver, depth) : []), method.text], name: method.text, ...(receiver ? { receiver } : {}), args, named, isNew: method.text === 'new' };
        }
        // Python's call has a function field like the others.
        return this.functionCall(node, args, named, depth);
      default:
        return this.functionCall(node, args, named, depth);
    }
  }

  private functionCall(node: Node, args: Node[], named: Map<string, Node>, depth: number): Call | undefined {
    const fn = node.childForFieldName('function');
    if (!fn) return undefined;
    const path = this.pathOf(fn, depth);
    const receiver = fn.childForFieldName('object') ?? fn.childForFieldName('operand') ?? fn.childForFieldName('expression') ?? undefined;
    return { node, path, name: path.at(-1) ?? fn.text, ...(receiver ? { receiver } : {}), args, named, isNew: false };
  }

  /** The names an expression is made of: `a.b.c` → a, b, c; a call in a chain contributes its callee's names. */
  pathOf(node: Node, depth = 0): string[] {
    // A chain deeper than any real callee (generated code) names nothing the checks know.
    if (depth > 32) return [];
    const n = this.unwrap(node);
    switch (n.type) {
      case 'identifier':
      case 'property_identifier':
      case 'field_identifier':
      case 'type_identifier':
      case 'constant':
      case 'this':
      case 'self':
      case 'package_identifier':
        return [n.text];
      case 'generic_name':
        return [n.namedChildren[0]?.text ?? n.text];
      case 'member_expression':
      case 'attribute':
      case 'selector_expression':
      case 'field_access':
      case 'member_access_expression':
      case 'scoped_identifier':
      case 'qualified_name':
      case 'scope_resolution': {
        const object = n.childForFieldName('object') ?? n.childForFieldName('operand') ?? n.childForFieldName('expression') ?? n.childForFieldName('scope') ?? n.childForFieldName('qualifier');
        const name = n.childForFieldName('property') ?? n.childForFieldName('attribute') ?? n.childForFieldName('field') ?? n.childForFieldName('name');
        return [...(object ? this.pathOf(object, depth + 1) : []), ...(name ? [name.type === 'generic_name' ? (name.namedChildren[0]?.text ?? name.text) : name.text] : [])];
      }
      default: {
        if (CALLS[this.family].includes(n.type)) return depth > 16 ? [] : (this.callOf(n, depth + 1)?.path ?? []);
        return [];
      }
    }
  }

  unwrap(node: Node): Node {
    let n = node;
    for (let i = 0; i < 8 && TRANSPARENT.has(n.type); i++) {
      const inner = n.namedChildren.filter((c) => c && c.type !== 'comment').at(n.type === 'argument' ? -1 : 0);
      if (!inner) break;
      n = inner;
    }
    return n;
  }

  /** What an expression is, following names through single assignments in their scope (at most a few steps). */
  resolve(node: Node, depth = 0): Value {
    const n = this.unwrap(node);
    const literal = this.literal(n);
    if (literal) return literal;
    if (depth < 4 && (n.type === 'identifier' || n.type === 'constant')) {
      const assigned = this.assignmentOf(n);
      if (assigned) {
        const value = this.resolve(assigned, depth + 1);
        return value.kind === 'string' ? { ...value, via: value.via ?? n.text } : value;
      }
    }
    // A Java or C# constant read through its class (Config.SECRET) resolves like a name when this file declares it.
    if (depth < 4 && (n.type === 'field_access' || n.type === 'member_access_expression' || n.type === 'scope_resolution')) {
      const name = n.childForFieldName('field') ?? n.childForFieldName('name');
      if (name) {
        const declared = this.declarationsOf(name.text).filter((d) => d.scope.id === this.root.id);
        if (declared.length === 1 && declared[0]!.value !== 'parameter') {
          const value = this.resolve(declared[0]!.value, depth + 1);
          return value.kind === 'string' ? { ...value, via: value.via ?? name.text } : value;
        }
      }
    }
    return { kind: 'unknown', node: n };
  }

  private literal(n: Node): Value | undefined {
    const f = this.family;
    switch (n.type) {
      case 'true':
      case 'false':
        return { kind: 'bool', value: n.type === 'true', node: n };
      case 'boolean_literal':
        return { kind: 'bool', value: n.text === 'true', node: n };
      case 'null':
      case 'undefined':
      case 'none':
      case 'nil':
      case 'null_literal':
        return { kind: 'null', node: n };
      case 'string':
      case 'string_literal':
      case 'interpreted_string_literal':
      case 'raw_string_literal':
      case 'verbatim_string_literal':
      case 'template_string':
      case 'text_block': {
        const value = this.stringValue(n);
        return value === undefined ? undefined : { kind: 'string', value, node: n };
      }
      case 'concatenated_string': {
        let value = '';
        for (const part of n.namedChildren) {
          const piece = part ? this.stringValue(part) : undefined;
          if (piece === undefined) return undefined;
          value += piece;
        }
        return { kind: 'string', value, node: n };
      }
      case 'simple_symbol':
        return { kind: 'string', value: n.text.replace(/^:/, ''), node: n };
      case 'object':
      case 'dictionary':
      case 'hash':
      case 'initializer_expression':
        return { kind: 'map', entries: this.entriesOf(n), node: n };
      case 'array':
      case 'list':
      case 'tuple':
      case 'set':
      case 'array_initializer':
      case 'collection_expression':
        return { kind: 'list', items: n.namedChildren.filter((c): c is Node => Boolean(c) && c!.type !== 'comment').map((c) => (c.type === 'expression_element' || c.type === 'literal_element' ? (c.namedChildren[0] ?? c) : c)), node: n };
      default:
        break;
    }
    if (f === 'go' && n.type === 'composite_literal') {
      const body = n.childForFieldName('body');
      if (!body) return undefined;
      const keyed = body.namedChildren.filter((c) => c?.type === 'keyed_element');
      if (keyed.length > 0) return { kind: 'map', entries: this.entriesOf(body), node: n };
      return { kind: 'list', items: body.namedChildren.filter((c): c is Node => Boolean(c)).map((c) => c.namedChildren[0] ?? c), node: n };
    }
    // Python's dict(verify_exp=False) is a map as much as {"verify_exp": False}.
    if (f === 'python' && n.type === 'call' && n.childForFieldName('function')?.text === 'dict') {
      return { kind: 'map', entries: this.callOf(n)?.named ?? new Map(), node: n };
    }
    return undefined;
  }

  /** A string literal's value; undefined when it interpolates (its value is computed at run time). */
  stringValue(n: Node): string | undefined {
    if (n.namedChildren.some((c) => c && (c.type === 'interpolation' || c.type === 'template_substitution' || c.type === 'string_interpolation'))) return undefined;
    if (n.type === 'raw_string_literal' && this.family === 'go') return n.text.slice(1, -1);
    if (n.type === 'verbatim_string_literal') return n.text.slice(2, -1).replace(/""/g, '"');
    if (n.type === 'text_block') return n.text.slice(3, -3);
    const parts = n.namedChildren.filter((c): c is Node => Boolean(c) && /content|fragment|escape_sequence/.test(c!.type));
    if (parts.length === 0) return n.text.length >= 2 && /^[bBrRuU]*["'`]/.test(n.text) ? '' : undefined;
    return parts.map((p) => (p.type === 'escape_sequence' ? unquote(p.text) : p.text)).join('');
  }

  /** Keys and values of an object, dictionary, hash, C# initializer or Go keyed literal. */
  entriesOf(n: Node): Map<string, Node> {
    const entries = new Map<string, Node>();
    for (const child of n.namedChildren) {
      if (!child) continue;
      if (child.type === 'shorthand_property_identifier') entries.set(child.text, child);
      let key: Node | null = null;
      let value: Node | null = null;
      if (child.type === 'pair') {
        key = child.childForFieldName('key');
        value = child.childForFieldName('value');
      } else if (child.type === 'assignment_expression') {
        key = child.childForFieldName('left');
        value = child.childForFieldName('right');
      } else if (child.type === 'keyed_element') {
        [key, value] = [child.namedChildren[0] ?? null, child.namedChildren[1] ?? null];
        if (key?.type === 'literal_element') key = key.namedChildren[0] ?? key;
        if (value?.type === 'literal_element') value = value.namedChildren[0] ?? value;
      }
      if (key && value) entries.set(keyName(this, key), value);
    }
    return entries;
  }

  /** The value a name was given, when it was given exactly one in the nearest scope that declares it (a parameter's is unknown). */
  private assignmentOf(name: Node): Node | undefined {
    const declarations = this.declarationsOf(name.text);
    for (let scope: Node | null = this.scopeOf(name); scope; scope = scope.id === this.root.id ? null : this.scopeOf(scope)) {
      const id = scope.id;
      const here = declarations.filter((d) => d.scope.id === id);
      if (here.length === 0) continue;
      if (here.length !== 1 || here[0]!.value === 'parameter') return undefined;
      const value = here[0]!.value;
      // Not the name's own declaration (x = x + 1 reads as unknown).
      return value.startIndex <= name.startIndex && value.endIndex >= name.endIndex ? undefined : value;
    }
    return undefined;
  }

  /** Where a name is given a value or declared as a parameter, in any scope: found from its occurrences in the text. */
  private declarationsOf(name: string): Declaration[] {
    const cached = this.declarations.get(name);
    if (cached) return cached;
    const found: Declaration[] = [];
    for (const node of this.nodesNamed(new Set([name]))) {
      const value = this.declaredValue(node);
      if (value !== undefined) found.push({ scope: this.scopeOf(node), value });
    }
    this.declarations.set(name, found);
    return found;
  }

  /** What an occurrence of a name declares it to be: a value, a parameter, or (for any other occurrence) nothing. */
  private declaredValue(node: Node): Node | 'parameter' | undefined {
    const parent = node.parent;
    if (!parent) return undefined;
    const is = (field: string) => parent.childForFieldName(field)?.id === node.id;
    switch (parent.type) {
      case 'variable_declarator': {
        if (!is('name')) return undefined;
        const value = parent.childForFieldName('value') ?? (this.family === 'csharp' ? parent.namedChildren.filter((c): c is Node => Boolean(c) && c!.id !== node.id).at(-1) : undefined);
        return value ?? node;
      }
      case 'assignment_expression':
      case 'assignment':
      case 'named_expression':
        if (!is('left') && !is('name')) return undefined;
        return parent.childForFieldName('right') ?? parent.childForFieldName('value') ?? node;
      case 'augmented_assignment':
      case 'operator_assignment':
        return is('left') ? node : undefined;
      case 'expression_list': {
        // Go: a, b := f(), g()
        const statement = parent.parent;
        if (!statement || !/^(short_var_declaration|assignment_statement)$/.test(statement.type) || statement.childForFieldName('left')?.id !== parent.id) return undefined;
        const right = statement.childForFieldName('right');
        const values = right ? (right.type === 'expression_list' ? right.namedChildren : [right]) : [];
        const index = parent.namedChildren.findIndex((c) => c?.id === node.id);
        return values.length === parent.namedChildren.length ? (values[index] ?? node) : node;
      }
      case 'var_spec':
      case 'const_spec': {
        const names = parent.childrenForFieldName('name');
        const index = names.findIndex((c) => c?.id === node.id);
        if (index === -1) return undefined;
        const value = parent.childForFieldName('value');
        const values = value ? (value.type === 'expression_list' ? value.namedChildren : [value]) : [];
        return values.length === names.length ? (values[index] ?? node) : node;
      }
      default:
        break;
    }
    if (PARAMETER_LISTS.has(parent.type)) return 'parameter';
    if (/parameter/.test(parent.type) && (is('name') || is('pattern') || parent.childrenForFieldName('name').some((c) => c?.id === node.id) || (parent.type !== 'parameter' && parent.namedChildren[0]?.id === node.id))) return 'parameter';
    // Destructuring, loops, catch clauses: a value we do not follow.
    if (/pattern|for_in|for_statement|catch|with_item|range_clause/.test(parent.type)) return node;
    return undefined;
  }

  /** The function a node is in, or the file. */
  scopeOf(node: Node): Node {
    for (let p = node.parent; p; p = p.parent) if (FUNCTIONS[this.family].has(p.type)) return p;
    return this.root;
  }

  /** The function a node is in (undefined at the top of the file). */
  functionOf(node: Node): Node | undefined {
    const scope = this.scopeOf(node);
    return scope.id === this.root.id ? undefined : scope;
  }


}

function symbolName(key: Node): string {
  return key.text.replace(/^:/, '').replace(/:$/, '').replace(/^["']|["']$/g, '');
}

function keyName(code: Code, key: Node): string {
  if (key.type === 'string' || key.type === 'string_literal' || key.type === 'interpreted_string_literal') return code.stringValue(key) ?? key.text;
  if (key.type === 'hash_key_symbol' || key.type === 'simple_symbol') return symbolName(key);
  return key.text;
}
