import { DiagLogLevel } from '@opentelemetry/api';
import { resolveNameList } from './name-list.js';
import { resolveBatchConfig } from './resolve-batch-config.js';
import { resolveOtlpConfig } from './resolve-otlp-config.js';
import { resolveResourceAttributes } from './resolve-resource-attributes.js';
import { invalid, ok, readEnv, resolveLayered } from './settings.js';
import type { Environment, Parsed } from './settings.js';
import type {
  LocalExporterName,
  PropagatorName,
  RegisterOptions,
  ResolvedConfig,
  TracesExporterName,
} from './types.js';

export const DEFAULT_JSONL_PATH = './agent-otel-traces.jsonl';
export const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5000;
const LOCAL_EXPORTERS: readonly LocalExporterName[] = ['tree', 'jsonl'];

const LOG_LEVELS: Record<string, DiagLogLevel> = {
  NONE: DiagLogLevel.NONE,
  ERROR: DiagLogLevel.ERROR,
  WARN: DiagLogLevel.WARN,
  INFO: DiagLogLevel.INFO,
  DEBUG: DiagLogLevel.DEBUG,
  VERBOSE: DiagLogLevel.VERBOSE,
  ALL: DiagLogLevel.ALL,
};

function parseLogLevel(raw: string): Parsed<DiagLogLevel> {
  const level = LOG_LEVELS[raw.toUpperCase()];
  return level === undefined
    ? invalid('is not a log level', `use one of ${Object.keys(LOG_LEVELS).join(', ')}`)
    : ok(level);
}

function parseBoolean(raw: string): Parsed<boolean> {
  const value = raw.toLowerCase();
  if (value === 'true') return ok(true);
  if (value === 'false') return ok(false);
  return invalid('is not "true" or "false"', 'use true to disable the SDK, or unset it');
}

function resolveLocalExporters(
  env: Environment,
  options: RegisterOptions,
  warnings: string[],
): LocalExporterName[] {
  if (options.localExporters == null) {
    return resolveNameList(env, 'AGENT_OTEL_EXPORTERS', LOCAL_EXPORTERS, [], warnings);
  }
  const names: LocalExporterName[] = [];
  for (const name of options.localExporters) {
    if (!LOCAL_EXPORTERS.includes(name)) {
      warnings.push(
        `The localExporters option has the unsupported value "${String(name)}"; use tree and/or jsonl. Ignoring it.`,
      );
    } else if (!names.includes(name)) names.push(name);
  }
  return names;
}

function resolveShutdownTimeout(options: RegisterOptions, warnings: string[]): number {
  const value = options.shutdownTimeoutMillis;
  if (value == null) return DEFAULT_SHUTDOWN_TIMEOUT_MILLIS;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  warnings.push(
    `The shutdownTimeoutMillis option (${String(value)}) is not a non-negative number; use e.g. ${DEFAULT_SHUTDOWN_TIMEOUT_MILLIS}. ` +
      `Falling back to ${DEFAULT_SHUTDOWN_TIMEOUT_MILLIS} ms.`,
  );
  return DEFAULT_SHUTDOWN_TIMEOUT_MILLIS;
}

/**
 * Resolves the configuration `register(options)` would use from `env` (the standard `OTEL_*`
 * variables plus `AGENT_OTEL_*`) and `options`, which win. Has no side effects: invalid values
 * fall back to their defaults and are described in `warnings`, which `register()` logs through
 * `diag.warn`. Never throws.
 */
export function resolveConfig(env: Environment = process.env, options: RegisterOptions = {}): ResolvedConfig {
  const warnings: string[] = [];
  const disabled = resolveLayered(
    env,
    [{ variable: 'OTEL_SDK_DISABLED', parse: parseBoolean }],
    false,
    String,
    warnings,
  );
  const diagLogLevel =
    options.diagLogLevel ??
    resolveLayered(
      env,
      [{ variable: 'OTEL_LOG_LEVEL', parse: parseLogLevel }],
      DiagLogLevel.WARN,
      (level) => DiagLogLevel[level] ?? String(level),
      warnings,
    );
  const resourceAttributes = resolveResourceAttributes(env, options, warnings);
  const propagators = resolveNameList<PropagatorName>(
    env,
    'OTEL_PROPAGATORS',
    ['tracecontext', 'baggage'],
    ['tracecontext', 'baggage'],
    warnings,
  );
  const tracesExporters = resolveNameList<TracesExporterName>(
    env,
    'OTEL_TRACES_EXPORTER',
    ['otlp', 'console'],
    ['otlp'],
    warnings,
  );
  // Only validate OTLP settings that will be used, so an unused bad value does not warn.
  const otlpWarnings: string[] = [];
  const otlp = resolveOtlpConfig(env, otlpWarnings);
  if (tracesExporters.includes('otlp')) warnings.push(...otlpWarnings);
  const batch = resolveBatchConfig(env, warnings);
  const localExporters = resolveLocalExporters(env, options, warnings);
  const jsonlPath = options.jsonlPath ?? readEnv(env, 'AGENT_OTEL_JSONL_PATH') ?? DEFAULT_JSONL_PATH;
  return {
    disabled,
    resourceAttributes,
    propagators,
    tracesExporters,
    otlp,
    batch,
    localExporters,
    jsonlPath,
    baggageKeys: options.baggageKeys == null ? undefined : [...options.baggageKeys],
    diagLogLevel,
    shutdownTimeoutMillis: resolveShutdownTimeout(options, warnings),
    warnings,
  };
}
