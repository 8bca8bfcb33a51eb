import { context, diag, propagation, trace, SpanKind, type TracerProvider } from '@opentelemetry/api';
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
