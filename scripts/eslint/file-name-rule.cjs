// ESLint rule `agent-otel/file-name`: one naming rule for every source, test and fixture file.
//   - A file whose main export is a class is named after that class, in PascalCase
//     (`TraceProcessorSpanProcessor.ts` exports `class TraceProcessorSpanProcessor`); a file whose
//     only value export is a class must be.
//   - Every other file, and every test file, is kebab-case (`stream-observer.ts`, `chat.test.ts`).
//   - The adapter skeleton's files keep their role names whatever they export (`instrumentation.ts`
//     holds the package's one instrumentation class, as in opentelemetry-js-contrib).
const { basename } = require('node:path');

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const SUFFIX = /(\.e2e)?(\.test)?\.(d\.)?[cm]?[jt]s$/;
const SKELETON = new Set(['index', 'instrumentation', 'types', 'internal-types', 'version', 'utils']);

/** Names of the values a module exports: `{ name, isClass }` per export. */
function valueExports(program) {
  const out = [];
  const add = (name, isClass) => out.push({ name, isClass });
  for (const node of program.body) {
    if (node.type === 'ExportDefaultDeclaration') {
      add('default', node.declaration.type === 'ClassDeclaration');
    } else if (node.type === 'ExportNamedDeclaration' && node.exportKind !== 'type') {
      const d = node.declaration;
      if (!d) {
        for (const s of node.specifiers) if (s.exportKind !== 'type') add(s.exported.name, false);
      } else if (d.type === 'ClassDeclaration') add(d.id.name, true);
      else if (d.type === 'FunctionDeclaration' || d.type === 'TSEnumDeclaration') add(d.id.name, false);
      else if (d.type === 'VariableDeclaration')
        for (const v of d.declarations) add(v.id.type === 'Identifier' ? v.id.name : '(pattern)', false);
    }
  }
  return out;
}

const fileNameRule = {
  meta: {
    type: 'suggestion',
    docs: { description: 'PascalCase for a file named after the class it exports, kebab-case otherwise' },
    schema: [],
  },
  create(context) {
    const file = basename(context.filename);
    const match = SUFFIX.exec(file);
    if (!match) return {};
    const stem = file.slice(0, match.index);
    const isTest = Boolean(match[2]);
    return {
      'Program:exit'(program) {
        const report = (message) => context.report({ node: program, loc: { line: 1, column: 0 }, message });
        if (isTest) {
          if (!KEBAB.test(stem)) report(`test file '${file}' must be kebab-case`);
          return;
        }
        if (SKELETON.has(stem)) return;
        const values = valueExports(program);
        const onlyClass = values.length === 1 && values[0].isClass ? values[0].name : undefined;
        const namesClass = values.some((v) => v.isClass && v.name === stem);
        if (onlyClass && onlyClass !== 'default' && stem !== onlyClass)
          report(
            `'${file}' exports only the class ${onlyClass}: name the file ${onlyClass}${file.slice(stem.length)}`,
          );
        else if (PASCAL.test(stem) && !KEBAB.test(stem) && !namesClass)
          report(`'${file}' is PascalCase but exports no class ${stem}: use kebab-case`);
        else if (!PASCAL.test(stem) && !KEBAB.test(stem))
          report(`'${file}' must be kebab-case (or PascalCase, named after the class it exports)`);
      },
    };
  },
};

module.exports = { fileNameRule, rules: { 'file-name': fileNameRule } };
