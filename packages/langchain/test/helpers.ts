import { resetContentPolicy, setTracerProvider } from '@agent-otel/core';
import { startScriptedServer, type ScriptedServer } from '@agent-otel/testing';
import {
  setupTracing as setupSdkTracing,
  type SetupTracingOptions,
  type TestTracing,
} from '@agent-otel/testing/tracing';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

export { waitFor } from '@agent-otel/testing';
export { captureDiag, parentOf, treeOf } from '@agent-otel/testing/tracing';
export type { TestTracing } from '@agent-otel/testing/tracing';

/** The shared in-memory pipeline, with core's manual API on its provider and the content policy reset at shutdown. */
export const setupTracing = (options: Pick<SetupTracingOptions, 'skipConformance'> = {}): TestTracing =>
  setupSdkTracing({ setTracerProvider, afterShutdown: resetContentPolicy, ...options });

/** The scripted server (real OpenAI and Anthropic wire formats on 127.0.0.1). */
export interface Harness {
  server: ScriptedServer;
}

/** Starts the scripted server before the file's tests and closes it after; resets it between tests. */
export function useServer(): Harness {
  const harness = {} as Harness;
  beforeAll(async () => {
    harness.server = await startScriptedServer();
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

/**
 * The attributes (as attributesOf keeps them) of the span of the LangChain run `name` traced as
 * `operation` (`invoke_workflow` for a chain or graph, `invoke_agent` for an agent), and `more`.
 */
export function runAttributes(
  operation: 'invoke_workflow' | 'invoke_agent',
  name: string,
  more: Record<string, unknown> = {},
) {
  return {
    'agent_otel.span.kind': operation === 'invoke_agent' ? 'agent' : 'workflow',
    'gen_ai.operation.name': operation,
    'gen_ai.agent.name': name,
    'agent_otel.langchain.run_id': expect.any(String),
    ...more,
  };
}
