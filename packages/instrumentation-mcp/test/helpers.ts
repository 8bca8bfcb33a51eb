import { configureContent, resetContentPolicy, setTracerProvider } from '@agent-otel/core';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { McpInstrumentation } from '../src/index';

/** A real OTel SDK pipeline with an in-memory exporter, AsyncLocalStorage context and W3C propagators. */
export interface TestTracing {
  spans(): ReadableSpan[];
  /** The one finished span with this name (fails when there are none or several). */
  byName(name: string): ReadableSpan;
  reset(): void;
  shutdown(): Promise<void>;
}

export function setupTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  setTracerProvider(provider);
  return {
    spans: () => exporter.getFinishedSpans(),
    byName(name) {
      const found = exporter.getFinishedSpans().filter((span) => span.name === name);
      if (found.length !== 1) {
        const names = exporter.getFinishedSpans().map((span) => span.name);
        throw new Error(`expected one span named ${name}, got ${found.length}: ${names.join(', ')}`);
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

/**
 * The one instrumentation of the test process, patching the SDK that jest loaded (jest's module
 * registry bypasses require hooks, so the SDK is instrumented by hand, as a bundled app would).
 */
export function instrumentSdk(
  config: ConstructorParameters<typeof McpInstrumentation>[0] = {},
): McpInstrumentation {
  const instrumentation = new McpInstrumentation(config);
  instrumentation.manuallyInstrument({ Client, Server });
  return instrumentation;
}

/** Turns content capture on for one test. */
export function captureContent(): void {
  configureContent({ captureMode: 'SPAN_ONLY' });
}

export function resetContent(): void {
  resetContentPolicy();
}

export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
