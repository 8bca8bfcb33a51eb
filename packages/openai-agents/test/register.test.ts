// How the bridge is installed: registration, the SDK's default exporter, surviving a later
// setTraceProcessors(), the context hook, undoing it all, and the class @agent-otel/node loads.
import { AsyncLocalStorage } from 'node:async_hooks';
import * as agents from '@openai/agents';
import type { TracingProcessor } from '@openai/agents';
import {
  instrumentOpenAIAgents,
  OpenAIAgentsInstrumentation,
  OpenAIAgentsTracingProcessor,
  OtelTracingContextStorage,
  resolveOpenAIExporterMode,
  type OpenAIAgentsInstrumentationHandle,
} from '../src/index.js';
import { captureDiag, setupTracing, type TestTracing } from './helpers.js';

const SDK_STORAGE = Symbol.for('openai.agents.core.asyncLocalStorage');
const ENV_KEYS = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'AGENT_OTEL_OPENAI_AGENTS_EXPORTER'] as const;

let tracing: TestTracing;
let handle: OpenAIAgentsInstrumentationHandle | undefined;
const savedEnv: Record<string, string | undefined> = {};

/** A processor that logs what it receives, under a name. */
function recorder(name: string, log: string[]): TracingProcessor {
  return {
    onTraceStart: async (trace) => void log.push(`${name}:traceStart:${trace.name}`),
    onTraceEnd: async () => void log.push(`${name}:traceEnd`),
    onSpanStart: async (span) => void log.push(`${name}:spanStart:${span.spanData.type}`),
    onSpanEnd: async (span) => void log.push(`${name}:spanEnd:${span.spanData.type}`),
    shutdown: async () => undefined,
    forceFlush: async () => undefined,
  };
}

/** One SDK trace with one custom span, as user code writes it. */
async function traceSomething(name = 'job'): Promise<void> {
  await agents.withTrace(name, () =>
    agents.withCustomSpan(async () => undefined, { data: { name: 'step', data: {} } }),
  );
}

beforeAll(() => {
  tracing = setupTracing();
  agents.setTracingDisabled(false);
});

beforeEach(() => {
  for (const key of ENV_KEYS) {
    savedEnv[key] = process.env[key];
    delete process.env[key];
  }
  agents.setTraceProcessors([]);
});

afterEach(() => {
  handle?.uninstrument();
  handle = undefined;
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  tracing.reset();
});

afterAll(() => tracing.shutdown());

describe("the SDK's default OpenAI exporter", () => {
  it('auto drops it when no OpenAI key is configured (no "No API key" errors)', async () => {
    const log: string[] = [];
    agents.setTraceProcessors([recorder('default', log)]);
    handle = instrumentOpenAIAgents(agents);
    expect(handle.droppedOpenAIExporter).toBe(true);
    await traceSomething();
    expect(log).toEqual([]);
    expect(tracing.spans().map((s) => s.name)).toEqual(['step', 'invoke_workflow job']);
  });

  it('auto keeps it when OPENAI_API_KEY is set for api.openai.com', async () => {
    process.env.OPENAI_API_KEY = 'sk-test';
    const log: string[] = [];
    agents.setTraceProcessors([recorder('default', log)]);
    handle = instrumentOpenAIAgents(agents);
    expect(handle.droppedOpenAIExporter).toBe(false);
    await traceSomething();
    expect(log).toContain('default:spanEnd:custom');
    expect(tracing.spans()).toHaveLength(2);
  });

  it('auto drops it when OPENAI_BASE_URL points elsewhere (the exporter would post keys to OpenAI)', () => {
    process.env.OPENAI_API_KEY = 'not-an-openai-key';
    process.env.OPENAI_BASE_URL = 'http://localhost:11434/v1';
    expect(resolveOpenAIExporterMode(undefined)).toBe('drop');
    process.env.OPENAI_BASE_URL = 'https://api.openai.com/v1';
    expect(resolveOpenAIExporterMode(undefined)).toBe('keep');
  });

  it('takes keep/drop from the option, then AGENT_OTEL_OPENAI_AGENTS_EXPORTER', () => {
    process.env.AGENT_OTEL_OPENAI_AGENTS_EXPORTER = 'keep';
    expect(resolveOpenAIExporterMode(undefined)).toBe('keep');
    expect(resolveOpenAIExporterMode('drop')).toBe('drop');
    process.env.AGENT_OTEL_OPENAI_AGENTS_EXPORTER = 'sometimes';
    const diag = captureDiag();
    expect(resolveOpenAIExporterMode(undefined)).toBe('drop');
    diag.restore();
    expect(diag.messages.some((m) => m.text.includes('AGENT_OTEL_OPENAI_AGENTS_EXPORTER=sometimes'))).toBe(
      true,
    );
  });

  it('stays dropped when the SDK registers its default exporter again (a second copy imported later)', async () => {
    const exported = jest.spyOn(agents.BatchTraceProcessor.prototype, 'onSpanEnd');
    handle = instrumentOpenAIAgents(agents, { openAIExporter: 'drop' });
    agents.setDefaultOpenAITracingExporter();
    await traceSomething();
    expect(exported).not.toHaveBeenCalled();
    expect(tracing.spans()).toHaveLength(2);
    exported.mockRestore();
  });
});

