import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import {
  addTraceProcessor,
  configureContent,
  withCustomSpan,
  type AgentSpan,
  isTracingDisabled,
  resetContentPolicy,
  setTraceProcessors,
  setTracingDisabled,
  type TraceProcessor,
} from '@agent-otel/core';
import { getContentPolicy } from '@agent-otel/core/instrumentation';
import { register } from '../src/index.js';
import type { AgentOtelHandle, InstrumentationLike } from '../src/index.js';
import { isOtelGlobalSet } from '../src/otel-globals.js';

// register() changes process-wide state; each test shuts its handle down, which removes the
// globals and listeners again, and restores the environment.

const EXIT_EVENTS = ['beforeExit', 'SIGINT', 'SIGTERM'] as const;
const listenerCounts = () => EXIT_EVENTS.map((event) => process.listenerCount(event));

function recordingLogger(): DiagLogger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return {
    warnings,
    warn: (message: string) => warnings.push(message),
    error: ignore,
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
}

const savedEnv = { ...process.env };
let handles: AgentOtelHandle[] = [];
let tempDir: string;

function registerForTest(...args: Parameters<typeof register>): AgentOtelHandle {
  const handle = register(...args);
  handles.push(handle);
  return handle;
}

beforeEach(() => {
  process.env.OTEL_TRACES_EXPORTER = 'none';
  process.env.OTEL_METRICS_EXPORTER = 'none';
  process.env.OTEL_LOGS_EXPORTER = 'none';
  tempDir = mkdtempSync(join(tmpdir(), 'agent-otel-register-'));
});

afterEach(async () => {
  for (const handle of handles) await handle.shutdown();
  handles = [];
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  setTraceProcessors([]);
  setTracingDisabled(false);
  resetContentPolicy();
  diag.disable();
  rmSync(tempDir, { recursive: true, force: true });
});

function inMemory(): { exporter: InMemorySpanExporter; processor: SpanProcessor } {
  const exporter = new InMemorySpanExporter();
  return { exporter, processor: new SimpleSpanProcessor({ exporter }) };
}

async function runRootWithChild(): Promise<void> {
  const tracer = trace.getTracer('test');
  await tracer.startActiveSpan('root', async (root) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    tracer.startSpan('child').end();
    root.end();
  });
}

