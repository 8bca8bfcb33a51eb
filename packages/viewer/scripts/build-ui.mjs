/* global process, console */
// Builds the viewer's browser UI into dist/ui: the TypeScript in src/ui compiled by tsc
// (tsconfig.ui.json: lib dom, ES modules, no bundler) plus index.html, styles.css and the icon.
// The server serves dist/ui under /assets/ (index.html for the app's routes). Written to a fresh
// directory and renamed into place, so a running viewer never serves a half-written UI.
// Fails when the output uses an API that parses markup (innerHTML and the like): the UI builds its
// DOM with createElement/textContent only, since every value it shows is untrusted.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const staging = join(packageDir, 'dist', `ui.building-${process.pid}`);
const compiled = join(staging, 'tsc');
const out = join(packageDir, 'dist', 'ui');
const sourceDir = join(packageDir, 'src', 'ui');
const STATIC = /\.(html|css|svg)$/;

/** APIs that turn strings into markup or code; none may appear in the built UI. */
const FORBIDDEN = [
  'innerHTML',
  'outerHTML',
  'insertAdjacentHTML',
  'document.write',
  'createContextualFragment',
  'setHTMLUnsafe',
  'parseHTMLUnsafe',
  'DOMParser',
  'eval(',
  'new Function',
];

rmSync(staging, { recursive: true, force: true });
process.on('exit', () => rmSync(staging, { recursive: true, force: true }));
mkdirSync(staging, { recursive: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.ui.json', '--outDir', compiled], {
  stdio: 'inherit',
  cwd: packageDir,
});

const ui = join(staging, 'ui');
// tsc mirrors src/ (the UI imports types from src/model.ts): keep the UI's own modules only.
copyTree(join(compiled, 'ui'), ui, (name) => name.endsWith('.js'));
copyTree(sourceDir, ui, (name) => STATIC.test(name));
rmSync(compiled, { recursive: true, force: true });

const offences = [];
for (const file of files(ui)) {
  if (!/\.(js|html)$/.test(file)) continue;
  const text = readFileSync(file, 'utf8');
  for (const api of FORBIDDEN) if (text.includes(api)) offences.push(`${relative(packageDir, file)}: ${api}`);
}
if (offences.length > 0) {
  console.error(`build-ui: the UI must not use markup-parsing APIs:\n  ${offences.join('\n  ')}`);
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
renameSync(ui, out);

function copyTree(from, to, keep) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    if (entry.isDirectory()) copyTree(source, join(to, entry.name), keep);
    else if (keep(entry.name)) copyFileSync(source, join(to, entry.name));
  }
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}
