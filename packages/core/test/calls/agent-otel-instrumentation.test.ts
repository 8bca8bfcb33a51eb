import { context, diag, DiagLogLevel, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { isWrapped, type InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  AgentOtelInstrumentation,
  startModelCallSpan,
  type ClientCallHooks,
  type ModelCallStart,
  type ModelCallStarter,
} from '../../src/instrumentation';
import { SEMCONV_SCHEMA_URL } from '../../src/semconv';

/** A promise subclass, as SDKs return (`APIPromise`): the caller must get this very object back. */
class SdkPromise<T> extends Promise<T> {}

/** A fresh copy of a fake SDK: a client class whose `Completions` resource makes one call per `create`. */
function fakeSdk() {
  class Completions {
    create(body: { model?: string; fail?: boolean }): SdkPromise<{ id: string }> {
      return body.fail
        ? SdkPromise.reject(new Error('rate limited'))
        : SdkPromise.resolve({ id: `resp-${body.model}` });
    }
  }
  return { Client: { Completions } };
}
type FakeSdk = ReturnType<typeof fakeSdk>;

/** What the test adapter's start function does; swapped by tests. */
type Starter = (
  instrumentation: AcmeInstrumentation,
  ...rest: Parameters<ModelCallStarter>
) => ModelCallStart | undefined;
const defaultStarter: Starter = (instrumentation, _resource, args, ctx) => {
  const model = (args[0] as { model?: string }).model;
  const span = startModelCallSpan(
    { type: 'generation', operation: 'chat', model },
    instrumentation.spanTracer,
    ctx,
  );
  const hooks: ClientCallHooks = {
    onResult: (s, result) => s.update({ responseId: (result as { id: string }).id }),
  };
  return span && { span, hooks };
};
let starter = defaultStarter;

/** The smallest adapter: a module definition and one endpoint patch. */
class AcmeInstrumentation extends AgentOtelInstrumentation {
  constructor(config: { enabled?: boolean } = {}) {
    super('@acme/instrumentation', '1.2.3', config);
  }

  get spanTracer() {
    return this.tracer;
  }

  protected override init(): InstrumentationNodeModuleDefinition[] {
    return [this._moduleDefinition('acme-sdk', ['>=1.0.0 <2'])];
  }

  protected override _patchModule(moduleExports: unknown): void {
    const prototype = (moduleExports as FakeSdk).Client.Completions.prototype;
    this._wrap(
      prototype,
      'create',
      (original) =>
        this._traceModelCalls('completions.create', original as never, (resource, args, ctx) =>
          starter(this, resource, args, ctx),
        ) as never,
    );
  }

  protected override _unpatchModule(moduleExports: unknown): void {
    const prototype = (moduleExports as FakeSdk).Client.Completions.prototype;
    if (isWrapped(prototype.create)) this._unwrap(prototype, 'create');
  }
}

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const logged: { level: string; text: string }[] = [];
const created: AcmeInstrumentation[] = [];

function instrumentation(config: { enabled?: boolean } = {}): AcmeInstrumentation {
  const instance = new AcmeInstrumentation(config);
  created.push(instance);
  return instance;
}

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  const log =
    (level: string) =>
    (message: string, ...args: unknown[]) =>
      logged.push({ level, text: [message, ...args.map(String)].join(' ') });
  diag.setLogger(
    {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      verbose: log('verbose'),
    },
    { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true },
  );
});
afterEach(() => {
  for (const instance of created.splice(0)) instance.disable();
  starter = defaultStarter;
  exporter.reset();
  logged.length = 0;
});
afterAll(async () => {
  diag.disable();
  await provider.shutdown();
  trace.disable();
  context.disable();
});

