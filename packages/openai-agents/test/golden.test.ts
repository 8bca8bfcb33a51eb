// Golden tests: every SDK SpanData type, built directly with the SDK's own Span and Trace classes and
// fed to the processor, gives exactly these OTel spans.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { configureContent, resetContentPolicy } from '@agent-otel/core';
import { Span, Trace, type SpanData, type SpanError } from '@openai/agents';
import { OpenAIAgentsTracingProcessor } from '../src/index.js';
import { parentOf, setupTracing, type TestTracing } from './helpers.js';

const TRACE_ID = 'trace_0123456789abcdef0123456789abcdef';
const STARTED = '2026-11-22T03:07:15.993Z';
const ENDED = '2026-11-22T03:07:16.038Z';

let tracing: TestTracing;
let processor: OpenAIAgentsTracingProcessor;

beforeEach(() => {
  tracing = setupTracing();
  processor = new OpenAIAgentsTracingProcessor();
});
afterEach(async () => {
  await tracing.shutdown();
  resetContentPolicy();
});

function sdkTrace(): Trace {
  return new Trace(
    { traceId: TRACE_ID, name: 'support', groupId: 'conv-42', metadata: { ticket: 'T-1', tier: 2 } },
    processor,
  );
}

let counter = 0;
function sdkSpan(data: SpanData, options: { parentId?: string; error?: SpanError } = {}): Span<SpanData> {
  counter += 1;
  return new Span(
    {
      traceId: TRACE_ID,
      spanId: `span_${String(counter).padStart(24, '0')}`,
      parentId: options.parentId,
      data,
      startedAt: STARTED,
      endedAt: ENDED,
      error: options.error,
    },
    processor,
  );
}

/** Runs one SDK span (inside its trace) through the processor and returns its OTel span. */
async function run(data: SpanData, options: { error?: SpanError } = {}): Promise<ReadableSpan> {
  const trace = sdkTrace();
  await processor.onTraceStart(trace);
  const span = sdkSpan(data, options);
  await processor.onSpanStart(span);
  await processor.onSpanEnd(span);
  await processor.onTraceEnd(trace);
  const spans = tracing.spans();
  expect(spans).toHaveLength(2);
  const [mapped, root] = spans as [ReadableSpan, ReadableSpan];
  expect(root.name).toBe('invoke_workflow support');
  expect(parentOf(mapped)).toBe(root.spanContext().spanId);
  expect(mapped.attributes['agent_otel.source.span_id']).toBe(span.spanId);
  return mapped;
}

function withoutSourceId(span: ReadableSpan): Record<string, unknown> {
  const { 'agent_otel.source.span_id': _id, ...rest } = span.attributes;
  return rest;
}