describe('register', () => {
  it('installs a global provider whose spans reach core trace processors, user processors and the JSONL file', async () => {
    const jsonlPath = join(tempDir, 'spans.jsonl');
    const traceEnds: string[][] = [];
    const processor: TraceProcessor = {
      onTraceEnd: (completed) => void traceEnds.push(completed.spans.map((s) => s.name)),
    };
    addTraceProcessor(processor);
    const { exporter, processor: userProcessor } = inMemory();
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'team=agents';
    const handle = registerForTest({
      serviceName: 'register-test',
      localExporters: ['jsonl'],
      jsonlPath,
      spanProcessors: [userProcessor],
      diagLogLevel: DiagLogLevel.NONE,
    });

    await runRootWithChild();
    await handle.forceFlush();

    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['child', 'root']);
    const [child, root] = spans as [ReadableSpan, ReadableSpan];
    // The child was started inside startActiveSpan after an await: the context manager works.
    expect(child.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(root.resource.attributes['service.name']).toBe('register-test');
    expect(root.resource.attributes['team']).toBe('agents');
    expect(root.resource.attributes['telemetry.sdk.language']).toBe('nodejs');
    expect(root.resource.attributes['process.pid']).toBe(process.pid);
    // The command line can carry secrets (`--api-key=…`): never recorded.
    expect(root.resource.attributes).not.toHaveProperty(['process.command_args']);
    expect(root.resource.attributes).not.toHaveProperty(['process.command_line']);
    expect(root.resource.attributes['process.runtime.name']).toBe('nodejs');
    expect(traceEnds).toEqual([['root', 'child']]);
    await handle.shutdown();
    const lines = readFileSync(jsonlPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string });
    expect(lines.map((line) => line.name).sort()).toEqual(['child', 'root']);
  });

  it('copies the configured baggage keys onto spans', async () => {
    const { exporter, processor } = inMemory();
    registerForTest({
      baggageKeys: ['tenant'],
      spanProcessors: [processor],
      diagLogLevel: DiagLogLevel.NONE,
    });
    const baggage = propagation.createBaggage({ tenant: { value: 'acme' }, secret: { value: 'no' } });
    context.with(propagation.setBaggage(context.active(), baggage), () =>
      trace.getTracer('t').startSpan('with-baggage').end(),
    );
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes).toEqual({ tenant: 'acme' });
  });

  it('installs W3C trace-context and baggage propagators', () => {
    registerForTest({ diagLogLevel: DiagLogLevel.NONE });
    const carrier: Record<string, string> = {};
    const span = trace.getTracer('t').startSpan('outgoing');
    const baggage = propagation.createBaggage({ 'user.id': { value: 'u1' } });
    const ctx = propagation.setBaggage(trace.setSpan(context.active(), span), baggage);
    propagation.inject(ctx, carrier);
    span.end();
    expect(carrier.traceparent).toMatch(
      new RegExp(`^00-${span.spanContext().traceId}-${span.spanContext().spanId}-01$`),
    );
    expect(carrier.baggage).toBe('user.id=u1');
  });

  it('installs no propagator for OTEL_PROPAGATORS=none', () => {
    process.env.OTEL_PROPAGATORS = 'none';
    registerForTest({ diagLogLevel: DiagLogLevel.NONE });
    const carrier: Record<string, string> = {};
    const span = trace.getTracer('t').startSpan('outgoing');
    propagation.inject(trace.setSpan(context.active(), span), carrier);
    span.end();
    expect(carrier).toEqual({});
    expect(isOtelGlobalSet('propagation')).toBe(false);
  });

  it('returns the first handle when called again, warning once', () => {
    const logger = recordingLogger();
    diag.setLogger(logger, DiagLogLevel.WARN);
    const first = registerForTest();
    const second = register({ serviceName: 'ignored' });
    const third = register();
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(logger.warnings).toEqual([
      '@agent-otel/node: register() was already called (for example by --import @agent-otel/node/register); returning the first handle and ignoring the options of this call.',
    ]);
  });

  it('can register again after shutdown', async () => {
    const first = registerForTest({ diagLogLevel: DiagLogLevel.NONE });
    await first.shutdown();
    expect(isOtelGlobalSet('trace')).toBe(false);
    const second = registerForTest({ diagLogLevel: DiagLogLevel.NONE });
    expect(second).not.toBe(first);
    expect(isOtelGlobalSet('trace')).toBe(true);
  });

  it('installs nothing when OTEL_SDK_DISABLED=true, and disables core tracing', async () => {
    process.env.OTEL_SDK_DISABLED = 'true';
    const before = listenerCounts();
    const handle = registerForTest();
    expect(listenerCounts()).toEqual(before);
    for (const type of ['trace', 'context', 'propagation', 'diag'] as const)
      expect(isOtelGlobalSet(type)).toBe(false);
    expect(isTracingDisabled()).toBe(true);
    const span = handle.tracerProvider.getTracer('t').startSpan('ignored');
    expect(span.isRecording()).toBe(false);
    await expect(handle.forceFlush()).resolves.toBeUndefined();
    expect(register()).toBe(handle);
  });

  it('adds exit listeners and removes them, and its globals, on shutdown', async () => {
    const before = listenerCounts();
    const handle = registerForTest({ diagLogLevel: DiagLogLevel.NONE });
    expect(listenerCounts()).toEqual(before.map((count) => count + 1));
    for (const type of ['trace', 'context', 'propagation', 'diag'] as const)
      expect(isOtelGlobalSet(type)).toBe(true);
    await handle.shutdown();
    expect(listenerCounts()).toEqual(before);
    for (const type of ['trace', 'context', 'propagation', 'diag'] as const)
      expect(isOtelGlobalSet(type)).toBe(false);
    await expect(handle.shutdown()).resolves.toBeUndefined();
    await expect(handle.forceFlush()).resolves.toBeUndefined();
  });

  it('logs every configuration problem once to the diag logger the application set, and keeps it', async () => {
    const logger = recordingLogger();
    diag.setLogger(logger, DiagLogLevel.WARN);
    process.env.OTEL_TRACES_EXPORTER = 'otlp';
    process.env.OTEL_METRICS_EXPORTER = 'otlp';
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'localhost:4318';
    process.env.OTEL_LOG_LEVEL = 'none'; // applies only to a logger register() installs
    const handle = registerForTest();
    expect(logger.warnings).toEqual([
      '@agent-otel/node: OTEL_EXPORTER_OTLP_ENDPOINT="localhost:4318" is not a URL; use e.g. http://localhost:4318. Falling back to ' +
        'http://localhost:4318/v1/traces for traces, http://localhost:4318/v1/metrics for metrics.',
    ]);
    await handle.shutdown();
    expect(isOtelGlobalSet('diag')).toBe(true);
  });

  it('does not replace a tracer provider registered by another setup', () => {
    const logger = recordingLogger();
    diag.setLogger(logger, DiagLogLevel.WARN);
    const other = new TracerProvider();
    trace.setGlobalTracerProvider(other);
    try {
      const handle = registerForTest();
      expect((trace.getTracerProvider() as unknown as { getDelegate(): unknown }).getDelegate()).toBe(other);
      expect(handle.tracerProvider).not.toBe(other);
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]).toContain('a global tracer provider is already registered');
    } finally {
      trace.disable();
    }
  });

  it('enables the instrumentations passed in with its provider, and disables them on shutdown', async () => {
    const log: string[] = [];
    let provider: unknown;
    const instrumentation: InstrumentationLike = {
      setTracerProvider: (tracerProvider) => {
        provider = tracerProvider;
        log.push('setTracerProvider');
      },
      enable: () => log.push('enable'),
      disable: () => log.push('disable'),
    };
    const handle = registerForTest({ instrumentations: [instrumentation], diagLogLevel: DiagLogLevel.NONE });
    expect(provider).toBe(handle.tracerProvider);
    await handle.shutdown();
    expect(log).toEqual(['setTracerProvider', 'enable', 'disable']);
  });

  it('passes the content option to core', () => {
    registerForTest({
      content: { captureMode: 'SPAN_ONLY', maxAttributeLength: 123 },
      diagLogLevel: DiagLogLevel.NONE,
    });
    expect(getContentPolicy()).toMatchObject({
      mode: 'SPAN_ONLY',
      captureOnSpan: true,
      maxAttributeLength: 123,
    });
  });

  it('leaves the content policy alone without the content option', () => {
    configureContent({ captureMode: 'EVENT_ONLY' });
    registerForTest({ diagLogLevel: DiagLogLevel.NONE });
    expect(getContentPolicy().mode).toBe('EVENT_ONLY');
  });

  it('bounds forceFlush and shutdown by shutdownTimeoutMillis, without rejecting', async () => {
    const stuck: SpanProcessor = {
      onStart: () => undefined,
      onEnd: () => undefined,
      forceFlush: () => new Promise(() => undefined),
      shutdown: () => new Promise(() => undefined),
    };
    const handle = registerForTest({
      spanProcessors: [stuck],
      shutdownTimeoutMillis: 50,
      diagLogLevel: DiagLogLevel.NONE,
    });
    const started = Date.now();
    await handle.forceFlush();
    await handle.shutdown();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('does not reject when a processor fails to flush', async () => {
    const failing: SpanProcessor = {
      onStart: () => undefined,
      onEnd: () => undefined,
      forceFlush: () => Promise.reject(new Error('flush failed')),
      shutdown: () => Promise.reject(new Error('shutdown failed')),
    };
    const handle = registerForTest({ spanProcessors: [failing], diagLogLevel: DiagLogLevel.NONE });
    await expect(handle.forceFlush()).resolves.toBeUndefined();
    await expect(handle.shutdown()).resolves.toBeUndefined();
  });
});

