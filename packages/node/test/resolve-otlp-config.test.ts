import { resolveConfig } from '../src/index.js';

// The OTLP exporter variables of the three signals, through resolveConfig: each signal-specific
// variable (OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_*) wins over the generic one, only the generic
// endpoint gets the signal's path appended, and a bad generic value is reported once.

const GRPC_WARNING_TAIL =
  "is not bundled with @agent-otel/node, which sends OTLP over HTTP; use http/protobuf (or http/json) and the collector's HTTP port, usually 4318. Falling back to http/protobuf.";

describe('OTLP settings of metrics and logs', () => {
  it('appends v1/metrics and v1/logs to the generic endpoint, keeping its path', () => {
    const config = resolveConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/otlp/' });
    expect(config.otlp.url).toBe('http://collector:4318/otlp/v1/traces');
    expect(config.metricsOtlp.url).toBe('http://collector:4318/otlp/v1/metrics');
    expect(config.logsOtlp.url).toBe('http://collector:4318/otlp/v1/logs');
    expect(config.warnings).toEqual([]);
  });

  it('uses the signal-specific endpoints as given', () => {
    const config = resolveConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://metrics:9090/custom',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://logs.example/ingest',
    });
    expect(config.otlp.url).toBe('http://generic:4318/v1/traces');
    expect(config.metricsOtlp.url).toBe('http://metrics:9090/custom');
    expect(config.logsOtlp.url).toBe('https://logs.example/ingest');
  });

  it.each(['METRICS', 'LOGS'] as const)(
    'prefers every OTEL_EXPORTER_OTLP_%s_* variable over the generic one',
    (signal) => {
      const config = resolveConfig({
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        [`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`]: 'http/json',
        OTEL_EXPORTER_OTLP_HEADERS: 'a=generic,b=generic',
        [`OTEL_EXPORTER_OTLP_${signal}_HEADERS`]: 'b=specific',
        OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
        [`OTEL_EXPORTER_OTLP_${signal}_TIMEOUT`]: '2000',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'none',
        [`OTEL_EXPORTER_OTLP_${signal}_COMPRESSION`]: 'gzip',
      });
      const specific = signal === 'METRICS' ? config.metricsOtlp : config.logsOtlp;
      const other = signal === 'METRICS' ? config.logsOtlp : config.metricsOtlp;
      expect(specific).toMatchObject({
        protocol: 'http/json',
        headers: { a: 'generic', b: 'specific' },
        timeoutMillis: 2000,
        compression: 'gzip',
      });
      // Neither the traces exporter nor the other signal sees them.
      for (const unaffected of [config.otlp, other]) {
        expect(unaffected).toMatchObject({
          protocol: 'http/protobuf',
          headers: { a: 'generic', b: 'generic' },
          timeoutMillis: 1000,
          compression: 'none',
        });
      }
      expect(config.warnings).toEqual([]);
    },
  );

  it.each(['METRICS', 'LOGS'] as const)(
    'rejects grpc in OTEL_EXPORTER_OTLP_%s_PROTOCOL as for traces',
    (signal) => {
      const config = resolveConfig({ [`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`]: 'grpc' });
      expect(config.warnings).toEqual([`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL="grpc" ${GRPC_WARNING_TAIL}`]);
      expect((signal === 'METRICS' ? config.metricsOtlp : config.logsOtlp).protocol).toBe('http/protobuf');
    },
  );

  it('reports a bad generic protocol once when every signal falls back to the same value', () => {
    const config = resolveConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(config.warnings).toEqual([`OTEL_EXPORTER_OTLP_PROTOCOL="grpc" ${GRPC_WARNING_TAIL}`]);
  });

  it('names what each signal uses instead when they fall back to different values', () => {
    const config = resolveConfig({
      OTEL_EXPORTER_OTLP_TIMEOUT: 'soon',
      OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '3000',
    });
    expect(config.warnings).toEqual([
      'OTEL_EXPORTER_OTLP_TIMEOUT="soon" is not a whole number; use e.g. 10000. Falling back to 10000 ms for traces and logs, 3000 ms for metrics.',
    ]);
    expect([
      config.otlp.timeoutMillis,
      config.metricsOtlp.timeoutMillis,
      config.logsOtlp.timeoutMillis,
    ]).toEqual([10000, 3000, 10000]);
  });

  it.each([
    [
      'a metrics endpoint without a scheme',
      { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'collector:4318/v1/metrics' },
      'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT="collector:4318/v1/metrics" is not a URL; use e.g. http://localhost:4318/v1/metrics. Falling back to http://localhost:4318/v1/metrics.',
    ],
    [
      'a logs endpoint with a non-HTTP scheme',
      { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'grpc://collector:4317' },
      'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT="grpc://collector:4317" uses the scheme "grpc:", not http: or https:; use e.g. http://localhost:4318/v1/logs. Falling back to http://localhost:4318/v1/logs.',
    ],
    [
      'a zero metrics timeout',
      { OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '0' },
      'OTEL_EXPORTER_OTLP_METRICS_TIMEOUT="0" is less than 1; use e.g. 10000. Falling back to 10000 ms.',
    ],
    [
      'an unknown logs compression',
      { OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'zstd' },
      'OTEL_EXPORTER_OTLP_LOGS_COMPRESSION="zstd" is not supported; use one of gzip, none. Falling back to none.',
    ],
    [
      'an unknown metrics protocol',
      { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/xml' },
      'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL="http/xml" is not a supported protocol; use http/protobuf or http/json. Falling back to http/protobuf.',
    ],
  ])('reports %s once, naming the variable and the fix', (_name, env, warning) => {
    expect(resolveConfig(env).warnings).toEqual([warning]);
  });

  it('falls back to the generic endpoint when the metrics-specific one is invalid', () => {
    const config = resolveConfig({
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'nope',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318',
    });
    expect(config.metricsOtlp.url).toBe('http://generic:4318/v1/metrics');
    expect(config.warnings).toEqual([
      'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT="nope" is not a URL; use e.g. http://localhost:4318/v1/metrics. Falling back to http://generic:4318/v1/metrics.',
    ]);
  });

  it('reports a bad generic header entry once, and a signal-specific one for its signal', () => {
    const config = resolveConfig({
      OTEL_EXPORTER_OTLP_HEADERS: 'good=1,broken',
      OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'bad name=2',
    });
    expect(config.warnings).toHaveLength(2);
    expect(config.warnings[0]).toMatch(/^OTEL_EXPORTER_OTLP_HEADERS entry 2 is not key=value/);
    expect(config.warnings[1]).toMatch(
      /^OTEL_EXPORTER_OTLP_LOGS_HEADERS entry 1 has "bad name", which is not a valid HTTP header name/,
    );
    for (const otlp of [config.otlp, config.metricsOtlp, config.logsOtlp])
      expect(otlp.headers).toEqual({ good: '1' });
  });

  it('does not report the variables of a signal that is not exported over OTLP', () => {
    expect(
      resolveConfig({ OTEL_METRICS_EXPORTER: 'none', OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'nope' }).warnings,
    ).toEqual([]);
    expect(
      resolveConfig({ OTEL_LOGS_EXPORTER: 'console', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc' }).warnings,
    ).toEqual([]);
    expect(resolveConfig({}, { metrics: false }).metricsExporters).toEqual([]);
    expect(resolveConfig({ OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: 'x' }, { logs: false }).warnings).toEqual([]);
  });
});