describe('golden spans for every SDK span type', () => {
  it('trace → invoke_workflow root with name, group id and metadata', async () => {
    await run({ type: 'custom', name: 'noop', data: {} });
    const root = tracing.byName('invoke_workflow support');
    expect(root.kind).toBe(SpanKind.INTERNAL);
    expect(parentOf(root)).toBeUndefined();
    expect(root.attributes).toEqual({
      'agent_otel.span.kind': 'workflow',
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.workflow.name': 'support',
      'gen_ai.conversation.id': 'conv-42',
      'agent_otel.source.trace_id': TRACE_ID,
      'agent_otel.metadata.ticket': 'T-1',
      'agent_otel.metadata.tier': 2,
    });
  });

  it('agent → invoke_agent {name}', async () => {
    const span = await run({
      type: 'agent',
      name: 'Billing agent',
      handoffs: ['Refunds agent'],
      tools: ['lookup_invoice'],
      output_type: 'text',
    });
    expect(span.name).toBe('invoke_agent Billing agent');
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(withoutSourceId(span)).toEqual({
      'agent_otel.span.kind': 'agent',
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'Billing agent',
      'gen_ai.conversation.id': 'conv-42',
      'agent_otel.agent.handoffs': ['Refunds agent'],
      'agent_otel.agent.tools': ['lookup_invoice'],
      'agent_otel.agent.output_type': 'text',
    });
  });

  it('task → task {name} with the usage of the run', async () => {
    const span = await run({
      type: 'task',
      name: 'support',
      usage: {
        input_tokens: 250,
        output_tokens: 30,
        cached_input_tokens: 64,
        cache_write_input_tokens: 0,
        requests: 3,
        total_tokens: 280,
      },
    });
    expect(span.name).toBe('task support');
    expect(withoutSourceId(span)).toEqual({
      'agent_otel.span.kind': 'task',
      'agent_otel.task.name': 'support',
      'agent_otel.usage.input_tokens': 250,
      'agent_otel.usage.output_tokens': 30,
      'agent_otel.usage.cache_read.input_tokens': 64,
      'agent_otel.usage.cache_write.input_tokens': 0,
    });
  });

  it('turn → turn {agent} with its number and usage', async () => {
    const span = await run({
      type: 'turn',
      turn: 2,
      agent_name: 'Billing agent',
      usage: { input_tokens: 80, output_tokens: 10, cached_input_tokens: 0, cache_write_input_tokens: 0 },
    });
    expect(span.name).toBe('turn Billing agent');
    expect(withoutSourceId(span)).toEqual({
      'agent_otel.span.kind': 'turn',
      'agent_otel.turn.number': 2,
      'gen_ai.agent.name': 'Billing agent',
      'agent_otel.usage.input_tokens': 80,
      'agent_otel.usage.output_tokens': 10,
      'agent_otel.usage.cache_read.input_tokens': 0,
      'agent_otel.usage.cache_write.input_tokens': 0,
    });
  });

  it('function → execute_tool {name}; arguments and result only with content capture', async () => {
    const data: SpanData = {
      type: 'function',
      name: 'lookup_invoice',
      input: '{"invoiceId":"INV-7"}',
      output: '{"amount":42}',
    };
    const span = await run(data);
    expect(span.name).toBe('execute_tool lookup_invoice');
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(withoutSourceId(span)).toEqual({
      'agent_otel.span.kind': 'function',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookup_invoice',
      'gen_ai.tool.type': 'function',
    });

    tracing.reset();
    configureContent({ captureMode: 'SPAN_ONLY' });
    const withContent = await run(data);
    expect(withContent.attributes['gen_ai.tool.call.arguments']).toBe('{"invoiceId":"INV-7"}');
    expect(withContent.attributes['gen_ai.tool.call.result']).toBe('{"amount":42}');
  });

  it('function with mcp_data → execute_tool with the MCP tools/call attributes on the same span', async () => {
    const span = await run({
      type: 'function',
      name: 'search_docs',
      input: '',
      output: '',
      mcp_data: { server: 'docs' } as unknown as string,
    });
    expect(span.name).toBe('execute_tool search_docs');
    expect(span.attributes['mcp.method.name']).toBe('tools/call');
    expect(span.attributes['agent_otel.mcp.server.name']).toBe('docs');
    expect(span.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
  });

  it('generation (Chat Completions) → chat {model} CLIENT with request, response and usage', async () => {
    const data: SpanData = {
      type: 'generation',
      model: 'gpt-4o-mini',
      model_config: {
        temperature: 0.2,
        top_p: 0.9,
        reasoning_effort: 'low',
        base_url: 'https://api.openai.com/v1',
      },
      input: [{ role: 'user', content: 'Hi' }],
      output: [
        {
          id: 'chatcmpl-1',
          object: 'chat.completion',
          model: 'gpt-4o-mini-2024-07-18',
          system_fingerprint: 'fp_1',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hello!' } }],
          usage: {
            prompt_tokens: 12,
            completion_tokens: 3,
            total_tokens: 15,
            prompt_tokens_details: { cached_tokens: 4 },
          },
        },
      ],
    };
    const span = await run(data);
    expect(span.name).toBe('chat gpt-4o-mini');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(withoutSourceId(span)).toEqual({
      'agent_otel.span.kind': 'generation',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'server.address': 'api.openai.com',
      'server.port': 443,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.reasoning.level': 'low',
      'gen_ai.conversation.id': 'conv-42',
      'gen_ai.response.id': 'chatcmpl-1',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'openai.api.type': 'chat_completions',
      'openai.response.system_fingerprint': 'fp_1',
      'agent_otel.cost.usd': expect.any(Number),
    });
    expect(span.attributes['gen_ai.input.messages']).toBeUndefined();

    tracing.reset();
    configureContent({ captureMode: 'SPAN_ONLY' });
    const withContent = await run(data);
    expect(JSON.parse(String(withContent.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Hi' }] },
    ]);
    expect(JSON.parse(String(withContent.attributes['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Hello!' }], finish_reason: 'stop' },
    ]);
  });

  it('response (Responses API) → chat {model} CLIENT from the SDK response object', async () => {
    const data: SpanData = {
      type: 'response',
      response_id: 'resp_1',
      _input: [
        { type: 'message', role: 'user', content: 'Refund INV-7' },
        {
          type: 'function_call',
          callId: 'call_1',
          name: 'lookup_invoice',
          arguments: '{"invoiceId":"INV-7"}',
        },
        {
          type: 'function_call_result',
          callId: 'call_1',
          name: 'lookup_invoice',
          status: 'completed',
          output: { type: 'text', text: '{"amount":42}' },
        },
      ],
      _response: {
        id: 'resp_1',
        object: 'response',
        model: 'gpt-4o-mini',
        status: 'completed',
        temperature: 0.5,
        top_p: 1,
        max_output_tokens: 256,
        reasoning: { effort: 'medium' },
        previous_response_id: 'resp_0',
        service_tier: 'default',
        instructions: 'You are the billing agent.',
        tools: [{ type: 'function', name: 'refund_invoice', description: 'Refunds', parameters: {} }],
        output: [
          {
            type: 'message',
            role: 'assistant',
            content: [{ type: 'output_text', text: 'Refunded.' }],
          },
        ],
        usage: {
          input_tokens: 100,
          output_tokens: 20,
          input_tokens_details: { cached_tokens: 10 },
          output_tokens_details: { reasoning_tokens: 5 },
        },
      },
    };
    const span = await run(data);
    expect(span.name).toBe('chat gpt-4o-mini');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(withoutSourceId(span)).toEqual({
      'agent_otel.span.kind': 'response',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.temperature': 0.5,
      'gen_ai.request.top_p': 1,
      'gen_ai.request.max_tokens': 256,
      'gen_ai.request.reasoning.level': 'medium',
      'gen_ai.request.previous_response.id': 'resp_0',
      'gen_ai.conversation.id': 'conv-42',
      'gen_ai.response.id': 'resp_1',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 20,
      'gen_ai.usage.cache_read.input_tokens': 10,
      'gen_ai.usage.reasoning.output_tokens': 5,
      'openai.api.type': 'responses',
      'openai.response.service_tier': 'default',
      'agent_otel.cost.usd': expect.any(Number),
    });

    tracing.reset();
    configureContent({ captureMode: 'SPAN_ONLY' });
    const withContent = await run(data);
    expect(JSON.parse(String(withContent.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Refund INV-7' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 'call_1', name: 'lookup_invoice', arguments: { invoiceId: 'INV-7' } },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: '{"amount":42}' }] },
    ]);
    expect(JSON.parse(String(withContent.attributes['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Refunded.' }], finish_reason: 'stop' },
    ]);
    expect(JSON.parse(String(withContent.attributes['gen_ai.system_instructions']))).toEqual([
      { type: 'text', content: 'You are the billing agent.' },
    ]);
    expect(JSON.parse(String(withContent.attributes['gen_ai.tool.definitions']))).toEqual([
      { type: 'function', name: 'refund_invoice', description: 'Refunds', parameters: {} },
    ]);
  });

  it('response without data (traceIncludeSensitiveData: false) → chat with the response id only', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    const span = await run({ type: 'response', response_id: 'resp_9' });
    expect(span.name).toBe('chat');
    expect(withoutSourceId(span)).toEqual({
      'agent_otel.span.kind': 'response',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.response.id': 'resp_9',
      'gen_ai.conversation.id': 'conv-42',
      'openai.api.type': 'responses',
    });
  });

  it('handoff → handoff {to_agent} with the transfer attributes (no tool call known)', async () => {
    const span = await run({ type: 'handoff', from_agent: 'Triage agent', to_agent: 'Billing agent' });
    expect(span.name).toBe('handoff Billing agent');
    expect(withoutSourceId(span)).toEqual({
      'agent_otel.span.kind': 'handoff',
      'agent_otel.handoff.from_agent': 'Triage agent',
      'agent_otel.handoff.to_agent': 'Billing agent',
      'gen_ai.agent.name': 'Triage agent',
      'gen_ai.transfer.target.name': 'Billing agent',
      'gen_ai.transfer.mode': 'pass_control',
    });
  });

  it('custom → a span named after it, with its (redacted) data', async () => {
    const span = await run({ type: 'custom', name: 'cache_lookup', data: { hit: true, api_key: 'sk-1' } });
    expect(span.name).toBe('cache_lookup');
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(span.attributes['agent_otel.custom.name']).toBe('cache_lookup');
    expect(JSON.parse(String(span.attributes['agent_otel.custom.data']))).toEqual({
      hit: true,
      api_key: '[REDACTED]',
    });
  });

  it('guardrail → guardrail {name} with a gen_ai.guardrail.result event', async () => {
    const span = await run({ type: 'guardrail', name: 'account_ownership', triggered: true });
    expect(span.name).toBe('guardrail account_ownership');
    expect(withoutSourceId(span)).toEqual({
      'agent_otel.span.kind': 'guardrail',
      'agent_otel.guardrail.name': 'account_ownership',
      'agent_otel.guardrail.triggered': true,
    });
    expect(span.events.map((e) => [e.name, e.attributes])).toEqual([
      [
        'gen_ai.guardrail.result',
        {
          'gen_ai.guardrail.component.name': 'account_ownership',
          'gen_ai.guardrail.result.type': 'tripwire_triggered',
          'gen_ai.guardrail.result.value': 'true',
        },
      ],
    ]);
  });

  it('transcription → speech_to_text {model} CLIENT; the transcript only with content capture', async () => {
    const data: SpanData = {
      type: 'transcription',
      model: 'gpt-4o-transcribe',
      input: { data: 'UklGRg==', format: 'pcm' },
      output: 'Hello there',
    };
    const span = await run(data);
    expect(span.name).toBe('speech_to_text gpt-4o-transcribe');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(withoutSourceId(span)).toEqual({
      'agent_otel.span.kind': 'transcription',
      'gen_ai.operation.name': 'speech_to_text',
      'gen_ai.request.model': 'gpt-4o-transcribe',
      'agent_otel.speech.input.format': 'pcm',
    });
    tracing.reset();
    configureContent({ captureMode: 'SPAN_ONLY' });
    const withContent = await run(data);
    expect(String(withContent.attributes['gen_ai.output.messages'])).toContain('Hello there');
    expect(JSON.stringify(withContent.attributes)).not.toContain('UklGRg');
  });

  it('speech → text_to_speech {model} CLIENT; the spoken text only with content capture', async () => {
    const data: SpanData = {
      type: 'speech',
      model: 'gpt-4o-mini-tts',
      input: 'Your invoice is paid.',
      output: { data: 'AAAA', format: 'pcm' },
    };
    const span = await run(data);
    expect(span.name).toBe('text_to_speech gpt-4o-mini-tts');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(withoutSourceId(span)).toEqual({
      'agent_otel.span.kind': 'speech',
      'gen_ai.operation.name': 'text_to_speech',
      'gen_ai.request.model': 'gpt-4o-mini-tts',
      'gen_ai.output.type': 'speech',
      'agent_otel.speech.output.format': 'pcm',
    });
    tracing.reset();
    configureContent({ captureMode: 'SPAN_ONLY' });
    const withContent = await run(data);
    expect(String(withContent.attributes['gen_ai.input.messages'])).toContain('Your invoice is paid.');
  });

  it('speech_group → a custom speech_group span; its text only with content capture', async () => {
    const span = await run({ type: 'speech_group', input: 'Your invoice is paid.' });
    expect(span.name).toBe('speech_group');
    expect(withoutSourceId(span)).toEqual({
      'agent_otel.span.kind': 'custom',
      'agent_otel.custom.name': 'speech_group',
    });
    tracing.reset();
    configureContent({ captureMode: 'SPAN_ONLY' });
    const withContent = await run({ type: 'speech_group', input: 'Your invoice is paid.' });
    expect(JSON.parse(String(withContent.attributes['agent_otel.custom.data']))).toEqual({
      input: 'Your invoice is paid.',
    });
  });

  it('mcp_tools → tools/list CLIENT with the server and the tools listed', async () => {
    const span = await run({ type: 'mcp_tools', server: 'docs', result: ['search_docs', 'read_doc'] });
    expect(span.name).toBe('tools/list');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toMatchObject({
      'agent_otel.span.kind': 'mcp_tools',
      'mcp.method.name': 'tools/list',
      'agent_otel.mcp.server.name': 'docs',
      'agent_otel.mcp.tools': ['search_docs', 'read_doc'],
    });
  });

  it('an unknown (future) span type → a generic span named after its type, never a crash', async () => {
    const span = await run({ type: 'sandbox_exec', command: 'ls' } as unknown as SpanData);
    expect(span.name).toBe('sandbox_exec');
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(span.attributes['agent_otel.custom.data']).toBeUndefined();
  });
});

