// LangGraph graphs and createAgent agents with the real @langchain/core, @langchain/langgraph, langchain
// and @langchain/openai against the scripted server, traced by a per-call handler into the real OTel SDK.
import { endOpenStreamSpans, withCustomSpan } from '@agent-otel/core';
import type { RecordedRequest, ScriptedResponse } from '@agent-otel/testing';
import { RunnableLambda, type RunnableConfig } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { Annotation, Command, END, interrupt, MemorySaver, START, StateGraph } from '@langchain/langgraph';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { createAgent } from 'langchain';
import { z } from 'zod';
import { createLangChainHandler } from '../src/index';
import { named, parentSpan, rootOf, scriptedChatModel, sleep, timeTool, weatherTool } from './graph-fixtures';
import {
  attributesOf,
  captureDiag,
  runAttributes,
  setupTracing,
  treeOf,
  useServer,
  type TestTracing,
} from './helpers';

const State = Annotation.Root({ value: Annotation<string>(), count: Annotation<number>() });
type StateType = typeof State.State;

const endNanos = (span: ReadableSpan) => span.endTime[0] * 1e9 + span.endTime[1];
const startNanos = (span: ReadableSpan) => span.startTime[0] * 1e9 + span.startTime[1];

describe('LangGraph graphs and createAgent', () => {
  const h = useServer();
  let t: TestTracing;
  beforeAll(() => {
    t = setupTracing();
  });
  afterEach(() => t.reset());
  afterAll(() => t.shutdown());

  describe('createAgent', () => {
    it('records parallel tool calls of one model turn, the usage roll-up and the thread as conversation id', async () => {
      h.server.enqueue({
        toolCalls: [
          { id: 'call_w', name: 'weather', arguments: { city: 'Paris' } },
          { id: 'call_t', name: 'time', arguments: { city: 'Paris' } },
        ],
        usage: { inputTokens: 10, outputTokens: 5 },
      });
      h.server.enqueue({ text: 'Sunny, noon.', usage: { inputTokens: 20, outputTokens: 3 } });
      const handler = createLangChainHandler();
      const agent = createAgent({
        model: scriptedChatModel(h.server.openaiBaseURL),
        tools: [weatherTool, timeTool],
        name: 'weather_agent',
        checkpointer: new MemorySaver(),
      });
      const result = await agent.invoke(
        { messages: [{ role: 'user', content: 'Weather and time in Paris?' }] },
        { callbacks: [handler], configurable: { thread_id: 'thread-1' } },
      );
      expect(result.messages.at(-1)?.content).toBe('Sunny, noon.');
      const spans = t.spans();
      expect(treeOf(spans)).toEqual([
        'invoke_agent weather_agent [INTERNAL]',
        '  task model_request [INTERNAL]',
        '    chat gpt-4o-mini [CLIENT]',
        '  task model_request [INTERNAL]',
        '    chat gpt-4o-mini [CLIENT]',
        // createAgent sends each tool call of the turn to its own `tools` task (LangGraph Send), in one step.
        '  task tools [INTERNAL]',
        '    execute_tool weather [INTERNAL]',
        '  task tools [INTERNAL]',
        '    execute_tool time [INTERNAL]',
      ]);
      expect(attributesOf(t.byName('invoke_agent weather_agent'))).toEqual(
        runAttributes('invoke_agent', 'weather_agent', {
          'gen_ai.conversation.id': 'thread-1',
          'gen_ai.usage.input_tokens': 30,
          'gen_ai.usage.output_tokens': 8,
          'agent_otel.usage.model_calls': 2,
          'agent_otel.cost.usd': expect.any(Number),
        }),
      );
      const chats = named(spans, 'chat gpt-4o-mini').sort((a, b) => startNanos(a) - startNanos(b));
      expect(chats.map((span) => attributesOf(span))).toEqual([
        {
          'agent_otel.span.kind': 'generation',
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.conversation.id': 'thread-1',
          'gen_ai.response.id': 'chatcmpl-000001',
          'gen_ai.response.model': 'gpt-4o-mini',
          'gen_ai.response.finish_reasons': ['tool_call'],
          'gen_ai.usage.input_tokens': 10,
          'gen_ai.usage.output_tokens': 5,
          'agent_otel.cost.usd': expect.any(Number),
        },
        {
          'agent_otel.span.kind': 'generation',
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.conversation.id': 'thread-1',
          'gen_ai.response.id': 'chatcmpl-000002',
          'gen_ai.response.model': 'gpt-4o-mini',
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.usage.input_tokens': 20,
          'gen_ai.usage.output_tokens': 3,
          'agent_otel.cost.usd': expect.any(Number),
        },
      ]);
      // The roll-up is the sum of the chat spans beneath.
      const sum = (key: string) => chats.reduce((total, span) => total + (span.attributes[key] as number), 0);
      const agentSpan = t.byName('invoke_agent weather_agent');
      expect(agentSpan.attributes['gen_ai.usage.input_tokens']).toBe(sum('gen_ai.usage.input_tokens'));
      expect(agentSpan.attributes['gen_ai.usage.output_tokens']).toBe(sum('gen_ai.usage.output_tokens'));

      const modelTasks = named(spans, 'task model_request').sort((a, b) => startNanos(a) - startNanos(b));
      expect(modelTasks.map((span) => attributesOf(span))).toEqual(
        [1, 3].map((step) => ({
          'agent_otel.span.kind': 'task',
          'agent_otel.task.name': 'model_request',
          'agent_otel.langgraph.node': 'model_request',
          'agent_otel.langgraph.step': step,
        })),
      );
      for (const span of named(spans, 'task tools')) {
        expect(attributesOf(span)).toEqual({
          'agent_otel.span.kind': 'task',
          'agent_otel.task.name': 'tools',
          'agent_otel.langgraph.node': 'tools',
          'agent_otel.langgraph.step': 2,
        });
      }
      const weather = t.byName('execute_tool weather');
      const time = t.byName('execute_tool time');
      // LangChain reports a tool run without its description: it comes from the agent's model call's tools.
      for (const [span, name, callId, description] of [
        [weather, 'weather', 'call_w', 'The weather in a city'],
        [time, 'time', 'call_t', 'The time in a city'],
      ] as const) {
        expect(attributesOf(span)).toEqual({
          'agent_otel.span.kind': 'function',
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': name,
          'gen_ai.tool.type': 'function',
          'gen_ai.tool.description': description,
          'gen_ai.tool.call.id': callId,
          'gen_ai.agent.name': 'weather_agent',
        });
        expect(parentSpan(spans, span)?.name).toBe('task tools');
      }
      // Both calls of the turn ran at once.
      expect(startNanos(weather)).toBeLessThan(endNanos(time));
      expect(startNanos(time)).toBeLessThan(endNanos(weather));
      expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
      expect(spans.every((span) => span.status.code === SpanStatusCode.UNSET)).toBe(true);
      expect(handler.openRuns).toBe(0);
    });

    it('marks a tool that throws as an error, and the agent goes on (ToolNode returns an error ToolMessage)', async () => {
      h.server.enqueue({ toolCalls: [{ id: 'call_b', name: 'broken', arguments: { city: 'Paris' } }] });
      h.server.enqueue({ text: 'The backend is down.' });
      const broken = tool(
        async (): Promise<string> => {
          throw new TypeError('backend down');
        },
        { name: 'broken', description: 'A broken tool', schema: z.object({ city: z.string() }) },
      );
      const agent = createAgent({
        model: scriptedChatModel(h.server.openaiBaseURL),
        tools: [broken],
        name: 'fragile',
      });
      const result = await agent.invoke(
        { messages: [{ role: 'user', content: 'Weather?' }] },
        { callbacks: [createLangChainHandler()] },
      );
      const toolMessage = result.messages.find((message) => message.type === 'tool') as { status?: string };
      expect(toolMessage.status).toBe('error');
      expect(result.messages.at(-1)?.content).toBe('The backend is down.');
      expect(treeOf(t.spans())).toEqual([
        'invoke_agent fragile [INTERNAL]',
        '  task model_request [INTERNAL]',
        '    chat gpt-4o-mini [CLIENT]',
        '  task model_request [INTERNAL]',
        '    chat gpt-4o-mini [CLIENT]',
        '  task tools [INTERNAL]',
        '    execute_tool broken [INTERNAL]',
      ]);
      const toolSpan = t.byName('execute_tool broken');
      expect(toolSpan.status.code).toBe(SpanStatusCode.ERROR);
      expect(toolSpan.attributes['error.type']).toBe('TypeError');
      expect(toolSpan.attributes['gen_ai.tool.call.id']).toBe('call_b');
      // The failure was handled inside the agent: nothing above the tool is an error.
      for (const span of t.spans().filter((span) => span !== toolSpan)) {
        expect([span.name, span.status.code]).toEqual([span.name, SpanStatusCode.UNSET]);
      }
    });
  });

  describe('StateGraph', () => {
    function plannerGraph(baseURL: string) {
      const model = scriptedChatModel(baseURL);
      const sub = new StateGraph(State)
        .addNode('inner', async (state: StateType) => ({ value: `${state.value}+inner` }))
        .addEdge(START, 'inner')
        .addEdge('inner', END)
        .compile({ name: 'sub_graph' });
      return new StateGraph(State)
        .addNode('plan', async (state: StateType) => {
          const reply = await model.invoke(state.value);
          return { value: String(reply.content), count: (state.count ?? 0) + 1 };
        })
        .addNode('sub', sub)
        .addNode('finish', async () => ({ value: 'done' }))
        .addEdge(START, 'plan')
        .addConditionalEdges('plan', (state: StateType) => (state.count < 2 ? 'sub' : 'finish'))
        .addEdge('sub', 'plan')
        .addEdge('finish', END)
        .compile({ name: 'planner' });
    }

    it('records invoke_workflow {name}, a task per node, a subgraph as a nested invoke_agent, and no plumbing', async () => {
      h.server.setDefault({ text: 'planned', usage: { inputTokens: 4, outputTokens: 2 } });
      const handler = createLangChainHandler();
      const result = await plannerGraph(h.server.openaiBaseURL).invoke(
        { value: 'go', count: 0 },
        { callbacks: [handler] },
      );
      expect(result).toEqual({ value: 'done', count: 2 });
      const spans = t.spans();
      expect(treeOf(spans)).toEqual([
        'invoke_workflow planner [INTERNAL]',
        '  task finish [INTERNAL]',
        '  task plan [INTERNAL]',
        '    chat gpt-4o-mini [CLIENT]',
        '  task plan [INTERNAL]',
        '    chat gpt-4o-mini [CLIENT]',
        '  task sub [INTERNAL]',
        '    invoke_agent sub_graph [INTERNAL]',
        '      task inner [INTERNAL]',
      ]);
      // __start__, ChannelWrite, branches (the conditional edge) and the subgraph's own plumbing: no span.
      expect(
        spans.filter((span) =>
          /__start__|ChannelWrite|Branch|RunnableSequence|RunnableLambda/.test(span.name),
        ),
      ).toEqual([]);
      expect(attributesOf(t.byName('invoke_workflow planner'))).toEqual(
        runAttributes('invoke_workflow', 'planner', {
          'gen_ai.usage.input_tokens': 8,
          'gen_ai.usage.output_tokens': 4,
          'agent_otel.usage.model_calls': 2,
          'agent_otel.cost.usd': expect.any(Number),
        }),
      );
      expect(attributesOf(t.byName('invoke_agent sub_graph'))).toEqual(
        runAttributes('invoke_agent', 'sub_graph'),
      );
      const steps = spans
        .filter((span) => span.name.startsWith('task '))
        .sort((a, b) => startNanos(a) - startNanos(b))
        .map((span) => [
          span.attributes['agent_otel.langgraph.node'],
          span.attributes['agent_otel.langgraph.step'],
        ]);
      expect(steps).toEqual([
        ['plan', 1],
        ['sub', 2],
        ['inner', 1],
        ['plan', 3],
        ['finish', 4],
      ]);
      expect(attributesOf(t.byName('task finish'))).toEqual({
        'agent_otel.span.kind': 'task',
        'agent_otel.task.name': 'finish',
        'agent_otel.langgraph.node': 'finish',
        'agent_otel.langgraph.step': 4,
      });
      expect(handler.openRuns).toBe(0);
    });

    it('records a node that throws as an error on the node and the graph, and re-throws the same error', async () => {
      const boom = new RangeError('boom');
      const graph = new StateGraph(State)
        .addNode('bad', async (): Promise<Partial<StateType>> => {
          throw boom;
        })
        .addEdge(START, 'bad')
        .addEdge('bad', END)
        .compile({ name: 'failing' });
      const handler = createLangChainHandler();
      const error = await graph
        .invoke({ value: 'x' }, { callbacks: [handler] })
        .catch((caught: unknown) => caught);
      expect(error).toBe(boom);
      expect(treeOf(t.spans())).toEqual(['invoke_workflow failing [INTERNAL]', '  task bad [INTERNAL]']);
      for (const name of ['invoke_workflow failing', 'task bad']) {
        const span = t.byName(name);
        expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
        expect(span.attributes['error.type']).toBe('RangeError');
      }
      expect(handler.openRuns).toBe(0);
    });

    it('ends every span once with error.type AbortError when the caller aborts, and the caller sees the same error', async () => {
      const model = scriptedChatModel(h.server.openaiBaseURL);
      const graph = new StateGraph(State)
        .addNode('call', async (state: StateType) => ({
          value: String((await model.invoke(state.value)).content),
        }))
        .addEdge(START, 'call')
        .addEdge('call', END)
        .compile({ name: 'slow' });
      const run = async (callbacks: unknown[]) => {
        h.server.enqueue({ text: 'too late', delayMs: 300 });
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 50);
        const error = await graph
          .invoke({ value: 'x' }, { signal: controller.signal, callbacks: callbacks as never })
          .then(
            () => new Error('the run was not aborted'),
            (caught: unknown) => caught as Error,
          );
        await sleep(350);
        return error;
      };
      const plain = await run([]);
      expect(t.spans()).toEqual([]);
      const diagnostics = captureDiag();
      const handler = createLangChainHandler();
      let traced: Error;
      try {
        traced = await run([handler]);
      } finally {
        diagnostics.restore();
      }
      expect(traced).toBeInstanceOf(plain.constructor);
      expect([traced.name, traced.message]).toEqual([plain.name, plain.message]);
      expect(
        diagnostics.messages.filter((message) => message.level === 'warn' || message.level === 'error'),
      ).toEqual([]);
      const spans = t.spans();
      expect(treeOf(spans)).toEqual([
        'invoke_workflow slow [INTERNAL]',
        '  task call [INTERNAL]',
        '    chat gpt-4o-mini [CLIENT]',
      ]);
      expect(new Set(spans.map((span) => span.spanContext().spanId)).size).toBe(3);
      expect(handler.openRuns).toBe(0);
      const outcome = spans
        .map((span) => [span.name, span.status.code, span.attributes['error.type']])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      expect(outcome).toEqual([
        ['chat gpt-4o-mini', SpanStatusCode.ERROR, 'AbortError'],
        // LangGraph reports the root's abort as `new Error('Abort')` (pregel/runner), not core's 'Aborted'.
        ['invoke_workflow slow', SpanStatusCode.ERROR, 'AbortError'],
        ['task call', SpanStatusCode.ERROR, 'AbortError'],
      ]);
    });
  });

  describe('interrupts', () => {
    it('records an interrupt as no error, and the resume with agent_otel.langgraph.resumed, in the same conversation', async () => {
      const graph = new StateGraph(State)
        .addNode('ask', async () => ({ value: String(interrupt('Proceed?')) }))
        .addNode('after', async (state: StateType) => ({ value: `${state.value}!` }))
        .addEdge(START, 'ask')
        .addEdge('ask', 'after')
        .addEdge('after', END)
        .compile({ name: 'approval', checkpointer: new MemorySaver() });
      const handler = createLangChainHandler();
      const config = { callbacks: [handler], configurable: { thread_id: 'thread-hitl' } };

      const paused = await graph.invoke({ value: 'start' }, config);
      expect((paused as { __interrupt__?: unknown }).__interrupt__).toEqual([
        expect.objectContaining({ value: 'Proceed?' }),
      ]);
      const first = t.spans();
      expect(treeOf(first)).toEqual(['invoke_workflow approval [INTERNAL]', '  task ask [INTERNAL]']);
      expect(first.every((span) => span.status.code === SpanStatusCode.UNSET)).toBe(true);
      const pausedGraph = t.byName('invoke_workflow approval');
      expect(attributesOf(pausedGraph)).toEqual(
        runAttributes('invoke_workflow', 'approval', {
          'gen_ai.conversation.id': 'thread-hitl',
          'agent_otel.langgraph.interrupted': true,
          'agent_otel.langgraph.checkpoint_id': expect.any(String),
        }),
      );
      expect(attributesOf(t.byName('task ask'))).toEqual({
        'agent_otel.span.kind': 'task',
        'agent_otel.task.name': 'ask',
        'agent_otel.langgraph.node': 'ask',
        'agent_otel.langgraph.step': 1,
        'agent_otel.langgraph.interrupted': true,
      });
      expect(handler.openRuns).toBe(0);
      t.reset();

      const resumed = await graph.invoke(new Command({ resume: 'yes' }), config);
      expect(resumed).toEqual({ value: 'yes!' });
      const second = t.spans();
      expect(treeOf(second)).toEqual([
        'invoke_workflow approval [INTERNAL]',
        '  task after [INTERNAL]',
        '  task ask [INTERNAL]',
      ]);
      expect(second.every((span) => span.status.code === SpanStatusCode.UNSET)).toBe(true);
      const resumedGraph = t.byName('invoke_workflow approval');
      expect(attributesOf(resumedGraph)).toEqual(
        runAttributes('invoke_workflow', 'approval', {
          'gen_ai.conversation.id': 'thread-hitl',
          'agent_otel.langgraph.resumed': true,
          'agent_otel.langgraph.checkpoint_id': pausedGraph.attributes['agent_otel.langgraph.checkpoint_id'],
        }),
      );
      expect(t.byName('task ask').attributes['agent_otel.langgraph.interrupted']).toBeUndefined();
      // Two traces (one per invoke), joined by the conversation id.
      expect(resumedGraph.spanContext().traceId).not.toBe(pausedGraph.spanContext().traceId);
      expect(handler.openRuns).toBe(0);
    });
  });

  describe('streaming', () => {
    function twoStepGraph(baseURL: string) {
      const model = scriptedChatModel(baseURL);
      return new StateGraph(State)
        .addNode('draft', async (state: StateType) => ({
          value: String((await model.invoke(state.value)).content),
        }))
        .addNode('polish', async (state: StateType) => ({ value: `${state.value}!` }))
        .addEdge(START, 'draft')
        .addEdge('draft', 'polish')
        .addEdge('polish', END)
        .compile({ name: 'streamer' });
    }
    const fullTree = [
      'invoke_workflow streamer [INTERNAL]',
      '  task draft [INTERNAL]',
      '    chat gpt-4o-mini [CLIENT]',
      '  task polish [INTERNAL]',
    ];

    it.each(['values', 'updates', 'messages'] as const)(
      'streamMode %s consumed fully: the same tree, every span ended once',
      async (streamMode) => {
        h.server.setDefault({ text: 'a streamed draft', usage: { inputTokens: 3, outputTokens: 4 } });
        const handler = createLangChainHandler();
        const stream = await twoStepGraph(h.server.openaiBaseURL).stream(
          { value: 'x' },
          { streamMode, callbacks: [handler] },
        );
        let chunks = 0;
        for await (const _chunk of stream) chunks++;
        expect(chunks).toBeGreaterThan(1);
        expect(handler.openRuns).toBe(0);
        const spans = t.spans();
        expect(treeOf(spans)).toEqual(fullTree);
        expect(spans.every((span) => span.status.code === SpanStatusCode.UNSET)).toBe(true);
        const chat = t.byName('chat gpt-4o-mini');
        expect(chat.attributes['gen_ai.usage.output_tokens']).toBe(4);
        // In `messages` mode LangGraph streams the model's tokens: the chat span records the stream.
        expect(chat.attributes['gen_ai.request.stream']).toBe(streamMode === 'messages' ? true : undefined);
      },
    );

    it.each(['values', 'updates'] as const)(
      'streamMode %s left early with break: LangGraph ends the runs, every span ends once',
      async (streamMode) => {
        h.server.setDefault({ text: 'a streamed draft', delayMs: 20 });
        const handler = createLangChainHandler();
        const diagnostics = captureDiag();
        try {
          const stream = await twoStepGraph(h.server.openaiBaseURL).stream(
            { value: 'x' },
            { streamMode, callbacks: [handler] },
          );
          for await (const _chunk of stream) break;
          await sleep(100);
        } finally {
          diagnostics.restore();
        }
        expect(handler.openRuns).toBe(0);
        const spans = t.spans();
        expect(new Set(spans.map((span) => span.spanContext().spanId)).size).toBe(spans.length);
        expect(named(spans, 'invoke_workflow streamer')).toHaveLength(1);
        expect(named(spans, 'task draft')).toHaveLength(1);
        expect(spans.every((span) => rootOf(spans, span).name === 'invoke_workflow streamer')).toBe(true);
        expect(t.byName('invoke_workflow streamer').status.code).toBe(SpanStatusCode.ERROR);
        expect(
          diagnostics.messages.filter((message) => message.level === 'warn' || message.level === 'error'),
        ).toEqual([]);
      },
    );

    it('streamMode messages left early: LangGraph never ends the graph run; its span ends once at shutdown', async () => {
      h.server.setDefault({ text: 'a streamed draft', chunkSize: 2 });
      const handler = createLangChainHandler();
      const stream = await twoStepGraph(h.server.openaiBaseURL).stream(
        { value: 'x' },
        { streamMode: 'messages', callbacks: [handler] },
      );
      for await (const _chunk of stream) break;
      await sleep(100);
      // The node and the model call end (aborted); LangGraph reports no end for the graph run itself.
      expect(treeOf(t.spans())).toEqual(['task draft [INTERNAL]', '  chat gpt-4o-mini [CLIENT]']);
      expect(handler.openRuns).toBe(1);
      endOpenStreamSpans();
      expect(handler.openRuns).toBe(0);
      expect(treeOf(t.spans())).toEqual([
        'invoke_workflow streamer [INTERNAL]',
        '  task draft [INTERNAL]',
        '    chat gpt-4o-mini [CLIENT]',
      ]);
      expect(attributesOf(t.byName('invoke_workflow streamer'), ['agent_otel.stream'])).toEqual({
        'agent_otel.stream.ended_early': true,
        'agent_otel.stream.end_reason': 'shutdown',
      });
      endOpenStreamSpans();
      expect(t.spans()).toHaveLength(3);
    });
  });

  describe('concurrency', () => {
    it('keeps 20 concurrent agent runs apart: every span under its own run', async () => {
      const RUNS = 20;
      // The scripted model: a tool call first (call id naming the run), then an answer; in any order, with jitter.
      const reply = async (request: RecordedRequest): Promise<ScriptedResponse> => {
        const messages = request.body.messages as { role: string; content: string }[];
        const run = /run (\d+)/.exec(messages.find((message) => message.role === 'user')!.content)![1];
        await sleep(Math.floor(Math.random() * 20));
        return messages.at(-1)!.role === 'tool'
          ? { text: `done ${run}`, usage: { inputTokens: 7, outputTokens: 2 } }
          : {
              toolCalls: [{ id: `call_${run}`, name: 'lookup', arguments: { run } }],
              usage: { inputTokens: 5, outputTokens: 1 },
            };
      };
      h.server.setDefault(reply);
      const lookup = tool(
        async ({ run }) => {
          await sleep(Math.floor(Math.random() * 10));
          return trace.getTracer('test').startActiveSpan('lookup work', (span) => {
            span.setAttribute('test.run', run);
            span.end();
            return `found ${run}`;
          });
        },
        { name: 'lookup', description: 'Look up', schema: z.object({ run: z.string() }) },
      );
      const agent = createAgent({
        model: scriptedChatModel(h.server.openaiBaseURL),
        tools: [lookup],
        name: 'parallel_agent',
        checkpointer: new MemorySaver(),
      });
      const handler = createLangChainHandler();
      const results = await Promise.all(
        Array.from({ length: RUNS }, (_, index) =>
          agent.invoke(
            { messages: [{ role: 'user', content: `run ${index}` }] },
            {
              callbacks: [handler],
              configurable: { thread_id: `thread-${index}` },
              metadata: { run: String(index) },
            },
          ),
        ),
      );
      expect(results.map((result) => result.messages.at(-1)?.content)).toEqual(
        Array.from({ length: RUNS }, (_, index) => `done ${index}`),
      );
      expect(handler.openRuns).toBe(0);
      const spans = t.spans();
      const roots = spans.filter((span) => parentSpan(spans, span) === undefined);
      expect(roots.map((span) => span.name)).toEqual(Array(RUNS).fill('invoke_agent parallel_agent'));
      expect(new Set(roots.map((span) => span.spanContext().traceId)).size).toBe(RUNS);
      const runOf = (span: ReadableSpan) => rootOf(spans, span).attributes['agent_otel.metadata.run'];
      expect(roots.map((span) => span.attributes['gen_ai.conversation.id'])).toEqual(
        roots.map((span) => `thread-${span.attributes['agent_otel.metadata.run']}`),
      );
      let misparented = 0;
      for (const span of spans) {
        const root = rootOf(spans, span);
        if (span.spanContext().traceId !== root.spanContext().traceId) misparented++;
        if (span.name.startsWith('chat ')) {
          const parent = parentSpan(spans, span);
          if (parent?.name !== 'task model_request') misparented++;
          if (span.attributes['gen_ai.conversation.id'] !== root.attributes['gen_ai.conversation.id'])
            misparented++;
        }
        if (span.name === 'execute_tool lookup') {
          if (parentSpan(spans, span)?.name !== 'task tools') misparented++;
          if (span.attributes['gen_ai.tool.call.id'] !== `call_${runOf(span)}`) misparented++;
        }
        if (span.name === 'lookup work') {
          const parent = parentSpan(spans, span);
          if (parent?.name !== 'execute_tool lookup') misparented++;
          if (span.attributes['test.run'] !== runOf(span)) misparented++;
        }
        // Metadata is recorded on the run's root only.
        if (span !== root && span.attributes['agent_otel.metadata.run'] !== undefined) misparented++;
      }
      expect(misparented).toBe(0);
      expect(named(spans, 'chat gpt-4o-mini')).toHaveLength(2 * RUNS);
      expect(named(spans, 'execute_tool lookup')).toHaveLength(RUNS);
      expect(named(spans, 'lookup work')).toHaveLength(RUNS);
      expect(spans).toHaveLength(RUNS * 8);
      for (const root of roots) {
        expect(attributesOf(root, ['gen_ai.usage.'])).toEqual({
          'gen_ai.usage.input_tokens': 12,
          'gen_ai.usage.output_tokens': 3,
        });
      }
    });
  });

  describe('OpenTelemetry context inside runs', () => {
    it('nests manual spans under the execute_tool span (tool function) and the task span (node function)', async () => {
      h.server.enqueue({ toolCalls: [{ id: 'call_m', name: 'manual', arguments: { city: 'Paris' } }] });
      h.server.enqueue({ text: 'ok' });
      const manual = tool(
        async ({ city }) => {
          await sleep(1);
          return withCustomSpan('inside tool', async () => `checked ${city}`);
        },
        { name: 'manual', description: 'Makes a manual span', schema: z.object({ city: z.string() }) },
      );
      const agent = createAgent({
        model: scriptedChatModel(h.server.openaiBaseURL),
        tools: [manual],
        name: 'ctx_agent',
      });
      const graph = new StateGraph(State)
        .addNode('work', async (state: StateType, config: RunnableConfig) => {
          await trace.getTracer('test').startActiveSpan('inside node', async (span) => {
            await sleep(1);
            span.end();
          });
          // An unnamed lambda has no span: its manual span nests under the node; a named one is a task.
          await RunnableLambda.from(async () => {
            trace.getTracer('test').startSpan('inside unnamed lambda').end();
          }).invoke(undefined, config);
          await RunnableLambda.from(async () => {
            await sleep(1);
            trace.getTracer('test').startSpan('inside named lambda').end();
          })
            .withConfig({ runName: 'helper' })
            .invoke(undefined, config);
          const result = await agent.invoke({ messages: [{ role: 'user', content: state.value }] }, config);
          return { value: String(result.messages.at(-1)?.content) };
        })
        .addEdge(START, 'work')
        .addEdge('work', END)
        .compile({ name: 'outer' });
      await graph.invoke({ value: 'check Paris' }, { callbacks: [createLangChainHandler()] });
      expect(treeOf(t.spans())).toEqual([
        'invoke_workflow outer [INTERNAL]',
        '  task work [INTERNAL]',
        '    inside node [INTERNAL]',
        '    inside unnamed lambda [INTERNAL]',
        '    invoke_agent ctx_agent [INTERNAL]',
        '      task model_request [INTERNAL]',
        '        chat gpt-4o-mini [CLIENT]',
        '      task model_request [INTERNAL]',
        '        chat gpt-4o-mini [CLIENT]',
        '      task tools [INTERNAL]',
        '        execute_tool manual [INTERNAL]',
        '          inside tool [INTERNAL]',
        '    task helper [INTERNAL]',
        '      inside named lambda [INTERNAL]',
      ]);
      expect(t.byName('execute_tool manual').attributes['gen_ai.agent.name']).toBe('ctx_agent');
    });

    it('nests a manual span inside a root RunnableLambda under its invoke_workflow span', async () => {
      const lambda = RunnableLambda.from(async (input: string) => {
        await sleep(1);
        return trace.getTracer('test').startActiveSpan('inside root lambda', (span) => {
          span.end();
          return input.toUpperCase();
        });
      }).withConfig({ runName: 'shout' });
      expect(await lambda.invoke('hi', { callbacks: [createLangChainHandler()] })).toBe('HI');
      expect(treeOf(t.spans())).toEqual([
        'invoke_workflow shout [INTERNAL]',
        '  inside root lambda [INTERNAL]',
      ]);
    });
  });
});
