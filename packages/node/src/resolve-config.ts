import { DiagLogLevel } from '@opentelemetry/api';
import { resolveNameList } from './name-list.js';
import { resolveBatchConfig, resolveLogBatchConfig } from './resolve-batch-config.js';
import { resolveMetricsConfig } from './resolve-metrics-config.js';
import { resolveOtlpConfigs } from './resolve-otlp-config.js';
import type { OtlpSignal } from './resolve-otlp-config.js';
import { resolveResourceAttributes } from './resolve-resource-attributes.js';
import {
  integerAtLeast,
  invalid,
  mergeProblems,
  ok,
  readEnv,
  resolveLayered,
  resolveLayeredProblems,
} from './settings.js';
import type { Environment, Layer, Parsed, SettingProblem } from './settings.js';
import type {
  LocalExporterName,
  LogsExporterName,
  MetricsExporterName,
  PropagatorName,
  RegisterOptions,
  ResolvedConfig,
  ResolvedLogRecordLimits,
  ResolvedSpanLimits,
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

/** One limit: the first set and valid variable of `variables` wins (the signal-specific one first). */
interface LimitVariables<K extends string> {
  readonly limit: K;
  readonly variables: readonly string[];
  readonly min: number;
  readonly example: number;
}

/** The span limit variables. */
const SPAN_LIMIT_VARIABLES: readonly LimitVariables<keyof ResolvedSpanLimits>[] = [
  {
    limit: 'attributeValueLengthLimit',
    variables: ['OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'],
    min: 1,
    example: 4096,
  },
  {
    limit: 'attributeCountLimit',
    variables: ['OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'],
    min: 0,
    example: 128,
  },
  { limit: 'eventCountLimit', variables: ['OTEL_SPAN_EVENT_COUNT_LIMIT'], min: 0, example: 128 },
  { limit: 'linkCountLimit', variables: ['OTEL_SPAN_LINK_COUNT_LIMIT'], min: 0, example: 128 },
  {
    limit: 'attributePerEventCountLimit',
    variables: ['OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT'],
    min: 0,
    example: 128,
  },
  {
    limit: 'attributePerLinkCountLimit',
    variables: ['OTEL_LINK_ATTRIBUTE_COUNT_LIMIT'],
    min: 0,
    example: 128,
  },
];

/** The log record limit variables. */
const LOG_RECORD_LIMIT_VARIABLES: readonly LimitVariables<keyof ResolvedLogRecordLimits>[] = [
  {
    limit: 'attributeValueLengthLimit',
    variables: ['OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'],
    min: 1,
    example: 4096,
  },
  {
    limit: 'attributeCountLimit',
    variables: ['OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'],
    min: 0,
    example: 128,
  },
];

/** The limits that are set; an invalid value is a problem and leaves the SDK default (or the next variable). */
function resolveLimits<K extends string>(
  env: Environment,
  variables: readonly LimitVariables<K>[],
): { limits: Partial<Record<K, number>>; problems: SettingProblem[] } {
  const limits: Partial<Record<K, number>> = {};
  const problems: SettingProblem[] = [];
  for (const { limit, variables: names, min, example } of variables) {
    const layers: Layer<number | undefined>[] = names.map((variable) => ({
      variable,
      parse: integerAtLeast(min, example),
    }));
    const describe = (value: number | undefined): string =>
      value !== undefined
        ? String(value)
        : limit === 'attributeValueLengthLimit'
          ? 'no SDK limit (agent-otel still caps its own values)'
          : 'the SDK default (128)';
    const resolved = resolveLayeredProblems(env, layers, undefined, describe);
    problems.push(...resolved.problems);
    if (resolved.value !== undefined) limits[limit] = resolved.value;
  }
  return { limits, problems };
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
  // `metrics: false` / `logs: false` turn a signal off: its variables are not read, so not reported.
  const metricsEnabled = options.metrics !== false;
  const metricsExporters = metricsEnabled
    ? resolveNameList<MetricsExporterName>(
        env,
        'OTEL_METRICS_EXPORTER',
        ['otlp', 'console'],
        ['otlp'],
        warnings,
      )
    : [];
  const logsEnabled = options.logs !== false;
  const logsExporters = logsEnabled
    ? resolveNameList<LogsExporterName>(env, 'OTEL_LOGS_EXPORTER', ['otlp', 'console'], ['otlp'], warnings)
    : [];
  // Only validate OTLP settings that will be used, so an unused bad value does not warn.
  const otlpSignals: OtlpSignal[] = [];
  if (tracesExporters.includes('otlp')) otlpSignals.push('traces');
  if (metricsExporters.includes('otlp')) otlpSignals.push('metrics');
  if (logsExporters.includes('otlp')) otlpSignals.push('logs');
  const otlp = resolveOtlpConfigs(env, otlpSignals, warnings);
  const batch = resolveBatchConfig(env, warnings);
  const metrics = resolveMetricsConfig(
    env,
    { reader: metricsExporters.length > 0, otlp: metricsExporters.includes('otlp') },
    warnings,
  );
  const logBatchWarnings: string[] = [];
  const logBatch = resolveLogBatchConfig(env, logBatchWarnings);
  if (logsExporters.includes('otlp')) warnings.push(...logBatchWarnings);
  // OTEL_ATTRIBUTE_* limits apply to spans and log records alike: a bad one is said once.
  const spanLimits = resolveLimits(env, SPAN_LIMIT_VARIABLES);
  const logRecordLimits = resolveLimits(env, LOG_RECORD_LIMIT_VARIABLES);
  warnings.push(
    ...mergeProblems([
      { label: 'spans', problems: spanLimits.problems },
      ...(logsEnabled ? [{ label: 'log records', problems: logRecordLimits.problems }] : []),
    ]),
  );
  const localExporters = resolveLocalExporters(env, options, warnings);
  const jsonlPath = options.jsonlPath ?? readEnv(env, 'AGENT_OTEL_JSONL_PATH') ?? DEFAULT_JSONL_PATH;
  return {
    disabled,
    resourceAttributes,
    propagators,
    tracesExporters,
    otlp: otlp.traces,
    batch,
    metricsEnabled,
    metricsExporters,
    metricsOtlp: otlp.metrics,
    metrics,
    logsEnabled,
    logsExporters,
    logsOtlp: otlp.logs,
    logBatch,
    logRecordLimits: logRecordLimits.limits,
    spanLimits: spanLimits.limits,
    localExporters,
    jsonlPath,
    baggageKeys: options.baggageKeys == null ? undefined : [...options.baggageKeys],
    diagLogLevel,
    shutdownTimeoutMillis: resolveShutdownTimeout(options, warnings),
    warnings,
  };
}
