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
import type { CompletedTrace } from '../../src/export/CompletedTrace';
import { setupTracing as setupSdkTracing } from '@agent-otel/testing/tracing';
import { setTracerProvider } from '../../src/api/tracer';
import { resetContentPolicy } from '../../src/content/policy';
import { setupTracing, tick, type TestTracing } from '../helpers';

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
  t = setupTracing();
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
