import { setTracerProvider } from '@agent-otel/core';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A real OTel SDK pipeline (global provider, AsyncLocalStorage context, W3C propagation) with an in-memory exporter. */
export interface TestTracing {
  exporter: InMemorySpanExporter;
  provider: TracerProvider;
  spans(): ReadableSpan[];
  /** Finished spans whose name starts with `chat `. */
  chatSpans(): ReadableSpan[];
  /** The only finished span named `name`; throws otherwise. */
  one(name: string): ReadableSpan;
  reset(): void;
  shutdown(): Promise<void>;
}

export function setupTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  setTracerProvider(provider);
  const spans = () => exporter.getFinishedSpans();
  return {
    exporter,
    provider,
    spans,
    chatSpans: () => spans().filter((span) => span.name.startsWith('chat ')),
    one(name) {
      const found = spans().filter((span) => span.name === name);
      if (found.length !== 1) {
        throw new Error(
          `expected one span named ${name}, got: ${spans()
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

/** `global.gc` (jest runs with --expose-gc under `npm test`; otherwise the flag is turned on here). */
export function gc(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed();
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `predicate` holds, collecting garbage between tries; false if it never does. */
export async function eventually(
  predicate: () => boolean,
  { collect = false, tries = 50 } = {},
): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (predicate()) return true;
    if (collect) gc();
    await tick(10);
  }
  return predicate();
}
