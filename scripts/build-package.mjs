// Builds the package in the current directory to dual ESM + CommonJS with declarations:
//   dist/esm  (package.json {"type":"module"})   dist/cjs  (package.json {"type":"commonjs"})
// Both builds come from the same sources with tsc, so no bundler can change semantics. They are
// written to a fresh `dist.building-<pid>` beside `dist` and renamed into place when complete, so a
// child process or another package's build never sees a half-written or missing `dist` for the
// length of a build (a failed build leaves the previous `dist` as it was).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import plainReexportsModule from './plain-reexports.cjs';

const { plainReexports } = plainReexportsModule;

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const cwd = process.cwd();
// Same depth as `dist`, so the relative source paths in the maps stay right after the rename.
const out = `dist.building-${process.pid}`;
rmSync(join(cwd, out), { recursive: true, force: true });
process.on('exit', () => rmSync(join(cwd, out), { recursive: true, force: true }));

const run = (...args) =>
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', ...args], { stdio: 'inherit', cwd });
run('--outDir', `${out}/cjs`, '--module', 'nodenext', '--moduleResolution', 'nodenext');
run('--outDir', `${out}/esm`, '--module', 'esnext', '--moduleResolution', 'bundler');

for (const [dir, type] of [
  [`${out}/cjs`, 'commonjs'],
  [`${out}/esm`, 'module'],
]) {
  mkdirSync(join(cwd, dir), { recursive: true });
  writeFileSync(join(cwd, dir, 'package.json'), JSON.stringify({ type }) + '\n');
}

// tsc's CommonJS output re-exports each name through a getter; the build replaces those getters with
// plain properties of the same value (see plain-reexports.cjs for why and when that is equivalent).
const mutable = sourceFiles(join(cwd, 'src')).filter((file) =>
  /^export\s+(let|var)\s/m.test(readFileSync(file, 'utf8')),
);
if (mutable.length > 0) {
  console.error(
    `build-package: exported let/var bindings are live bindings; not supported: ${mutable.join(', ')}`,
  );
  process.exit(1);
}
rewriteReexports(join(cwd, out, 'cjs'));
rmSync(join(cwd, 'dist'), { recursive: true, force: true });
renameSync(join(cwd, out), join(cwd, 'dist'));

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

function rewriteReexports(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) rewriteReexports(path);
    else if (entry.name.endsWith('.js')) {
      const text = readFileSync(path, 'utf8');
      const plain = plainReexports(text);
      if (plain !== text) writeFileSync(path, plain);
    }
  }
}
