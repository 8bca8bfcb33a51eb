import { DiagLogLevel } from '@opentelemetry/api';
import { resolveConfig } from '../src/index.js';

describe('resolveConfig defaults', () => {
  it("uses the defaults for an empty environment (the spec's batch queue and size, see resolveBatchConfig)", () => {
    const config = resolveConfig({});
    expect(config).toEqual({
      disabled: false,
      resourceAttributes: {},
      propagators: ['tracecontext', 'baggage'],
      tracesExporters: ['otlp'],
      otlp: {
        protocol: 'http/protobuf',
        url: 'http://localhost:4318/v1/traces',
        headers: {},
        timeoutMillis: 10000,
        compression: 'none',
      },
      batch: {
        scheduledDelayMillis: 5000,
        exportTimeoutMillis: 30000,
        maxQueueSize: 2048,
        maxExportBatchSize: 512,
      },
      metricsEnabled: true,
      metricsExporters: ['otlp'],
      metricsOtlp: {
        protocol: 'http/protobuf',
        url: 'http://localhost:4318/v1/metrics',
        headers: {},
        timeoutMillis: 10000,
        compression: 'none',
      },
      metrics: {
        exportIntervalMillis: 60000,
        exportTimeoutMillis: 30000,
        temporalityPreference: 'cumulative',
        histogramAggregation: 'explicit_bucket_histogram',
      },
      logsEnabled: true,
      logsExporters: ['otlp'],
      logsOtlp: {
        protocol: 'http/protobuf',
        url: 'http://localhost:4318/v1/logs',
        headers: {},
        timeoutMillis: 10000,
        compression: 'none',
      },
      logBatch: {
        scheduledDelayMillis: 1000,
        exportTimeoutMillis: 30000,
        maxQueueSize: 2048,
        maxExportBatchSize: 512,
      },
      logRecordLimits: {},
      spanLimits: {},
      localExporters: [],
      jsonlPath: './agent-otel-traces.jsonl',
      baggageKeys: undefined,
      diagLogLevel: DiagLogLevel.WARN,
      shutdownTimeoutMillis: 5000,
      warnings: [],
    });
  });

  it('treats empty and blank values as unset', () => {
    const config = resolveConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      OTEL_TRACES_EXPORTER: '  ',
      OTEL_LOG_LEVEL: '',
    });
    expect(config.otlp.url).toBe('http://localhost:4318/v1/traces');
    expect(config.tracesExporters).toEqual(['otlp']);
    expect(config.warnings).toEqual([]);
  });

  it('does not read process.env when an environment is given', () => {
    const previous = process.env.OTEL_SERVICE_NAME;
    process.env.OTEL_SERVICE_NAME = 'from-process-env';
    try {
      expect(resolveConfig({}).resourceAttributes).toEqual({});
      expect(resolveConfig().resourceAttributes['service.name']).toBe('from-process-env');
    } finally {
      if (previous === undefined) delete process.env.OTEL_SERVICE_NAME;
      else process.env.OTEL_SERVICE_NAME = previous;
    }
  });
});

