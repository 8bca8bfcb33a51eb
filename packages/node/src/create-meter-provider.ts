import type { Resource } from '@opentelemetry/resources';
import {
  ConsoleMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { IMetricReader, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { createOtlpMetricExporter } from './create-otlp-exporter.js';
import { ReportingMetricExporter } from './ReportingMetricExporter.js';
import type { ResolvedConfig } from './types.js';
import { tryCreate } from './try-create.js';

/** What to set when nothing answers at the OTLP metrics endpoint. */
const UNREACHABLE_HINT =
  'Is a collector running there? Start one, set OTEL_EXPORTER_OTLP_ENDPOINT (or ' +
  'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) to the address of yours, or set OTEL_METRICS_EXPORTER=none to ' +
  'export no metrics';

/** What to set when the endpoint answers 404: a backend that takes traces only. */
const NOT_FOUND_HINT =
  'The endpoint does not take metrics (a traces-only backend such as Jaeger answers 404): set ' +
  'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT to one that does, or OTEL_METRICS_EXPORTER=none';

function periodicReader(config: ResolvedConfig, exporter: PushMetricExporter): PeriodicExportingMetricReader {
  return new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: config.metrics.exportIntervalMillis,
    exportTimeoutMillis: config.metrics.exportTimeoutMillis,
  });
}

/**
 * The meter provider: one `PeriodicExportingMetricReader` per `OTEL_METRICS_EXPORTER` exporter (OTLP
 * through a {@link ReportingMetricExporter}, which reports failed exports once per outage) and the
 * user's readers, over `resource`. Undefined when metrics are off (`metrics: false`) or no reader is
 * left: nothing would read what is recorded, so the API's no-op meters cost less.
 */
export function createMeterProvider(
  config: ResolvedConfig,
  resource: Resource,
  userReaders: readonly IMetricReader[],
): MeterProvider | undefined {
  if (!config.metricsEnabled) return undefined;
  const readers = [
    ...config.metricsExporters.flatMap((name) =>
      name === 'otlp'
        ? tryCreate<IMetricReader>('OTLP metric exporter', () =>
            periodicReader(
              config,
              new ReportingMetricExporter(createOtlpMetricExporter(config.metricsOtlp, config.metrics), {
                items: 'metric data points',
                destination: config.metricsOtlp.url,
                unreachableHint: UNREACHABLE_HINT,
                notFoundHint: NOT_FOUND_HINT,
              }),
            ),
          )
        : tryCreate<IMetricReader>('console metric exporter', () =>
            periodicReader(config, new ConsoleMetricExporter()),
          ),
    ),
    ...userReaders,
  ];
  if (readers.length === 0) return undefined;
  return new MeterProvider({ resource, readers });
}
