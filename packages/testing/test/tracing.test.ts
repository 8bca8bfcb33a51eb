import {
  context,
  diag,
  logs,
  metrics,
  propagation,
  trace,
  SpanKind,
  type TracerProvider,
} from '@opentelemetry/api';
import {
  assertChildOf,
  captureDiag,
  childrenOf,
  enableAsyncContext,
  parentOf,
  setupTracing,
  spanNamed,
  treeOf,
  type TestTracing,
} from '../src/tracing';

describe('setupTracing', () => {
  let tracing: TestTracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  it('registers a global provider, AsyncLocalStorage context and W3C propagation, exporting in memory', async () => {
    tracing = setupTracing();
    const tracer = trace.getTracer('test');
    await tracer.startActiveSpan('chat m', async (parent) => {
      await Promise.resolve();
      tracer.startSpan('child').end();
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      expect(carrier.traceparent).toContain(parent.spanContext().spanId);
      parent.end();
    });
    expect(tracing.spans().map((span) => span.name)).toEqual(['child', 'chat m']);
    expect(parentOf(tracing.byName('child'))).toBe(tracing.one('chat m').spanContext().spanId);
    expect(tracing.chatSpans().map((span) => span.name)).toEqual(['chat m']);
    expect(() => tracing!.byName('absent')).toThrow('expected one span named absent, got 0: child, chat m');
    tracing.reset();
    expect(tracing.spans()).toEqual([]);
  });

  it('runs extra span processors first, hands the provider to a setter and undoes everything at shutdown', async () => {
    const seen: string[] = [];
    const given: (TracerProvider | undefined)[] = [];
    let shutDown = false;
    tracing = setupTracing({
      spanProcessors: [
        {
          onStart: (span) => seen.push(`start ${span.name}`),
          onEnd: (span) => seen.push(`end ${span.name}`),
          forceFlush: async () => undefined,
          shutdown: async () => undefined,
        },
      ],
      setTracerProvider: (provider) => given.push(provider),
      afterShutdown: () => (shutDown = true),
    });
    trace.getTracer('test').startSpan('s').end();
    expect(seen).toEqual(['start s', 'end s']);
    expect(given).toEqual([tracing.provider]);
    await tracing.shutdown();
    tracing = undefined;
    expect(given).toEqual([expect.anything(), undefined]);
    expect(shutDown).toBe(true);
    expect(trace.getTracer('test').startSpan('after').isRecording()).toBe(false);
    expect(propagation.fields()).toEqual([]);
  });
});

describe('setupTracing: metrics, log records and the conformance check', () => {
  const CHAT = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'm',
  };
  let tracing: TestTracing | undefined;
  afterEach(async () => {
    // A test that leaves violations behind on purpose shuts down itself.
    await tracing?.shutdown();
    tracing = undefined;
  });

  it('registers a global meter provider whose metrics() collects what came since the previous call', async () => {
    tracing = setupTracing();
    const counter = metrics.getMeter('test').createCounter('agent_otel.test.calls');
    counter.add(2, { route: 'a' });
    const first = await tracing.metrics();
    expect(
      first.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => metric.descriptor.name)),
    ).toEqual(['agent_otel.test.calls']);
    expect(first.scopeMetrics[0]!.metrics[0]!.dataPoints.map((point) => point.value)).toEqual([2]);
    counter.add(3, { route: 'a' });
    const second = await tracing.metrics();
    expect(second.scopeMetrics[0]!.metrics[0]!.dataPoints.map((point) => point.value)).toEqual([3]);
  });

  it('registers a global logger provider whose records logRecords() lists until reset()', () => {
    tracing = setupTracing();
    logs.getLogger('test').emit({ eventName: 'app.started', body: 'hello' });
    expect(tracing.logRecords().map((record) => [record.eventName, record.body])).toEqual([
      ['app.started', 'hello'],
    ]);
    tracing.reset();
    expect(tracing.logRecords()).toEqual([]);
  });

  it('checks every span, log record and metric since setup, across reset(), and fails shutdown() with the listing after undoing everything', async () => {
    const given: (TracerProvider | undefined)[] = [];
    const local = setupTracing({ setTracerProvider: (provider) => given.push(provider) });
    trace
      .getTracer('test')
      .startSpan('chat m', { kind: SpanKind.CLIENT, attributes: { ...CHAT, 'gen_ai.foo': 1 } })
      .end();
    local.reset();
    logs.getLogger('test').emit({ eventName: 'gen_ai.user.message' });
    local.reset();
    metrics.getMeter('test').createCounter('gen_ai.client.token.usage', { unit: '{token}' }).add(1);
    const report = await local.conformance();
    expect(report.violations.map((finding) => `${finding.rule} ${finding.item}`)).toEqual([
      'unknown-attribute chat m',
      'deprecated-event gen_ai.user.message',
      'deprecated-metric gen_ai.client.token.usage',
    ]);
    // Checked once, each distinct finding once.
    expect((await local.conformance()).violations).toHaveLength(3);

    const error = await local.shutdown().then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    expect(error?.message.split('\n')).toEqual([
      'telemetry does not conform to the GenAI semantic conventions v0.1.0 (@agent-otel/testing semconv/v0.1.0.json): 3 violations',
      'deprecated-event:',
      '  log record "gen_ai.user.message": gen_ai.user.message is a deprecated event',
      'deprecated-metric:',
      expect.stringMatching(
        /^ {2}metric "gen_ai\.client\.token\.usage": gen_ai\.client\.token\.usage is no longer a metric: removed \(PR #374\)/,
      ),
      'unknown-attribute:',
      '  span "chat m": gen_ai.foo is not in the registry',
      "(setupTracing checks everything a suite records; a suite that records such telemetry on purpose passes skipConformance: '<why>')",
    ]);
    expect(given).toEqual([local.provider, undefined]);
    expect(trace.getTracer('test').startSpan('after').isRecording()).toBe(false);
    expect(metrics.getMeterProvider()).not.toBe(local.meterProvider);
    expect(logs.getLoggerProvider()).not.toBe(local.loggerProvider);
  });

  it('names the opt-out in the shutdown error', async () => {
    const local = setupTracing();
    trace
      .getTracer('test')
      .startSpan('execute_tool', { attributes: { 'gen_ai.operation.name': 'execute_tool' } })
      .end();
    await expect(local.shutdown()).rejects.toThrow(
      /missing-required:\n {2}span "execute_tool": gen_ai\.tool\.name is required on span\.gen_ai\.execute_tool\.internal\n\(setupTracing checks everything a suite records; a suite that records such telemetry on purpose passes skipConformance: '<why>'\)$/,
    );
  });

  it('passes shutdown() with information findings only', async () => {
    tracing = setupTracing();
    trace
      .getTracer('test')
      .startSpan('text_to_speech tts', {
        kind: SpanKind.CLIENT,
        attributes: { ...CHAT, 'gen_ai.operation.name': 'text_to_speech' },
      })
      .end();
    const report = await tracing.conformance();
    expect(report.violations).toEqual([]);
    expect(report.info.map((finding) => finding.rule)).toEqual(['unclassified-span']);
  });

  it('does not fail shutdown() with a reason to skip the check, and still reports', async () => {
    tracing = setupTracing({ skipConformance: 'records attribute names chosen by the user' });
    trace
      .getTracer('test')
      .startSpan('chat m', { kind: SpanKind.CLIENT, attributes: { ...CHAT, 'gen_ai.anything': 'x' } })
      .end();
    expect((await tracing.conformance()).violations.map((finding) => finding.rule)).toEqual([
      'unknown-attribute',
    ]);
  });

  it('rejects an empty reason to skip the check, naming the setting', () => {
    expect(() => setupTracing({ skipConformance: ' ' })).toThrow(
      "setupTracing: skipConformance needs the reason the suite's telemetry does not conform",
    );
    // Nothing was registered.
    expect(trace.getTracer('test').startSpan('s').isRecording()).toBe(false);
  });
});

