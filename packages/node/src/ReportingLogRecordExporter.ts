import { ExportResultCode } from '@opentelemetry/core';
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
    let answered = false;
    const onResult = (result: ExportResult): void => {
      if (answered) return;
      answered = true;
      this._reporter.onResult(result, logs.length);
      resultCallback({ code: ExportResultCode.SUCCESS });
    };
    try {
      this._exporter.export(logs, onResult);
    } catch (error) {
      onResult({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }

  forceFlush(): Promise<void> {
    return this._exporter.forceFlush();
  }

  async shutdown(): Promise<void> {
    try {
      await this._exporter.shutdown();
    } finally {
      this._reporter.onShutdown();
    }
  }
}
