import { diag } from '@opentelemetry/api';
import type { LoggerProvider, MeterProvider, TracerProvider } from '@opentelemetry/api';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { InstrumentationLike } from './types.js';
import { describeError } from './with-timeout.js';

/** One agent-otel instrumentation package and the library it instruments. */
export interface InstrumentationEntry {
  /** npm package of the instrumentation, e.g. `@agent-otel/instrumentation-openai`. */
  readonly packageName: string;
  /** Named export of that package: a class constructed with no arguments. */
  readonly exportName: string;
  /** The instrumented library; the instrumentation is loaded only when it is installed. */
  readonly targetModule: string;
  /**
   * What the ESM loader hook must intercept for this instrumentation (bare specifiers, or RegExps
   * tested against module URLs). Default: `[targetModule]`. A library whose instrumented files are
   * imported by relative paths inside the package needs a RegExp on its file URLs.
   */
  readonly esmInclude?: readonly (string | RegExp)[];
}

/** The instrumentations `register()` loads when their target library is installed. */
export const AGENT_OTEL_INSTRUMENTATIONS: readonly InstrumentationEntry[] = [
  {
    packageName: '@agent-otel/instrumentation-anthropic',
    exportName: 'AnthropicInstrumentation',
    targetModule: '@anthropic-ai/sdk',
  },
  {
    packageName: '@agent-otel/instrumentation-openai',
    exportName: 'OpenAIInstrumentation',
    targetModule: 'openai',
  },
  {
    // Patches nothing: loading @openai/agents installs the bridge (a TracingProcessor) on it.
    packageName: '@agent-otel/openai-agents',
    exportName: 'OpenAIAgentsInstrumentation',
    targetModule: '@openai/agents',
  },
  {
    packageName: '@agent-otel/instrumentation-mcp',
    exportName: 'McpInstrumentation',
    targetModule: '@modelcontextprotocol/sdk',
    // The SDK's protocol module is imported by relative path from its entry points.
    esmInclude: ['@modelcontextprotocol/sdk', /[\\/]@modelcontextprotocol[\\/]sdk[\\/]dist[\\/]esm[\\/]/],
  },
  {
    // Patches nothing: loading `ai` 7 registers the integration with the SDK's registerTelemetry.
    packageName: '@agent-otel/ai-sdk',
    exportName: 'AiSdkInstrumentation',
    targetModule: 'ai',
  },
  {
    // Patches nothing: registers a callback handler through @langchain/core's own configure hooks.
    packageName: '@agent-otel/langchain',
    exportName: 'LangChainInstrumentation',
    targetModule: '@langchain/core',
    // Its configure hooks live in an internal file, imported by relative path from its entry points.
    esmInclude: [
      '@langchain/core',
      /[\\/]@langchain[\\/]core[\\/]dist[\\/]singletons[\\/]async_local_storage[\\/]context\.js$/,
    ],
  },
];

type Require = ReturnType<typeof createRequire>;

function isInstalled(requireFromApp: Require, moduleName: string): boolean {
  try {
    requireFromApp.resolve(moduleName);
    return true;
  } catch {
    // A package without a "." export cannot be resolved by name but is installed all the same.
    const directories = requireFromApp.resolve.paths(moduleName) ?? [];
    return directories.some((directory) => existsSync(join(directory, moduleName, 'package.json')));
  }
}

function isInstrumentationLike(value: unknown): value is InstrumentationLike {
  const candidate = value as Partial<InstrumentationLike> | null;
  return typeof candidate?.setTracerProvider === 'function' && typeof candidate.enable === 'function';
}

function isModuleNotFound(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${packageName}'`);
}

/**
 * Requires an instrumentation package: the application's copy first, else the one installed with
 * `@agent-otel/node` (a dependency of it, which npm may nest under it instead of hoisting it).
 */
function requireInstrumentation(requireFromApp: Require, packageName: string): unknown {
  try {
    return requireFromApp(packageName);
  } catch (error) {
    if (!isModuleNotFound(error, packageName)) throw error;
    let requireFromNode: Require;
    try {
      requireFromNode = createRequire(requireFromApp.resolve('@agent-otel/node/package.json'));
    } catch {
      throw error;
    }
    return requireFromNode(packageName);
  }
}