describe('resolveConfig with valid values', () => {
  it('reads every supported variable', () => {
    const config = resolveConfig({
      OTEL_SDK_DISABLED: 'false',
      OTEL_SERVICE_NAME: 'support-agent',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod, team=a%2Cb%3Dc ,service.version=1.2.0',
      OTEL_PROPAGATORS: 'TraceContext',
      OTEL_TRACES_EXPORTER: 'console,otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s%20ecret,x-team=agents',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'GZIP',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BSP_EXPORT_TIMEOUT: '2000',
      OTEL_BSP_MAX_QUEUE_SIZE: '64',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '16',
      OTEL_LOG_LEVEL: 'debug',
      AGENT_OTEL_EXPORTERS: 'tree, jsonl',
      AGENT_OTEL_JSONL_PATH: '/tmp/traces.jsonl',
    });
    expect(config.warnings).toEqual([]);
    expect(config.disabled).toBe(false);
    expect(config.resourceAttributes).toEqual({
      'deployment.environment.name': 'prod',
      team: 'a,b=c',
      'service.version': '1.2.0',
      'service.name': 'support-agent',
    });
    expect(config.propagators).toEqual(['tracecontext']);
    expect(config.tracesExporters).toEqual(['console', 'otlp']);
    expect(config.otlp).toEqual({
      protocol: 'http/json',
      url: 'https://collector.example:4318/v1/traces',
      headers: { 'api-key': 's ecret', 'x-team': 'agents' },
      timeoutMillis: 2500,
      compression: 'gzip',
    });
    expect(config.batch).toEqual({
      scheduledDelayMillis: 100,
      exportTimeoutMillis: 2000,
      maxQueueSize: 64,
      maxExportBatchSize: 16,
    });
    expect(config.diagLogLevel).toBe(DiagLogLevel.DEBUG);
    expect(config.localExporters).toEqual(['tree', 'jsonl']);
    expect(config.jsonlPath).toBe('/tmp/traces.jsonl');
  });

  it('gives a queue set smaller than the default batch, with no batch size set, batches of the queue size, silently', () => {
    const config = resolveConfig({ OTEL_BSP_MAX_QUEUE_SIZE: '300' });
    expect(config.warnings).toEqual([]);
    expect(config.batch.maxQueueSize).toBe(300);
    expect(config.batch.maxExportBatchSize).toBe(300);
    expect(resolveConfig({ OTEL_BSP_MAX_QUEUE_SIZE: '100000' }).batch.maxExportBatchSize).toBe(512);
    expect(resolveConfig({ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '256' }).batch).toMatchObject({
      maxQueueSize: 2048,
      maxExportBatchSize: 256,
    });
  });

  it('recognises OTEL_SDK_DISABLED=true in any case', () => {
    expect(resolveConfig({ OTEL_SDK_DISABLED: 'TRUE' }).disabled).toBe(true);
  });

  it('appends v1/traces to a generic endpoint with or without a trailing slash, keeping its path', () => {
    expect(resolveConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }).otlp.url).toBe(
      'http://c:4318/v1/traces',
    );
    expect(resolveConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c/otlp' }).otlp.url).toBe(
      'http://c/otlp/v1/traces',
    );
  });

  it('uses the traces endpoint as given', () => {
    const config = resolveConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:9999/custom' });
    expect(config.otlp.url).toBe('http://c:9999/custom');
  });

  it('accepts none for exporters and propagators', () => {
    const config = resolveConfig({
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'NONE',
      OTEL_PROPAGATORS: 'none',
      AGENT_OTEL_EXPORTERS: 'none',
    });
    expect(config.tracesExporters).toEqual([]);
    expect(config.metricsExporters).toEqual([]);
    expect(config.logsExporters).toEqual([]);
    expect(config.propagators).toEqual([]);
    expect(config.localExporters).toEqual([]);
    expect(config.warnings).toEqual([]);
  });

  it('reads the metrics and logs exporters, the log batch and the log record limits', () => {
    const config = resolveConfig({
      OTEL_METRICS_EXPORTER: 'console, OTLP',
      OTEL_LOGS_EXPORTER: 'console',
      OTEL_BLRP_SCHEDULE_DELAY: '200',
      OTEL_BLRP_EXPORT_TIMEOUT: '3000',
      OTEL_BLRP_MAX_QUEUE_SIZE: '100',
      OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '10',
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '2048',
      OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT: '512',
      OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: '16',
    });
    expect(config.warnings).toEqual([]);
    expect(config.metricsExporters).toEqual(['console', 'otlp']);
    expect(config.logsExporters).toEqual(['console']);
    expect(config.logBatch).toEqual({
      scheduledDelayMillis: 200,
      exportTimeoutMillis: 3000,
      maxQueueSize: 100,
      maxExportBatchSize: 10,
    });
    expect(config.logRecordLimits).toEqual({ attributeValueLengthLimit: 512, attributeCountLimit: 16 });
    expect(config.spanLimits).toEqual({ attributeValueLengthLimit: 2048 });
  });

  it('does not report OTEL_BLRP_* when no OTLP log exporter uses them', () => {
    expect(resolveConfig({ OTEL_LOGS_EXPORTER: 'console', OTEL_BLRP_SCHEDULE_DELAY: 'x' }).warnings).toEqual(
      [],
    );
  });

  it('turns metrics and logs off with the metrics and logs options, reading none of their variables', () => {
    const config = resolveConfig(
      { OTEL_METRICS_EXPORTER: 'zipkin', OTEL_LOGS_EXPORTER: 'zipkin', OTEL_BLRP_MAX_QUEUE_SIZE: 'x' },
      { metrics: false, logs: false },
    );
    expect(config).toMatchObject({
      metricsEnabled: false,
      metricsExporters: [],
      logsEnabled: false,
      logsExporters: [],
    });
    expect(config.warnings).toEqual([]);
  });

  it('drops duplicate names', () => {
    expect(resolveConfig({ OTEL_TRACES_EXPORTER: 'otlp,otlp' }).tracesExporters).toEqual(['otlp']);
  });
});

