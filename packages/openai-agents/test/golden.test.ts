// Golden tests: every SDK SpanData type, built directly with the SDK's own Span and Trace classes and
// fed to the processor, gives exactly these OTel spans.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { configureContent, resetContentPolicy } from '@agent-otel/core';
import { Span, Trace, type SpanData, type SpanError } from '@openai/agents';
import { checkSpans } from '@agent-otel/testing/conformance';
import { OpenAIAgentsTracingProcessor } from '../src/index.js';
import { parentOf, setupTracing, type TestTracing } from './helpers.js';

const TRACE_ID = 'trace_0123456789abcdef0123456789abcdef';
const STARTED = '2026-11-22T03:07:15.993Z';
const ENDED = '2026-11-22T03:07:16.038Z';

let tracing: TestTracing;
let processor: OpenAIAgentsTracingProcessor;

/**
 * A fresh pipeline and processor for each test of the enclosing describe; its shutdown fails the test
 * on any conformance violation unless `skipConformance` says why the data cannot conform.
 */
function useTracing(skipConformance?: string): void {
  beforeEach(() => {
    tracing = setupTracing({ skipConformance });
    processor = new OpenAIAgentsTracingProcessor();
  });
  afterEach(async () => {
    await tracing.shutdown();
    resetContentPolicy();
  });
}

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

/** What the attributes of a mapped span must be. */
interface ExpectedAttributes {
  /** Exactly these, besides `agent_otel.source.span_id`. */
  readonly exactly?: Record<string, unknown>;
  /** At least these. */
  readonly including?: Record<string, unknown>;
  /** These hold JSON equal to the value given. */
  readonly json?: Record<string, unknown>;
  /** These hold text that contains the value given. */
  readonly containing?: Record<string, string>;
  /** These are not set. */
  readonly absent?: readonly string[];
  /** Text that no attribute holds. */
  readonly nowhere?: string;
}

/** One SDK span type: its data, and the OTel span it must become. */
interface GoldenCase {
  /** What the case covers: the test's name. */
  readonly covers: string;
  readonly data: SpanData;
  /** Run with content capture on (the first run is otherwise without content). */
  readonly captureContent?: boolean;
  readonly name: string;
  readonly kind: SpanKind;
  readonly attributes: ExpectedAttributes;
  /** The span's events, as `[name, attributes]`. */
  readonly events?: readonly [string, Record<string, unknown>][];
  /** What the same data gives when run again with content capture on. */
  readonly withContent?: ExpectedAttributes;
}

function expectAttributes(span: ReadableSpan, expected: ExpectedAttributes): void {
  if (expected.exactly) expect(withoutSourceId(span)).toEqual(expected.exactly);
  if (expected.including) expect(span.attributes).toMatchObject(expected.including);
  for (const [key, value] of Object.entries(expected.json ?? {})) {
    expect(JSON.parse(String(span.attributes[key]))).toEqual(value);
  }
  for (const [key, text] of Object.entries(expected.containing ?? {})) {
    expect(String(span.attributes[key])).toContain(text);
  }
  for (const key of expected.absent ?? []) expect(span.attributes[key]).toBeUndefined();
  if (expected.nowhere !== undefined) expect(JSON.stringify(span.attributes)).not.toContain(expected.nowhere);
}