function loadOne(requireFromApp: Require, entry: InstrumentationEntry): InstrumentationLike | undefined {
  if (!isInstalled(requireFromApp, entry.targetModule)) {
    diag.debug(`@agent-otel/node: ${entry.targetModule} is not installed; ${entry.packageName} not loaded.`);
    return undefined;
  }
  try {
    const exported = (requireInstrumentation(requireFromApp, entry.packageName) as Record<string, unknown>)[
      entry.exportName
    ];
    if (typeof exported !== 'function') throw new Error(`it has no export ${entry.exportName}`);
    // Constructed disabled, so nothing is patched before `enableInstrumentations` gives it the
    // tracer provider; constructors that take no config ignore the argument.
    const instrumentation: unknown = new (exported as new (config: { enabled: boolean }) => unknown)({
      enabled: false,
    });
    if (!isInstrumentationLike(instrumentation))
      throw new Error(`${entry.exportName} is not an instrumentation`);
    return instrumentation;
  } catch (error) {
    // Said at the default level: the library is there, and without this its calls give no spans.
    const missing = isModuleNotFound(error, entry.packageName);
    diag.warn(
      `@agent-otel/node: ${entry.targetModule} is installed but ${entry.packageName} ` +
        (missing ? 'is not' : `could not be loaded (${describeError(error)})`) +
        `; ${entry.targetModule} calls are not traced. ` +
        (missing
          ? `Install it (npm install ${entry.packageName}), or reinstall @agent-otel/node, which depends on it.`
          : `Reinstall ${entry.packageName} at the version @agent-otel/node depends on.`),
    );
    return undefined;
  }
}

/**
 * Constructs the instrumentation of every entry whose target library resolves from `cwd` (the
 * application's directory, so the application's own copies are found). An instrumentation that is
 * missing or fails to load while its library is installed is said once through `diag.warn`, naming
 * the package, and skipped.
 */
export function loadInstrumentations(
  entries: readonly InstrumentationEntry[],
  cwd: string = process.cwd(),
): InstrumentationLike[] {
  return loadInstrumentationEntries(entries, cwd).map((loaded) => loaded.instrumentation);
}

/** An instrumentation constructed from its table entry. */
export interface LoadedInstrumentation {
  readonly entry: InstrumentationEntry;
  readonly instrumentation: InstrumentationLike;
}

/** Like {@link loadInstrumentations}, keeping the entry each instrumentation came from. */
export function loadInstrumentationEntries(
  entries: readonly InstrumentationEntry[],
  cwd: string = process.cwd(),
): LoadedInstrumentation[] {
  if (entries.length === 0) return [];
  const requireFromApp = createRequire(join(cwd, '__agent-otel-loader__.js'));
  const loaded: LoadedInstrumentation[] = [];
  for (const entry of entries) {
    const instrumentation = loadOne(requireFromApp, entry);
    if (instrumentation !== undefined) loaded.push({ entry, instrumentation });
  }
  return loaded;
}

/** The providers register() points instrumentations at; a signal not set up is undefined. */
export interface InstrumentationProviders {
  readonly tracerProvider: TracerProvider;
  readonly meterProvider?: MeterProvider | undefined;
  readonly loggerProvider?: LoggerProvider | undefined;
}

/**
 * Points each instrumentation at the providers and enables it, as `registerInstrumentations()`
 * does: the providers first, then `enable()` unless the instrumentation is already enabled (an
 * `InstrumentationBase` constructed with its default config enabled itself), so nothing is patched
 * twice. Returns those enabled.
 */
export function enableInstrumentations(
  instrumentations: readonly InstrumentationLike[],
  providers: InstrumentationProviders,
): InstrumentationLike[] {
  const { tracerProvider, meterProvider, loggerProvider } = providers;
  const enabled: InstrumentationLike[] = [];
  for (const instrumentation of instrumentations) {
    try {
      instrumentation.setTracerProvider(tracerProvider);
      if (meterProvider !== undefined) instrumentation.setMeterProvider?.(meterProvider);
      if (loggerProvider !== undefined) instrumentation.setLoggerProvider?.(loggerProvider);
      if (instrumentation.isEnabled?.() !== true) instrumentation.enable();
      enabled.push(instrumentation);
    } catch (error) {
      const name = instrumentation?.instrumentationName ?? 'an instrumentation';
      diag.warn(`@agent-otel/node: could not enable ${name}: ${describeError(error)}`);
    }
  }
  return enabled;
}

/** Disables each instrumentation that can be disabled; never throws. */
export function disableInstrumentations(instrumentations: readonly InstrumentationLike[]): void {
  for (const instrumentation of instrumentations) {
    try {
      instrumentation.disable?.();
    } catch (error) {
      diag.debug(
        `@agent-otel/node: disabling ${instrumentation.instrumentationName ?? 'an instrumentation'} failed: ${describeError(error)}`,
      );
    }
  }
}
