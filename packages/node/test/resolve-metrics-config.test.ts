import { resolveConfig } from '../src/index.js';

// OTEL_METRIC_EXPORT_INTERVAL / _TIMEOUT for the periodic reader, and the OTLP metric exporter's
// temporality and histogram aggregation, through resolveConfig.

describe('metrics settings', () => {
  it('reads valid values', () => {
    const config = resolveConfig({
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
      OTEL_METRIC_EXPORT_TIMEOUT: '2000',
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'Delta',
      OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: 'base2_exponential_bucket_histogram',
    });
    expect(config.metrics).toEqual({
      exportIntervalMillis: 5000,
      exportTimeoutMillis: 2000,
      temporalityPreference: 'delta',
      histogramAggregation: 'base2_exponential_bucket_histogram',
    });
    expect(config.warnings).toEqual([]);
  });

  it('accepts lowmemory and cumulative temporality', () => {
    for (const value of ['lowmemory', 'cumulative'] as const) {
      const config = resolveConfig({ OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: value });
      expect(config.metrics.temporalityPreference).toBe(value);
      expect(config.warnings).toEqual([]);
    }
  });

  it('gives an interval set below the default timeout a timeout of the interval, silently', () => {
    const config = resolveConfig({ OTEL_METRIC_EXPORT_INTERVAL: '1000' });
    expect(config.metrics).toMatchObject({ exportIntervalMillis: 1000, exportTimeoutMillis: 1000 });
    expect(config.warnings).toEqual([]);
  });

  it.each([
    [
      { OTEL_METRIC_EXPORT_INTERVAL: 'often' },
      'OTEL_METRIC_EXPORT_INTERVAL="often" is not a whole number; use e.g. 60000. Falling back to 60000.',
      { exportIntervalMillis: 60000, exportTimeoutMillis: 30000 },
    ],
    [
      { OTEL_METRIC_EXPORT_INTERVAL: '0' },
      'OTEL_METRIC_EXPORT_INTERVAL="0" is less than 1; use e.g. 60000. Falling back to 60000.',
      { exportIntervalMillis: 60000 },
    ],
    [
      { OTEL_METRIC_EXPORT_TIMEOUT: '-1' },
      'OTEL_METRIC_EXPORT_TIMEOUT="-1" is not a whole number; use e.g. 30000. Falling back to 30000.',
      { exportTimeoutMillis: 30000 },
    ],
    [
      { OTEL_METRIC_EXPORT_INTERVAL: '5000', OTEL_METRIC_EXPORT_TIMEOUT: '10000' },
      'OTEL_METRIC_EXPORT_TIMEOUT="10000" is longer than the export interval (OTEL_METRIC_EXPORT_INTERVAL=5000); use a timeout no longer than the interval. Falling back to 5000.',
      { exportIntervalMillis: 5000, exportTimeoutMillis: 5000 },
    ],
    [
      { OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'sometimes' },
      'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE="sometimes" is not supported; use one of cumulative, delta, lowmemory. Falling back to cumulative.',
      { temporalityPreference: 'cumulative' },
    ],
    [
      { OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: 'exponential' },
      'OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION="exponential" is not supported; use one of explicit_bucket_histogram, base2_exponential_bucket_histogram. Falling back to explicit_bucket_histogram.',
      { histogramAggregation: 'explicit_bucket_histogram' },
    ],
  ])('warns about %j, naming the variable and the fix, and falls back', (env, warning, expected) => {
    const config = resolveConfig(env);
    expect(config.warnings).toEqual([warning]);
    expect(config.metrics).toMatchObject(expected);
  });

  it('does not report the OTLP-only settings when metrics are not exported over OTLP', () => {
    const config = resolveConfig({
      OTEL_METRICS_EXPORTER: 'console',
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'sometimes',
      OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: 'exponential',
    });
    expect(config.warnings).toEqual([]);
  });

  it('does not report any metrics setting when no metric exporter is used', () => {
    const env = {
      OTEL_METRIC_EXPORT_INTERVAL: 'often',
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'x',
    };
    expect(resolveConfig({ ...env, OTEL_METRICS_EXPORTER: 'none' }).warnings).toEqual([]);
    expect(resolveConfig(env, { metrics: false }).warnings).toEqual([]);
  });
});
