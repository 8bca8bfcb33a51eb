// Property-style: every hostile value × every public entry point. Whatever the value, no error of
// ours reaches the caller, the caller's own value comes back unchanged (same identity), and the
// span is still exported.
import { trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { configureContent } from '../../src/content/policy';
import * as factories from '../../src/kinds/factories';
import { createSpan, startSpan, withSpan } from '../../src/api/with-span';
import { getCurrentSpan, getCurrentTrace, startTrace, withTrace } from '../../src/api/trace';
import { traced, type TracedSpanType } from '../../src/api/traced';
import { recordError } from '../../src/api/record-error';
import { isTracingDisabled } from '../../src/api/disable';
import type { AgentSpan } from '../../src/api/AgentSpan';
import type { ContentCaptureMode } from '../../src/content/types';
import { TraceProcessorSpanProcessor } from '../../src/export/TraceProcessorSpanProcessor';
import type { TraceProcessor } from '../../src/export/trace-processor';
import { setupTracing as setupSdkTracing } from '@agent-otel/testing/tracing';
import { setTracerProvider } from '../../src/api/tracer';
import { configureMetrics, resetMetrics } from '../../src/metrics/genai-metrics';
import { setLoggerProvider } from '../../src/events/genai-events';
import { resetContentPolicy } from '../../src/content/policy';
import { setupTracing, tick, type TestTracing } from '../helpers';

/** Why this suite's telemetry cannot conform: every span is made from hostile values on purpose. */
const HOSTILE_DATA = 'spans made from hostile values (no provider, no tool name) on purpose';
import { captureDiag } from '@agent-otel/testing/tracing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as coreApi from '../../src/index';
import {
  addTraceProcessor,
  getTraceProcessors,
  setTraceProcessors,
} from '../../src/export/trace-processors-registry';
import { getContentPolicy } from '../../src/content/policy';
import { BaggageSpanProcessor, DEFAULT_BAGGAGE_KEYS } from '../../src/export/BaggageSpanProcessor';
import { ConsoleTreeExporter } from '../../src/export/ConsoleTreeExporter';
import { JsonlFileExporter, readJsonlSpans } from '../../src/export/JsonlFileExporter';
import { renderTraceTree } from '../../src/export/render-trace-tree';
import { endWhenSettled } from '../../src/api/with-span';
import { setTracingDisabled } from '../../src/api/disable';
import { endOpenStreamSpans } from '../../src/calls/Observation';
import {
  estimateCost,
  extendPriceTable,
  getModelPrice,
  resetPriceTable,
  setModelPrice,
} from '../../src/usage/pricing';
import { redactApiKeys, redactEmails } from '../../src/content/redact';
import { CompletedTrace } from '../../src/export/CompletedTrace';
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import type { ExportResult } from '../../src/export/sdk-values';

const TRAPS = [
  'apply',
  'construct',
  'defineProperty',
  'deleteProperty',
  'get',
  'getOwnPropertyDescriptor',
  'getPrototypeOf',
  'has',
  'isExtensible',
  'ownKeys',
  'preventExtensions',
  'set',
  'setPrototypeOf',
] as const;

function everyTrapThrows<T extends object>(target: T): T {
  const handler: ProxyHandler<T> = {};
  for (const trap of TRAPS) {
    (handler as Record<string, unknown>)[trap] = () => {
      throw new Error(`hostile ${trap} trap`);
    };
  }
  return new Proxy(target, handler);
}

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const THROWING_KEYS: (string | symbol)[] = [
  'then',
  'message',
  'name',
  'stack',
  'code',
  'toJSON',
  'toString',
  'valueOf',
  'constructor',
  'type',
  'length',
  'data',
  Symbol.toPrimitive,
  Symbol.iterator,
  Symbol.asyncIterator,
];

function withThrowingGetters<T extends object>(target: T): T {
  for (const key of THROWING_KEYS) {
    Object.defineProperty(target, key, {
      enumerable: typeof key === 'string',
      get() {
        throw new Error(`hostile getter ${String(key)}`);
      },
    });
  }
  return target;
}

const FIVE_MB = 'x'.repeat(5 * 1024 * 1024);

/** Each makes a fresh hostile value. */
const HOSTILE: [string, () => unknown][] = [
  ['a revoked Proxy', revoked],
  ['a Proxy whose every trap throws', () => everyTrapThrows({})],
  ['a function Proxy whose every trap throws', () => everyTrapThrows(function hostile() {})],
  ['an array Proxy whose every trap throws', () => everyTrapThrows([])],
  ['an object whose getters throw', () => withThrowingGetters({})],
  ['an Error whose fields throw', () => withThrowingGetters(new Error('hostile'))],
  [
    'a thenable whose then throws',
    () => ({
      then: () => {
        throw new Error('hostile then');
      },
    }),
  ],
  ['an object with a null prototype', () => Object.create(null) as object],
  ['a 5 MB string', () => FIVE_MB],
  ['a symbol', () => Symbol('hostile')],
  ['a bigint', () => 10n ** 30n],
  ['NaN', () => NaN],
];

/** Every field any span kind reads, so each kind's mapping meets the hostile value. */
const FIELDS = [
  'name',
  'model',
  'provider',
  'description',
  'id',
  'version',
  'conversationId',
  'handoffs',
  'tools',
  'outputType',
  'serverAddress',
  'serverPort',
  'maxTokens',
  'temperature',
  'stopSequences',
  'seed',
  'responseId',
  'responseModel',
  'finishReasons',
  'usage',
  'toolName',
  'callId',
  'toolType',
  'fromAgent',
  'toAgent',
  'triggered',
  'source',
  'method',
  'sessionId',
  'requestId',
  'promptName',
  'resourceUri',
  'data',
  'input',
  'output',
  'mcp',
  'agentName',
  'turn',
  'inputFormat',
  'outputFormat',
  'language',
  'dimensionCount',
  'encodingFormats',
  'systemInstructions',
  'toolDefinitions',
  'isError',
  'result',
  'side',
  'previousResponseId',
  'serviceTier',
  'apiType',
  'operation',
  'stream',
  'timeToFirstChunk',
  'server',
  'clientAddress',
];

const fieldsOf = (h: unknown): never => Object.fromEntries(FIELDS.map((field) => [field, h])) as never;

type Factory = (input: unknown, fn: (span: AgentSpan) => unknown, options?: unknown) => unknown;
const WITH_FACTORIES = Object.entries(factories).filter(([name]) => name.startsWith('with')) as [
  string,
  Factory,
][];
const CREATE_FACTORIES = Object.entries(factories).filter(([name]) => name.startsWith('create')) as [
  string,
  (input: unknown) => AgentSpan,
][];
const TRACED_TYPES: TracedSpanType[] = ['function', 'custom', 'agent', 'task', 'guardrail'];

const sentinel = { sentinel: true };

/** An entry point fed `h`: returns what the caller gets back and what it must be (same identity). */
type Case = (h: unknown) => { got: unknown; expected: unknown };

const SYNC_CASES: [string, Case][] = [
  ...TRACED_TYPES.map((type): [string, Case] => [
    `traced({ type: '${type}' }) returning it`,
    (h) => ({ got: traced(() => h, { type, name: 't' })(), expected: h }),
  ]),
  ...TRACED_TYPES.map((type): [string, Case] => [
    `traced({ type: '${type}' }) given it as the argument`,
    (h) => ({ got: traced((_arg: unknown) => sentinel, { type })(h), expected: sentinel }),
  ]),
  ['traced(fn, it as options)', (h) => ({ got: traced(() => sentinel, h as never)(), expected: sentinel })],
  [
    'traced(it as options) as a decorator factory',
    (h) => {
      // By the overloads, a function there is the function to trace, not options: it goes in the fields.
      const options = typeof h === 'function' ? { name: h, type: h } : h;
      const method = (traced(options as never) as (m: () => unknown, c: unknown) => () => unknown)(
        () => sentinel,
        { kind: 'method', name: 'm', addInitializer() {} },
      );
      return { got: method(), expected: sentinel };
    },
  ],
  ...WITH_FACTORIES.flatMap(([name, withKind]): [string, Case][] => [
    [`${name} returning it`, (h) => ({ got: withKind('n', () => h), expected: h })],
    [
      `${name} given it in every field`,
      (h) => ({ got: withKind(fieldsOf(h), () => sentinel), expected: sentinel }),
    ],
    [`${name} given it as the input`, (h) => ({ got: withKind(h, () => sentinel), expected: sentinel })],
    [
      `${name} given it as the options`,
      (h) => ({ got: withKind('n', () => sentinel, h), expected: sentinel }),
    ],
    [
      `${name} given it as parent and startTime`,
      (h) => ({
        got: withKind('n', () => sentinel, { parent: h, startTime: h }),
        expected: sentinel,
      }),
    ],
  ]),
  ...CREATE_FACTORIES.map(([name, createKind]): [string, Case] => [
    `${name} given it in every field, started and ended`,
    (h) => {
      createKind(fieldsOf(h)).start().end();
      return { got: sentinel, expected: sentinel };
    },
  ]),
  [
    'withSpan given it as the span data',
    (h) => ({ got: withSpan(h as never, () => sentinel), expected: sentinel }),
  ],
  [
    'createSpan / startSpan given it as options',
    (h) => {
      createSpan({ type: 'custom', name: 'c' }, h as never)
        .start()
        .end();
      startSpan({ type: 'custom', name: 's' }, h as never).end();
      return { got: sentinel, expected: sentinel };
    },
  ],
  ['withTrace returning it', (h) => ({ got: withTrace('w', () => h), expected: h })],
  [
    'withTrace given it as the name',
    (h) => ({ got: withTrace(h as never, () => sentinel), expected: sentinel }),
  ],
  [
    'withTrace given it as the options',
    (h) => ({
      // By the overloads, a function there is the traced function itself: it goes in the fields.
      got: withTrace(
        'w',
        (typeof h === 'function' ? { newRoot: h, groupId: h } : h) as never,
        () => sentinel,
      ),
      expected: sentinel,
    }),
  ],
  [
    'withTrace given it as every option',
    (h) => ({
      got: withTrace('w', { groupId: h, metadata: h, traceId: h, startTime: h } as never, () => sentinel),
      expected: sentinel,
    }),
  ],
  [
    'withTrace given it as a metadata value and key',
    (h) => ({
      got: withTrace('w', { metadata: { value: h, [String(typeof h)]: h } }, () => sentinel),
      expected: sentinel,
    }),
  ],
  [
    'startTrace given it as the options',
    (h) => {
      startTrace('w', h as never).end();
      return { got: sentinel, expected: sentinel };
    },
  ],
  [
    'span.update(it)',
    (h) => ({ got: withFactories('update', (span) => span.update(h as never)), expected: sentinel }),
  ],
  [
    'span.update({ every field: it })',
    (h) => ({
      got: withFactories('update fields', (span) => span.update(fieldsOf(h))),
      expected: sentinel,
    }),
  ],
  [
    'span.setError(it)',
    (h) => ({ got: withFactories('setError', (span) => span.setError(h)), expected: sentinel }),
  ],
  [
    'span.setError(error, it as the type)',
    (h) => ({
      got: withFactories('setError type', (span) => span.setError(new Error('e'), h as never)),
      expected: sentinel,
    }),
  ],
  [
    'span.setAttribute(key, it)',
    (h) => ({
      got: withFactories('setAttribute', (span) => span.setAttribute('user.value', h as never)),
      expected: sentinel,
    }),
  ],
  [
    'span.run returning it',
    (h) => ({ got: factories.withCustomSpan('run', (span) => span.run(() => h)), expected: h }),
  ],
  [
    'span.end(it as the end time)',
    (h) => {
      factories
        .createCustomSpan('end')
        .start()
        .end(h as never);
      return { got: sentinel, expected: sentinel };
    },
  ],
  [
    'recordError(otel span, it)',
    (h) => {
      const span = trace.getTracer('t').startSpan('recordError');
      recordError(span, h);
      span.end();
      return { got: sentinel, expected: sentinel };
    },
  ],
  [
    'getCurrentSpan / getCurrentTrace / isTracingDisabled given it as the context',
    (h) => {
      getCurrentSpan(h as never);
      getCurrentTrace(h as never);
      isTracingDisabled(h as never);
      withTrace('context', () => undefined);
      return { got: sentinel, expected: sentinel };
    },
  ],
];

/** Runs `act` on a started custom span inside a trace; returns the sentinel so identity can be checked. */
function withFactories(name: string, act: (span: AgentSpan) => unknown): unknown {
  return withTrace(name, () =>
    factories.withCustomSpan(name, (span) => {
      act(span);
      return sentinel;
    }),
  );
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };
const settle = (promise: PromiseLike<unknown>): Promise<Settled> =>
  Promise.resolve(promise).then(
    (value) => ({ ok: true, value }) as const,
    (error: unknown) => ({ ok: false, error }) as const,
  );

/**
 * Async entry points: traced must settle the way the plain async function does. `pick` gives what
 * must be the same value in both (the resolved array is a new one per call).
 */
const ASYNC_CASES: [string, (h: unknown) => () => Promise<unknown>, (value: unknown) => unknown][] = [
  ['an async function resolving to it', (h) => async () => h, (value) => value],
  ['a promise rejecting with it', (h) => () => Promise.reject(h as Error), (value) => value],
  ['an async function resolving to [it]', (h) => async () => [h], (value) => (value as unknown[])[0]],
];

const modes: ContentCaptureMode[] = ['NO_CONTENT', 'SPAN_AND_EVENT'];

let t: TestTracing;
const delivered: CompletedTrace[] = [];
const good: TraceProcessor = { onTraceEnd: (trace) => void delivered.push(trace) };
let hostileProcessor: unknown;
const processor = {
  onTraceStart: (root: ReadableSpan) => (hostileProcessor as TraceProcessor).onTraceStart?.(root),
};

beforeEach(() => {
  delivered.length = 0;
  hostileProcessor = undefined;
  t = setupTracing(HOSTILE_DATA);
});
afterEach(async () => {
  await t.shutdown();
});

describe.each(modes)('content %s', (mode) => {
  beforeEach(() => {
    configureContent({ captureMode: mode });
  });

  describe.each(HOSTILE)('%s', (_label, make) => {
    it.each(SYNC_CASES)('%s: returns the value unchanged and exports the span', (_name, run) => {
      const h = make();
      const { got, expected } = run(h);
      expect(got).toBe(expected);
      expect(t.spans().length).toBeGreaterThan(0);
    });

    it.each(ASYNC_CASES)('traced %s settles as the plain function does', async (_name, makeFn, pick) => {
      const h = make();
      const fn = makeFn(h);
      const plain = await settle(fn());
      for (const type of TRACED_TYPES) {
        const viaTraced = await settle(traced(fn, { type, name: type })());
        expect(viaTraced.ok).toBe(plain.ok);
        if (plain.ok && viaTraced.ok) expect(pick(viaTraced.value)).toBe(pick(plain.value));
        if (!plain.ok && !viaTraced.ok) {
          // A rejection with the value itself keeps its identity; one raised by the engine (the
          // value's `then` threw) is a new error of the same kind each time.
          if (plain.error === h) expect(viaTraced.error).toBe(h);
          else expect(typeof viaTraced.error).toBe(typeof plain.error);
        }
      }
      await tick();
      expect(
        t
          .spans()
          .map((span) => span.name)
          .sort(),
      ).toEqual(TRACED_TYPES.map(expectedName).sort());
    });
  });
});

function expectedName(type: TracedSpanType): string {
  switch (type) {
    case 'function':
      return 'execute_tool function';
    case 'agent':
      return 'invoke_agent agent';
    case 'custom':
      return 'custom';
    default:
      return `${type} ${type}`;
  }
}

describe.each(HOSTILE)('a trace processor that is %s', (_label, make) => {
  it('does not keep the trace from other processors, nor the span from the exporter', async () => {
    await t.shutdown();
    hostileProcessor = make();
    t = setupSdkTracing({
      skipConformance: HOSTILE_DATA,
      setTracerProvider,
      afterShutdown: resetContentPolicy,
      spanProcessors: [
        new TraceProcessorSpanProcessor({ processors: [hostileProcessor as never, processor, good] }),
      ],
    });
    expect(withTrace('processed', () => sentinel)).toBe(sentinel);
    await t.provider.forceFlush();
    expect(t.spans().map((span) => span.name)).toEqual(['invoke_workflow processed']);
    expect(delivered).toHaveLength(1);
  });

  it('as the options of TraceProcessorSpanProcessor does not throw', () => {
    expect(() => new TraceProcessorSpanProcessor(make() as never)).not.toThrow();
  });
});

/**
 * One-time configuration entry points of `@agent-otel/core` given the hostile value. None may throw;
 * afterwards the pipeline still exports spans, and `check` states what must have been kept.
 */
const CONFIG_CASES: [string, (h: unknown) => void, check?: () => void][] = [
  ['configureContent(it)', (h) => configureContent(h as never), expectDefaultContentPolicy],
  [
    'configureContent({ every option: it })',
    (h) =>
      configureContent({ captureMode: h, maxAttributeLength: h, redactors: h, sensitiveKeys: h } as never),
    expectDefaultContentPolicy,
  ],
  [
    'configureContent({ redactors: [it], sensitiveKeys: [it] }) with content on',
    (h) => {
      configureContent({ captureMode: 'SPAN_ONLY', redactors: [h as never], sensitiveKeys: [h as never] });
      factories.withCustomSpan(
        { name: 'content', data: { text: 'some content', [typeof h]: 1 } },
        () => sentinel,
      );
    },
  ],
  ['setTraceProcessors(it)', (h) => setTraceProcessors(h as never), expectProcessorsKept],
  ['addTraceProcessor(it)', (h) => addTraceProcessor(h as never)],
  ['setTraceProcessors([it])', (h) => setTraceProcessors([h as never])],
  ['setTracerProvider(it)', (h) => setTracerProvider(h as never)],
  ['configureMetrics(it)', (h) => configureMetrics(h as never), resetMetrics],
  [
    'configureMetrics({ every option: it })',
    (h) => configureMetrics({ meterProvider: h, legacyNames: h } as never),
    resetMetrics,
  ],
  ['setLoggerProvider(it)', (h) => setLoggerProvider(h as never), () => setLoggerProvider(undefined)],
  ['setTracingDisabled(it)', (h) => setTracingDisabled(h as never), () => setTracingDisabled(false)],
  ['new BaggageSpanProcessor(it)', (h) => expectDefaultBaggageKeys(new BaggageSpanProcessor(h as never))],
  [
    'new BaggageSpanProcessor({ keys: it })',
    (h) => expectDefaultBaggageKeys(new BaggageSpanProcessor({ keys: h as never })),
  ],
  ['new BaggageSpanProcessor({ keys: [it] })', (h) => void new BaggageSpanProcessor({ keys: [h as never] })],
  ['new ConsoleTreeExporter(it)', (h) => void new ConsoleTreeExporter(h as never).shutdown()],
  [
    'new ConsoleTreeExporter({ every option: it })',
    (h) => {
      const exporter = new ConsoleTreeExporter({
        write: h,
        color: h,
        maxWaitMs: h,
        timelineWidth: h,
        showAttributes: h,
      } as never);
      void exporter.shutdown();
    },
  ],
  ['new JsonlFileExporter(it)', (h) => expectDefaultJsonlPath(new JsonlFileExporter(h as never))],
  [
    'new JsonlFileExporter({ path: it })',
    (h) => {
      // A string is a path the user chose; anything else must give the default.
      const exporter = new JsonlFileExporter({ path: h as never });
      if (typeof h !== 'string') expectDefaultJsonlPath(exporter);
      void exporter.shutdown();
    },
  ],
  [
    'new TraceProcessorSpanProcessor({ every option: it })',
    (h) =>
      void new TraceProcessorSpanProcessor({
        processors: h,
        maxOpenTraces: h,
        maxSpansPerTrace: h,
      } as never).shutdown(),
  ],
  [
    'new TraceProcessorSpanProcessor({ processors: [it] })',
    (h) => void new TraceProcessorSpanProcessor({ processors: [h as never] }),
  ],
  [
    'renderTraceTree given it as the spans, a span and the options',
    (h) => {
      renderTraceTree(h as never);
      renderTraceTree([h as never]);
      renderTraceTree(t.spans(), h as never);
    },
  ],
  [
    'new NoopAgentSpan(it, it) started and ended',
    (h) => void new coreApi.NoopAgentSpan(h as never, h as never).start().end(),
  ],
  [
    'createSpan given it as the tracer option',
    (h) => {
      createSpan({ type: 'custom', name: 'tracer' }, { tracer: h as never })
        .start()
        .end();
    },
  ],
  [
    'endWhenSettled(span, it)',
    (h) => {
      const span = factories.createCustomSpan('settled').start();
      expect(endWhenSettled(span, h)).toBe(h);
    },
  ],
  ['endOpenStreamSpans(it)', (h) => void endOpenStreamSpans(h as never)],
];

function expectDefaultContentPolicy(): void {
  const policy = getContentPolicy();
  expect(policy.mode).toBe('NO_CONTENT');
  expect(policy.maxAttributeLength).toBe(16384);
}

const keptProcessor: TraceProcessor = { onTraceEnd: () => undefined };
function expectProcessorsKept(): void {
  expect(getTraceProcessors()).toEqual([keptProcessor]);
}

function expectDefaultBaggageKeys(processor: BaggageSpanProcessor): void {
  expect(processor.keys).toEqual(DEFAULT_BAGGAGE_KEYS);
}

function expectDefaultJsonlPath(exporter: JsonlFileExporter): void {
  expect(exporter.path).toBe('agent-otel-spans.jsonl');
  void exporter.shutdown();
}

describe.each(HOSTILE)('configuration given %s', (_label, make) => {
  let diagnostics: ReturnType<typeof captureDiag>;
  beforeEach(() => {
    setTraceProcessors([keptProcessor]);
    diagnostics = captureDiag();
  });
  afterEach(() => {
    diagnostics.restore();
    setTraceProcessors([]);
    setTracingDisabled(undefined as never);
  });

  it.each(CONFIG_CASES)('%s does not throw, and spans are still exported', (_name, run, check) => {
    const h = make();
    withTrace('before', () => sentinel);
    expect(() => run(h)).not.toThrow();
    check?.();
    t.exporter.reset();
    expect(withTrace('after', () => sentinel)).toBe(sentinel);
    expect(t.spans().map((span) => span.name)).toContain('invoke_workflow after');
    // Whatever was logged, the logger could write it out.
    expect(diagnostics.messages.every((message) => typeof message.text === 'string')).toBe(true);
  });
});

describe('configureContent given hostile options', () => {
  const OPTIONS = ['captureMode', 'maxAttributeLength', 'redactors', 'sensitiveKeys'] as const;

  it.each(OPTIONS)('an unreadable %s gives its default and one warning naming it', (option) => {
    const diagnostics = captureDiag();
    try {
      const options = {
        captureMode: 'SPAN_ONLY',
        maxAttributeLength: 100,
        redactors: [],
        sensitiveKeys: ['k'],
      };
      Object.defineProperty(options, option, {
        get() {
          throw new Error('hostile');
        },
      });
      const policy = configureContent(options as never);
      const warnings = diagnostics.messages.filter((message) => message.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.text).toContain(option);
      // The other options still apply.
      expect(policy.mode).toBe(option === 'captureMode' ? 'NO_CONTENT' : 'SPAN_ONLY');
      expect(policy.maxAttributeLength).toBe(option === 'maxAttributeLength' ? 16384 : 100);
      const serialized = policy.serialize(
        { k: 'v', apiKey: 'sk-abcdefghijklmnopqrstuvwxyz' },
        'custom.data',
      ).value;
      // Unreadable redactors fall back to the built-in API-key redactor; unreadable keys to the built-in keys.
      expect(serialized).not.toContain('sk-abcdefghijklmnopqrstuvwxyz');
      expect(JSON.parse(serialized).k).toBe(option === 'sensitiveKeys' ? 'v' : '[REDACTED]');
    } finally {
      diagnostics.restore();
    }
  });

  it('an array proxy whose every trap throws as redactors or sensitiveKeys gives the defaults', () => {
    const policy = configureContent({
      captureMode: 'SPAN_ONLY',
      redactors: everyTrapThrows([]),
      sensitiveKeys: everyTrapThrows([]),
    });
    const serialized = policy.serialize(
      { apiKey: 'x', text: 'sk-abcdefghijklmnopqrstuvwxyz' },
      'custom.data',
    );
    expect(JSON.parse(serialized.value)).toEqual({ apiKey: '[REDACTED]', text: '[REDACTED:api_key]' });
  });
});

describe('setTracerProvider given a provider that breaks later', () => {
  it('falls back to the global provider instead of throwing from every span', () => {
    let broken = false;
    const provider = {
      getTracer: (...args: Parameters<typeof t.provider.getTracer>) => {
        if (broken) throw new Error('hostile provider');
        return t.provider.getTracer(...args);
      },
    };
    setTracerProvider(provider);
    broken = true;
    const diagnostics = captureDiag();
    try {
      expect(factories.withCustomSpan('broken provider', () => sentinel)).toBe(sentinel);
      expect(
        diagnostics.messages.some((m) => m.level === 'warn' && m.text.includes('setTracerProvider')),
      ).toBe(true);
    } finally {
      diagnostics.restore();
    }
  });
});

/** The fields of a finished span that exporters and processors read. */
const SPAN_FIELDS = [
  'spanContext',
  'parentSpanContext',
  'name',
  'kind',
  'startTime',
  'endTime',
  'duration',
  'status',
  'attributes',
  'events',
  'links',
  'resource',
  'instrumentationScope',
  'droppedAttributesCount',
  'droppedEventsCount',
  'droppedLinksCount',
  'ended',
] as const;

/** A finished span of the pipeline as a plain object, with `field` (or every field) replaced by `h`. */
function spanWith(real: ReadableSpan, h: unknown, field?: (typeof SPAN_FIELDS)[number]): ReadableSpan {
  const copy: Record<string, unknown> = {};
  for (const key of SPAN_FIELDS) {
    const value = (real as unknown as Record<string, unknown>)[key];
    copy[key] = typeof value === 'function' ? (value as () => unknown).bind(real) : value;
    if (field === undefined || field === key) copy[key] = key === 'spanContext' ? () => h : h;
  }
  return copy as unknown as ReadableSpan;
}

describe.each(HOSTILE)('span data that is %s', (_label, make) => {
  let dir: string;
  let real: ReadableSpan;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-otel-hostile-'));
    withTrace('real', () => sentinel);
    real = t.spans()[0]!;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** What an exporter (`spans`) or a span processor (`span`) is given: the value in each position. */
  const inputs = (h: unknown): { spans: unknown; span: unknown }[] => [
    { spans: h, span: h },
    { spans: [h], span: h },
    { spans: [spanWith(real, h)], span: spanWith(real, h) },
    ...SPAN_FIELDS.map((field) => ({ spans: [spanWith(real, h, field)], span: spanWith(real, h, field) })),
  ];

  it('given to ConsoleTreeExporter.export / forceFlush, does not throw and reports a result', async () => {
    const exporter = new ConsoleTreeExporter({ write: () => undefined });
    for (const { spans } of inputs(make())) {
      const results: ExportResult[] = [];
      expect(() => exporter.export(spans as never, (result) => results.push(result))).not.toThrow();
      expect(results).toHaveLength(1);
      await expect(exporter.forceFlush()).resolves.toBeUndefined();
    }
    await exporter.shutdown();
  });

  it('given to JsonlFileExporter.export, does not throw, reports a result and still writes good spans', async () => {
    const path = join(dir, 'spans.jsonl');
    const exporter = new JsonlFileExporter({ path });
    let results = 0;
    for (const { spans } of inputs(make())) {
      expect(() => exporter.export(spans as never, () => void results++)).not.toThrow();
    }
    exporter.export([real], () => void results++);
    await exporter.forceFlush();
    await exporter.shutdown();
    expect(results).toBe(inputs(make()).length + 1);
    expect((await readJsonlSpans(path)).map((record) => record.name)).toContain(real.name);
  });

  it('given to BaggageSpanProcessor.onStart / onEnd, does not throw', () => {
    const processor = new BaggageSpanProcessor({ keys: ['*'] });
    const baggage = propagation.setBaggage(
      ROOT_CONTEXT,
      propagation.createBaggage({ 'user.id': { value: 'u' } }),
    );
    for (const { span } of inputs(make())) {
      expect(() => processor.onStart(span as never, baggage)).not.toThrow();
      expect(() => processor.onStart(span as never, make() as never)).not.toThrow();
      expect(() => processor.onEnd(span as never)).not.toThrow();
    }
  });

  it('given to TraceProcessorSpanProcessor.onStart / onEnd, does not throw', async () => {
    const processor = new TraceProcessorSpanProcessor({ processors: [good] });
    for (const { span } of inputs(make())) {
      expect(() => processor.onStart(span as never, context.active())).not.toThrow();
      expect(() => processor.onEnd(span as never)).not.toThrow();
    }
    await processor.shutdown();
  });

  it('given to new CompletedTrace, does not throw; spans it cannot read make an empty trace', () => {
    for (const { spans, span } of inputs(make())) {
      expect(() => new CompletedTrace(span as never, spans as never)).not.toThrow();
    }
    const unreadable = new CompletedTrace(make() as never, make() as never);
    if (unreadable.traceId === '') {
      expect(unreadable.spans).toEqual([]);
      expect(unreadable.name).toBe('');
      expect(unreadable.tokenTotals().modelCalls).toBe(0);
    }
  });

  it('given to renderTraceTree and readJsonlSpans, does not throw or reject', async () => {
    for (const { spans } of inputs(make())) expect(typeof renderTraceTree(spans as never)).toBe('string');
    await expect(readJsonlSpans(make() as never)).resolves.toEqual([]);
  });
});

describe.each(HOSTILE)('the price table and the redactors given %s', (_label, make) => {
  afterAll(() => resetPriceTable());
  it.each([
    ['getModelPrice(it)', (h: unknown) => void getModelPrice(h as never)],
    ['estimateCost(it, it)', (h: unknown) => void estimateCost(h as never, h as never)],
    [
      'estimateCost(model, { every count: it })',
      (h: unknown) =>
        void estimateCost('gpt-4o', { inputTokens: h, outputTokens: h, cacheReadInputTokens: h } as never),
    ],
    ['setModelPrice(it, it)', (h: unknown) => setModelPrice(h as never, h as never)],
    ["setModelPrice('m', it)", (h: unknown) => setModelPrice('hostile-model', h as never)],
    ['extendPriceTable(it)', (h: unknown) => extendPriceTable(h as never)],
    ['extendPriceTable({ m: it })', (h: unknown) => extendPriceTable({ 'hostile-model': h } as never)],
    ['redactApiKeys(it)', (h: unknown) => void redactApiKeys(h as never, { field: 'other' })],
    ['redactEmails(it)', (h: unknown) => void redactEmails(h as never, { field: 'other' })],
  ] as [string, (h: unknown) => void][])('%s does not throw', (_name, run) => {
    expect(() => run(make())).not.toThrow();
  });
});

describe('coverage of the application API', () => {
  // Every value export of src/index.ts, and where this file feeds it the hostile table. A new export
  // fails here until it is added to a case above (or, for a constant, to CONSTANTS).
  const CONSTANTS = [
    'VERSION',
    'DEFAULT_PRICE_TABLE',
    'DEFAULT_PRICE_TABLE_DATE',
    'DEFAULT_PRICE_TABLE_SOURCES',
    'MAX_OPEN_TRACES',
    'MAX_SPANS_PER_TRACE',
    'DEFAULT_TIMELINE_WIDTH',
    'CONSOLE_TREE_MAX_WAIT_MS',
    'JSONL_MAX_PENDING_BATCHES',
    'DEFAULT_BAGGAGE_KEYS',
    'ENV_BAGGAGE_KEYS',
  ];
  const COVERED = [
    ...Object.keys(factories),
    'AgentSpan', // every span method above runs on AgentSpan instances from the factories
    'NoopAgentSpan',
    'createSpan',
    'startSpan',
    'withSpan',
    'endWhenSettled',
    'Trace', // startTrace returns it
    'withTrace',
    'startTrace',
    'getCurrentTrace',
    'getCurrentSpan',
    'traced',
    'recordError',
    'setTracingDisabled',
    'isTracingDisabled',
    'setTracerProvider',
    'configureMetrics',
    'resetMetrics', // takes no argument; the configureMetrics cases call it
    'setLoggerProvider',
    'endOpenStreamSpans',
    'configureContent',
    'resetContentPolicy', // takes no argument; every test calls it at shutdown
    'estimateCost',
    'getModelPrice',
    'setModelPrice',
    'extendPriceTable',
    'redactApiKeys',
    'redactEmails',
    'CompletedTrace',
    'resetPriceTable', // takes no argument
    'addTraceProcessor',
    'getTraceProcessors', // takes no argument
    'setTraceProcessors',
    'TraceProcessorSpanProcessor',
    'renderTraceTree',
    'ConsoleTreeExporter',
    'JsonlFileExporter',
    'readJsonlSpans',
    'BaggageSpanProcessor',
  ];

  it('covers every value export of @agent-otel/core', () => {
    const uncovered = Object.keys(coreApi).filter(
      (name) => !CONSTANTS.includes(name) && !COVERED.includes(name),
    );
    expect(uncovered).toEqual([]);
  });
});
