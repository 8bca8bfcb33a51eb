import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { satisfies } from 'semver';
import { AGENT_OTEL_INSTRUMENTATIONS } from '../../packages/node/src/instrumentations';

// What a registry page and an installer see of each package: a license file, where the code and
// the issues are, README links that work outside this repository, and OpenTelemetry ranges that let
// an application on either SDK line (2.x with API 1.9, 3.x with API 1.10) install core and the
// instrumentations (e2e/packed-install.e2e.test.ts installs them on both).

const ROOT = resolve(__dirname, '../..');
const REPOSITORY = 'https://github.com/agent-otel/agent-otel';
const LICENSE = readFileSync(join(ROOT, 'LICENSE'), 'utf8');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  files?: string[];
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  bin?: Record<string, string>;
}

const packages = readdirSync(join(ROOT, 'packages'))
  .map((dir) => ({
    dir,
    manifest: JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')) as Manifest,
  }))
  .filter(({ manifest }) => manifest.private !== true);

/** One version of each line per kind of package: stable (`core`, `sdk-trace`) and experimental (`0.x`). */
const SDK_LINES = { stable: ['2.12.1', '3.1.1'], experimental: ['0.223.0', '0.301.2'] };
const API_VERSIONS = ['1.9.0', '1.10.0'];

/** Markdown link targets of a README (inline links and reference definitions). */
function linkTargets(markdown: string): string[] {
  const inline = [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
  const references = [...markdown.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]!);
  return [...inline, ...references];
}

describe.each(packages.map(({ dir, manifest }) => [manifest.name, dir, manifest] as const))(
  '%s',
  (_name, dir, manifest) => {
    const packageDir = join(ROOT, 'packages', dir);

    it('ships the Apache-2.0 LICENSE file', () => {
      expect(manifest.license).toBe('Apache-2.0');
      expect(readFileSync(join(packageDir, 'LICENSE'), 'utf8')).toBe(LICENSE);
      expect(manifest.files).toContain('LICENSE');
    });

    it('names its repository, directory, homepage and issue tracker', () => {
      expect(manifest.repository).toEqual({
        type: 'git',
        url: `git+${REPOSITORY}.git`,
        directory: `packages/${dir}`,
      });
      expect(manifest.homepage).toBe(`${REPOSITORY}/tree/main/packages/${dir}#readme`);
      expect(manifest.bugs).toEqual({ url: `${REPOSITORY}/issues` });
    });

    it('has README links that work on a registry page: absolute, an anchor, or a shipped file', () => {
      const shipped = (target: string) =>
        (manifest.files ?? []).some((entry) => target === entry || target.startsWith(`${entry}/`)) &&
        existsSync(join(packageDir, target.split('#')[0]!));
      const broken = linkTargets(readFileSync(join(packageDir, 'README.md'), 'utf8')).filter(
        (target) => !/^(https?:|mailto:|#)/.test(target) && !shipped(target),
      );
      expect(broken).toEqual([]);
    });

    it('has README links into this repository that point at files that exist', () => {
      const prefix = /^https:\/\/github\.com\/agent-otel\/agent-otel\/(?:blob|tree)\/main\/([^#]+)/;
      const missing = linkTargets(readFileSync(join(packageDir, 'README.md'), 'utf8'))
        .map((target) => prefix.exec(target)?.[1])
        .filter((path): path is string => path !== undefined && !existsSync(join(ROOT, path)));
      expect(missing).toEqual([]);
    });

    if (dir === 'viewer') {
      // A command, not a library an application builds on: it brings its own API copy (core needs one)
      // and no SDK package, so nothing of it meets the application's SDK line.
      it('is a command with its own @opentelemetry/api and no other OpenTelemetry package', () => {
        expect(manifest.bin).toBeDefined();
        expect(
          Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).filter((name) =>
            name.startsWith('@opentelemetry/'),
          ),
        ).toEqual(['@opentelemetry/api']);
      });
      return;
    }

    if (dir === 'node') {
      // The one-call setup brings its own SDK, of the 3.x line; an application on the 2.x line uses
      // core and the instrumentations inside its own NodeSDK.
      it('depends on the OpenTelemetry JS 3.x line and asks for API 1.10', () => {
        expect(manifest.peerDependencies?.['@opentelemetry/api']).toBe('^1.10.0');
        for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
          if (!name.startsWith('@opentelemetry/')) continue;
          const version = /^[\^~]?0\./.test(range) ? SDK_LINES.experimental[1]! : SDK_LINES.stable[1]!;
          expect([name, satisfies(version, range)]).toEqual([name, true]);
        }
      });
      return;
    }

    it('takes OpenTelemetry packages only as peers, so the application chooses the SDK line', () => {
      // npm picks the newest version in a dependency's range whatever the application's API is, so
      // a dependency on an SDK package would bring the 3.x line (which needs API 1.10) into a 2.x app.
      expect(
        Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith('@opentelemetry/')),
      ).toEqual([]);
    });

    it('marks every OpenTelemetry peer but the API optional', () => {
      // npm resolves a required peer to the newest version in range even when the application has
      // an older one that fits (a 2.x app's @opentelemetry/instrumentation 0.223), then fails on that
      // version's API peer; an optional peer is checked against what is installed, never fetched.
      const required = Object.keys(manifest.peerDependencies ?? {}).filter(
        (name) =>
          name.startsWith('@opentelemetry/') &&
          name !== '@opentelemetry/api' &&
          (manifest as { peerDependenciesMeta?: Record<string, { optional?: boolean }> })
            .peerDependenciesMeta?.[name]?.optional !== true,
      );
      expect(required).toEqual([]);
    });

    it('admits both OpenTelemetry JS SDK lines in its peer ranges', () => {
      for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
        if (!name.startsWith('@opentelemetry/')) continue;
        const versions =
          name === '@opentelemetry/api'
            ? API_VERSIONS
            : /^[\^>=<\s]*0\./.test(range)
              ? SDK_LINES.experimental
              : SDK_LINES.stable;
        for (const version of versions)
          expect([name, version, satisfies(version, range)]).toEqual([name, version, true]);
      }
    });
  },
);

describe('@agent-otel/node', () => {
  const manifest = packages.find(({ dir }) => dir === 'node')!.manifest;
  const readme = readFileSync(join(ROOT, 'packages/node/README.md'), 'utf8');

  it.each(AGENT_OTEL_INSTRUMENTATIONS.map((entry) => [entry.packageName, entry] as const))(
    'depends on %s and its README lists it with its library',
    (packageName, entry) => {
      const adapter = packages.find(({ manifest: m }) => m.name === packageName);
      expect(manifest.dependencies?.[packageName]).toBe(adapter?.manifest.version);
      expect(readme).toContain(packageName);
      expect(readme).toContain(`\`${entry.targetModule}\``);
    },
  );
});
