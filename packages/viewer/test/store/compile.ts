// The store's sources compiled to CommonJS for a child Node process (with the same compiler the
// tests use), so a child can run the store without a build of the package.
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SRC = resolve(__dirname, '../../src');
const REPO = resolve(__dirname, '../../../..');
/** What the store needs (and nothing of the other parts, which may be half-written). */
const PARTS = ['model.ts', 'analysis.ts', 'store', 'query'];

/** Compiles the store into `outDir`; returns the path of the compiled `store/Store.js`. */
export function compileStore(outDir: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const swc = require('@swc/core') as typeof import('@swc/core');
  const compile = (rel: string) => {
    const { code } = swc.transformFileSync(join(SRC, rel), {
      jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
      module: { type: 'commonjs' },
      swcrc: false,
      configFile: false,
    });
    const out = join(outDir, rel.replace(/\.ts$/, '.js'));
    mkdirSync(join(out, '..'), { recursive: true });
    writeFileSync(out, code);
  };
  for (const part of PARTS) {
    if (part.endsWith('.ts')) compile(part);
    else for (const f of readdirSync(join(SRC, part))) if (f.endsWith('.ts')) compile(join(part, f));
  }
  // `@agent-otel/core` and the rest resolve from the repository's node_modules.
  symlinkSync(join(REPO, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  return join(outDir, 'store', 'Store.js');
}
