import { createAnthropicClientOptions, startScriptedServer, type ScriptedServer } from '@agent-otel/testing';
import { parentOf } from '@agent-otel/testing/tracing';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { AnthropicInstrumentation, type AnthropicSdkSpans } from '../src/index.js';
import { sdkSpanPipeline, setupTracing, type TestTracing } from './helpers.js';

/* eslint-disable @typescript-eslint/no-require-imports */
const versions: [string, any][] = [
  ['sdk 1.12', require('@anthropic-ai/sdk')],
  ['sdk 1.0', require('anthropic-sdk-v1-0')],
];
/* eslint-enable @typescript-eslint/no-require-imports */

const SDK_SPAN = 'anthropic.messages.create';
const CHAT_SPAN = 'chat claude-test';

let tracing: TestTracing;
let server: ScriptedServer;
const instrumentation = new AnthropicInstrumentation();
/** The SDK's own spans: recorded apart from ours, which the conformance check sees. */
const sdkSpans = sdkSpanPipeline();

beforeAll(async () => {
  tracing = setupTracing();
  server = await startScriptedServer();
  server.setDefault({ text: 'ok' });
  for (const [, sdk] of versions) instrumentation.manuallyInstrument(sdk);
});
afterEach(() => {
  server.reset();
  server.setDefault({ text: 'ok' });
  tracing.reset();
  sdkSpans.exporter.reset();
  instrumentation.setConfig({});
});
afterAll(async () => {
  instrumentation.disable();
  await server.close();
  await sdkSpans.provider.shutdown();
  await tracing.shutdown();
});

const params = { model: 'claude-test', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hi' }] };

/** The names of the spans of both pipelines: ours and the SDK's own. */
function names(): string[] {
  return [...tracing.spans(), ...sdkSpans.exporter.getFinishedSpans()].map((span) => span.name).sort();
}

/** The only SDK span named `name`. */
function sdkSpan(name: string): ReadableSpan {
  const spans = sdkSpans.exporter.getFinishedSpans().filter((span) => span.name === name);
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

/** Every way to make one Messages call; each must give the spans the rule says. */
const calls: [string, (client: any) => Promise<unknown>][] = [
  ['messages.create', (client) => client.messages.create(params)],
  [
    'messages.create (stream)',
    async (client) => {
      for await (const _event of await client.messages.create({ ...params, stream: true })) {
        // consume
      }
    },
  ],
  ['messages.stream()', (client) => client.messages.stream(params).finalMessage()],
  ['beta.messages.create', (client) => client.beta.messages.create(params)],
  ['beta.messages.stream()', (client) => client.beta.messages.stream(params).finalMessage()],
];

describe.each(versions)('%s', (_label, sdk) => {
  const client = (overrides: Record<string, unknown> = {}) =>
    new sdk.Anthropic({
      ...createAnthropicClientOptions(server),
      openTelemetry: sdkSpans.clientOption,
      ...overrides,
    });

  it('emits its own span for messages.create when nothing suppresses it (the premise)', async () => {
    instrumentation.disable();
    try {
      await client().messages.create(params);
    } finally {
      instrumentation.enable();
    }
    expect(names()).toEqual([SDK_SPAN]);
  });

  describe("sdkSpans: 'suppress' (default)", () => {
    it.each(calls)('%s gives exactly one model span', async (_name, call) => {
      expect(instrumentation.getConfig().sdkSpans).toBe('suppress');
      await call(client());
      expect(names()).toEqual([CHAT_SPAN]);
    });

    it.each(calls)('%s sends trace headers that point at the chat span', async (_name, call) => {
      await call(client());
      const chat = tracing.one(CHAT_SPAN).spanContext();
      expect(server.requests[0]!.headers.traceparent).toBe(`00-${chat.traceId}-${chat.spanId}-01`);
    });

    it('keeps the conversation id given in the SDK request option', async () => {
      await client().messages.create(params, { openTelemetry: { conversationId: 'conv-42' } });
      expect(tracing.one(CHAT_SPAN).attributes['gen_ai.conversation.id']).toBe('conv-42');
    });
  });

  describe("sdkSpans: 'keep'", () => {
    beforeEach(() => instrumentation.setConfig({ sdkSpans: 'keep' }));

    it.each(calls)('%s records both spans', async (_name, call) => {
      await call(client());
      expect(names()).toEqual([SDK_SPAN, CHAT_SPAN]);
    });

    it("nests the SDK's span of messages.create under the chat span", async () => {
      await client().messages.create(params);
      expect(parentOf(sdkSpan(SDK_SPAN))).toBe(tracing.one(CHAT_SPAN).spanContext().spanId);
    });
  });

  describe("sdkSpans: 'defer'", () => {
    beforeEach(() => instrumentation.setConfig({ sdkSpans: 'defer' }));

    it.each(calls)("%s records only the SDK's span", async (_name, call) => {
      await call(client());
      expect(names()).toEqual([SDK_SPAN]);
    });

    it.each(calls)('%s records the chat span when the client has its spans off', async (_name, call) => {
      await call(client({ openTelemetry: false }));
      expect(names()).toEqual([CHAT_SPAN]);
    });
  });
});

describe('the sdkSpans setting', () => {
  const ENV = 'AGENT_OTEL_ANTHROPIC_SDK_SPANS';
  afterEach(() => delete process.env[ENV]);

  it.each<[string | undefined, unknown, AnthropicSdkSpans]>([
    [undefined, undefined, 'suppress'],
    ['keep', undefined, 'keep'],
    [' DEFER ', undefined, 'defer'],
    ['keep', 'defer', 'defer'],
    ['nonsense', undefined, 'suppress'],
    [undefined, 'nonsense', 'suppress'],
  ])('env %j, option %j → %s', (env, option, expected) => {
    if (env !== undefined) process.env[ENV] = env;
    const configured = new AnthropicInstrumentation({
      enabled: false,
      sdkSpans: option as AnthropicSdkSpans,
    });
    expect(configured.getConfig().sdkSpans).toBe(expected);
  });
});
