import { resetContentPolicy, setTracerProvider } from '@agent-otel/core';
import { startScriptedServer, type ScriptedServer } from '@agent-otel/testing';
import {
  setupTracing as setupSdkTracing,
  type SetupTracingOptions,
  type TestTracing,
} from '@agent-otel/testing/tracing';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

export { waitFor } from '@agent-otel/testing';
export { captureDiag, parentOf, treeOf } from '@agent-otel/testing/tracing';
export type { TestTracing } from '@agent-otel/testing/tracing';

/** The shared in-memory pipeline, with core's manual API on its provider and the content policy reset at shutdown. */
export const setupTracing = (options: Pick<SetupTracingOptions, 'skipConformance'> = {}): TestTracing =>
  setupSdkTracing({ setTracerProvider, afterShutdown: resetContentPolicy, ...options });

/** The scripted server and AI SDK providers pointed at it. */
export interface Harness {
  server: ScriptedServer;
  openai: ReturnType<typeof createOpenAI>;
  anthropic: ReturnType<typeof createAnthropic>;
}

/** Starts the scripted server before the file's tests and closes it after; resets it between tests. */
export function useServer(): Harness {
  const harness = {} as Harness;
  beforeAll(async () => {
    harness.server = await startScriptedServer();
    harness.openai = createOpenAI({ baseURL: harness.server.openaiBaseURL, apiKey: 'sk-test' });
    harness.anthropic = createAnthropic({
      baseURL: `${harness.server.anthropicBaseURL}/v1`,
      apiKey: 'sk-ant-test',
    });
  });
  afterEach(() => harness.server.reset());
  afterAll(() => harness.server.close());
  return harness;
}

/** The span's attributes whose names start with one of `prefixes`. */
export function attributesOf(
  span: ReadableSpan,
  prefixes = ['gen_ai.', 'agent_otel.', 'server.', 'openai.', 'error.'],
) {
  return Object.fromEntries(
    Object.entries(span.attributes).filter(([key]) => prefixes.some((prefix) => key.startsWith(prefix))),
  );
}

/** `name` of each span with the name of its parent (or `-` for a root among `spans`). */
export function edges(spans: readonly ReadableSpan[]): string[] {
  const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
  return spans.map((span) => {
    const parent = span.parentSpanContext ? byId.get(span.parentSpanContext.spanId) : undefined;
    return `${parent?.name ?? '-'} > ${span.name}`;
  });
}
