import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

// Process-wide state of core must go through `processWide` (src/state.ts): `--import` and `require`
// can load the ESM and the CommonJS build into one process, and a module-level variable would then
// exist twice. This scan of the sources catches the forms module state takes here: a top-level `let`
// or `var`, a top-level `const` holding a new mutable collection, a mutable `static` class field,
// and `globalThis` used outside state.ts. It cannot see state kept in a mutated object literal or in
// a closure; review catches those. What it finds must be in ALLOWED, with the reason it is not
// process-wide state (a cache, per-instance or per-copy bookkeeping, a constant).

const SRC = resolve(__dirname, '../../src');

const ALLOWED: Record<string, string> = {
  'api/tracer.ts let cachedFor': 'cache of the tracer, re-derived from the shared provider',
  'api/tracer.ts let cachedTracer': 'cache of the tracer, re-derived from the shared provider',
  'calls/server-address.ts let lastURL': 'cache of a pure function',
  'calls/server-address.ts let lastAddress': 'cache of a pure function',
  'content/safe-serialize.ts let lastReadError':
    'scratch slot, written and read within one synchronous property read of this copy',
  'calls/AgentOtelInstrumentation.ts const states = new WeakMap':
    "per instrumentation instance, read only by that instance's own (same-copy) methods",
  'calls/Observation.ts const collected = new FinalizationRegistry':
    "per copy: an observation registers with its own copy's registry, whose callback only ends it",
  'calls/api-promise.ts const hookedPrototypes = new WeakSet':
    'per-copy memo; whether a method is hooked by any copy is the HOOK_MARK on the method',
  'content/redact.ts const SENSITIVE_KEYS = new Set': 'constant lookup set, never mutated',
  'export/attribute-json.ts const TAGS = new Set': 'constant lookup set, never mutated',
  'export/span-readers.ts const MODEL_CALL_OPERATIONS = new Set': 'constant lookup set (ReadonlySet)',
  'kinds/mapping.ts const MODEL_CALL_RESPONSE_FIELDS = new Set': 'constant lookup set (ReadonlySet)',
};

const MUTABLE_COLLECTIONS = new Set([
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'FinalizationRegistry',
  'Array',
  'Object',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const sources = sourceFiles(SRC).map((path) => ({
  file: relative(SRC, path).split('\\').join('/'),
  source: ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true),
}));

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** Every piece of module-level mutable state the scan recognises, as `<file> <description>`. */
function moduleState(): string[] {
  const found: string[] = [];
  for (const { file, source } of sources) {
    for (const statement of source.statements) {
      if (ts.isVariableStatement(statement)) {
        const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
        for (const declaration of statement.declarationList.declarations) {
          const name = declaration.name.getText(source);
          if (!isConst) {
            found.push(`${file} let ${name}`);
            continue;
          }
          let init = declaration.initializer;
          while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init))) init = init.expression;
          if (init && ts.isNewExpression(init) && MUTABLE_COLLECTIONS.has(init.expression.getText(source))) {
            found.push(`${file} const ${name} = new ${init.expression.getText(source)}`);
          }
        }
      }
      if (ts.isClassDeclaration(statement)) {
        for (const member of statement.members) {
          if (
            ts.isPropertyDeclaration(member) &&
            hasModifier(member, ts.SyntaxKind.StaticKeyword) &&
            !hasModifier(member, ts.SyntaxKind.ReadonlyKeyword)
          ) {
            found.push(`${file} static ${statement.name?.text}.${member.name.getText(source)}`);
          }
        }
      }
    }
  }
  return found;
}

/** Each `processWide(key, …)` call: its file and key. */
function processWideKeys(): { file: string; key: string | undefined }[] {
  const calls: { file: string; key: string | undefined }[] = [];
  for (const { file, source } of sources) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.expression.getText(source) === 'processWide') {
        const [key] = node.arguments;
        calls.push({ file, key: key && ts.isStringLiteral(key) ? key.text : undefined });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return calls;
}

describe('module-level state in core', () => {
  it('is process-wide (through processWide) unless allowed with a reason', () => {
    const unexplained = moduleState().filter((entry) => !(entry in ALLOWED));
    expect(unexplained).toEqual([]);
  });

  it('has no stale allowance (each allowed entry still exists)', () => {
    const found = new Set(moduleState());
    expect(Object.keys(ALLOWED).filter((entry) => !found.has(entry))).toEqual([]);
  });

  it('reaches globalThis only through state.ts', () => {
    const users = sources
      .filter(({ file, source }) => {
        if (file === 'state.ts') return false;
        let uses = false;
        const visit = (node: ts.Node): void => {
          if (ts.isIdentifier(node) && node.text === 'globalThis') uses = true;
          else ts.forEachChild(node, visit);
        };
        visit(source);
        return uses;
      })
      .map(({ file }) => file);
    expect(users).toEqual([]);
  });

  it('gives every processWide slot its own literal agent_otel. key', () => {
    const calls = processWideKeys();
    expect(calls.length).toBeGreaterThanOrEqual(7);
    for (const { file, key } of calls) {
      expect({ file, key }).toEqual({ file, key: expect.stringMatching(/^agent_otel\.[a-z_.]+[a-z0-9]$/) });
    }
    const keys = calls.map(({ key }) => key);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  });
});

describe('the scan', () => {
  // The scan itself must be able to fail: it is run here on a source with each form it looks for.
  it('finds a top-level let, a new mutable collection and a mutable static field', () => {
    const source = ts.createSourceFile(
      'probe.ts',
      'let a = 1;\nconst b = new Map();\nconst c = new Set() as ReadonlySet<string>;\nconst d = Object.freeze([]);\nclass E { static f = 1; static readonly g = 2; }\n',
      ts.ScriptTarget.Latest,
      true,
    );
    sources.push({ file: 'probe.ts', source });
    try {
      expect(moduleState().filter((entry) => entry.startsWith('probe.ts'))).toEqual([
        'probe.ts let a',
        'probe.ts const b = new Map',
        'probe.ts const c = new Set',
        'probe.ts static E.f',
      ]);
    } finally {
      sources.pop();
    }
  });
});
