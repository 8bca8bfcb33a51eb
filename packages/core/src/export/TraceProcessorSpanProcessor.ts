import { diag, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { CompletedTrace } from './CompletedTrace.js';
import { isLocalRoot } from './span-readers.js';
import type { TraceProcessor } from './trace-processor.js';
import { getTraceProcessors } from './trace-processors-registry.js';
import { isThenable, readArray, readOptions, readProperty } from '../values.js';

/** Default maximum of traces buffered at once; starting one more evicts the oldest (never delivered). */
export const MAX_OPEN_TRACES = 1000;
/** Default maximum of ended spans buffered per trace; one more evicts that trace's oldest span. */
export const MAX_SPANS_PER_TRACE = 10_000;

/** Options of {@link TraceProcessorSpanProcessor}. */
export interface TraceProcessorSpanProcessorOptions {
  /** Processors to dispatch to; default: the global list (`addTraceProcessor`), read at every event. */
  processors?: readonly TraceProcessor[];
  /** Maximum traces buffered at once; default {@link MAX_OPEN_TRACES}. */
  maxOpenTraces?: number;
  /** Maximum ended spans buffered per trace; default {@link MAX_SPANS_PER_TRACE}. */
  maxSpansPerTrace?: number;
}

type HookName = keyof TraceProcessor;

interface OpenTrace {
  readonly traceId: string;
  readonly rootId: string;
  readonly spans: ReadableSpan[];
  /** Span ids registered in `owner` for this trace (bounded by maxSpansPerTrace). */
  readonly owned: string[];
}

const defer: (fn: () => void) => void =
  typeof setImmediate === 'function' ? (fn) => void setImmediate(fn) : (fn) => queueMicrotask(fn);

function hasHook(p: TraceProcessor, hook: HookName): boolean {
  return typeof readProperty(p, hook) === 'function';
}

function positiveInt(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : fallback;
}

/**
 * An OpenTelemetry `SpanProcessor` that turns spans into whole-trace callbacks for
 * {@link TraceProcessor}s: it buffers the spans of each in-flight local trace (bounded) and, when
 * the local root ends, hands a {@link CompletedTrace} to every processor's `onTraceEnd`
 * asynchronously. Processor errors are caught and reported once per processor and hook.
 *
 * Register it like any span processor: `new TracerProvider({ spanProcessors: [new TraceProcessorSpanProcessor()] })`.
 * Traces are only buffered while at least one processor is registered when the trace starts.
 */
export class TraceProcessorSpanProcessor implements SpanProcessor {
  readonly #fixed: readonly TraceProcessor[] | undefined;
  readonly #maxOpenTraces: number;
  readonly #maxSpansPerTrace: number;
  /** Open traces by root span id, oldest first. */
  readonly #traces = new Map<string, OpenTrace>();
  /** Latest open trace per trace id, for spans whose parent is unknown. */
  readonly #byTraceId = new Map<string, OpenTrace>();
  /** Open trace of each started span. */
  readonly #owner = new Map<string, OpenTrace>();
  readonly #pending = new Set<Promise<void>>();
  readonly #warned = new WeakMap<object, Set<string>>();
  #warnedTraceLimit = false;
  #warnedSpanLimit = false;
  #shutdown: Promise<void> | undefined;

  constructor(options: TraceProcessorSpanProcessorOptions = {}) {
    const { processors, maxOpenTraces, maxSpansPerTrace } = readOptions(
      options,
      ['processors', 'maxOpenTraces', 'maxSpansPerTrace'],
      'TraceProcessorSpanProcessor option',
    );
    this.#fixed = readArray(processors) as TraceProcessor[] | undefined;
    this.#maxOpenTraces = positiveInt(maxOpenTraces, MAX_OPEN_TRACES);
    this.#maxSpansPerTrace = positiveInt(maxSpansPerTrace, MAX_SPANS_PER_TRACE);
  }

  /** Buffers the span in its trace and calls `onTraceStart` (local roots) and `onSpanStart`. */
  onStart(span: Span, _parentContext: Context): void {
    if (this.#shutdown) return;
    try {
      const processors = this.#processors();
      if (processors.length === 0) return;
      const { spanId, traceId } = span.spanContext();
      if (isLocalRoot(span)) {
        this.#open(spanId, traceId);
        for (const p of processors) this.#call(p, 'onTraceStart', span);
      } else {
        const parentId = span.parentSpanContext?.spanId;
        const trace = (parentId && this.#owner.get(parentId)) || this.#byTraceId.get(traceId);
        if (trace) this.#own(trace, spanId);
      }
      for (const p of processors) this.#call(p, 'onSpanStart', span);
    } catch (err) {
      diag.debug('agent-otel: TraceProcessorSpanProcessor.onStart failed', err);
    }
  }

  /** Adds the span to its trace, calls `onSpanEnd`, and schedules `onTraceEnd` when a local root ends. */
  onEnd(span: ReadableSpan): void {
    if (this.#shutdown) return;
    try {
      const { spanId, traceId } = span.spanContext();
      const trace = this.#owner.get(spanId) ?? this.#byTraceId.get(traceId);
      if (trace) this.#add(trace, span);
      for (const p of this.#processors()) this.#call(p, 'onSpanEnd', span);
      if (trace && trace.rootId === spanId) {
        this.#close(trace);
        this.#schedule(trace, span);
      }
    } catch (err) {
      diag.debug('agent-otel: TraceProcessorSpanProcessor.onEnd failed', err);
    }
  }

  /** Waits for every pending `onTraceEnd`, then calls each processor's `forceFlush`. Never rejects. */
  async forceFlush(): Promise<void> {
    await this.#drain();
    await Promise.all(this.#processors().map((p) => this.#callAsync(p, 'forceFlush')));
  }

  /** Stops buffering, waits for pending `onTraceEnd` calls, then calls each processor's `shutdown`. Idempotent. */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      await this.#drain();
      this.#traces.clear();
      this.#byTraceId.clear();
      this.#owner.clear();
      await Promise.all(this.#processors().map((p) => this.#callAsync(p, 'shutdown')));
    })();
    return this.#shutdown;
  }

  #processors(): readonly TraceProcessor[] {
    return this.#fixed ?? getTraceProcessors();
  }

  #open(rootId: string, traceId: string): void {
    while (this.#traces.size >= this.#maxOpenTraces) {
      const oldest = this.#traces.values().next().value as OpenTrace;
      this.#close(oldest);
      if (!this.#warnedTraceLimit) {
        this.#warnedTraceLimit = true;
        diag.warn(
          `agent-otel: more than ${this.#maxOpenTraces} traces in flight; the oldest are dropped without onTraceEnd`,
        );
      }
    }
    const trace: OpenTrace = { traceId, rootId, spans: [], owned: [] };
    this.#traces.set(rootId, trace);
    this.#byTraceId.set(traceId, trace);
    this.#own(trace, rootId);
  }

  #own(trace: OpenTrace, spanId: string): void {
    // Past the limit, spans are still matched to the trace through its trace id.
    if (trace.owned.length >= this.#maxSpansPerTrace) return;
    trace.owned.push(spanId);
    this.#owner.set(spanId, trace);
  }

  #add(trace: OpenTrace, span: ReadableSpan): void {
    if (trace.spans.length >= this.#maxSpansPerTrace) {
      trace.spans.shift();
      if (!this.#warnedSpanLimit) {
        this.#warnedSpanLimit = true;
        diag.warn(
          `agent-otel: a trace has more than ${this.#maxSpansPerTrace} spans; its oldest spans are left out of onTraceEnd`,
        );
      }
    }
    trace.spans.push(span);
  }

  #close(trace: OpenTrace): void {
    this.#traces.delete(trace.rootId);
    if (this.#byTraceId.get(trace.traceId) === trace) this.#byTraceId.delete(trace.traceId);
    for (const id of trace.owned) {
      if (this.#owner.get(id) === trace) this.#owner.delete(id);
    }
  }

  #schedule(trace: OpenTrace, root: ReadableSpan): void {
    const delivery = new Promise<void>((resolve) => defer(resolve)).then(() => this.#deliver(trace, root));
    this.#pending.add(delivery);
    const done = (): void => void this.#pending.delete(delivery);
    delivery.then(done, done);
  }

  async #deliver(trace: OpenTrace, root: ReadableSpan): Promise<void> {
    try {
      // One unreadable processor (a revoked Proxy) must not keep the trace from the others.
      const processors = this.#processors().filter((p) => hasHook(p, 'onTraceEnd'));
      if (processors.length === 0) return;
      const completed = new CompletedTrace(root, trace.spans);
      await Promise.all(processors.map((p) => this.#callAsync(p, 'onTraceEnd', completed)));
    } catch (err) {
      diag.debug('agent-otel: trace delivery failed', err);
    }
  }

  async #drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** Calls a hook; a throw or a rejected returned promise is reported, never propagated. */
  #call(p: TraceProcessor, hook: HookName, arg?: unknown): void {
    try {
      const fn = p[hook] as ((arg?: unknown) => unknown) | undefined;
      if (typeof fn !== 'function') return;
      const result = fn.call(p, arg);
      if (isThenable(result)) result.then(undefined, (err: unknown) => this.#report(p, hook, err));
    } catch (err) {
      this.#report(p, hook, err);
    }
  }

  /** Calls a hook and waits for its promise; never rejects. */
  async #callAsync(p: TraceProcessor, hook: HookName, arg?: unknown): Promise<void> {
    try {
      const fn = p[hook] as ((arg?: unknown) => unknown) | undefined;
      if (typeof fn !== 'function') return;
      await fn.call(p, arg);
    } catch (err) {
      this.#report(p, hook, err);
    }
  }

  #report(p: TraceProcessor, hook: HookName, err: unknown): void {
    let hooks = this.#warned.get(p);
    if (!hooks) this.#warned.set(p, (hooks = new Set()));
    if (hooks.has(hook)) {
      diag.debug(`agent-otel: trace processor ${hook} failed again`, err);
      return;
    }
    hooks.add(hook);
    diag.warn(
      `agent-otel: trace processor ${hook} failed (further ${hook} errors from it are logged at debug)`,
      err,
    );
  }
}
