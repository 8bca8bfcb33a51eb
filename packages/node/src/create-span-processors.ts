import { ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import {
  BaggageSpanProcessor,
  ConsoleTreeExporter,
  JsonlFileExporter,
  TraceProcessorSpanProcessor,
} from '@agent-otel/core';
import { createOtlpExporter } from './create-otlp-exporter.js';
import { ReportingBatchSpanProcessor } from './ReportingBatchSpanProcessor.js';
import type { ResolvedConfig } from './types.js';
import { tryCreate } from './try-create.js';

/** What to set when nothing answers at the OTLP endpoint (no collector running, a wrong address). */
const UNREACHABLE_HINT =
  'Is a collector running there? Start one, set OTEL_EXPORTER_OTLP_ENDPOINT to the address of yours, ' +
  'or set OTEL_TRACES_EXPORTER=none to export nothing';

/**
 * The provider's processors, in the order they see each span: baggage copying (so every later
 * processor sees those attributes), core's trace-processor dispatch, the user's processors, then
 * one processor per exporter. Local and console exporters get a SimpleSpanProcessor (output as
 * soon as a span ends, like NodeSDK's console exporter); OTLP gets a BatchSpanProcessor that
 * counts dropped spans and reports each outage once (ReportingBatchSpanProcessor).
 */
export function createSpanProcessors(
  config: ResolvedConfig,
  userProcessors: readonly SpanProcessor[],
): SpanProcessor[] {
  const keys = config.baggageKeys;
  return [
    ...tryCreate<SpanProcessor>('baggage span processor', () =>
      keys === undefined ? new BaggageSpanProcessor() : new BaggageSpanProcessor({ keys: [...keys] }),
    ),
    ...tryCreate<SpanProcessor>('trace processor dispatch', () => new TraceProcessorSpanProcessor()),
    ...userProcessors,
    ...config.localExporters.flatMap((name) =>
      name === 'tree'
        ? tryCreate<SpanProcessor>(
            'tree exporter',
            () => new SimpleSpanProcessor({ exporter: new ConsoleTreeExporter() }),
          )
        : tryCreate<SpanProcessor>(
            'JSONL exporter',
            () => new SimpleSpanProcessor({ exporter: new JsonlFileExporter({ path: config.jsonlPath }) }),
          ),
    ),
    ...config.tracesExporters.flatMap((name) =>
      name === 'otlp'
        ? tryCreate<SpanProcessor>(
            'OTLP exporter',
            () =>
              new ReportingBatchSpanProcessor({
                ...config.batch,
                exporter: createOtlpExporter(config.otlp),
                destination: config.otlp.url,
                unreachableHint: UNREACHABLE_HINT,
                connectRetryWithinMillis: config.otlp.timeoutMillis,
              }),
          )
        : tryCreate<SpanProcessor>(
            'console exporter',
            () => new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }),
          ),
    ),
  ];
}
