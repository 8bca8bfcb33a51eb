import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { ResolvedOtlpConfig } from './types.js';

// The OTLP exporters read OTEL_EXPORTER_OTLP_* again in their constructors and log their own
// warnings (or, for `localhost:4318`, silently use a URL with the scheme `localhost:`). We have
// validated those variables already and pass every value explicitly, so the constructor runs with
// them hidden: each problem is reported once, by us, and the exporter cannot disagree with
// `resolveConfig`. The constructor is synchronous, so nothing else observes the hidden variables.
const OTLP_VARIABLE = /^OTEL_EXPORTER_OTLP_(TRACES_)?(ENDPOINT|HEADERS|TIMEOUT|COMPRESSION|PROTOCOL)$/;

function withOtlpVariablesHidden<T>(create: () => T): T {
  const hidden: [string, string][] = [];
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && OTLP_VARIABLE.test(name)) {
      hidden.push([name, value]);
      delete process.env[name];
    }
  }
  try {
    return create();
  } finally {
    for (const [name, value] of hidden) process.env[name] = value;
  }
}

type ExporterConfig = NonNullable<ConstructorParameters<typeof OTLPJsonTraceExporter>[0]>;
// The exporters type `compression` as an enum of otlp-exporter-base (not a direct dependency)
// whose values are these same strings.
type Compression = ExporterConfig['compression'];

/** An OTLP/HTTP trace exporter (protobuf or JSON) configured from `config` only. */
export function createOtlpExporter(config: ResolvedOtlpConfig): SpanExporter {
  const exporterConfig: ExporterConfig = {
    url: config.url,
    headers: { ...config.headers },
    timeoutMillis: config.timeoutMillis,
    compression: config.compression as Compression,
  };
  return withOtlpVariablesHidden(() =>
    config.protocol === 'http/json'
      ? new OTLPJsonTraceExporter(exporterConfig)
      : new OTLPProtobufTraceExporter(exporterConfig),
  );
}
