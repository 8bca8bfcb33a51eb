// Builds the package in the current directory to dual ESM + CommonJS with declarations:
//   dist/esm  (package.json {"type":"module"})   dist/cjs  (package.json {"type":"commonjs"})
// Both builds come from the same sources with tsc, so no bundler can change semantics.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const cwd = process.cwd();
rmSync(join(cwd, 'dist'), { recursive: true, force: true });

const run = (...args) =>
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', ...args], { stdio: 'inherit', cwd });
run('--outDir', 'dist/cjs', '--module', 'nodenext', '--moduleResolution', 'nodenext');
run('--outDir', 'dist/esm', '--module', 'esnext', '--moduleResolution', 'bundler');

for (const [dir, type] of [
  ['dist/cjs', 'commonjs'],
  ['dist/esm', 'module'],
]) {
  mkdirSync(join(cwd, dir), { recursive: true });
  writeFileSync(join(cwd, dir, 'package.json'), JSON.stringify({ type }) + '\n');
}
