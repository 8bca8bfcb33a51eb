// Checks telemetry as the test pipeline sees it (each span as it ends, each log record as it is
// emitted, each metrics collection) and keeps only the distinct findings, never the telemetry, so
// nothing a test expects to be garbage-collected is held.
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import type { FindingSink } from './check-attributes.js';
import { checkLogRecord } from './check-log-records.js';
import { checkMetric, metricsOf } from './check-metrics.js';
import { checkSpan } from './check-spans.js';
import { addFinding, emptyReport, type ConformanceReport } from './conformance-report.js';
import { indexOf, type CheckOptions } from './registry-index.js';

/** What {@link conformanceCollector} returns. */
export interface ConformanceCollector {
  /** Checks each span as it ends. */
  readonly spanProcessor: SpanProcessor;
  /** Checks each log record as it is emitted. */
  readonly logRecordProcessor: LogRecordProcessor;
  /** Checks one metrics collection. */
  addMetrics(resourceMetrics: ResourceMetrics): void;
  /** The distinct findings so far, each once. */
  report(): ConformanceReport;
  /** Errors the check itself threw (a bug in the check), each with the kind of item it was checking. */
  readonly errors: readonly string[];
}

/** A collector of the conformance findings of everything it is given. */
export function conformanceCollector(options: CheckOptions = {}): ConformanceCollector {
  const index = indexOf(options);
  const report = emptyReport();
  const seen = new Set<string>();
  const errors: string[] = [];
  const sink: FindingSink = (finding) => {
    const key = `${finding.rule}\u0000${finding.signal}\u0000${finding.item}\u0000${finding.detail}`;
    if (seen.has(key)) return;
    seen.add(key);
    addFinding(report, finding);
  };
  // A throw here would reach the code under test through span.end() or logger.emit(); nothing of
  // the item is read outside the check (a span name can be any value a test hands the SDK).
  const guarded = (what: string, check: () => void) => {
    try {
      check();
    } catch (error) {
      errors.push(`checking ${what}: ${error instanceof Error ? error.stack : typeof error}`);
    }
  };
  return {
    spanProcessor: {
      onStart: () => undefined,
      onEnd: (span) => guarded('a span', () => checkSpan(index, span, sink)),
      forceFlush: async () => undefined,
      shutdown: async () => undefined,
    },
    logRecordProcessor: {
      onEmit: (record) => guarded('a log record', () => checkLogRecord(index, record, sink)),
      forceFlush: async () => undefined,
      shutdown: async () => undefined,
    },
    addMetrics(resourceMetrics) {
      for (const metric of metricsOf(resourceMetrics)) {
        guarded('a metric', () => checkMetric(index, metric, sink));
      }
    },
    report: () => ({ violations: [...report.violations], info: [...report.info] }),
    errors,
  };
}
