import { diag } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { renderTraceTree, type RenderTraceTreeOptions } from './render-trace-tree.js';
import { ExportResultCode, type ExportResult } from './sdk-values.js';
import { isLocalRoot } from './span-readers.js';
import { readOptions } from '../values.js';

/** Options of {@link ConsoleTreeExporter}. */
export interface ConsoleTreeExporterOptions extends RenderTraceTreeOptions {
  /** Receives each output line, without a newline; default writes the line and `\n` to stdout. */
  write?: (line: string) => void;
  /** Use ANSI colors; default: stdout is a TTY and `NO_COLOR` is not set. */
  color?: boolean;
  /**
   * How long spans of a trace whose local root has not arrived wait before they are printed
   * anyway (their missing parents make them top-level lines); default {@link CONSOLE_TREE_MAX_WAIT_MS}.
   */
  maxWaitMs?: number;
}

/** Default wait for a trace's local root before its buffered spans are printed anyway. */
export const CONSOLE_TREE_MAX_WAIT_MS = 30_000;
/** Traces buffered while waiting for their root; past this the oldest is printed early. */
const MAX_BUFFERED_TRACES = 1000;
/** Spans buffered in total; past this the oldest trace is printed early. */
const MAX_BUFFERED_SPANS = 10_000;

interface Buffer {
  spans: ReadableSpan[];
  since: number;
}

function defaultWrite(line: string): void {
  process.stdout.write(line + '\n');
}

function defaultColor(): boolean {
  try {
    return process.stdout?.isTTY === true && !process.env.NO_COLOR;
  } catch {
    return false;
  }
}

/**
 * A `SpanExporter` for local development that prints each trace as an indented tree with
 * durations, status, a timeline bar and key GenAI attributes (see {@link renderTraceTree}).
 * Spans are buffered per trace until the trace's local root arrives; spans of a trace whose root
 * never comes are printed after `maxWaitMs`, or on `forceFlush`/`shutdown`. Memory is bounded:
 * past the limits the oldest buffered trace is printed early.
 */
export class ConsoleTreeExporter implements SpanExporter {
  readonly #write: (line: string) => void;
  readonly #render: RenderTraceTreeOptions;
  readonly #maxWaitMs: number;
  readonly #buffers = new Map<string, Buffer>();
  #bufferedSpans = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #warnedWrite = false;

  constructor(options: ConsoleTreeExporterOptions = {}) {
    const { write, color, showAttributes, timelineWidth, maxWaitMs } = readOptions(
      options,
      ['write', 'color', 'showAttributes', 'timelineWidth', 'maxWaitMs'],
      'ConsoleTreeExporter option',
    );
    this.#write = typeof write === 'function' ? (write as (line: string) => void) : defaultWrite;
    this.#render = {
      color: typeof color === 'boolean' ? color : defaultColor(),
      showAttributes: showAttributes !== false,
    };
    if (typeof timelineWidth === 'number' && Number.isFinite(timelineWidth)) {
      this.#render.timelineWidth = timelineWidth;
    }
    this.#maxWaitMs =
      typeof maxWaitMs === 'number' && Number.isFinite(maxWaitMs) && maxWaitMs >= 0
        ? maxWaitMs
        : CONSOLE_TREE_MAX_WAIT_MS;
  }

  /** Buffers the spans and prints every trace whose local root is among them. */
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.#stopped) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('ConsoleTreeExporter is shut down') });
      return;
    }
    let ok = true;
    try {
      const complete = new Set<string>();
      for (const span of spans) {
        const traceId = span.spanContext().traceId;
        let buffer = this.#buffers.get(traceId);
        if (!buffer) this.#buffers.set(traceId, (buffer = { spans: [], since: Date.now() }));
        buffer.spans.push(span);
        this.#bufferedSpans++;
        if (isLocalRoot(span)) complete.add(traceId);
      }
      for (const traceId of complete) ok = this.#print(traceId) && ok;
      while (this.#buffers.size > MAX_BUFFERED_TRACES || this.#bufferedSpans > MAX_BUFFERED_SPANS) {
        ok = this.#print(this.#buffers.keys().next().value as string) && ok;
      }
      this.#arm();
    } catch (err) {
      diag.warn('agent-otel: ConsoleTreeExporter failed to export spans', err);
      ok = false;
    }
    resultCallback(ok ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED });
  }

  /** Prints every buffered span now, grouped by trace. */
  forceFlush(): Promise<void> {
    this.#printAll();
    return Promise.resolve();
  }

  /** Prints whatever is buffered and stops; later exports fail. */
  shutdown(): Promise<void> {
    this.#printAll();
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    return Promise.resolve();
  }

  #printAll(): void {
    for (const traceId of [...this.#buffers.keys()]) this.#print(traceId);
  }

  /** Renders and writes one buffered trace; false when writing failed. */
  #print(traceId: string): boolean {
    const buffer = this.#buffers.get(traceId);
    if (!buffer) return true;
    this.#buffers.delete(traceId);
    this.#bufferedSpans -= buffer.spans.length;
    try {
      const text = renderTraceTree(buffer.spans, this.#render);
      if (text !== '') for (const line of text.split('\n')) this.#write(line);
      return true;
    } catch (err) {
      if (!this.#warnedWrite) {
        this.#warnedWrite = true;
        diag.warn('agent-otel: ConsoleTreeExporter could not write a trace', err);
      }
      return false;
    }
  }

  /** Schedules one sweep for buffers waiting longer than maxWaitMs. */
  #arm(): void {
    if (this.#timer || this.#buffers.size === 0 || this.#stopped) return;
    const oldest = this.#buffers.values().next().value as Buffer;
    const delay = Math.max(0, oldest.since + this.#maxWaitMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const now = Date.now();
      for (const [traceId, buffer] of [...this.#buffers]) {
        if (now - buffer.since >= this.#maxWaitMs) this.#print(traceId);
      }
      this.#arm();
    }, delay);
    this.#timer.unref?.();
  }
}