describe('register span limits', () => {
  async function exportedCustomSpan(
    handle: AgentOtelHandle,
    exporter: InMemorySpanExporter,
    act: (span: AgentSpan) => void,
  ): Promise<ReadableSpan> {
    withCustomSpan('limited', act);
    await handle.forceFlush();
    const [span] = exporter.getFinishedSpans();
    return span!;
  }

  it('cuts attribute values at OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT on exported spans', async () => {
    process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT = '100';
    const { exporter, processor } = inMemory();
    const handle = registerForTest({ spanProcessors: [processor], diagLogLevel: DiagLogLevel.NONE });
    const span = await exportedCustomSpan(handle, exporter, (s) => {
      s.setAttribute('user.long', 'x'.repeat(1000));
      s.setAttribute('user.short', 'ok');
    });
    expect(span.attributes['user.long']).toBe('x'.repeat(100));
    expect(span.attributes['user.short']).toBe('ok');
  });

  it('lets the span-specific limits win and applies the count limits', async () => {
    process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT = '100';
    process.env.OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT = '10';
    process.env.OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT = '3';
    process.env.OTEL_SPAN_EVENT_COUNT_LIMIT = '1';
    const { exporter, processor } = inMemory();
    const handle = registerForTest({ spanProcessors: [processor], diagLogLevel: DiagLogLevel.NONE });
    const span = await exportedCustomSpan(handle, exporter, (s) => {
      for (let i = 0; i < 10; i++) s.setAttribute(`user.${i}`, 'y'.repeat(50));
      s.otelSpan.addEvent('one');
      s.otelSpan.addEvent('two');
    });
    expect(Object.keys(span.attributes)).toHaveLength(3);
    for (const value of Object.values(span.attributes)) expect(String(value).length).toBeLessThanOrEqual(10);
    expect(span.events).toHaveLength(1); // the SDK keeps the newest
  });

  it('keeps the SDK defaults when no limit is set: no value length limit, 128 attributes', async () => {
    const { exporter, processor } = inMemory();
    const handle = registerForTest({ spanProcessors: [processor], diagLogLevel: DiagLogLevel.NONE });
    const span = await exportedCustomSpan(handle, exporter, (s) => {
      s.otelSpan.setAttribute('user.raw', 'z'.repeat(100_000));
      for (let i = 0; i < 200; i++) s.setAttribute(`user.${i}`, i);
    });
    expect(span.attributes['user.raw']).toHaveLength(100_000);
    expect(Object.keys(span.attributes)).toHaveLength(128);
  });

  it('caps content within the limit, as valid JSON, when the content option is given', async () => {
    process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT = '300';
    const { exporter, processor } = inMemory();
    const handle = registerForTest({
      content: { captureMode: 'SPAN_ONLY' },
      spanProcessors: [processor],
      diagLogLevel: DiagLogLevel.NONE,
    });
    expect(getContentPolicy().maxAttributeLength).toBe(300);
    const span = await exportedCustomSpan(handle, exporter, (s) =>
      s.update({ data: { text: 'c'.repeat(5000), more: [1, 2, 3] } }),
    );
    const data = span.attributes['agent_otel.custom.data'] as string;
    expect(data.length).toBeLessThanOrEqual(300);
    expect(() => JSON.parse(data) as unknown).not.toThrow();
  });

  it('keeps a lower content cap from the content option', () => {
    process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT = '300';
    registerForTest({ content: { maxAttributeLength: 200 }, diagLogLevel: DiagLogLevel.NONE });
    expect(getContentPolicy().maxAttributeLength).toBe(200);
  });

  it('warns, naming the fix, when a content policy set outside register() exceeds the limit', () => {
    const logger = recordingLogger();
    diag.setLogger(logger, DiagLogLevel.WARN);
    configureContent({ captureMode: 'SPAN_ONLY' });
    process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT = '300';
    registerForTest();
    expect(getContentPolicy().mode).toBe('SPAN_ONLY');
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT');
    expect(logger.warnings[0]).toContain('Set AGENT_OTEL_CONTENT_MAX_LENGTH');
  });
});
