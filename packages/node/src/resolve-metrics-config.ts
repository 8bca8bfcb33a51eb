import { integerAtLeast, invalidSettingMessage, oneOf, readEnv, resolveLayered } from './settings.js';
import type { Environment } from './settings.js';
import type {
  MetricsHistogramAggregation,
  MetricsTemporalityPreference,
  ResolvedMetricsConfig,
} from './types.js';

// The metrics variables of the OTel SDK environment spec that `@opentelemetry/sdk-metrics` 3.x does
// not read itself: the periodic reader's interval and timeout, and the OTLP metric exporter's
// temporality and histogram aggregation (which it would read, with its own warnings; we pass them).

export const DEFAULT_METRICS_CONFIG: ResolvedMetricsConfig = {
  exportIntervalMillis: 60000,
  exportTimeoutMillis: 30000,
  temporalityPreference: 'cumulative',
  histogramAggregation: 'explicit_bucket_histogram',
};

const TEMPORALITIES: readonly MetricsTemporalityPreference[] = ['cumulative', 'delta', 'lowmemory'];
const HISTOGRAM_AGGREGATIONS: readonly MetricsHistogramAggregation[] = [
  'explicit_bucket_histogram',
  'base2_exponential_bucket_histogram',
];

/** Which settings will be used, so an unused bad value does not warn. */
export interface MetricsSettingsInUse {
  /** A periodic reader is created (an `OTEL_METRICS_EXPORTER` exporter is set). */
  readonly reader: boolean;
  /** The OTLP metric exporter is created. */
  readonly otlp: boolean;
}

function resolveReaderTiming(
  env: Environment,
  warnings: string[],
): Pick<ResolvedMetricsConfig, 'exportIntervalMillis' | 'exportTimeoutMillis'> {
  const defaults = DEFAULT_METRICS_CONFIG;
  const resolveMillis = (variable: string, fallback: number): number =>
    resolveLayered(env, [{ variable, parse: integerAtLeast(1, fallback) }], fallback, String, warnings);
  const exportIntervalMillis = resolveMillis('OTEL_METRIC_EXPORT_INTERVAL', defaults.exportIntervalMillis);
  let exportTimeoutMillis = resolveMillis('OTEL_METRIC_EXPORT_TIMEOUT', defaults.exportTimeoutMillis);
  // The SDK's reader refuses a timeout longer than the interval. An interval set below the default
  // timeout, with no timeout set, gets a timeout of the interval, silently (as the SDK does).
  if (exportTimeoutMillis > exportIntervalMillis) {
    const rawTimeout = readEnv(env, 'OTEL_METRIC_EXPORT_TIMEOUT');
    if (rawTimeout !== undefined) {
      warnings.push(
        invalidSettingMessage(
          'OTEL_METRIC_EXPORT_TIMEOUT',
          rawTimeout,
          `is longer than the export interval (OTEL_METRIC_EXPORT_INTERVAL=${exportIntervalMillis})`,
          'use a timeout no longer than the interval',
          String(exportIntervalMillis),
        ),
      );
    }
    exportTimeoutMillis = exportIntervalMillis;
  }
  return { exportIntervalMillis, exportTimeoutMillis };
}

/** Validates the metrics variables that `inUse` says are used; problems go to `warnings`. */
export function resolveMetricsConfig(
  env: Environment,
  inUse: MetricsSettingsInUse,
  warnings: string[],
): ResolvedMetricsConfig {
  const defaults = DEFAULT_METRICS_CONFIG;
  const unused: string[] = [];
  const otlpWarnings = inUse.otlp ? warnings : unused;
  return {
    ...(inUse.reader ? resolveReaderTiming(env, warnings) : resolveReaderTiming(env, unused)),
    temporalityPreference: resolveLayered(
      env,
      [{ variable: 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', parse: oneOf(TEMPORALITIES) }],
      defaults.temporalityPreference,
      String,
      otlpWarnings,
    ),
    histogramAggregation: resolveLayered(
      env,
      [
        {
          variable: 'OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION',
          parse: oneOf(HISTOGRAM_AGGREGATIONS),
        },
      ],
      defaults.histogramAggregation,
      String,
      otlpWarnings,
    ),
  };
}
