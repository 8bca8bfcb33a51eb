import { context, diag, DiagLogLevel, propagation, trace, type DiagLogger } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { resetContentPolicy } from '../src/content/policy';
import { setTracerProvider } from '../src/api/tracer';

/**
 * A real OTel SDK pipeline — global provider, AsyncLocalStorage context, W3C trace-context + baggage
 * propagation — with an in-memory exporter. Shared by every package's tests.
 */
export interface TestTracing {
  exporter: InMemorySpanExporter;
  provider: TracerProvider;
  spans(): ReadableSpan[];
  /** The only finished span named `name`; throws otherwise. */
  byName(name: string): ReadableSpan;
  /** Same as `byName`. */
  one(name: string): ReadableSpan;
  /** Finished spans whose name starts with `chat `. */
  chatSpans(): ReadableSpan[];
  reset(): void;
  shutdown(): Promise<void>;
}

export function setupTracing(extraProcessors: SpanProcessor[] = []): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [...extraProcessors, new SimpleSpanProcessor({ exporter })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  setTracerProvider(provider);
  const byName = (name: string): ReadableSpan => {
    const found = exporter.getFinishedSpans().filter((s) => s.name === name);
    if (found.length !== 1) {
      throw new Error(
        `expected one span named ${name}, got ${found.length}: ${exporter
          .getFinishedSpans()
          .map((s) => s.name)
          .join(', ')}`,
      );
    }
    return found[0]!;
  };
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
      setTracerProvider(undefined);
      resetContentPolicy();
    },
  };
}

/** Collects diag messages. */
export function captureDiag(): { messages: { level: string; text: string }[]; restore(): void } {
  const messages: { level: string; text: string }[] = [];
  const log =
    (level: string) =>
    (message: string, ...args: unknown[]) => {
      messages.push({
        level,
        text: [message, ...args.map((a) => (a instanceof Error ? a.message : String(a)))].join(' '),
      });
    };
  const logger: DiagLogger = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    verbose: log('verbose'),
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
  return { messages, restore: () => diag.disable() };
}

export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

export const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));
