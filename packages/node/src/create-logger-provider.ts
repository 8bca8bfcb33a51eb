import type { Resource } from '@opentelemetry/resources';
import {
  BatchLogRecordProcessor,
  ConsoleLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { createOtlpLogExporter } from './create-otlp-exporter.js';
import { ReportingLogRecordExporter } from './ReportingLogRecordExporter.js';
import type { ResolvedConfig } from './types.js';
import { tryCreate } from './try-create.js';

/** What to set when nothing answers at the OTLP logs endpoint. */
const UNREACHABLE_HINT =
  'Is a collector running there? Start one, set OTEL_EXPORTER_OTLP_ENDPOINT (or ' +
  'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT) to the address of yours, or set OTEL_LOGS_EXPORTER=none to export ' +
  'no log records';

/** What to set when the endpoint answers 404: a backend that takes traces only. */
const NOT_FOUND_HINT =
  'The endpoint does not take logs (a traces-only backend such as Jaeger answers 404): set ' +
  'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT to one that does, or OTEL_LOGS_EXPORTER=none';

/**
 * The logger provider: the user's processors, then one per `OTEL_LOGS_EXPORTER` exporter (OTLP in a
 * `BatchLogRecordProcessor` set by `OTEL_BLRP_*`, through a {@link ReportingLogRecordExporter}, which
 * reports failed exports once per outage; console in a `SimpleLogRecordProcessor`), over `resource`.
 * Undefined when logs are off (`logs: false`) or no processor is left: nothing would read what is
 * emitted, so the API's no-op loggers cost less.
 */
export function createLoggerProvider(
  config: ResolvedConfig,
  resource: Resource,
  userProcessors: readonly LogRecordProcessor[],
): LoggerProvider | undefined {
  if (!config.logsEnabled) return undefined;
  const processors = [
    ...userProcessors,
    ...config.logsExporters.flatMap((name) =>
      name === 'otlp'
        ? tryCreate<LogRecordProcessor>(
            'OTLP log record exporter',
            () =>
              new BatchLogRecordProcessor({
                ...config.logBatch,
                exporter: new ReportingLogRecordExporter(createOtlpLogExporter(config.logsOtlp), {
                  items: 'log records',
                  destination: config.logsOtlp.url,
                  unreachableHint: UNREACHABLE_HINT,
                  notFoundHint: NOT_FOUND_HINT,
                }),
              }),
          )
        : tryCreate<LogRecordProcessor>(
            'console log record exporter',
            () => new SimpleLogRecordProcessor({ exporter: new ConsoleLogRecordExporter() }),
          ),
    ),
  ];
  if (processors.length === 0) return undefined;
  return new LoggerProvider({ resource, processors, logRecordLimits: { ...config.logRecordLimits } });
}
