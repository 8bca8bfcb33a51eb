// Completes package-lock.json with entries for optional platform packages that this machine's
// registry does not serve (e.g. `@swc/core-darwin-arm64`): `npm install` leaves them out of the
// lockfile, and `npm ci` then refuses the lockfile as "out of sync". Each missing optional
// dependency gets a stub entry marked optional with the os/cpu its name implies, so `npm ci`
// skips it on this platform exactly as it would with a complete lockfile.
// Run after `npm install` whenever dependencies change: `node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

const OS = [
  'darwin',
  'win32',
  'linux',
  'android',
  'freebsd',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
  'openharmony',
];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el', 'wasm32'];
const ALIASES = {
  windows: 'win32',
  win: 'win32',
  macos: 'darwin',
  mac: 'darwin',
  64: 'x64',
  amd64: 'x64',
  x86_64: 'x64',
  aarch64: 'arm64',
  armv7: 'arm',
  gnueabihf: 'arm',
};

function platformOf(name) {
  const words = name
    .toLowerCase()
    .split(/[^a-z0-9_]+/)
    .map((w) => ALIASES[w] ?? w);
  const os = words.find((w) => OS.includes(w));
  const cpu = words.find((w) => CPU.includes(w)) ?? (name.includes('wasm') ? 'wasm32' : undefined);
  return { os, cpu };
}

/** Where npm would place `dep` required from the package at `from` (nearest node_modules up the tree). */
function resolveLocation(from, dep) {
  let base = from;
  for (;;) {
    const candidate = (base ? `${base}/` : '') + `node_modules/${dep}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const index = base.lastIndexOf('/node_modules/');
    base = index === -1 ? '' : base.slice(0, index);
  }
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolveLocation(location, dep)) continue;
    const target = (location ? `${location}/` : '') + `node_modules/${dep}`;
    const { os, cpu } = platformOf(dep);
    packages[target] = {
      version: String(version).replace(/^[\^~=]/, ''),
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...(os ? { os: [os] } : {}),
      ...(cpu ? { cpu: [cpu] } : {}),
    };
    added++;
  }
}
writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
process.stdout.write(`complete-lockfile: added ${added} optional platform entries\n`);
