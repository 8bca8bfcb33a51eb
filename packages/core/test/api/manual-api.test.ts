import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { configureContent, resetContentPolicy } from '../../src/content/policy';
import { setTracingDisabled } from '../../src/api/disable';
import {
  createAgentSpan,
  withAgentSpan,
  withCustomSpan,
  withGenerationSpan,
  withGuardrailSpan,
  withHandoffSpan,
  withToolSpan,
} from '../../src/kinds/factories';
import { getCurrentSpan, getCurrentTrace, startTrace, withTrace } from '../../src/api/trace';
import type { GenerationSpanData } from '../../src/kinds/span-data';
import { startSpan } from '../../src/api/with-span';

import { traced } from '../../src/api/traced';
import { parentOf, setupTracing, tick, type TestTracing } from '../helpers';

let t: TestTracing;
beforeEach(() => {
  t = setupTracing();
  resetContentPolicy();
});
afterEach(async () => {
  setTracingDisabled(false);
  await t.shutdown();
});

describe('withTrace and span nesting', () => {
  it('builds workflow → agent → generation → tool with correct parents and one trace id', async () => {
    const result = await withTrace('support', { groupId: 'conv-42', metadata: { tier: 'gold' } }, async () =>
      withAgentSpan({ name: 'triage', tools: ['lookup'] }, async () => {
        await withGenerationSpan({ model: 'gpt-4o-mini', provider: 'openai' }, async (g) => {
          await tick();
          g.update({ usage: { inputTokens: 10, outputTokens: 2 }, finishReasons: ['tool_call'] });
        });
        return withToolSpan('lookup', async () => 'found');
      }),
    );
    expect(result).toBe('found');
    const root = t.byName('invoke_workflow support');
    const agent = t.byName('invoke_agent triage');
    const gen = t.byName('chat gpt-4o-mini');
    const tool = t.byName('execute_tool lookup');
    expect(parentOf(root)).toBeUndefined();
    expect(parentOf(agent)).toBe(root.spanContext().spanId);
    expect(parentOf(gen)).toBe(agent.spanContext().spanId);
    expect(parentOf(tool)).toBe(agent.spanContext().spanId);
    expect(new Set(t.spans().map((s) => s.spanContext().traceId)).size).toBe(1);
    expect(root.attributes['gen_ai.conversation.id']).toBe('conv-42');
    expect(root.attributes['agent_otel.metadata.tier']).toBe('gold');
    expect(gen.kind).toBe(SpanKind.CLIENT);
    expect(gen.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_call']);
  });

  it('keeps parents right across Promise.all, timers and interleaved runs', async () => {
    const runOne = (n: number) =>
      withTrace(`run-${n}`, () =>
        withAgentSpan(`agent-${n}`, () =>
          Promise.all([
            withToolSpan(`a-${n}`, () => tick(3 - n)),
            withToolSpan(
              `b-${n}`,
              () =>
                new Promise<void>((resolve) =>
                  setTimeout(() => withCustomSpan(`timer-${n}`, () => resolve()), n),
                ),
            ),
          ]),
        ),
      );
    await Promise.all([runOne(0), runOne(1), runOne(2)]);
    for (const n of [0, 1, 2]) {
      const root = t.byName(`invoke_workflow run-${n}`);
      const agent = t.byName(`invoke_agent agent-${n}`);
      const a = t.byName(`execute_tool a-${n}`);
      const b = t.byName(`execute_tool b-${n}`);
      const timer = t.byName(`timer-${n}`);
      expect(parentOf(agent)).toBe(root.spanContext().spanId);
      expect(parentOf(a)).toBe(agent.spanContext().spanId);
      expect(parentOf(b)).toBe(agent.spanContext().spanId);
      expect(parentOf(timer)).toBe(b.spanContext().spanId);
      for (const s of [agent, a, b, timer]) expect(s.spanContext().traceId).toBe(root.spanContext().traceId);
    }
  });

  it('nests spans of other instrumentations under ours and ours under theirs', async () => {
    const tracer = trace.getTracer('other');
    await tracer.startActiveSpan('HTTP POST', async (http) => {
      await withTrace('wf', () =>
        withToolSpan('fetch', () => tracer.startActiveSpan('db query', (db) => db.end())),
      );
      http.end();
    });
    const http = t.byName('HTTP POST');
    const wf = t.byName('invoke_workflow wf');
    expect(parentOf(wf)).toBe(http.spanContext().spanId);
    expect(parentOf(t.byName('db query'))).toBe(t.byName('execute_tool fetch').spanContext().spanId);
  });

  it('starts a new trace with newRoot even under an active span', async () => {
    const tracer = trace.getTracer('other');
    tracer.startActiveSpan('outer', (outer) => {
      withTrace('detached', { newRoot: true }, () => undefined);
      outer.end();
    });
    expect(parentOf(t.byName('invoke_workflow detached'))).toBeUndefined();
    expect(t.byName('invoke_workflow detached').spanContext().traceId).not.toBe(
      t.byName('outer').spanContext().traceId,
    );
  });

  it('exposes the current trace and span', async () => {
    let seen: { trace?: string; span?: string; traceId?: string; group?: string } = {};
    await withTrace('wf', { groupId: 'g1' }, async (tr) => {
      await withAgentSpan('planner', async (agent) => {
        await tick();
        seen = {
          trace: getCurrentTrace()?.name,
          group: getCurrentTrace()?.groupId,
          span: getCurrentSpan() === agent ? 'agent' : 'other',
          traceId: tr.traceId,
        };
      });
    });
    expect(seen).toEqual({
      trace: 'wf',
      group: 'g1',
      span: 'agent',
      traceId: t.byName('invoke_workflow wf').spanContext().traceId,
    });
    expect(getCurrentTrace()).toBeUndefined();
    expect(getCurrentSpan()).toBeUndefined();
  });

  it('returns sync results unchanged and ends the span at once', () => {
    const value = { x: 1 };
    expect(withCustomSpan('sync', () => value)).toBe(value);
    expect(t.spans()).toHaveLength(1);
  });

  it('returns a non-native thenable as the same object', async () => {
    class APIPromiseLike<T> extends Promise<T> {
      withResponse() {
        return 'helper works';
      }
    }
    const original = new APIPromiseLike<number>((resolve) => resolve(5));
    const returned = withGenerationSpan({ model: 'm', provider: 'openai' }, () => original);
    expect(returned).toBe(original);
    expect(returned.withResponse()).toBe('helper works');
    await expect(returned).resolves.toBe(5);
    await tick();
    expect(t.spans().map((s) => s.name)).toEqual(['chat m']);
  });
});

describe('errors', () => {
  it('records a thrown error and re-throws the same object', () => {
    const boom = new TypeError('bad input');
    let caught: unknown;
    try {
      withToolSpan('parse', () => {
        throw boom;
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBe(boom);
    const span = t.byName('execute_tool parse');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad input' });
    expect(span.attributes['error.type']).toBe('TypeError');
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    expect(span.events[0]!.attributes!['exception.message']).toBe('bad input');
  });

  it('records a rejection and the caller sees the same rejection', async () => {
    class RateLimitError extends Error {}
    const err = new RateLimitError('429');
    await expect(
      withGenerationSpan({ model: 'm', provider: 'openai' }, async () => Promise.reject(err)),
    ).rejects.toBe(err);
    expect(t.byName('chat m').attributes['error.type']).toBe('RateLimitError');
  });

  it('records a non-Error throw with error.type _OTHER', async () => {
    await expect(
      withAgentSpan('a', async () => {
        throw 'plain string';
      }),
    ).rejects.toBe('plain string');
    const span = t.byName('invoke_agent a');
    expect(span.attributes['error.type']).toBe('_OTHER');
    expect(span.status.message).toBe('plain string');
  });

  it('records a SpanError {message, data} set by hand without throwing', () => {
    withAgentSpan('a', (span) => {
      span.setError({ message: 'tool refused', data: { type: 'ToolRefused', tool: 'x' } });
    });
    const span = t.byName('invoke_agent a');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'tool refused' });
    expect(span.attributes['error.type']).toBe('ToolRefused');
    expect(JSON.parse(String(span.attributes['agent_otel.error.data']))).toEqual({
      type: 'ToolRefused',
      tool: 'x',
    });
  });

  it('records an error object whose properties throw without breaking the span', () => {
    const hostile = new Proxy(new Error('x'), {
      get(target, key) {
        if (key === 'message' || key === 'stack') throw new Error('getter exploded');
        return Reflect.get(target, key);
      },
    });
    let caught: unknown;
    try {
      withToolSpan('t', () => {
        throw hostile;
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBe(hostile);
    const span = t.byName('execute_tool t');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('explicit start/end handles', () => {
  it('creates, starts, runs and ends a span once', () => {
    const span = createAgentSpan('manual');
    expect(span.started).toBe(false);
    span.start();
    span.run(() => withToolSpan('inner', () => undefined));
    span.end();
    span.end();
    expect(t.spans().filter((s) => s.name === 'invoke_agent manual')).toHaveLength(1);
    expect(parentOf(t.byName('execute_tool inner'))).toBe(
      t.byName('invoke_agent manual').spanContext().spanId,
    );
  });

  it('a span created but never started exports nothing', () => {
    createAgentSpan('never').end();
    expect(t.spans()).toHaveLength(0);
  });

  it('startTrace returns a trace handle whose children nest', () => {
    const tr = startTrace('handle-wf', { groupId: 'g' });
    const agent = createAgentSpan('a', { parent: tr }).start();
    agent.end();
    tr.end();
    expect(parentOf(t.byName('invoke_agent a'))).toBe(
      t.byName('invoke_workflow handle-wf').spanContext().spanId,
    );
  });

  it('update() after end() changes nothing', () => {
    const span = createAgentSpan('a').start();
    span.end();
    span.update({ description: 'late' });
    expect(t.byName('invoke_agent a').attributes['gen_ai.agent.description']).toBeUndefined();
  });
});

describe('async iterators keep their span open until they finish', () => {
  async function* produce(n: number) {
    for (let i = 0; i < n; i++) {
      await tick();
      yield withCustomSpan(`item-${i}`, () => i);
    }
  }

  it('ends after full consumption, with spans made inside the generator nested under it', async () => {
    const stream = withAgentSpan('streamer', () => produce(3));
    expect(t.spans()).toHaveLength(0);
    const items: number[] = [];
    for await (const item of stream) items.push(item);
    expect(items).toEqual([0, 1, 2]);
    const agent = t.byName('invoke_agent streamer');
    expect(agent.attributes['agent_otel.stream.ended_early']).toBeUndefined();
    expect(parentOf(t.byName('item-1'))).toBe(agent.spanContext().spanId);
  });

  it('ends once and is marked when the consumer breaks early', async () => {
    const stream = withAgentSpan('streamer', () => produce(5));
    for await (const item of stream) if (item === 1) break;
    const agents = t.spans().filter((s) => s.name === 'invoke_agent streamer');
    expect(agents).toHaveLength(1);
    expect(agents[0]!.attributes['agent_otel.stream.ended_early']).toBe(true);
    expect(agents[0]!.attributes['agent_otel.stream.end_reason']).toBe('return');
  });

  it('records an error thrown mid-stream and the consumer sees it unchanged', async () => {
    const failure = new RangeError('cut');
    async function* failing() {
      yield 1;
      throw failure;
    }
    const stream = withAgentSpan('streamer', () => failing());
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const item of stream) seen.push(item);
      })(),
    ).rejects.toBe(failure);
    expect(seen).toEqual([1]);
    const agent = t.byName('invoke_agent streamer');
    expect(agent.attributes['error.type']).toBe('RangeError');
    expect(agent.attributes['agent_otel.stream.end_reason']).toBe('error');
  });

  it('keeps the span open for an async function that resolves to a stream', async () => {
    const stream = await withAgentSpan('a', async () => produce(2));
    expect(t.spans().filter((s) => s.name === 'invoke_agent a')).toHaveLength(0);
    for await (const _ of stream) void _;
    expect(t.spans().filter((s) => s.name === 'invoke_agent a')).toHaveLength(1);
  });
});

describe('traced()', () => {
  it('wraps a function as a tool span recording args and result when content is on', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    const lookup = traced(
      async function lookup(city: string) {
        return { city, weather: 'rain' };
      },
      { type: 'function' },
    );
    expect(lookup.name).toBe('lookup');
    await expect(lookup('Paris')).resolves.toEqual({ city: 'Paris', weather: 'rain' });
    const span = t.byName('execute_tool lookup');
    expect(span.attributes['gen_ai.tool.call.arguments']).toBe('Paris');
    expect(JSON.parse(String(span.attributes['gen_ai.tool.call.result']))).toEqual({
      city: 'Paris',
      weather: 'rain',
    });
  });

  it('works as a TC39 method decorator and keeps `this`', async () => {
    class Agent {
      prefix = 'hello';
      @traced({ type: 'agent', name: 'greeter' })
      async greet(name: string) {
        return `${this.prefix} ${name}`;
      }
      @traced
      count() {
        return 3;
      }
    }
    const agent = new Agent();
    await expect(agent.greet('bob')).resolves.toBe('hello bob');
    expect(agent.count()).toBe(3);
    expect(
      t
        .spans()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['count', 'invoke_agent greeter']);
  });
});

describe('content capture through the manual API', () => {
  const run = () =>
    withGenerationSpan(
      { model: 'm', provider: 'openai', input: [{ role: 'user', content: 'secret prompt' }] },
      (g) => g.update({ output: 'secret answer' }),
    );

  it('records no content by default', () => {
    run();
    const attrs = t.byName('chat m').attributes;
    expect(JSON.stringify(attrs)).not.toContain('secret');
  });

  it('records input and output messages when enabled', () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    run();
    const attrs = t.byName('chat m').attributes;
    expect(JSON.parse(String(attrs['gen_ai.input.messages']))[0].parts[0].content).toBe('secret prompt');
    expect(JSON.parse(String(attrs['gen_ai.output.messages']))[0].parts[0].content).toBe('secret answer');
  });

  it('records content on the details event only in EVENT_ONLY mode', () => {
    configureContent({ captureMode: 'EVENT_ONLY' });
    run();
    const span = t.byName('chat m');
    expect(span.attributes['gen_ai.input.messages']).toBeUndefined();
    // A log record through the Logs API (the harness's global logger provider), not a span event.
    expect(span.events).toEqual([]);
    const event = t.logRecords().find((r) => r.eventName === 'gen_ai.client.inference.operation.details');
    expect(JSON.stringify(event?.attributes?.['gen_ai.output.messages'])).toContain('secret answer');
    expect(event?.attributes?.['gen_ai.request.model']).toBe('m');
    expect(event?.spanContext?.spanId).toBe(span.spanContext().spanId);
  });

  it('redacts API keys inside captured content', () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    withToolSpan(
      { name: 'call', input: { header: 'use sk-proj-abcdefghijklmnopqrstuvwxyz0123456789' } },
      () => undefined,
    );
    expect(String(t.byName('execute_tool call').attributes['gen_ai.tool.call.arguments'])).not.toContain(
      'abcdefghijklmnop',
    );
  });
});

describe('guardrails and handoffs', () => {
  it('records a tripped guardrail with a result event', () => {
    withGuardrailSpan({ name: 'no_pii', source: 'input' }, (g) => g.update({ triggered: true }));
    const span = t.byName('guardrail no_pii');
    expect(span.attributes['agent_otel.guardrail.triggered']).toBe(true);
    expect(
      span.events.find((e) => e.name === 'agent_otel.guardrail.result')?.attributes?.[
        'agent_otel.guardrail.result.value'
      ],
    ).toBe('true');
  });

  it('records a handoff as execute_tool with the target agent under our own name (no gen_ai.transfer.*)', () => {
    withHandoffSpan(
      { fromAgent: 'triage', toAgent: 'billing', toolName: 'transfer_to_billing' },
      () => undefined,
    );
    const attributes = t.byName('execute_tool transfer_to_billing').attributes;
    expect(attributes['agent_otel.handoff.to_agent']).toBe('billing');
    expect(attributes['agent_otel.handoff.mode']).toBe('pass_control');
    expect(Object.keys(attributes).filter((key) => key.startsWith('gen_ai.transfer.'))).toEqual([]);
  });
});

describe('awkward values never break tracing', () => {
  it('exports spans whose data holds circular refs, BigInt, buffers and throwing getters', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const hostile = {
      get boom() {
        throw new Error('no');
      },
      ok: 1,
    };
    await withTrace(
      'odd',
      { metadata: { circular, big: 10n as unknown as number, buf: Buffer.from('hi') } },
      async () =>
        withToolSpan(
          { name: 'odd-tool', input: { circular, big: 2n ** 70n, hostile, fn: () => 1, sym: Symbol('s') } },
          async () => 'ok',
        ),
    );
    expect(
      t
        .spans()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['execute_tool odd-tool', 'invoke_workflow odd']);
    const args = String(t.byName('execute_tool odd-tool').attributes['gen_ai.tool.call.arguments']);
    expect(() => JSON.parse(args)).not.toThrow();
    expect(args).toContain('1180591620717411303424');
    expect(String(t.byName('invoke_workflow odd').attributes['agent_otel.metadata.circular'])).toContain(
      '[Circular]',
    );
  });
});

describe('context is restored after each span', () => {
  it('leaves the outer context active after sync, async and failing spans', async () => {
    const before = context.active();
    withCustomSpan('a', () => undefined);
    await withCustomSpan('b', async () => tick());
    await withCustomSpan('c', async () => {
      throw new Error('x');
    }).catch(() => undefined);
    expect(context.active()).toBe(before);
  });
});

describe('ending a model-call span', () => {
  const request: GenerationSpanData = {
    type: 'generation',
    model: 'gpt-4o-mini',
    provider: 'openai',
    maxTokens: 64,
    serverAddress: 'api.test',
    serverPort: 443,
  };
  const response = {
    responseId: 'chatcmpl-1',
    responseModel: 'gpt-4o-mini-2024-07-18',
    finishReasons: ['stop'],
    usage: { inputTokens: 12, outputTokens: 3 },
  };

  it('records the same attributes whether the response arrives by update or with the start data', async () => {
    await withTrace('a', async () => {
      const updated = startSpan({ ...request });
      updated.update(response);
      updated.end();
      const whole = startSpan({ ...request, ...response });
      whole.end();
    });
    const [first, second] = t.spans().filter((span) => span.name === 'chat gpt-4o-mini');
    expect(first!.attributes).toEqual(second!.attributes);
    expect(first!.attributes['gen_ai.response.id']).toBe('chatcmpl-1');
    expect(first!.attributes['agent_otel.cost.usd']).toEqual(expect.any(Number));
  });

  it('maps the whole span again when a request field changed after the start (name included)', () => {
    const span = startSpan({ ...request });
    span.update({ ...response, model: 'gpt-4o' });
    span.end();
    const ended = t.byName('chat gpt-4o');
    expect(ended.attributes['gen_ai.request.model']).toBe('gpt-4o');
    expect(ended.attributes['gen_ai.response.id']).toBe('chatcmpl-1');
  });
});
