import type { InMemorySpanExporter, ReadableSpan, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  configureContent,
  resetContentPolicy,
  setTracerProvider,
  type ContentCaptureMode,
  endOpenStreamSpans,
} from '@agent-otel/core';
import { createOpenAIClientOptions, startScriptedServer, type ScriptedServer } from '@agent-otel/testing';
import { setupTracing, type TestTracing } from '@agent-otel/testing/tracing';
import * as openai7 from 'openai';
import * as openai6 from 'openai-v6';
import { OpenAIInstrumentation } from '../src/index.js';

export { tick } from '@agent-otel/testing';

/** The two supported majors, each a real `openai` package (its CommonJS exports). */
export const OPENAI_VERSIONS: [string, any][] = [
  ['openai 7', openai7],
  ['openai 6', openai6],
];

/** A distinctive API key, searched for in every exported span. */
export const API_KEY = 'sk-test-NEVER-RECORD-0123456789abcdef';

export interface Harness {
  tracing: TestTracing;
  exporter: InMemorySpanExporter;
  provider: TracerProvider;
  instrumentation: OpenAIInstrumentation;
  server: ScriptedServer;
  spans(): ReadableSpan[];
  /** The one finished span; fails when there is not exactly one. */
  span(): ReadableSpan;
  client(module: any, options?: Record<string, unknown>): any;
  capture(mode: ContentCaptureMode): void;
}

/** Options of {@link useHarness}. */
export interface HarnessOptions {
  /** Why the suite records telemetry that does not conform on purpose (see `setupTracing`). */
  skipConformance?: string;
}

/**
 * The shared in-memory OTel SDK pipeline (core's manual API on its provider, core's content policy
 * reset at the end), one instrumentation patching both `openai` majors through `manuallyInstrument`
 * (jest replaces `require`, so the hooks never see them), and a scripted model server on 127.0.0.1.
 * Before each test, the spans and log records are forgotten and the metrics collected so far are
 * dropped, so a test sees only its own. Call in a describe body.
 */
export function useHarness(options: HarnessOptions = {}): Harness {
  const harness = {} as Harness;
  beforeAll(async () => {
    harness.tracing = setupTracing({
      setTracerProvider,
      afterShutdown: resetContentPolicy,
      skipConformance: options.skipConformance,
    });
    harness.exporter = harness.tracing.exporter;
    harness.provider = harness.tracing.provider;
    harness.instrumentation = new OpenAIInstrumentation();
    harness.instrumentation.setTracerProvider(harness.provider);
    for (const [, module] of OPENAI_VERSIONS) harness.instrumentation.manuallyInstrument(module);
    harness.server = await startScriptedServer();
  });
  afterAll(async () => {
    harness.instrumentation.disable();
    await harness.server.close();
    await harness.tracing.shutdown();
  });
  beforeEach(async () => {
    endOpenStreamSpans();
    harness.tracing.reset();
    await harness.tracing.metrics();
    harness.server.reset();
    configureContent({ captureMode: 'NO_CONTENT' });
  });
  harness.spans = () => harness.exporter.getFinishedSpans();
  harness.span = () => {
    const spans = harness.exporter.getFinishedSpans();
    if (spans.length !== 1) {
      throw new Error(`expected one span, got ${spans.length}: ${spans.map((s) => s.name).join(', ')}`);
    }
    return spans[0]!;
  };
  harness.client = (module, options = {}) =>
    new module.OpenAI({ ...createOpenAIClientOptions(harness.server), apiKey: API_KEY, ...options });
  harness.capture = (mode) => configureContent({ captureMode: mode });
  return harness;
}

/** Parses a JSON content attribute. */
export function json(value: unknown): unknown {
  return JSON.parse(String(value));
}