describe('resolveConfig precedence', () => {
  it('prefers the traces-specific OTLP variables over the generic ones', () => {
    const config = resolveConfig({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://specific:4318/v1/traces',
      OTEL_EXPORTER_OTLP_HEADERS: 'a=generic,b=generic',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'b=specific',
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '2000',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'none',
    });
    expect(config.otlp).toEqual({
      protocol: 'http/protobuf',
      url: 'http://specific:4318/v1/traces',
      headers: { a: 'generic', b: 'specific' },
      timeoutMillis: 2000,
      compression: 'none',
    });
  });

  it('prefers OTEL_SERVICE_NAME over service.name in OTEL_RESOURCE_ATTRIBUTES', () => {
    const config = resolveConfig({
      OTEL_SERVICE_NAME: 'env-name',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=attr-name',
    });
    expect(config.resourceAttributes['service.name']).toBe('env-name');
  });

  it('prefers options over the environment', () => {
    const config = resolveConfig(
      {
        OTEL_SERVICE_NAME: 'env-name',
        OTEL_RESOURCE_ATTRIBUTES: 'team=env,region=eu',
        OTEL_LOG_LEVEL: 'error',
        AGENT_OTEL_EXPORTERS: 'tree',
        AGENT_OTEL_JSONL_PATH: '/env/path.jsonl',
      },
      {
        serviceName: 'option-name',
        resourceAttributes: { team: 'option', 'service.name': 'overridden-by-serviceName', replicas: 3 },
        diagLogLevel: DiagLogLevel.INFO,
        localExporters: ['jsonl'],
        jsonlPath: '/option/path.jsonl',
        baggageKeys: ['user.id'],
        shutdownTimeoutMillis: 1234,
      },
    );
    expect(config.resourceAttributes).toEqual({
      team: 'option',
      region: 'eu',
      replicas: 3,
      'service.name': 'option-name',
    });
    expect(config.diagLogLevel).toBe(DiagLogLevel.INFO);
    expect(config.localExporters).toEqual(['jsonl']);
    expect(config.jsonlPath).toBe('/option/path.jsonl');
    expect(config.baggageKeys).toEqual(['user.id']);
    expect(config.shutdownTimeoutMillis).toBe(1234);
    expect(config.warnings).toEqual([]);
  });

  it('uses resourceAttributes["service.name"] from options over the environment when serviceName is not given', () => {
    const config = resolveConfig(
      { OTEL_SERVICE_NAME: 'env-name' },
      { resourceAttributes: { 'service.name': 'option' } },
    );
    expect(config.resourceAttributes['service.name']).toBe('option');
  });
});

