import { diag } from '@opentelemetry/api';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Hook } from 'require-in-the-middle';
import { PACKAGE_NAME } from './version.js';

/**
 * The public entry points that load `Protocol` (the base class of `Client` and `Server`), as an
 * application `require`s them.
 */
export const SDK_ENTRY_POINTS: readonly string[] = [
  'client',
  'client/index.js',
  'server',
  'server/index.js',
  'server/mcp.js',
  'shared/protocol.js',
].map((entry) => `@modelcontextprotocol/sdk/${entry}`);

/** Where the CommonJS build keeps `Protocol`, relative to the package directory. */
const PROTOCOL_FILE = join('dist', 'cjs', 'shared', 'protocol.js');
const LOADED_PROTOCOL_FILE =
  /[\\/]@modelcontextprotocol[\\/]sdk[\\/]dist[\\/]cjs[\\/]shared[\\/]protocol\.js$/;

/** `>=1.10.0 <2`, the range in `SUPPORTED_VERSIONS`, checked without a semver parser. */
export function isSupportedSdkVersion(version: unknown): boolean {
  const match = typeof version === 'string' ? /^(\d+)\.(\d+)\.\d+/.exec(version) : null;
  return match !== null && Number(match[1]) === 1 && Number(match[2]) >= 10;
}

function sdkVersionAt(packageDir: string): unknown {
  try {
    return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: unknown })
      .version;
  } catch {
    return undefined;
  }
}

/**
 * Patches the CommonJS build of `@modelcontextprotocol/sdk`. The generic require hook of
 * `@opentelemetry/instrumentation` cannot see this package: its `"."` export names a file the package
 * does not ship, and the hook skips every file of a package whose main it cannot resolve. This hook
 * watches the SDK's public entry points by name instead and hands over the `Protocol` module of the
 * copy that was loaded (and, when started, of every copy already loaded).
 */
export class SdkRequireHook {
  private hook: Hook | undefined;

  constructor(private readonly onProtocolModule: (moduleExports: unknown) => void) {}

  start(): void {
    if (this.hook !== undefined) return;
    this.patchLoadedCopies();
    this.hook = new Hook([...SDK_ENTRY_POINTS], { internals: true }, (moduleExports, _name, packageDir) => {
      if (packageDir !== undefined) this.patchCopyAt(packageDir);
      return moduleExports;
    });
  }

  stop(): void {
    this.hook?.unhook();
    this.hook = undefined;
  }

  /** The SDK copies `require`d before the hook started (e.g. instrumentation enabled late). */
  private patchLoadedCopies(): void {
    try {
      for (const file of Object.keys(requireFunction().cache)) {
        if (LOADED_PROTOCOL_FILE.test(file)) this.patchCopyAt(resolve(file, '..', '..', '..', '..'));
      }
    } catch (error) {
      diag.debug(`${PACKAGE_NAME}: could not look for loaded MCP SDK copies`, error);
    }
  }

  private patchCopyAt(packageDir: string): void {
    const version = sdkVersionAt(packageDir);
    if (!isSupportedSdkVersion(version)) {
      diag.debug(
        `${PACKAGE_NAME}: @modelcontextprotocol/sdk ${String(version)} at ${packageDir} is not supported`,
      );
      return;
    }
    try {
      const file = join(packageDir, PROTOCOL_FILE);
      // Already in the require cache: the entry point that triggered the hook loaded it.
      this.onProtocolModule(requireFunction()(file));
    } catch (error) {
      diag.debug(`${PACKAGE_NAME}: could not load the MCP SDK's Protocol from ${packageDir}`, error);
    }
  }
}

function requireFunction(): NodeJS.Require {
  return createRequire(join(process.cwd(), 'agent-otel-mcp.js'));
}
