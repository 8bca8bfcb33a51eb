import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

// Every name each entry point exports, values and types, against the reviewed list in
// public-api.txt: the public surface grows or shrinks only on purpose. After a deliberate change,
// regenerate the list with `AGENT_OTEL_UPDATE_API=1 npx jest packages/core/test/package/public-api`
// and review its diff.

const src = resolve(__dirname, '../../src');
const listFile = join(__dirname, 'public-api.txt');
const ENTRIES: Record<string, string> = {
  '@agent-otel/core': 'index.ts',
  '@agent-otel/core/instrumentation': 'instrumentation.ts',
  '@agent-otel/core/semconv': 'semconv.ts',
};

function surface(): string {
  const files = Object.values(ENTRIES).map((f) => join(src, f));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const sections = Object.entries(ENTRIES).map(([entry, file]) => {
    const source = program.getSourceFile(join(src, file));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`cannot read ${file}`);
    const lines = checker.getExportsOfModule(moduleSymbol).map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return `${target.flags & ts.SymbolFlags.Value ? 'value' : 'type '} ${symbol.getName()}`;
    });
    return [`# ${entry} (${lines.length})`, ...lines.sort((a, b) => (a.slice(6) < b.slice(6) ? -1 : 1))].join(
      '\n',
    );
  });
  return sections.join('\n\n') + '\n';
}

describe('public API', () => {
  it('exports exactly the reviewed names from each entry point', () => {
    const actual = surface();
    if (process.env.AGENT_OTEL_UPDATE_API === '1') writeFileSync(listFile, actual);
    expect(actual).toBe(readFileSync(listFile, 'utf8'));
  }, 60_000);

  it('keeps the application entry point small enough to read in one sitting', () => {
    const count = Number(/^# @agent-otel\/core \((\d+)\)$/m.exec(readFileSync(listFile, 'utf8'))?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(144);
  });
});