describe('AgentOtelInstrumentation', () => {
  it('declares the module from _moduleDefinition', () => {
    const [definition, ...others] = instrumentation({ enabled: false }).getModuleDefinitions();
    expect(others).toEqual([]);
    expect(definition!.name).toBe('acme-sdk');
    // Every version reaches the patch function, which checks the adapter's own range.
    expect(definition!.supportedVersions).toEqual(['*']);
  });

  it('patches a supported version; leaves another unpatched and warns once, naming the range', () => {
    const instance = instrumentation();
    const [definition] = instance.getModuleDefinitions();
    const supported = fakeSdk();
    expect(definition!.patch!(supported, '1.4.2')).toBe(supported);
    expect(isWrapped(supported.Client.Completions.prototype.create)).toBe(true);
    const old = fakeSdk();
    const original = old.Client.Completions.prototype.create;
    expect(definition!.patch!(old, '0.9.0')).toBe(old);
    expect(definition!.patch!(fakeSdk(), '0.9.0')).toBeDefined();
    expect(definition!.patch!(fakeSdk(), '2.0.0-beta.1')).toBeDefined();
    expect(old.Client.Completions.prototype.create).toBe(original);
    expect(logged.filter((entry) => entry.level === 'warn').map((entry) => entry.text)).toEqual([
      '@acme/instrumentation: acme-sdk 0.9.0 is installed, outside the supported range >=1.0.0 <2; its ' +
        'calls are not traced. Install a version of acme-sdk in that range, or a release of ' +
        '@acme/instrumentation that supports 0.9.0.',
      expect.stringContaining('acme-sdk 2.0.0-beta.1 is installed, outside the supported range'),
    ]);
  });

  it('patches on manuallyInstrument, unpatches on disable() and patches again on enable()', () => {
    const sdk = fakeSdk();
    const original = sdk.Client.Completions.prototype.create;
    const instance = instrumentation();
    instance.manuallyInstrument(sdk);
    instance.manuallyInstrument(sdk);
    const patched = sdk.Client.Completions.prototype.create as unknown as { __original: unknown };
    expect(isWrapped(patched)).toBe(true);
    expect(patched.__original).toBe(original);
    instance.disable();
    expect(sdk.Client.Completions.prototype.create).toBe(original);
    instance.enable();
    expect(isWrapped(sdk.Client.Completions.prototype.create)).toBe(true);
  });

  it("traces a call with its own tracer and returns the SDK's own promise object", async () => {
    const sdk = fakeSdk();
    const instance = instrumentation();
    instance.setTracerProvider(provider);
    instance.manuallyInstrument(sdk);
    const promise = new sdk.Client.Completions().create({ model: 'm1' });
    expect(promise).toBeInstanceOf(SdkPromise);
    await expect(promise).resolves.toEqual({ id: 'resp-m1' });
    const [span, ...others] = exporter.getFinishedSpans();
    expect(others).toEqual([]);
    expect(span!.name).toBe('chat m1');
    expect(span!.attributes['gen_ai.response.id']).toBe('resp-m1');
    expect(span!.instrumentationScope).toEqual({
      name: '@acme/instrumentation',
      version: '1.2.3',
      schemaUrl: SEMCONV_SCHEMA_URL,
    });
  });

  it("passes the SDK's rejection through unchanged and records it", async () => {
    const sdk = fakeSdk();
    instrumentation().manuallyInstrument(sdk);
    await expect(new sdk.Client.Completions().create({ model: 'm1', fail: true })).rejects.toThrow(
      'rate limited',
    );
    expect(exporter.getFinishedSpans().map((span) => span.attributes['error.type'])).toEqual(['Error']);
  });

  it('calls the SDK untraced when starting the span throws, and logs that once', async () => {
    starter = () => {
      throw new Error('adapter bug');
    };
    const sdk = fakeSdk();
    instrumentation().manuallyInstrument(sdk);
    const client = new sdk.Client.Completions();
    await expect(client.create({ model: 'a' })).resolves.toEqual({ id: 'resp-a' });
    await expect(client.create({ model: 'b' })).resolves.toEqual({ id: 'resp-b' });
    expect(exporter.getFinishedSpans()).toEqual([]);
    const reports = logged.filter((entry) => entry.text.includes('completions.create'));
    expect(reports.map((entry) => entry.level)).toEqual(['warn', 'debug']);
    expect(reports[0]!.text).toContain('calling it untraced');
    expect(reports[0]!.text).toContain('adapter bug');
  });

  it('calls the SDK untraced when the start function returns nothing', async () => {
    starter = () => undefined;
    const sdk = fakeSdk();
    instrumentation().manuallyInstrument(sdk);
    await expect(new sdk.Client.Completions().create({ model: 'a' })).resolves.toEqual({ id: 'resp-a' });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('leaves the module working when patching it throws, and says so through diag', async () => {
    const sdk = fakeSdk();
    Object.freeze(sdk.Client.Completions.prototype);
    const instance = instrumentation();
    const [definition] = instance.getModuleDefinitions();
    expect(definition!.patch!(sdk, '1.0.0')).toBe(sdk);
    expect(() => instance.manuallyInstrument(sdk)).not.toThrow();
    await expect(new sdk.Client.Completions().create({ model: 'a' })).resolves.toEqual({ id: 'resp-a' });
    expect(logged.filter((entry) => entry.level === 'warn').map((entry) => entry.text)).toEqual([
      expect.stringContaining('could not patch acme-sdk; it runs uninstrumented'),
    ]);
  });

  it('ignores manuallyInstrument() of something that is not a module', () => {
    const instance = instrumentation();
    expect(() => instance.manuallyInstrument(undefined)).not.toThrow();
    expect(() => instance.manuallyInstrument(42)).not.toThrow();
    expect(logged.filter((entry) => entry.level === 'warn')).toHaveLength(2);
  });

  it('while disabled, its patched methods call the SDK directly', async () => {
    const sdk = fakeSdk();
    const instance = instrumentation({ enabled: false });
    instance.manuallyInstrument(sdk);
    expect(instance.isEnabled()).toBe(false);
    await expect(new sdk.Client.Completions().create({ model: 'a' })).resolves.toEqual({ id: 'resp-a' });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('uses the global provider until setTracerProvider() is called', async () => {
    const other = new InMemorySpanExporter();
    const otherProvider = new TracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter: other })],
    });
    const sdk = fakeSdk();
    const instance = instrumentation();
    instance.manuallyInstrument(sdk);
    await new sdk.Client.Completions().create({ model: 'global' });
    instance.setTracerProvider(otherProvider);
    await new sdk.Client.Completions().create({ model: 'own' });
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['chat global']);
    expect(other.getFinishedSpans().map((span) => span.name)).toEqual(['chat own']);
    await otherProvider.shutdown();
  });
});
