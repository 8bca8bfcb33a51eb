import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ExportOutageReporter } from './ExportOutageReporter.js';
import type { ExportOutageReporterOptions } from './ExportOutageReporter.js';

/**
 * A log record exporter that reports failed exports through an {@link ExportOutageReporter} (once
 * per outage) and answers the processor "success", so the SDK does not log every failed batch again.
 */
export class ReportingLogRecordExporter implements LogRecordExporter {
  private readonly _exporter: LogRecordExporter;
  private readonly _reporter: ExportOutageReporter;

  constructor(exporter: LogRecordExporter, options: ExportOutageReporterOptions) {
    this._exporter = exporter;
    this._reporter = new ExportOutageReporter(options);
  }

  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    this._reporter.export(logs.length, (onResult) => this._exporter.export(logs, onResult), resultCallback);
  }

  forceFlush(): Promise<void> {
    return this._exporter.forceFlush();
  }

  shutdown(): Promise<void> {
    return this._reporter.shutdown(() => this._exporter.shutdown());
  }
}
