// What every Messages test file shares: both SDK versions patched by one instrumentation, a scripted
// server, the in-memory pipeline, and a check after each test that nothing was logged through diag.
import { configureContent, resetContentPolicy } from '@agent-otel/core';
import { createAnthropicClientOptions, startScriptedServer, type ScriptedServer } from '@agent-otel/testing';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { AnthropicInstrumentation } from '../src/index.js';
import { sdkSpanPipeline, setupTracing, type TestTracing } from './helpers.js';

/* eslint-disable @typescript-eslint/no-require-imports */
export const versions: [string, any][] = [
  ['sdk 1.12', require('@anthropic-ai/sdk')],
  ['sdk 1.0', require('anthropic-sdk-v1-0')],
];
/* eslint-enable @typescript-eslint/no-require-imports */

export const API_KEY = 'sk-ant-api03-secret-key-never-exported-0123456789';

export let tracing: TestTracing;
export let server: ScriptedServer;
export const instrumentation = new AnthropicInstrumentation();
/** The spans the SDK records itself (only while this instrumentation is disabled: it suppresses them). */
export const sdkSpans = sdkSpanPipeline();
const diagErrors: string[] = [];

/** Registers the file's hooks; call once at the top of a test file. */
export function useMessagesTestSetup(): void {
  beforeAll(async () => {
    tracing = setupTracing();
    server = await startScriptedServer();
    for (const [, sdk] of versions) instrumentation.manuallyInstrument(sdk);
    const record = (message: string, ...args: unknown[]) => diagErrors.push([message, ...args].join(' '));
    diag.setLogger(
      { error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
  });
  afterEach(() => {
    server.reset();
    tracing.reset();
    sdkSpans.exporter.reset();
    resetContentPolicy();
    expect(diagErrors).toEqual([]);
    diagErrors.length = 0;
  });
  afterAll(async () => {
    diag.disable();
    instrumentation.disable();
    await server.close();
    await sdkSpans.provider.shutdown();
    await tracing.shutdown();
  });
}

export const params = {
  model: 'claude-test',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
};

/** The attributes every span of a call to the scripted server starts with. */
export function baseAttributes(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'agent_otel.span.kind': 'generation',
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': 'claude-test',
    'gen_ai.request.max_tokens': 256,
    'server.address': '127.0.0.1',
    'server.port': server.port,
    ...extra,
  };
}

/** The single span of the test; fails when the call produced more or fewer. */
export function onlySpan(): ReadableSpan {
  const spans = tracing.spans();
  expect(spans.map((span) => span.name)).toEqual(['chat claude-test']);
  return spans[0]!;
}

export function contentOn(): void {
  configureContent({ captureMode: 'SPAN_ONLY' });
}

export function contentOff(): void {
  configureContent({ captureMode: 'NO_CONTENT' });
}

/** An SSE response body made of `events` (each `{ type, … }`), for a client's `fetch` option. */
export function sseFetch(events: unknown[]): (url: unknown, init?: unknown) => Promise<Response> {
  const body = events
    .map(
      (event) =>
        `event: ${(event as { type?: string }).type ?? 'unknown'}\ndata: ${JSON.stringify(event)}\n\n`,
    )
    .join('');
  return async () =>
    new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'request-id': 'req_1' },
    });
}

/** A client of `sdk` talking to the scripted server, with the test API key; its own spans go to {@link sdkSpans}. */
export function clientOf(sdk: any, overrides: Record<string, unknown> = {}): any {
  return new sdk.Anthropic({
    ...createAnthropicClientOptions(server),
    apiKey: API_KEY,
    openTelemetry: sdkSpans.clientOption,
    ...overrides,
  });
}
