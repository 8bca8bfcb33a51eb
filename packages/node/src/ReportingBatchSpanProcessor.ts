import { diag, TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { describeExportError, OtlpConnectError, withoutCredentials } from './create-otlp-exporter.js';
import { ExportBackoff } from './ExportBackoff.js';
import type { ResolvedBatchConfig } from './types.js';

// The OTel BatchSpanProcessor reports a failed export through the global error handler once per
// batch, and a full queue with one diag.warn each time the queue drains. During an outage that is a
// stream of messages with no total. This processor keeps the BatchSpanProcessor (same queue, same
// batching) but counts every span it loses and reports each outage twice only: one warning when it
// starts, one summary with the counts when exports succeed again (or at shutdown).

const PREFIX = '@agent-otel/node: ';

/** How long exports must work with nothing lost before an outage counts as over. */
export const RECOVERY_QUIET_MILLIS = 5000;

/** Longest pause between export attempts while they keep failing (see ExportBackoff). */
export const MAX_EXPORT_BACKOFF_MILLIS = 5000;

/**
 * Attempts at one batch whose connection could not be opened, while the app runs: with the backoff
 * pauses (250 ms doubling) they span ~8 s, as the OTLP exporter's own retries did within its
 * default 10 s timeout. While flushing or shutting down there is one attempt: the process is
 * ending, and nobody is listening.
 */
export const MAX_CONNECT_ATTEMPTS = 6;

/** Counters since the processor was created. */
export interface ExportStats {
  /** Spans the exporter accepted. */
  exportedSpans: number;
  /** Spans lost because their export failed (collector down, refused, 4xx/5xx, timeout). */
  failedSpans: number;
  /** Spans dropped on arrival because the queue (`maxQueueSize`) was full. */
  queueFullSpans: number;
  /** Outages reported so far (each reported once when it starts). */
  outages: number;
}

/** Options of {@link ReportingBatchSpanProcessor}: the batch settings plus the exporter. */
export interface ReportingBatchSpanProcessorOptions extends ResolvedBatchConfig {
  readonly exporter: SpanExporter;
  /** Where the spans go, named in the messages (e.g. the OTLP URL). */
  readonly destination: string;
  /** Clock for outage durations; tests replace it. Default: `Date.now`. */
  readonly now?: () => number;
  /** Default: {@link RECOVERY_QUIET_MILLIS}. */
  readonly recoveryQuietMillis?: number;
  /**
   * Default: {@link MAX_EXPORT_BACKOFF_MILLIS}, capped at a quarter of `exportTimeoutMillis` so a
   * held batch never reaches the batch processor's own timeout; 0 disables the backoff.
   */
  readonly maxExportBackoffMillis?: number;
  /**
   * Appended to the first warning when the destination cannot be reached at all (connection
   * refused, host unknown): what to set.
   */
  readonly unreachableHint?: string;
  /**
   * While the app runs, a batch whose connection could not be opened ({@link OtlpConnectError}) is
   * tried again as long as the next attempt starts within this long of the first (the OTLP export
   * timeout, which includes retries), and within half of `exportTimeoutMillis`. Default 0: no retries.
   */
  readonly connectRetryWithinMillis?: number;
}

interface Outage {
  readonly startedAt: number;
  failedSpans: number;
  failedExports: number;
  queueFullSpans: number;
  /** When exports started to work again with nothing lost since; undefined while still failing. */
  recoveredAt: number | undefined;
}

/**
 * A `BatchSpanProcessor` that counts the spans it drops (queue full or export failed) and reports
 * each outage once through `diag.warn`, with a summary of the counts when exports work again or at
 * shutdown. Spans that end while the queue is full are dropped here, before the batch processor,
 * so its own per-drain warning never fires.
 */
export class ReportingBatchSpanProcessor implements SpanProcessor {
  private readonly _batch: BatchSpanProcessor;
  private readonly _destination: string;
  private readonly _unreachableHint: string | undefined;
  private readonly _connectRetryWithinMillis: number;
  private readonly _maxQueueSize: number;
  private readonly _now: () => number;
  private readonly _quietMillis: number;
  private _recoveryTimer: NodeJS.Timeout | undefined;
  private readonly _stats: ExportStats = { exportedSpans: 0, failedSpans: 0, queueFullSpans: 0, outages: 0 };
  /** Spans handed to the batch processor and not yet to the exporter: a mirror of its queue. */
  private _queued = 0;
  /** Queue-full drops since the last export result, so a still-overflowing queue is no recovery. */
  private _queueFullSinceLastResult = 0;
  private _outage: Outage | undefined;
  private _isShutdown = false;
  private readonly _backoff: ExportBackoff;
  /** forceFlush() calls in progress: their exports are sent at once. */
  private _flushes = 0;
  /** Exports not answered yet; forceFlush() waits for them (the batch processor does not). */
  private readonly _inFlight = new Set<Promise<void>>();

  constructor(options: ReportingBatchSpanProcessorOptions) {
    const {
      exporter,
      destination,
      now,
      recoveryQuietMillis,
      maxExportBackoffMillis,
      unreachableHint,
      connectRetryWithinMillis,
      ...batch
    } = options;
    this._destination = withoutCredentials(destination);
    this._unreachableHint = unreachableHint;
    this._connectRetryWithinMillis = Math.min(connectRetryWithinMillis ?? 0, batch.exportTimeoutMillis / 2);
    this._maxQueueSize = batch.maxQueueSize;
    this._now = now ?? Date.now;
    this._quietMillis = recoveryQuietMillis ?? RECOVERY_QUIET_MILLIS;
    this._backoff = new ExportBackoff(
      Math.min(maxExportBackoffMillis ?? MAX_EXPORT_BACKOFF_MILLIS, batch.exportTimeoutMillis / 4),
    );
    this._batch = new BatchSpanProcessor({ ...batch, exporter: this._countingExporter(exporter) });
  }

  /** The counters so far (a copy). */
  getExportStats(): ExportStats {
    return { ...this._stats };
  }

  onStart(span: Span, parentContext: Context): void {
    this._batch.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if (this._isShutdown || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this._queued >= this._maxQueueSize) {
      this._stats.queueFullSpans++;
      this._queueFullSinceLastResult++;
      this._lose('queue', 1);
      return;
    }
    this._queued++;
    this._batch.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    this._flushes++;
    this._backoff.releaseAll();
    try {
      await this._batch.forceFlush();
      await Promise.all(this._inFlight);
    } finally {
      this._flushes--;
    }
  }

  async shutdown(): Promise<void> {
    this._isShutdown = true;
    this._backoff.releaseAll();
    try {
      await this._batch.shutdown();
    } finally {
      this._clearRecoveryTimer();
      const recovered = this._outage?.recoveredAt !== undefined;
      this._reportOutageEnd(recovered ? 'works again' : 'still failing at shutdown');
    }
  }

  private _countingExporter(exporter: SpanExporter): SpanExporter {
    return {
      export: (spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void => {
        this._queued = Math.max(0, this._queued - spans.length);
        let answered = false;
        let settle = (): void => {};
        const inFlight = new Promise<void>((resolve) => (settle = resolve));
        this._inFlight.add(inFlight);
        const onResult = (result: ExportResult): void => {
          if (answered) return;
          answered = true;
          this._inFlight.delete(inFlight);
          settle();
          this._onExportResult(spans.length, result);
          // Counted and reported above; passing the failure on would make the batch processor
          // log it again through the global error handler, once per batch.
          resultCallback({ code: ExportResultCode.SUCCESS });
        };
        let firstAttemptAt = 0;
        let attempts = 0;
        const onAttempt = (result: ExportResult): void => {
          if (answered) return;
          if (this._shouldRetryConnect(result, attempts, firstAttemptAt)) {
            this._backoff.recordFailure();
            this._backoff.schedule(send, false);
            return;
          }
          onResult(result);
        };
        const send = (): void => {
          if (attempts++ === 0) firstAttemptAt = Date.now();
          try {
            exporter.export(spans, onAttempt);
          } catch (error) {
            onResult({
              code: ExportResultCode.FAILED,
              error: error instanceof Error ? error : new Error(String(error)),
            });
          }
        };
        this._backoff.schedule(send, this._isExiting());
      },
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    };
  }

  private _isExiting(): boolean {
    return this._isShutdown || this._flushes > 0;
  }

  /**
   * A batch whose connection could not be opened is tried again while the app runs, after the
   * backoff pause, on timers that do not keep the process alive (a flush sends held ones at once).
   * Never while flushing or shutting down, and only within `connectRetryWithinMillis` of the first
   * attempt (at most half the batch export timeout, so the batch processor never times it out).
   */
  private _shouldRetryConnect(result: ExportResult, attempts: number, firstAttemptAt: number): boolean {
    if (result.code === ExportResultCode.SUCCESS || !(result.error instanceof OtlpConnectError)) return false;
    if (this._isExiting() || attempts >= MAX_CONNECT_ATTEMPTS || !this._backoff.enabled) return false;
    const retryAt = Date.now() + this._backoff.pauseAfterFailureMillis();
    return retryAt - firstAttemptAt < this._connectRetryWithinMillis;
  }

  private _onExportResult(spanCount: number, result: ExportResult): void {
    try {
      if (result.code === ExportResultCode.SUCCESS) {
        this._backoff.recordSuccess();
        this._stats.exportedSpans += spanCount;
        if (this._outage !== undefined && this._queueFullSinceLastResult === 0)
          this._onCleanExport(this._outage);
      } else {
        this._backoff.recordFailure();
        this._stats.failedSpans += spanCount;
        this._lose('export', spanCount, result.error);
      }
    } finally {
      this._queueFullSinceLastResult = 0;
    }
  }

  private _onCleanExport(outage: Outage): void {
    if (outage.recoveredAt === undefined) {
      outage.recoveredAt = this._now();
      if (this._quietMillis > 0) {
        // Reported when the quiet period passes even if no export follows (an idle app).
        this._recoveryTimer = setTimeout(() => this._reportOutageEnd('works again'), this._quietMillis);
        this._recoveryTimer.unref?.();
        return;
      }
    }
    if (this._now() - outage.recoveredAt >= this._quietMillis) this._reportOutageEnd('works again');
  }

  private _clearRecoveryTimer(): void {
    if (this._recoveryTimer !== undefined) clearTimeout(this._recoveryTimer);
    this._recoveryTimer = undefined;
  }

  private _lose(cause: 'queue' | 'export', spanCount: number, error?: Error): void {
    let outage = this._outage;
    if (outage !== undefined && outage.recoveredAt !== undefined) {
      // Lost again before the quiet period passed: the same outage goes on.
      outage.recoveredAt = undefined;
      this._clearRecoveryTimer();
    }
    if (outage === undefined) {
      outage = {
        startedAt: this._now(),
        failedSpans: 0,
        failedExports: 0,
        queueFullSpans: 0,
        recoveredAt: undefined,
      };
      this._outage = outage;
      this._stats.outages++;
      const reason =
        cause === 'queue'
          ? `the queue of ${this._maxQueueSize} spans is full (spans end faster than they are exported)`
          : `export to ${this._destination} failed: ${describeExportError(error)}${this._hintFor(error)}`;
      diag.warn(
        `${PREFIX}dropping spans: ${reason}. Reported once; a summary with the number of spans dropped ` +
          'follows when exports succeed again or at shutdown.',
      );
    }
    if (cause === 'queue') outage.queueFullSpans += spanCount;
    else {
      outage.failedSpans += spanCount;
      outage.failedExports++;
    }
  }

  private _hintFor(error: Error | undefined): string {
    return error instanceof OtlpConnectError && this._unreachableHint !== undefined
      ? `. ${this._unreachableHint}`
      : '';
  }

  private _reportOutageEnd(how: string): void {
    const outage = this._outage;
    this._clearRecoveryTimer();
    if (outage === undefined) return;
    this._outage = undefined;
    const seconds = (((outage.recoveredAt ?? this._now()) - outage.startedAt) / 1000).toFixed(1);
    diag.warn(
      `${PREFIX}exporting spans to ${this._destination} ${how} after ${seconds} s; ` +
        `${outage.failedSpans + outage.queueFullSpans} spans were dropped ` +
        `(${outage.failedSpans} in ${outage.failedExports} failed exports, ` +
        `${outage.queueFullSpans} because the queue of ${this._maxQueueSize} was full).`,
    );
  }
}