describe('enableAsyncContext', () => {
  it('keeps the active context across awaits until context.disable()', async () => {
    enableAsyncContext();
    const key = Symbol('key');
    await context.with(context.active().setValue(key, 'v'), async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(context.active().getValue(key)).toBe('v');
    });
    context.disable();
  });
});

describe('span tree helpers', () => {
  let tracing: TestTracing;
  beforeAll(() => {
    tracing = setupTracing();
    const tracer = trace.getTracer('test');
    tracer.startActiveSpan('root', (root) => {
      tracer.startActiveSpan('b', { kind: SpanKind.CLIENT }, (b) => {
        tracer.startSpan('leaf').end();
        b.end();
      });
      tracer.startSpan('a', { kind: SpanKind.SERVER }).end();
      root.end();
    });
    tracer.startSpan('other root').end();
  });
  afterAll(() => tracing.shutdown());

  it('finds the only span of a name', () => {
    expect(spanNamed(tracing.spans(), 'leaf').name).toBe('leaf');
    expect(() => spanNamed([...tracing.spans(), ...tracing.spans()], 'leaf')).toThrow(
      /^expected one span named leaf, got 2: /,
    );
  });

  it('lists the children of a span', () => {
    const spans = tracing.spans();
    expect(childrenOf(spans, spanNamed(spans, 'root')).map((span) => span.name)).toEqual(['b', 'a']);
    expect(childrenOf(spans, spanNamed(spans, 'leaf'))).toEqual([]);
  });

  it('asserts parentage, naming both spans when it is wrong', () => {
    const spans = tracing.spans();
    const [root, b, leaf] = ['root', 'b', 'leaf'].map((name) => spanNamed(spans, name));
    expect(() => assertChildOf(leaf!, b)).not.toThrow();
    expect(() => assertChildOf(root!, undefined)).not.toThrow();
    expect(() => assertChildOf(leaf!, root)).toThrow(
      `expected leaf to be a child of root (${root!.spanContext().spanId}), its parent is ${b!.spanContext().spanId}`,
    );
    expect(() => assertChildOf(b!, undefined)).toThrow(
      `expected b to be a root, its parent is ${root!.spanContext().spanId}`,
    );
  });

  it('draws the tree with kinds, siblings by name', () => {
    expect(treeOf(tracing.spans())).toEqual([
      'other root [INTERNAL]',
      'root [INTERNAL]',
      '  a [SERVER]',
      '  b [CLIENT]',
      '    leaf [INTERNAL]',
    ]);
    // A span whose parent is not in the list is drawn as a root.
    expect(treeOf(tracing.spans().filter((span) => span.name !== 'b'))).toEqual([
      'leaf [INTERNAL]',
      'other root [INTERNAL]',
      'root [INTERNAL]',
      '  a [SERVER]',
    ]);
  });
});

describe('captureDiag', () => {
  it('records every diag message with its level until restored', () => {
    const captured = captureDiag();
    diag.warn('careful', 3, new Error('boom'));
    diag.verbose('details');
    captured.restore();
    diag.error('not recorded');
    // Besides the API's own debug messages about registering the logger.
    expect(captured.messages.filter((message) => !message.text.startsWith('@opentelemetry/api:'))).toEqual([
      { level: 'warn', text: 'careful 3 boom' },
      { level: 'verbose', text: 'details' },
    ]);
  });
});