describe('faithful data', () => {
  it("uses the SDK's own start and end timestamps, exactly", async () => {
    const span = await run({ type: 'custom', name: 'timed', data: {} });
    expect(span.startTime).toEqual([Math.floor(Date.parse(STARTED) / 1000), 993_000_000]);
    expect(span.endTime).toEqual([Math.floor(Date.parse(ENDED) / 1000), 38_000_000]);
  });

  it('records a SpanError as status ERROR, error.type and an exception event', async () => {
    const span = await run(
      { type: 'agent', name: 'Billing agent' },
      {
        error: {
          message: 'Error in agent run',
          data: { error: 'MaxTurnsExceededError: Max turns (2) exceeded' },
        },
      },
    );
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'Error in agent run' });
    expect(span.attributes['error.type']).toBe('MaxTurnsExceededError');
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    expect(span.events[0]!.attributes).toMatchObject({
      'exception.type': 'MaxTurnsExceededError',
      'exception.message': 'Error in agent run',
    });
  });

  it('derives error.type from the SDK messages it knows, else _OTHER', async () => {
    const tool = await run(
      { type: 'function', name: 'lookup_invoice', input: '', output: '' },
      { error: { message: 'Error running tool', data: { tool_name: 'lookup_invoice', error: 'not found' } } },
    );
    expect(tool.attributes['error.type']).toBe('tool_error');
    tracing.reset();
    const other = await run({ type: 'custom', name: 'x', data: {} }, { error: { message: 'something odd' } });
    expect(other.attributes['error.type']).toBe('_OTHER');
  });

  it('ends spans still open when their trace ends, marked ended_by=trace_end, children first', async () => {
    const trace = sdkTrace();
    await processor.onTraceStart(trace);
    const agent = new Span(
      { traceId: TRACE_ID, spanId: 'span_agent', data: { type: 'agent', name: 'A' }, startedAt: STARTED },
      processor,
    );
    const tool = new Span(
      {
        traceId: TRACE_ID,
        spanId: 'span_tool',
        parentId: 'span_agent',
        data: { type: 'function', name: 't', input: '', output: '' },
        startedAt: STARTED,
      },
      processor,
    );
    await processor.onSpanStart(agent);
    await processor.onSpanStart(tool);
    await processor.onTraceEnd(trace);
    expect(tracing.spans().map((s) => s.name)).toEqual([
      'execute_tool t',
      'invoke_agent A',
      'invoke_workflow support',
    ]);
    for (const name of ['execute_tool t', 'invoke_agent A']) {
      expect(tracing.byName(name).attributes['agent_otel.openai_agents.ended_by']).toBe('trace_end');
    }
    expect(
      tracing.byName('invoke_workflow support').attributes['agent_otel.openai_agents.ended_by'],
    ).toBeUndefined();
    expect(processor.openCounts).toEqual({ traces: 0, spans: 0 });
  });
});
