// tsc's CommonJS output re-exports each name through a getter
//   Object.defineProperty(exports, "isRecord", { enumerable: true, get: function () { return values_js_1.isRecord; } });
// so every call an adapter makes through a package entry point (`isRecord` from
// `@agent-otel/core/instrumentation`, several per streamed chunk) runs a getter first: a fifth of a
// streamed call's overhead by instruction count (bench/NOTES.md). Our packages export only constants,
// functions, classes and types, whose bindings never change (build-package.mjs refuses an exported
// `let` or `var`), so a plain property holding the same value is equivalent:
//   exports.isRecord = values_js_1.isRecord;
// The re-exported module is fully loaded by then (the `require` precedes it), as for the getter's
// first read. scripts/test/plain-reexports.test.ts checks the rewrite; the packed-tarball test checks
// the built entry points export the same names and values.
const REEXPORT_GETTER =
  /^Object\.defineProperty\(exports, "([\w$]+)", \{ enumerable: true, get: function \(\) \{ return ([\w$]+)\.([\w$]+); \} \}\);$/gm;

/** The CommonJS text with each re-export getter replaced by a plain property of the same value. */
function plainReexports(text) {
  return text.replace(REEXPORT_GETTER, 'exports.$1 = $2.$3;');
}

module.exports = { plainReexports };