const GOLDEN_CASES: readonly GoldenCase[] = [
  {
    covers: 'agent → invoke_agent {name}',
    data: {
      type: 'agent',
      name: 'Billing agent',
      handoffs: ['Refunds agent'],
      tools: ['lookup_invoice'],
      output_type: 'text',
    },
    name: 'invoke_agent Billing agent',
    kind: SpanKind.INTERNAL,
    attributes: {
      exactly: {
        'agent_otel.span.kind': 'agent',
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'Billing agent',
        'gen_ai.conversation.id': 'conv-42',
        'agent_otel.agent.handoffs': ['Refunds agent'],
        'agent_otel.agent.tools': ['lookup_invoice'],
        'agent_otel.agent.output_type': 'text',
      },
    },
  },
  {
    covers: 'task → task {name} with the usage of the run',
    data: {
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
    },
    name: 'task support',
    kind: SpanKind.INTERNAL,
    attributes: {
      exactly: {
        'agent_otel.span.kind': 'task',
        'agent_otel.task.name': 'support',
        'agent_otel.usage.input_tokens': 250,
        'agent_otel.usage.output_tokens': 30,
        // Zero cache writes are left out, like every zero breakdown.
        'agent_otel.usage.cache_read.input_tokens': 64,
      },
    },
  },
  {
    covers: 'turn → turn {agent} with its number and usage',
    data: {
      type: 'turn',
      turn: 2,
      agent_name: 'Billing agent',
      usage: { input_tokens: 80, output_tokens: 10, cached_input_tokens: 0, cache_write_input_tokens: 0 },
    },
    name: 'turn Billing agent',
    kind: SpanKind.INTERNAL,
    attributes: {
      exactly: {
        'agent_otel.span.kind': 'turn',
        'agent_otel.turn.number': 2,
        'gen_ai.agent.name': 'Billing agent',
        'agent_otel.usage.input_tokens': 80,
        'agent_otel.usage.output_tokens': 10,
      },
    },
  },
  {
    covers: 'function → execute_tool {name}; arguments and result only with content capture',
    data: {
      type: 'function',
      name: 'lookup_invoice',
      input: '{"invoiceId":"INV-7"}',
      output: '{"amount":42}',
    },
    name: 'execute_tool lookup_invoice',
    kind: SpanKind.INTERNAL,
    attributes: {
      exactly: {
        'agent_otel.span.kind': 'function',
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'lookup_invoice',
        'gen_ai.tool.type': 'function',
      },
    },
    withContent: {
      including: {
        'gen_ai.tool.call.arguments': '{"invoiceId":"INV-7"}',
        'gen_ai.tool.call.result': '{"amount":42}',
      },
    },
  },
  {
    covers: 'function with mcp_data → execute_tool with the MCP tools/call attributes on the same span',
    data: {
      type: 'function',
      name: 'search_docs',
      input: '',
      output: '',
      mcp_data: { server: 'docs' } as unknown as string,
    },
    name: 'execute_tool search_docs',
    kind: SpanKind.INTERNAL,
    attributes: {
      including: { 'mcp.method.name': 'tools/call', 'agent_otel.mcp.server.name': 'docs' },
      absent: ['gen_ai.tool.call.arguments'],
    },
  },
  {
    covers: 'generation (Chat Completions) → chat {model} CLIENT with request, response and usage',
    data: {
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
    },
    name: 'chat gpt-4o-mini',
    kind: SpanKind.CLIENT,
    attributes: {
      exactly: {
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
      },
      absent: ['gen_ai.input.messages'],
    },
    withContent: {
      json: {
        'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }],
        'gen_ai.output.messages': [
          { role: 'assistant', parts: [{ type: 'text', content: 'Hello!' }], finish_reason: 'stop' },
        ],
      },
    },
  },
  {
    covers: 'generation without data (traceIncludeSensitiveData: false) → chat {model} with provider openai',
    data: {
      type: 'generation',
      model: 'gpt-4o-mini',
      model_config: { temperature: 0.2, top_p: undefined, reasoning_effort: undefined },
    },
    captureContent: true,
    name: 'chat gpt-4o-mini',
    kind: SpanKind.CLIENT,
    attributes: {
      exactly: {
        'agent_otel.span.kind': 'generation',
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.request.temperature': 0.2,
        'gen_ai.conversation.id': 'conv-42',
        'openai.api.type': 'chat_completions',
      },
    },
  },
  {
    covers: 'generation of an AI SDK model (aisdk()) → chat {modelId} with the provider the AI SDK names',
    data: {
      type: 'generation',
      model: 'anthropic.messages:claude-sonnet-4-5',
      model_config: { provider: 'anthropic.messages', model_impl: 'ai-sdk' },
      usage: { input_tokens: 30, output_tokens: 4 },
    },
    name: 'chat claude-sonnet-4-5',
    kind: SpanKind.CLIENT,
    attributes: {
      including: {
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-5',
        'gen_ai.usage.input_tokens': 30,
        'gen_ai.usage.output_tokens': 4,
      },
      absent: ['openai.api.type'],
    },
  },
  {
    covers: 'generation of an AI SDK provider semconv does not name → its AI SDK name as the provider',
    data: {
      type: 'generation',
      model: 'ollama.chat:llama3.2',
      model_config: { provider: 'ollama.chat', model_impl: 'ai-sdk' },
    },
    name: 'chat llama3.2',
    kind: SpanKind.CLIENT,
    attributes: {
      including: { 'gen_ai.provider.name': 'ollama', 'gen_ai.request.model': 'llama3.2' },
    },
  },
  {
    covers: 'response (Responses API) → chat {model} CLIENT from the SDK response object',
    data: {
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
    },
    name: 'chat gpt-4o-mini',
    kind: SpanKind.CLIENT,
    attributes: {
      exactly: {
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
      },
    },
    withContent: {
      json: {
        'gen_ai.input.messages': [
          { role: 'user', parts: [{ type: 'text', content: 'Refund INV-7' }] },
          {
            role: 'assistant',
            parts: [
              { type: 'tool_call', id: 'call_1', name: 'lookup_invoice', arguments: { invoiceId: 'INV-7' } },
            ],
          },
          { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: '{"amount":42}' }] },
        ],
        'gen_ai.output.messages': [
          { role: 'assistant', parts: [{ type: 'text', content: 'Refunded.' }], finish_reason: 'stop' },
        ],
        'gen_ai.system_instructions': [{ type: 'text', content: 'You are the billing agent.' }],
        'gen_ai.tool.definitions': [
          { type: 'function', name: 'refund_invoice', description: 'Refunds', parameters: {} },
        ],
      },
    },
  },
  {
    covers: 'handoff → handoff {to_agent} with the transfer attributes (no tool call known)',
    data: { type: 'handoff', from_agent: 'Triage agent', to_agent: 'Billing agent' },
    name: 'handoff Billing agent',
    kind: SpanKind.INTERNAL,
    attributes: {
      exactly: {
        'agent_otel.span.kind': 'handoff',
        'agent_otel.handoff.from_agent': 'Triage agent',
        'agent_otel.handoff.to_agent': 'Billing agent',
        'gen_ai.agent.name': 'Triage agent',
        'agent_otel.handoff.mode': 'pass_control',
      },
    },
  },
  {
    covers: 'custom → a span named after it, with its (redacted) data',
    data: { type: 'custom', name: 'cache_lookup', data: { hit: true, api_key: 'sk-1' } },
    name: 'cache_lookup',
    kind: SpanKind.INTERNAL,
    attributes: {
      including: { 'agent_otel.custom.name': 'cache_lookup' },
      json: { 'agent_otel.custom.data': { hit: true, api_key: '[REDACTED]' } },
    },
  },
  {
    covers: 'guardrail → guardrail {name} with an agent_otel.guardrail.result event',
    data: { type: 'guardrail', name: 'account_ownership', triggered: true },
    name: 'guardrail account_ownership',
    kind: SpanKind.INTERNAL,
    attributes: {
      exactly: {
        'agent_otel.span.kind': 'guardrail',
        'agent_otel.guardrail.name': 'account_ownership',
        'agent_otel.guardrail.triggered': true,
      },
    },
    events: [
      [
        'agent_otel.guardrail.result',
        {
          'agent_otel.guardrail.name': 'account_ownership',
          'agent_otel.guardrail.result.type': 'tripwire_triggered',
          'agent_otel.guardrail.result.value': 'true',
        },
      ],
    ],
  },
  {
    covers: 'transcription → speech_to_text {model} CLIENT; the transcript only with content capture',
    data: {
      type: 'transcription',
      model: 'gpt-4o-transcribe',
      input: { data: 'UklGRg==', format: 'pcm' },
      output: 'Hello there',
    },
    name: 'speech_to_text gpt-4o-transcribe',
    kind: SpanKind.CLIENT,
    attributes: {
      exactly: {
        'agent_otel.span.kind': 'transcription',
        'gen_ai.operation.name': 'speech_to_text',
        'gen_ai.request.model': 'gpt-4o-transcribe',
        'agent_otel.speech.input.format': 'pcm',
      },
    },
    withContent: { containing: { 'gen_ai.output.messages': 'Hello there' }, nowhere: 'UklGRg' },
  },
  {
    covers: 'transcription with a language in its model config → agent_otel.speech.input.language',
    data: {
      type: 'transcription',
      model: 'gpt-4o-transcribe',
      model_config: { language: 'de' },
      input: { data: 'UklGRg==', format: 'pcm' },
    },
    name: 'speech_to_text gpt-4o-transcribe',
    kind: SpanKind.CLIENT,
    attributes: { including: { 'agent_otel.speech.input.language': 'de' } },
  },
  {
    covers: 'speech → text_to_speech {model} CLIENT; the spoken text only with content capture',
    data: {
      type: 'speech',
      model: 'gpt-4o-mini-tts',
      input: 'Your invoice is paid.',
      output: { data: 'AAAA', format: 'pcm' },
    },
    name: 'text_to_speech gpt-4o-mini-tts',
    kind: SpanKind.CLIENT,
    attributes: {
      exactly: {
        'agent_otel.span.kind': 'speech',
        'gen_ai.operation.name': 'text_to_speech',
        'gen_ai.request.model': 'gpt-4o-mini-tts',
        'gen_ai.output.type': 'speech',
        'agent_otel.speech.output.format': 'pcm',
      },
    },
    withContent: { containing: { 'gen_ai.input.messages': 'Your invoice is paid.' } },
  },
  {
    covers: 'speech_group → a custom speech_group span; its text only with content capture',
    data: { type: 'speech_group', input: 'Your invoice is paid.' },
    name: 'speech_group',
    kind: SpanKind.INTERNAL,
    attributes: {
      exactly: { 'agent_otel.span.kind': 'custom', 'agent_otel.custom.name': 'speech_group' },
    },
    withContent: { json: { 'agent_otel.custom.data': { input: 'Your invoice is paid.' } } },
  },
  {
    covers: 'mcp_tools → tools/list CLIENT with the server and the tools listed',
    data: { type: 'mcp_tools', server: 'docs', result: ['search_docs', 'read_doc'] },
    name: 'tools/list',
    kind: SpanKind.CLIENT,
    attributes: {
      including: {
        'agent_otel.span.kind': 'mcp_tools',
        'mcp.method.name': 'tools/list',
        'agent_otel.mcp.server.name': 'docs',
        'agent_otel.mcp.tools': ['search_docs', 'read_doc'],
      },
    },
  },
  {
    covers: 'an unknown (future) span type → a generic span named after its type, never a crash',
    data: { type: 'sandbox_exec', command: 'ls' } as unknown as SpanData,
    name: 'sandbox_exec',
    kind: SpanKind.INTERNAL,
    attributes: { absent: ['agent_otel.custom.data'] },
  },
];

