// A real OTel SDK pipeline for tests: global provider, AsyncLocalStorage context and W3C
// propagation, with an in-memory exporter. Generic over the SDK: it never imports @agent-otel/core.
import { context, propagation, trace, type TracerProvider as ApiTracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { spanNamed } from './span-tree.js';

/** The pipeline made by {@link setupTracing}. */
export interface TestTracing {
  readonly exporter: InMemorySpanExporter;
  readonly provider: TracerProvider;
  /** The finished spans, in the order they ended. */
  spans(): ReadableSpan[];
  /** The only finished span named `name`; throws, listing the names, when there is none or several. */
  byName(name: string): ReadableSpan;
  /** The same as `byName`. */
  one(name: string): ReadableSpan;
  /** The finished spans whose name starts with `chat `. */
  chatSpans(): ReadableSpan[];
  /** Forgets the finished spans (between tests). */
  reset(): void;
  /** Shuts the provider down and unregisters the globals (after a file's tests). */
  shutdown(): Promise<void>;
}

/** Options of {@link setupTracing}. */
export interface SetupTracingOptions {
  /** Processors that see every span before the in-memory exporter's (e.g. one under test). */
  readonly spanProcessors?: readonly SpanProcessor[];
  /**
   * A library's own tracer-provider setter, such as `setTracerProvider` of `@agent-otel/core`:
   * called with the provider once it is registered, and with `undefined` at shutdown, so the library
   * uses this provider even where a global one was registered first.
   */
  readonly setTracerProvider?: (provider: ApiTracerProvider | undefined) => void;
  /** Runs last in `shutdown()`, e.g. to reset process-wide settings a test changed (`resetContentPolicy`). */
  readonly afterShutdown?: () => void;
}

/**
 * Registers an AsyncLocalStorage context manager as the global one, for tests that build their own
 * providers; `context.disable()` unregisters it.
 */
export function enableAsyncContext(): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

/**
 * Sets up a real OTel SDK pipeline — global provider, AsyncLocalStorage context, W3C trace-context
 * and baggage propagation — whose spans go to an in-memory exporter.
 */
export function setupTracing(options: SetupTracingOptions = {}): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [...(options.spanProcessors ?? []), new SimpleSpanProcessor({ exporter })],
  });
  enableAsyncContext();
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  options.setTracerProvider?.(provider);
  const byName = (name: string) => spanNamed(exporter.getFinishedSpans(), name);
  return {
    exporter,
    provider,
    spans: () => exporter.getFinishedSpans(),
    byName,
    one: byName,
    chatSpans: () => exporter.getFinishedSpans().filter((span) => span.name.startsWith('chat ')),
    reset: () => exporter.reset(),
    async shutdown() {
      await provider.shutdown();
      context.disable();
      trace.disable();
      propagation.disable();
      options.setTracerProvider?.(undefined);
      options.afterShutdown?.();
    },
  };
}