describe('resolveConfig with invalid values', () => {
  const cases: [
    string,
    Record<string, string>,
    string,
    (config: ReturnType<typeof resolveConfig>) => unknown,
    unknown,
  ][] = [
    [
      'an endpoint without a scheme',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' },
      'OTEL_EXPORTER_OTLP_ENDPOINT="localhost:4318" is not a URL; use e.g. http://localhost:4318. Falling back to ' +
        'http://localhost:4318/v1/traces for traces, http://localhost:4318/v1/metrics for metrics, ' +
        'http://localhost:4318/v1/logs for logs.',
      (config) => [config.otlp.url, config.metricsOtlp.url, config.logsOtlp.url],
      [
        'http://localhost:4318/v1/traces',
        'http://localhost:4318/v1/metrics',
        'http://localhost:4318/v1/logs',
      ],
    ],
    [
      'an endpoint that does not parse, with traces only',
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: '127.0.0.1:4318',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      },
      'OTEL_EXPORTER_OTLP_ENDPOINT="127.0.0.1:4318" is not a URL; use e.g. http://localhost:4318. Falling back to http://localhost:4318/v1/traces.',
      (config) => config.otlp.url,
      'http://localhost:4318/v1/traces',
    ],
    [
      'a traces endpoint with a non-HTTP scheme',
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' },
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="grpc://collector:4317" uses the scheme "grpc:", not http: or https:; use e.g. http://localhost:4318/v1/traces. Falling back to http://localhost:4318/v1/traces.',
      (config) => config.otlp.url,
      'http://localhost:4318/v1/traces',
    ],
    [
      'the grpc protocol',
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      'OTEL_EXPORTER_OTLP_PROTOCOL="grpc" is not bundled with @agent-otel/node, which sends OTLP over HTTP; use http/protobuf (or http/json) and the collector\'s HTTP port, usually 4318. Falling back to http/protobuf.',
      (config) => config.otlp.protocol,
      'http/protobuf',
    ],
    [
      'an unknown protocol',
      { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/xml' },
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL="http/xml" is not a supported protocol; use http/protobuf or http/json. Falling back to http/protobuf.',
      (config) => config.otlp.protocol,
      'http/protobuf',
    ],
    [
      'a non-numeric timeout',
      { OTEL_EXPORTER_OTLP_TIMEOUT: '10s' },
      'OTEL_EXPORTER_OTLP_TIMEOUT="10s" is not a whole number; use e.g. 10000. Falling back to 10000 ms.',
      (config) => config.otlp.timeoutMillis,
      10000,
    ],
    [
      'a zero timeout',
      { OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '0' },
      'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT="0" is less than 1; use e.g. 10000. Falling back to 10000 ms.',
      (config) => config.otlp.timeoutMillis,
      10000,
    ],
    [
      'an unknown compression',
      { OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli' },
      'OTEL_EXPORTER_OTLP_COMPRESSION="brotli" is not supported; use one of gzip, none. Falling back to none.',
      (config) => config.otlp.compression,
      'none',
    ],
    [
      'an unknown traces exporter',
      { OTEL_TRACES_EXPORTER: 'zipkin' },
      'OTEL_TRACES_EXPORTER="zipkin" has a value @agent-otel/node does not support: "zipkin"; use a comma list of otlp, console, or none. Falling back to otlp.',
      (config) => config.tracesExporters,
      ['otlp'],
    ],
    [
      'an unknown metrics exporter',
      { OTEL_METRICS_EXPORTER: 'prometheus' },
      'OTEL_METRICS_EXPORTER="prometheus" has a value @agent-otel/node does not support: "prometheus"; use a comma list of otlp, console, or none. Falling back to otlp.',
      (config) => config.metricsExporters,
      ['otlp'],
    ],
    [
      'an unknown logs exporter beside a known one',
      { OTEL_LOGS_EXPORTER: 'console,loki' },
      'OTEL_LOGS_EXPORTER="console,loki" has a value @agent-otel/node does not support: "loki"; use a comma list of otlp, console, or none. Falling back to console.',
      (config) => config.logsExporters,
      ['console'],
    ],
    [
      'none combined with a metrics exporter',
      { OTEL_METRICS_EXPORTER: 'none,otlp' },
      'OTEL_METRICS_EXPORTER="none,otlp" combines "none" with other values; use either none alone or a comma list of otlp, console. Falling back to none.',
      (config) => config.metricsExporters,
      [],
    ],
    [
      'a non-numeric log batch queue size',
      { OTEL_BLRP_MAX_QUEUE_SIZE: 'lots' },
      'OTEL_BLRP_MAX_QUEUE_SIZE="lots" is not a whole number; use e.g. 2048. Falling back to 2048.',
      (config) => config.logBatch.maxQueueSize,
      2048,
    ],
    [
      'a log batch larger than its queue',
      { OTEL_BLRP_MAX_QUEUE_SIZE: '10', OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '20' },
      'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE="20" is larger than the queue (OTEL_BLRP_MAX_QUEUE_SIZE=10); use a batch size no larger than the queue size. Falling back to 10.',
      (config) => config.logBatch.maxExportBatchSize,
      10,
    ],
    [
      'a negative log batch delay',
      { OTEL_BLRP_SCHEDULE_DELAY: '-1' },
      'OTEL_BLRP_SCHEDULE_DELAY="-1" is not a whole number; use e.g. 1000. Falling back to 1000.',
      (config) => config.logBatch.scheduledDelayMillis,
      1000,
    ],
    [
      'a zero log export timeout',
      { OTEL_BLRP_EXPORT_TIMEOUT: '0' },
      'OTEL_BLRP_EXPORT_TIMEOUT="0" is less than 1; use e.g. 30000. Falling back to 30000.',
      (config) => config.logBatch.exportTimeoutMillis,
      30000,
    ],
    [
      'a bad log record attribute count limit',
      { OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: 'many' },
      'OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT="many" is not a whole number; use e.g. 128. Falling back to the SDK default (128).',
      (config) => config.logRecordLimits,
      {},
    ],
    [
      'a bad general value length limit, used by spans and log records alike',
      { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: 'long' },
      'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT="long" is not a whole number; use e.g. 4096. Falling back to no SDK limit (agent-otel still caps its own values).',
      (config) => [config.spanLimits, config.logRecordLimits],
      [{}, {}],
    ],
    [
      'a bad general count limit that spans and log records fall back from differently',
      { OTEL_ATTRIBUTE_COUNT_LIMIT: '1.5', OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '64' },
      'OTEL_ATTRIBUTE_COUNT_LIMIT="1.5" is not a whole number; use e.g. 128. Falling back to 64 for spans, the SDK default (128) for log records.',
      (config) => [config.spanLimits, config.logRecordLimits],
      [{ attributeCountLimit: 64 }, {}],
    ],
    [
      'an unknown local exporter in a list',
      { AGENT_OTEL_EXPORTERS: 'tree,html' },
      'AGENT_OTEL_EXPORTERS="tree,html" has a value @agent-otel/node does not support: "html"; use a comma list of tree, jsonl, or none. Falling back to tree.',
      (config) => config.localExporters,
      ['tree'],
    ],
    [
      'unknown propagators',
      { OTEL_PROPAGATORS: 'b3,xray' },
      'OTEL_PROPAGATORS="b3,xray" has values @agent-otel/node does not support: "b3", "xray"; use a comma list of tracecontext, baggage, or none. Falling back to tracecontext,baggage.',
      (config) => config.propagators,
      ['tracecontext', 'baggage'],
    ],
    [
      'none combined with an exporter',
      { OTEL_TRACES_EXPORTER: 'otlp,none' },
      'OTEL_TRACES_EXPORTER="otlp,none" combines "none" with other values; use either none alone or a comma list of otlp, console. Falling back to none.',
      (config) => config.tracesExporters,
      [],
    ],
    [
      'an unknown log level',
      { OTEL_LOG_LEVEL: 'loud' },
      'OTEL_LOG_LEVEL="loud" is not a log level; use one of NONE, ERROR, WARN, INFO, DEBUG, VERBOSE, ALL. Falling back to WARN.',
      (config) => config.diagLogLevel,
      DiagLogLevel.WARN,
    ],
    [
      'a non-boolean OTEL_SDK_DISABLED',
      { OTEL_SDK_DISABLED: '1' },
      'OTEL_SDK_DISABLED="1" is not "true" or "false"; use true to disable the SDK, or unset it. Falling back to false.',
      (config) => config.disabled,
      false,
    ],
    [
      'a negative batch delay',
      { OTEL_BSP_SCHEDULE_DELAY: '-5' },
      'OTEL_BSP_SCHEDULE_DELAY="-5" is not a whole number; use e.g. 5000. Falling back to 5000.',
      (config) => config.batch.scheduledDelayMillis,
      5000,
    ],
    [
      'a non-numeric queue size',
      { OTEL_BSP_MAX_QUEUE_SIZE: 'lots' },
      'OTEL_BSP_MAX_QUEUE_SIZE="lots" is not a whole number; use e.g. 2048. Falling back to 2048.',
      (config) => config.batch.maxQueueSize,
      2048,
    ],
    [
      'a batch size larger than the queue',
      { OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '200' },
      'OTEL_BSP_MAX_EXPORT_BATCH_SIZE="200" is larger than the queue (OTEL_BSP_MAX_QUEUE_SIZE=100); use a batch size no larger than the queue size. Falling back to 100.',
      (config) => config.batch.maxExportBatchSize,
      100,
    ],
    [
      'a fractional export timeout',
      { OTEL_BSP_EXPORT_TIMEOUT: '1.5' },
      'OTEL_BSP_EXPORT_TIMEOUT="1.5" is not a whole number; use e.g. 30000. Falling back to 30000.',
      (config) => config.batch.exportTimeoutMillis,
      30000,
    ],
  ];

  it.each(cases)('reports %s once and falls back', (_name, env, warning, pick, fallback) => {
    const config = resolveConfig(env);
    expect(config.warnings).toEqual([warning]);
    expect(pick(config)).toEqual(fallback);
  });

  it('falls back to the generic variable when the traces-specific one is invalid', () => {
    const config = resolveConfig({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'nope',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318',
    });
    expect(config.otlp.url).toBe('http://generic:4318/v1/traces');
    expect(config.warnings).toEqual([
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="nope" is not a URL; use e.g. http://localhost:4318/v1/traces. Falling back to http://generic:4318/v1/traces.',
    ]);
  });

  it('drops a malformed header entry without showing it and keeps the others', () => {
    const config = resolveConfig({
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc,Authorization Bearer secret-token',
    });
    expect(config.otlp.headers).toEqual({ 'api-key': 'abc' });
    expect(config.warnings).toEqual([
      'OTEL_EXPORTER_OTLP_HEADERS entry 2 is not key=value (value not shown: headers may hold secrets); use comma-separated key=value pairs, e.g. api-key=secret,x-team=agents (percent-encode "," "=" and "%" inside keys and values). Ignoring that entry.',
    ]);
    expect(config.warnings[0]).not.toContain('secret-token');
  });

  it('rejects header names that are not HTTP tokens and values that are not percent-encoded', () => {
    const config = resolveConfig({ OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'bad name=1,good=2,token=50%zz' });
    expect(config.otlp.headers).toEqual({ good: '2' });
    expect(config.warnings).toHaveLength(2);
    expect(config.warnings[0]).toMatch(
      /^OTEL_EXPORTER_OTLP_TRACES_HEADERS entry 1 has "bad name", which is not a valid HTTP header name;/,
    );
    expect(config.warnings[1]).toMatch(
      /^OTEL_EXPORTER_OTLP_TRACES_HEADERS entry 3 \(key "token"\) has a value that is not valid percent-encoding;/,
    );
    expect(config.warnings[1]).not.toContain('50%zz');
  });

  it('drops a malformed resource attribute, naming it', () => {
    const config = resolveConfig({ OTEL_RESOURCE_ATTRIBUTES: 'team=ai,oops,=empty' });
    expect(config.resourceAttributes).toEqual({ team: 'ai' });
    expect(config.warnings).toEqual([
      'OTEL_RESOURCE_ATTRIBUTES entry "oops" is not key=value; use comma-separated key=value pairs, e.g. deployment.environment.name=prod,service.version=1.2.0 (percent-encode "," "=" and "%" inside keys and values). Ignoring that entry.',
      'OTEL_RESOURCE_ATTRIBUTES entry "=empty" is not key=value; use comma-separated key=value pairs, e.g. deployment.environment.name=prod,service.version=1.2.0 (percent-encode "," "=" and "%" inside keys and values). Ignoring that entry.',
    ]);
  });

  it('does not warn about OTLP settings when no OTLP exporter is used', () => {
    const config = resolveConfig({
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'console',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318',
    });
    expect(config.warnings).toEqual([]);
  });

  it('reports invalid options and falls back', () => {
    const config = resolveConfig(
      {},
      { shutdownTimeoutMillis: -1, localExporters: ['tree', 'html' as never] },
    );
    expect(config.shutdownTimeoutMillis).toBe(5000);
    expect(config.localExporters).toEqual(['tree']);
    expect(config.warnings).toEqual([
      'The localExporters option has the unsupported value "html"; use tree and/or jsonl. Ignoring it.',
      'The shutdownTimeoutMillis option (-1) is not a non-negative number; use e.g. 5000. Falling back to 5000 ms.',
    ]);
  });
});

describe('resolveConfig span limits', () => {
  it('reads every OTEL_*_LIMIT variable the SDK takes', () => {
    const config = resolveConfig({
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '2048',
      OTEL_ATTRIBUTE_COUNT_LIMIT: '64',
      OTEL_SPAN_EVENT_COUNT_LIMIT: '10',
      OTEL_SPAN_LINK_COUNT_LIMIT: '0',
      OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: '16',
      OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: '8',
    });
    expect(config.spanLimits).toEqual({
      attributeValueLengthLimit: 2048,
      attributeCountLimit: 64,
      eventCountLimit: 10,
      linkCountLimit: 0,
      attributePerEventCountLimit: 16,
      attributePerLinkCountLimit: 8,
    });
    expect(config.warnings).toEqual([]);
  });

  it('prefers the span-specific variables over the general ones', () => {
    const config = resolveConfig({
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '2048',
      OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '512',
      OTEL_ATTRIBUTE_COUNT_LIMIT: '64',
      OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '32',
    });
    expect(config.spanLimits).toEqual({ attributeValueLengthLimit: 512, attributeCountLimit: 32 });
  });

  it.each([
    [
      { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: 'lots' },
      'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT="lots" is not a whole number; use e.g. 4096. Falling back to no SDK limit (agent-otel still caps its own values).',
      {},
    ],
    [
      { OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '0' },
      'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT="0" is less than 1; use e.g. 4096. Falling back to no SDK limit (agent-otel still caps its own values).',
      {},
    ],
    [
      { OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '-5', OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '1000' },
      'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT="-5" is not a whole number; use e.g. 4096. Falling back to 1000.',
      { attributeValueLengthLimit: 1000 },
    ],
    [
      { OTEL_ATTRIBUTE_COUNT_LIMIT: '12.5' },
      'OTEL_ATTRIBUTE_COUNT_LIMIT="12.5" is not a whole number; use e.g. 128. Falling back to the SDK default (128).',
      {},
    ],
  ])('warns about %j, naming the variable and the fix, and keeps the default', (env, warning, limits) => {
    const config = resolveConfig(env);
    expect(config.warnings).toEqual([warning]);
    expect(config.spanLimits).toEqual(limits);
  });
});