describe('golden spans for every SDK span type', () => {
  useTracing();

  it('trace → invoke_workflow root with name, group id and metadata', async () => {
    await run({ type: 'custom', name: 'noop', data: {} });
    const root = tracing.byName('invoke_workflow support');
    expect(root.kind).toBe(SpanKind.INTERNAL);
    expect(parentOf(root)).toBeUndefined();
    expect(root.attributes).toEqual({
      'agent_otel.span.kind': 'workflow',
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.agent.name': 'support',
      'gen_ai.conversation.id': 'conv-42',
      'agent_otel.source.trace_id': TRACE_ID,
      'agent_otel.metadata.ticket': 'T-1',
      'agent_otel.metadata.tier': 2,
    });
  });

  it.each(GOLDEN_CASES)('$covers', async (golden) => {
    if (golden.captureContent) configureContent({ captureMode: 'SPAN_ONLY' });
    const span = await run(golden.data);
    expect(span.name).toBe(golden.name);
    expect(span.kind).toBe(golden.kind);
    expectAttributes(span, golden.attributes);
    if (golden.events) expect(span.events.map((e) => [e.name, e.attributes])).toEqual(golden.events);
    if (golden.withContent) {
      tracing.reset();
      configureContent({ captureMode: 'SPAN_ONLY' });
      expectAttributes(await run(golden.data), golden.withContent);
    }
  });
});

describe('data the SDK withholds', () => {
  useTracing(
    'traceIncludeSensitiveData: false: the SDK records no model for a Responses call, so a chat span the ' +
      'bridge alone records lacks gen_ai.request.model (a client instrumentation that claims it adds it)',
  );

  it('response without data (traceIncludeSensitiveData: false) → chat with the response id only', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    const span = await run({ type: 'response', response_id: 'resp_9' });
    expect(span.name).toBe('chat');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(withoutSourceId(span)).toEqual({
      'agent_otel.span.kind': 'response',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.response.id': 'resp_9',
      'gen_ai.conversation.id': 'conv-42',
      'openai.api.type': 'responses',
    });
    // The one gap: nothing else of the span breaks the conventions.
    expect(checkSpans([span]).violations.map((v) => v.detail)).toEqual([
      'gen_ai.request.model is required on span.openai.gen_ai.client.inference',
    ]);
  });
});

describe('faithful data', () => {
  useTracing();

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
