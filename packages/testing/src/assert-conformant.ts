// One check over spans, metrics and log records, and the assertion that fails with its listing.
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { checkLogRecords } from './check-log-records.js';
import { checkMetrics, type MetricsInput } from './check-metrics.js';
import { checkSpans } from './check-spans.js';
import { formatFindings, type ConformanceReport } from './conformance-report.js';
import { indexOf, type CheckOptions } from './registry-index.js';

/** Telemetry to check; any part may be left out. */
export interface Telemetry {
  readonly spans?: readonly ReadableSpan[];
  readonly metrics?: MetricsInput;
  readonly logRecords?: readonly ReadableLogRecord[];
}

/** {@link checkSpans}, {@link checkMetrics} and {@link checkLogRecords} in one report. */
export function checkTelemetry(telemetry: Telemetry, options: CheckOptions = {}): ConformanceReport {
  const reports = [
    checkSpans(telemetry.spans ?? [], options),
    checkMetrics(telemetry.metrics ?? [], options),
    checkLogRecords(telemetry.logRecords ?? [], options),
  ];
  return {
    violations: reports.flatMap((report) => report.violations),
    info: reports.flatMap((report) => report.info),
  };
}

/**
 * Throws one error listing every violation of `telemetry` (grouped by rule, each distinct one once
 * with its count); returns the report (with its information findings) when there is none.
 */
export function assertConformant(telemetry: Telemetry, options: CheckOptions = {}): ConformanceReport {
  const report = checkTelemetry(telemetry, options);
  if (report.violations.length > 0) throw new Error(conformanceMessage(report, options));
  return report;
}

/** The message of {@link assertConformant}: a header naming the registry, then the listing. */
export function conformanceMessage(report: ConformanceReport, options: CheckOptions = {}): string {
  const version = indexOf(options).registry.version;
  const count = report.violations.length;
  return (
    `telemetry does not conform to the GenAI semantic conventions ${version} ` +
    `(@agent-otel/testing semconv/${version}.json): ${count} violation${count === 1 ? '' : 's'}\n` +
    formatFindings(report.violations)
  );
}