describe('staying registered', () => {
  it('keeps the bridge, first, when user code later calls setTraceProcessors()', async () => {
    const log: string[] = [];
    handle = instrumentOpenAIAgents(agents, { openAIExporter: 'drop' });
    const bridgeStart = jest.spyOn(handle.processor, 'onSpanStart');
    bridgeStart.mockImplementation(function (this: OpenAIAgentsTracingProcessor, span) {
      log.push('bridge:spanStart');
      return OpenAIAgentsTracingProcessor.prototype.onSpanStart.call(this, span);
    });
    agents.setTraceProcessors([recorder('user', log)]);
    await traceSomething();
    expect(log.filter((entry) => entry.includes('spanStart'))).toEqual([
      'bridge:spanStart',
      'user:spanStart:custom',
    ]);
    expect(tracing.spans()).toHaveLength(2);
    bridgeStart.mockRestore();
  });

  it('with keepRegistered: false, a later setTraceProcessors() removes it; addTraceProcessor re-adds it', async () => {
    handle = instrumentOpenAIAgents(agents, { openAIExporter: 'drop', keepRegistered: false });
    agents.setTraceProcessors([]);
    await traceSomething();
    expect(tracing.spans()).toHaveLength(0);
    agents.addTraceProcessor(handle.processor);
    await traceSomething();
    expect(tracing.spans()).toHaveLength(2);
  });
});

describe('installing and undoing', () => {
  it('installs once per process; later calls return the first handle', () => {
    handle = instrumentOpenAIAgents(agents, { openAIExporter: 'drop' });
    expect(instrumentOpenAIAgents(agents, { modelSpans: 'client' })).toBe(handle);
  });

  it("wraps the SDK's context storage and puts it back on uninstrument()", () => {
    const before = (globalThis as Record<symbol, unknown>)[SDK_STORAGE];
    handle = instrumentOpenAIAgents(agents, { openAIExporter: 'drop' });
    expect(handle.propagatesContext).toBe(true);
    const installed = (globalThis as Record<symbol, unknown>)[SDK_STORAGE];
    expect(installed).toBeInstanceOf(OtelTracingContextStorage);
    expect((installed as OtelTracingContextStorage).inner).toBe(before ?? expect.any(AsyncLocalStorage));
    handle.uninstrument();
    handle = undefined;
    expect((globalThis as Record<symbol, unknown>)[SDK_STORAGE]).toBe(
      (installed as OtelTracingContextStorage).inner,
    );
  });

  it('leaves the context storage alone with propagateContext: false', () => {
    const before = (globalThis as Record<symbol, unknown>)[SDK_STORAGE];
    handle = instrumentOpenAIAgents(agents, { openAIExporter: 'drop', propagateContext: false });
    expect(handle.propagatesContext).toBe(false);
    expect((globalThis as Record<symbol, unknown>)[SDK_STORAGE]).toBe(before);
  });

  it('after uninstrument() the processor records nothing and setTraceProcessors() is the SDK one again', async () => {
    handle = instrumentOpenAIAgents(agents, { openAIExporter: 'drop' });
    const provider = agents.getGlobalTraceProvider();
    expect(Object.hasOwn(provider, 'setProcessors')).toBe(true);
    handle.uninstrument();
    expect(Object.hasOwn(provider, 'setProcessors')).toBe(false);
    await traceSomething();
    expect(tracing.spans()).toHaveLength(0);
    handle = undefined;
  });

  it('records spans, and warns once, with an SDK that has no setTracingContextStorage', async () => {
    const diag = captureDiag();
    handle = instrumentOpenAIAgents(
      {
        addTraceProcessor: agents.addTraceProcessor,
        setTraceProcessors: agents.setTraceProcessors,
        getGlobalTraceProvider: agents.getGlobalTraceProvider,
      },
      { openAIExporter: 'drop' },
    );
    diag.restore();
    expect(handle.propagatesContext).toBe(false);
    expect(diag.messages.filter((m) => m.level === 'warn').map((m) => m.text)).toEqual([
      expect.stringContaining('no setTracingContextStorage()'),
    ]);
    await traceSomething();
    expect(tracing.spans()).toHaveLength(2);
  });
});

describe('OpenAIAgentsInstrumentation (loaded by @agent-otel/node register())', () => {
  it('installs on enable() with the tracer provider it was given, and uninstalls on disable()', async () => {
    const instrumentation = new OpenAIAgentsInstrumentation({
      enabled: false,
      agentsModule: agents,
      openAIExporter: 'drop',
    });
    expect(instrumentation.isEnabled()).toBe(false);
    instrumentation.setTracerProvider(tracing.provider);
    instrumentation.enable();
    expect(instrumentation.isEnabled()).toBe(true);
    await traceSomething();
    expect(tracing.spans().map((s) => s.instrumentationScope.name)).toEqual([
      '@agent-otel/openai-agents',
      '@agent-otel/openai-agents',
    ]);
    instrumentation.disable();
    expect(instrumentation.isEnabled()).toBe(false);
    tracing.reset();
    await traceSomething();
    expect(tracing.spans()).toHaveLength(0);
  });

  it('installs nothing until @openai/agents is loaded; manuallyInstrument() installs on a module loaded without hooks', async () => {
    const instrumentation = new OpenAIAgentsInstrumentation({ enabled: false, openAIExporter: 'drop' });
    instrumentation.setTracerProvider(tracing.provider);
    instrumentation.enable();
    expect(instrumentation.isEnabled()).toBe(true);
    expect(instrumentation.instrumentation).toBeUndefined();
    await traceSomething();
    expect(tracing.spans()).toHaveLength(0);
    instrumentation.manuallyInstrument(agents);
    expect(instrumentation.instrumentation?.processor).toBeInstanceOf(OpenAIAgentsTracingProcessor);
    await traceSomething();
    expect(tracing.spans()).toHaveLength(2);
    instrumentation.disable();
    expect(instrumentation.instrumentation).toBeUndefined();
  });
});
