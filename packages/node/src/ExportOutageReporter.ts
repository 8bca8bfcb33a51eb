import { diag } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { describeExportError, OtlpConnectError, withoutCredentials } from './create-otlp-exporter.js';

// Metric and log record exports fail the way span exports do (no collector, a wrong address, an
// HTTP error answer), and the SDK's reader and processor would log each failed export through the
// global error handler. ReportingMetricExporter and ReportingLogRecordExporter answer the SDK
// "success" and report here instead: one warning when an outage starts, one summary with the count
// of items lost when exports work again or at shutdown, as ReportingBatchSpanProcessor does for spans.

const PREFIX = '@agent-otel/node: ';

/** Options of {@link ExportOutageReporter}. */
export interface ExportOutageReporterOptions {
  /** What is exported, plural, in the messages: `metric data points`, `log records`. */
  readonly items: string;
  /** Where the items go (the OTLP URL), named without credentials. */
  readonly destination: string;
  /** Appended to the first warning when the destination cannot be reached at all. */
  readonly unreachableHint?: string;
  /** Appended to the first warning for an HTTP 404 answer (an endpoint that does not take this signal). */
  readonly notFoundHint?: string;
  /** Clock for outage durations; tests replace it. Default: `Date.now`. */
  readonly now?: () => number;
}

interface Outage {
  readonly startedAt: number;
  lostItems: number;
  failedExports: number;
}

/** Counts failed exports and reports each outage once, with a summary when it ends. */
export class ExportOutageReporter {
  private readonly _items: string;
  private readonly _destination: string;
  private readonly _unreachableHint: string | undefined;
  private readonly _notFoundHint: string | undefined;
  private readonly _now: () => number;
  private _outage: Outage | undefined;
  private _outages = 0;

  constructor(options: ExportOutageReporterOptions) {
    this._items = options.items;
    this._destination = withoutCredentials(options.destination);
    this._unreachableHint = options.unreachableHint;
    this._notFoundHint = options.notFoundHint;
    this._now = options.now ?? Date.now;
  }

  /** Outages reported so far. */
  get outages(): number {
    return this._outages;
  }

  /** Records the result of one export of `itemCount` items. Never throws. */
  onResult(result: ExportResult, itemCount: number): void {
    try {
      if (result.code === ExportResultCode.SUCCESS) this._report('works again');
      else this._lose(itemCount, result.error);
    } catch (error) {
      diag.debug(`${PREFIX}reporting an export result failed: ${String(error)}`);
    }
  }

  /** Reports an outage still going on; called at shutdown. */
  onShutdown(): void {
    this._report('still failing at shutdown');
  }

  /**
   * Runs one export of `itemCount` items through `send`, records its result (a throw is a failed
   * export) and answers `resultCallback` "success" once, so the SDK does not log the failure again.
   */
  export(
    itemCount: number,
    send: (onResult: (result: ExportResult) => void) => void,
    resultCallback: (result: ExportResult) => void,
  ): void {
    let answered = false;
    const onResult = (result: ExportResult): void => {
      if (answered) return;
      answered = true;
      this.onResult(result, itemCount);
      resultCallback({ code: ExportResultCode.SUCCESS });
    };
    try {
      send(onResult);
    } catch (error) {
      onResult({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }

  /** Shuts the exporter down with `shutdown`, then reports an outage still going on. */
  async shutdown(shutdown: () => Promise<void>): Promise<void> {
    try {
      await shutdown();
    } finally {
      this.onShutdown();
    }
  }

  private _lose(itemCount: number, error: Error | undefined): void {
    let outage = this._outage;
    if (outage === undefined) {
      outage = { startedAt: this._now(), lostItems: 0, failedExports: 0 };
      this._outage = outage;
      this._outages++;
      diag.warn(
        `${PREFIX}dropping ${this._items}: export to ${this._destination} failed: ${describeExportError(error)}` +
          `${this._hintFor(error)}. Reported once; a summary with the number of ${this._items} dropped follows ` +
          'when exports succeed again or at shutdown.',
      );
    }
    outage.lostItems += itemCount;
    outage.failedExports++;
  }

  private _hintFor(error: Error | undefined): string {
    if (error instanceof OtlpConnectError && this._unreachableHint !== undefined)
      return `. ${this._unreachableHint}`;
    if ((error as { code?: unknown } | undefined)?.code === 404 && this._notFoundHint !== undefined)
      return `. ${this._notFoundHint}`;
    return '';
  }

  private _report(how: string): void {
    const outage = this._outage;
    if (outage === undefined) return;
    this._outage = undefined;
    const seconds = ((this._now() - outage.startedAt) / 1000).toFixed(1);
    diag.warn(
      `${PREFIX}exporting ${this._items} to ${this._destination} ${how} after ${seconds} s; ` +
        `${outage.lostItems} ${this._items} were dropped in ${outage.failedExports} failed exports.`,
    );
  }
}
