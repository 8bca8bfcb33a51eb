import { context, diag, DiagLogLevel, propagation, trace, type DiagLogger } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { setTracerProvider } from '../src/tracer';

/** A real OTel SDK pipeline with an in-memory exporter and AsyncLocalStorage context. */
export interface TestTracing {
  exporter: InMemorySpanExporter;
  provider: TracerProvider;
  spans(): ReadableSpan[];
  byName(name: string): ReadableSpan;
  reset(): void;
  shutdown(): Promise<void>;
}

export function setupTracing(extraProcessors: SpanProcessor[] = []): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [...extraProcessors, new SimpleSpanProcessor({ exporter })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CBaggagePropagator());
  trace.setGlobalTracerProvider(provider);
  setTracerProvider(provider);
  return {
    exporter,
    provider,
    spans: () => exporter.getFinishedSpans(),
    byName(name: string) {
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
    },
    reset: () => exporter.reset(),
    async shutdown() {
      await provider.shutdown();
      context.disable();
      trace.disable();
      propagation.disable();
      setTracerProvider(undefined);
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
