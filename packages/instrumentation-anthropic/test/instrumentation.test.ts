import { setTracingDisabled } from '@agent-otel/core';
import { createAnthropicClientOptions, startScriptedServer, type ScriptedServer } from '@agent-otel/testing';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { isWrapped } from '@opentelemetry/instrumentation';
import { AnthropicInstrumentation, SUPPORTED_VERSIONS } from '../src/index.js';
import { sdkSpanPipeline, setupTracing, type TestTracing } from './helpers.js';

/** A fresh, unpatched copy of an SDK version (its own classes), so each test patches from scratch. */
function freshSdk(name: '@anthropic-ai/sdk' | 'anthropic-sdk-v1-0'): any {
  let sdk: any;
  jest.isolateModules(() => {
    sdk = require(name); // eslint-disable-line @typescript-eslint/no-require-imports
  });
  return sdk;
}

const SDK_NAMES = ['@anthropic-ai/sdk', 'anthropic-sdk-v1-0'] as const;
const params = { model: 'claude-test', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hi' }] };

let tracing: TestTracing;
let server: ScriptedServer;
/** Where the SDK's own spans go (the tests that unpatch or disable tracing let the SDK record one). */
const sdkSpans = sdkSpanPipeline();
const created: AnthropicInstrumentation[] = [];
const diagMessages: string[] = [];

function instrumentation(config = {}): AnthropicInstrumentation {
  const instance = new AnthropicInstrumentation(config);
  created.push(instance);
  return instance;
}

beforeAll(async () => {
  tracing = setupTracing();
  server = await startScriptedServer();
  const record = (message: string, ...args: unknown[]) => diagMessages.push([message, ...args].join(' '));
  diag.setLogger(
    { error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
});
afterEach(() => {
  for (const instance of created.splice(0)) instance.disable();
  server.reset();
  tracing.reset();
  diagMessages.length = 0;
  setTracingDisabled(false);
});
afterAll(async () => {
  diag.disable();
  await server.close();
  await sdkSpans.provider.shutdown();
  await tracing.shutdown();
});

describe('module definition', () => {
  it('targets @anthropic-ai/sdk >=1.0.0 <2', () => {
    const [definition, ...others] = instrumentation({ enabled: false }).getModuleDefinitions();
    expect(others).toEqual([]);
    expect(definition!.name).toBe('@anthropic-ai/sdk');
    // Every version reaches the patch function, which checks SUPPORTED_VERSIONS (AgentOtelInstrumentation).
    expect(definition!.supportedVersions).toEqual(['*']);
    expect(SUPPORTED_VERSIONS).toEqual(['>=1.0.0 <2']);
  });
});

describe.each(SDK_NAMES)('%s', (sdkName) => {
  const call = (sdk: any) =>
    new sdk.Anthropic({
      ...createAnthropicClientOptions(server),
      openTelemetry: sdkSpans.clientOption,
    }).messages.create(params);

  it('patches once when enabled twice and instrumented twice, by one instance or two', async () => {
    const sdk = freshSdk(sdkName);
    const original = sdk.Anthropic.Messages.prototype.create;
    const first = instrumentation();
    first.enable();
    first.enable();
    first.manuallyInstrument(sdk);
    first.manuallyInstrument(sdk);
    first.manuallyInstrument(sdk.Anthropic);
    instrumentation().manuallyInstrument(sdk);
    const patched = sdk.Anthropic.Messages.prototype.create;
    expect(isWrapped(patched)).toBe(true);
    expect(patched.__original).toBe(original);
    await call(sdk);
    expect(tracing.chatSpans()).toHaveLength(1);
  });

  it('patches an ESM namespace (default export) and Beta.Messages', () => {
    const sdk = freshSdk(sdkName);
    instrumentation().manuallyInstrument({ [Symbol.toStringTag]: 'Module', default: sdk.Anthropic });
    for (const resource of [sdk.Anthropic.Messages, sdk.Anthropic.Beta.Messages]) {
      expect(isWrapped(resource.prototype.create)).toBe(true);
      expect(isWrapped(resource.prototype.stream)).toBe(true);
    }
  });

  it('unpatches on disable() and patches again on enable()', async () => {
    const sdk = freshSdk(sdkName);
    const original = sdk.Anthropic.Messages.prototype.create;
    const instance = instrumentation();
    instance.manuallyInstrument(sdk);
    instance.disable();
    expect(sdk.Anthropic.Messages.prototype.create).toBe(original);
    await call(sdk);
    expect(tracing.chatSpans()).toHaveLength(0);
    instance.enable();
    expect(isWrapped(sdk.Anthropic.Messages.prototype.create)).toBe(true);
    await call(sdk);
    expect(tracing.chatSpans()).toHaveLength(1);
  });

  it('calls the original directly while tracing is disabled', async () => {
    const sdk = freshSdk(sdkName);
    instrumentation().manuallyInstrument(sdk);
    setTracingDisabled(true);
    const message = await call(sdk);
    expect(message.content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(tracing.chatSpans()).toHaveLength(0);
  });

  it('never breaks importing the SDK: a patch that throws leaves it working', async () => {
    const sdk = freshSdk(sdkName);
    Object.freeze(sdk.Anthropic.Messages.prototype); // wrapping now throws inside the patch
    const instance = instrumentation();
    const [definition] = instance.getModuleDefinitions();
    let returned: unknown;
    expect(() => {
      returned = definition!.patch!(sdk, '1.12.0');
    }).not.toThrow();
    expect(returned).toBe(sdk);
    expect(() => instance.manuallyInstrument(sdk)).not.toThrow();
    const message = await call(sdk);
    expect(message.content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(diagMessages.some((text) => text.includes('could not patch @anthropic-ai/sdk'))).toBe(true);
  });

  it('never breaks importing the SDK: exports that throw when read', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('hostile exports');
        },
      },
    );
    const [definition] = instrumentation().getModuleDefinitions();
    expect(definition!.patch!(hostile, '1.0.0')).toBe(hostile);
  });

  it('runs the call untraced when starting the span fails', async () => {
    const sdk = freshSdk(sdkName);
    const instance = instrumentation();
    instance.manuallyInstrument(sdk);
    const spy = jest.spyOn(instance as any, '_prepareCall').mockImplementation(() => {
      throw new Error('instrumentation bug');
    });
    try {
      const message = await call(sdk);
      expect(message.content).toEqual([{ type: 'text', text: 'ok' }]);
    } finally {
      spy.mockRestore();
    }
    expect(tracing.chatSpans()).toHaveLength(0);
    expect(diagMessages.some((text) => text.includes('instrumentation bug'))).toBe(true);
  });

  it('starts its spans with the tracer provider it was given, under its own scope', async () => {
    const { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } =
      await import('@opentelemetry/sdk-trace');
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    const sdk = freshSdk(sdkName);
    const instance = instrumentation();
    instance.setTracerProvider(provider);
    instance.manuallyInstrument(sdk);
    await call(sdk);
    expect(tracing.chatSpans()).toHaveLength(0);
    const [span] = exporter.getFinishedSpans();
    expect(span!.name).toBe('chat claude-test');
    expect(span!.instrumentationScope).toEqual({
      name: '@agent-otel/instrumentation-anthropic',
      version: '0.1.0',
      schemaUrl: expect.stringContaining('https://opentelemetry.io/schemas/'),
    });
    await provider.shutdown();
  });

  it('ignores manuallyInstrument() of something that is not the SDK', () => {
    const instance = instrumentation();
    expect(() => instance.manuallyInstrument(undefined)).not.toThrow();
    expect(() => instance.manuallyInstrument({ nothing: true })).not.toThrow();
  });
});
