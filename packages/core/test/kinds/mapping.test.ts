import { SpanKind, type Attributes } from '@opentelemetry/api';
import { semconvRegistry } from '@agent-otel/testing/conformance';
import { createContentPolicy } from '../../src/content/policy';
import {
  mapSpanData,
  MODEL_CALL_RESPONSE_FIELDS,
  setModelCallResponse,
  SPAN_TYPES,
} from '../../src/kinds/mapping';
import type { GenerationSpanData, ResponseSpanData, SpanData, SpanType } from '../../src/kinds/span-data';

const capture = createContentPolicy({ captureMode: 'SPAN_ONLY' }, {});
const noContent = createContentPolicy({ captureMode: 'NO_CONTENT' }, {});

interface Golden {
  data: SpanData;
  name: string;
  kind: SpanKind;
  attributes: Attributes;
  content?: Attributes;
}

// One golden case per span kind, checked against the GenAI / MCP semantic-convention names.
const goldens: Record<SpanType, Golden> = {
  workflow: {
    data: {
      type: 'workflow',
      name: 'support',
      groupId: 'conv-1',
      metadata: { tier: 'gold', n: 2, nested: { a: 1 } },
    },
    name: 'invoke_workflow support',
    kind: SpanKind.INTERNAL,
    attributes: {
      'agent_otel.span.kind': 'workflow',
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.agent.name': 'support',
      'gen_ai.conversation.id': 'conv-1',
      'agent_otel.metadata.tier': 'gold',
      'agent_otel.metadata.n': 2,
      'agent_otel.metadata.nested': '{"a":1}',
    },
  },
  agent: {
    data: {
      type: 'agent',
      name: 'triage',
      description: 'routes',
      model: 'gpt-4o',
      tools: ['lookup'],
      handoffs: ['billing'],
    },
    name: 'invoke_agent triage',
    kind: SpanKind.INTERNAL,
    attributes: {
      'agent_otel.span.kind': 'agent',
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'triage',
      'gen_ai.agent.description': 'routes',
      'gen_ai.request.model': 'gpt-4o',
      'agent_otel.agent.tools': ['lookup'],
      'agent_otel.agent.handoffs': ['billing'],
    },
  },
  generation: {
    data: {
      type: 'generation',
      model: 'gpt-4o-mini',
      provider: 'openai',
      apiType: 'chat_completions',
      temperature: 0.2,
      maxTokens: 100,
      topP: 0.9,
      stopSequences: ['END'],
      seed: 7,
      choiceCount: 1,
      stream: true,
      serverAddress: 'api.example.com',
      serverPort: 443,
      responseId: 'chatcmpl-1',
      responseModel: 'gpt-4o-mini-2024-07-18',
      finishReasons: ['stop'],
      timeToFirstChunk: 0.25,
      usage: { inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 2, reasoningOutputTokens: 1 },
      serviceTier: 'auto',
      responseServiceTier: 'default',
      systemFingerprint: 'fp_123',
      input: [{ role: 'user', content: 'hi' }],
      output: 'hello',
    },
    name: 'chat gpt-4o-mini',
    kind: SpanKind.CLIENT,
    attributes: {
      'agent_otel.span.kind': 'generation',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'server.address': 'api.example.com',
      'server.port': 443,
      'gen_ai.request.max_tokens': 100,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.stop_sequences': ['END'],
      'gen_ai.request.seed': 7,
      'gen_ai.request.stream': true,
      'gen_ai.response.id': 'chatcmpl-1',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.time_to_first_chunk': 0.25,
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.usage.cache_read.input_tokens': 2,
      'gen_ai.usage.reasoning.output_tokens': 1,
      'openai.api.type': 'chat_completions',
      'openai.request.service_tier': 'auto',
      'openai.response.service_tier': 'default',
      'openai.response.system_fingerprint': 'fp_123',
    },
    content: {
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: 'hello' }], finish_reason: 'stop' },
      ]),
    },
  },
  response: {
    data: {
      type: 'response',
      model: 'gpt-4.1',
      previousResponseId: 'resp_0',
      responseId: 'resp_1',
      reasoningLevel: 'low',
      responseServiceTier: 'flex',
    },
    name: 'chat gpt-4.1',
    kind: SpanKind.CLIENT,
    attributes: {
      'agent_otel.span.kind': 'response',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1',
      'gen_ai.request.reasoning.level': 'low',
      'gen_ai.response.id': 'resp_1',
      'gen_ai.request.previous_response.id': 'resp_0',
      'openai.api.type': 'responses',
      'openai.response.service_tier': 'flex',
    },
  },
  embeddings: {
    data: {
      type: 'embeddings',
      model: 'text-embedding-3-small',
      provider: 'openai',
      dimensionCount: 3,
      encodingFormats: ['float'],
      usage: { inputTokens: 4 },
    },
    name: 'embeddings text-embedding-3-small',
    kind: SpanKind.CLIENT,
    attributes: {
      'agent_otel.span.kind': 'embeddings',
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.embeddings.dimension.count': 3,
      'gen_ai.request.encoding_formats': ['float'],
      'gen_ai.usage.input_tokens': 4,
    },
  },
  rerank: {
    data: {
      type: 'rerank',
      model: 'rerank-v3.5',
      provider: 'cohere',
      responseModel: 'rerank-v3.5-2025',
      responseId: 'rr_1',
      topN: 2,
      documentCount: 3,
      usage: { inputTokens: 12 },
      serverAddress: 'api.cohere.com',
      serverPort: 443,
      input: { query: 'sunny city', documents: ['rain in Paris', 'sun in Rome', 'snow in Oslo'] },
      output: [
        { index: 1, relevanceScore: 0.9 },
        { index: 0, relevanceScore: 0.2 },
      ],
    },
    name: 'rerank rerank-v3.5',
    kind: SpanKind.CLIENT,
    attributes: {
      'agent_otel.span.kind': 'rerank',
      'gen_ai.operation.name': 'rerank',
      'gen_ai.provider.name': 'cohere',
      'gen_ai.request.model': 'rerank-v3.5',
      'gen_ai.response.model': 'rerank-v3.5-2025',
      'gen_ai.response.id': 'rr_1',
      'server.address': 'api.cohere.com',
      'server.port': 443,
      'gen_ai.usage.input_tokens': 12,
      'agent_otel.rerank.top_n': 2,
      'agent_otel.rerank.document_count': 3,
    },
    content: {
      'agent_otel.rerank.input': JSON.stringify({
        query: 'sunny city',
        documents: ['rain in Paris', 'sun in Rome', 'snow in Oslo'],
      }),
      'agent_otel.rerank.output': JSON.stringify([
        { index: 1, relevanceScore: 0.9 },
        { index: 0, relevanceScore: 0.2 },
      ]),
    },
  },
  retrieval: {
    data: {
      type: 'retrieval',
      dataSourceId: 'kb-docs',
      provider: 'openai',
      model: 'text-embedding-3-small',
      topK: 2,
      serverAddress: 'api.openai.com',
      serverPort: 443,
      query: 'sunny city',
      documents: [
        { id: 'd2', score: 0.9, content: 'sun in Rome' },
        { id: 'd1', score: 0.2, content: 'rain in Paris' },
      ],
    },
    name: 'retrieval kb-docs',
    kind: SpanKind.CLIENT,
    attributes: {
      'agent_otel.span.kind': 'retrieval',
      'gen_ai.operation.name': 'retrieval',
      'gen_ai.data_source.id': 'kb-docs',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.retrieval.top_k': 2,
      'server.address': 'api.openai.com',
      'server.port': 443,
    },
    content: {
      'gen_ai.retrieval.query.text': 'sunny city',
      'gen_ai.retrieval.documents': JSON.stringify([
        { id: 'd2', score: 0.9, content: 'sun in Rome' },
        { id: 'd1', score: 0.2, content: 'rain in Paris' },
      ]),
    },
  },
  function: {
    data: {
      type: 'function',
      name: 'get_weather',
      callId: 'call_1',
      agentName: 'triage',
      input: { city: 'Paris' },
      output: 'rainy',
    },
    name: 'execute_tool get_weather',
    kind: SpanKind.INTERNAL,
    attributes: {
      'agent_otel.span.kind': 'function',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.agent.name': 'triage',
    },
    content: {
      'gen_ai.tool.call.arguments': '{"city":"Paris"}',
      'gen_ai.tool.call.result': 'rainy',
    },
  },
  handoff: {
    data: {
      type: 'handoff',
      fromAgent: 'triage',
      toAgent: 'billing',
      toolName: 'transfer_to_billing',
      callId: 'call_9',
    },
    name: 'execute_tool transfer_to_billing',
    kind: SpanKind.INTERNAL,
    attributes: {
      'agent_otel.span.kind': 'handoff',
      'agent_otel.handoff.from_agent': 'triage',
      'agent_otel.handoff.to_agent': 'billing',
      'gen_ai.agent.name': 'triage',
      'agent_otel.handoff.mode': 'pass_control',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'transfer_to_billing',
      'gen_ai.tool.call.id': 'call_9',
    },
  },
  guardrail: {
    data: { type: 'guardrail', name: 'no_pii', triggered: true, source: 'input' },
    name: 'guardrail no_pii',
    kind: SpanKind.INTERNAL,
    attributes: {
      'agent_otel.span.kind': 'guardrail',
      'agent_otel.guardrail.name': 'no_pii',
      'agent_otel.guardrail.triggered': true,
    },
  },
  mcp_tools: {
    data: { type: 'mcp_tools', server: 'files', result: ['read', 'write'], sessionId: 's1' },
    name: 'tools/list',
    kind: SpanKind.CLIENT,
    attributes: {
      'agent_otel.span.kind': 'mcp_tools',
      'mcp.method.name': 'tools/list',
      'mcp.session.id': 's1',
      'agent_otel.mcp.server.name': 'files',
      'agent_otel.mcp.tools': ['read', 'write'],
    },
  },
  mcp_call: {
    data: {
      type: 'mcp_call',
      toolName: 'read',
      server: 'files',
      requestId: 3,
      sessionId: 's1',
      input: { path: '/a' },
      output: { ok: true },
    },
    name: 'tools/call read',
    kind: SpanKind.CLIENT,
    attributes: {
      'agent_otel.span.kind': 'mcp_call',
      'mcp.method.name': 'tools/call',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'read',
      'mcp.session.id': 's1',
      'jsonrpc.request.id': '3',
      'agent_otel.mcp.server.name': 'files',
    },
    content: {
      'gen_ai.tool.call.arguments': '{"path":"/a"}',
      'gen_ai.tool.call.result': '{"ok":true}',
    },
  },
  mcp_request: {
    data: {
      type: 'mcp_request',
      method: 'prompts/get',
      promptName: 'summarize',
      side: 'server',
      server: 'files',
      sessionId: 's1',
      protocolVersion: '2025-06-18',
      requestId: 'r-7',
      networkTransport: 'tcp',
      networkProtocolName: 'http',
      clientAddress: '127.0.0.1',
      clientPort: 50123,
      responseStatusCode: -32602,
    },
    name: 'prompts/get summarize',
    kind: SpanKind.SERVER,
    attributes: {
      'agent_otel.span.kind': 'mcp_request',
      'mcp.method.name': 'prompts/get',
      'gen_ai.prompt.name': 'summarize',
      'mcp.session.id': 's1',
      'mcp.protocol.version': '2025-06-18',
      'jsonrpc.request.id': 'r-7',
      'network.transport': 'tcp',
      'network.protocol.name': 'http',
      'client.address': '127.0.0.1',
      'client.port': 50123,
      'rpc.response.status_code': '-32602',
      'agent_otel.mcp.server.name': 'files',
    },
  },
  custom: {
    data: { type: 'custom', name: 'retrieve_docs', data: { k: 3 } },
    name: 'retrieve_docs',
    kind: SpanKind.INTERNAL,
    attributes: {
      'agent_otel.span.kind': 'custom',
      'agent_otel.custom.name': 'retrieve_docs',
      'agent_otel.custom.data': '{"k":3}',
    },
  },
  speech: {
    data: { type: 'speech', model: 'tts-1', provider: 'openai', outputFormat: 'mp3', input: 'hello' },
    name: 'text_to_speech tts-1',
    kind: SpanKind.CLIENT,
    attributes: {
      'agent_otel.span.kind': 'speech',
      'gen_ai.operation.name': 'text_to_speech',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'tts-1',
      'gen_ai.output.type': 'speech',
      'agent_otel.speech.output.format': 'mp3',
    },
    content: {
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: 'hello' }] },
      ]),
    },
  },
  transcription: {
    data: {
      type: 'transcription',
      model: 'whisper-1',
      provider: 'openai',
      inputFormat: 'pcm',
      language: 'en',
    },
    name: 'speech_to_text whisper-1',
    kind: SpanKind.CLIENT,
    attributes: {
      'agent_otel.span.kind': 'transcription',
      'gen_ai.operation.name': 'speech_to_text',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'whisper-1',
      'agent_otel.speech.input.format': 'pcm',
      'agent_otel.speech.input.language': 'en',
    },
  },
  task: {
    data: { type: 'task', name: 'plan', usage: { inputTokens: 3, outputTokens: 4 } },
    name: 'task plan',
    kind: SpanKind.INTERNAL,
    attributes: {
      'agent_otel.span.kind': 'task',
      'agent_otel.task.name': 'plan',
      'agent_otel.usage.input_tokens': 3,
      'agent_otel.usage.output_tokens': 4,
    },
  },
  turn: {
    data: { type: 'turn', turn: 2, agentName: 'triage' },
    name: 'turn triage',
    kind: SpanKind.INTERNAL,
    attributes: {
      'agent_otel.span.kind': 'turn',
      'agent_otel.turn.number': 2,
      'gen_ai.agent.name': 'triage',
    },
  },
};

describe('mapSpanData', () => {
  it('has a golden case for every span kind', () => {
    expect(Object.keys(goldens).sort()).toEqual([...SPAN_TYPES].sort());
  });

  it.each(SPAN_TYPES)('maps %s to the semconv name, kind and attributes', (type) => {
    const golden = goldens[type];
    const mapped = mapSpanData(golden.data, capture);
    expect(mapped.name).toBe(golden.name);
    expect(mapped.kind).toBe(golden.kind);
    expect(mapped.attributes).toEqual(golden.attributes);
    expect(mapped.content).toEqual(golden.content ?? {});
  });

  it.each(SPAN_TYPES)('records no content for %s when capture is off', (type) => {
    const mapped = mapSpanData(goldens[type].data, noContent);
    expect(mapped.content).toEqual({});
    for (const key of Object.keys(mapped.attributes)) {
      expect(key).not.toMatch(/messages|arguments|result|system_instructions|definitions/);
    }
  });

  it('never puts custom attributes under gen_ai.* that semconv does not define', () => {
    const allowed =
      /^gen_ai\.(operation\.name|provider\.name|request\.|response\.|usage\.(input_tokens|output_tokens|cache_read\.input_tokens|cache_write\.input_tokens|reasoning\.output_tokens)|agent\.(name|description)|conversation\.id|tool\.|prompt\.name|embeddings\.dimension\.count|output\.type|data_source\.id|retrieval\.top_k)/;
    for (const type of SPAN_TYPES) {
      for (const key of Object.keys(mapSpanData(goldens[type].data, capture).attributes)) {
        if (key.startsWith('gen_ai.')) expect(key).toMatch(allowed);
      }
    }
  });

  it('names a model call by its operation alone when no model is known', () => {
    expect(mapSpanData({ type: 'generation' }, noContent).name).toBe('chat');
    expect(
      mapSpanData({ type: 'generation', operation: 'text_completion', model: 'm' }, noContent).name,
    ).toBe('text_completion m');
  });

  it('records a choice count only when it is not 1', () => {
    expect(
      mapSpanData({ type: 'generation', choiceCount: 1 }, noContent).attributes[
        'gen_ai.request.choice.count'
      ],
    ).toBeUndefined();
    expect(
      mapSpanData({ type: 'generation', choiceCount: 3 }, noContent).attributes[
        'gen_ai.request.choice.count'
      ],
    ).toBe(3);
  });

  it('sets server.port only together with server.address', () => {
    expect(
      mapSpanData({ type: 'generation', serverPort: 443 }, noContent).attributes['server.port'],
    ).toBeUndefined();
  });

  it('maps a rerank without a model, with counts only when they are non-negative integers', () => {
    const mapped = mapSpanData({ type: 'rerank', topN: 2.5, documentCount: -1 }, capture);
    expect(mapped.name).toBe('rerank');
    expect(mapped.attributes['agent_otel.rerank.top_n']).toBeUndefined();
    expect(mapped.attributes['agent_otel.rerank.document_count']).toBeUndefined();
    expect(mapped.content).toEqual({});
  });

  it('records rerank documents as our own content, never as messages, redacted and capped', () => {
    const small = createContentPolicy({ captureMode: 'SPAN_ONLY', maxAttributeLength: 200 }, {});
    const mapped = mapSpanData(
      {
        type: 'rerank',
        input: { query: 'q', documents: ['x'.repeat(1000)], api_key: 'k' },
        output: [{ index: 0, relevanceScore: 1 }],
      },
      small,
    );
    expect(Object.keys(mapped.content).sort()).toEqual([
      'agent_otel.rerank.input',
      'agent_otel.rerank.output',
    ]);
    expect(String(mapped.content['agent_otel.rerank.input']).length).toBeLessThanOrEqual(200);
    expect(mapped.content['agent_otel.rerank.input']).not.toContain('"k"');
    expect(mapped.attributes['agent_otel.content.truncated']).toBe(true);
  });

  it('maps a retrieval with only the names the registry gives its span type', () => {
    const registry = semconvRegistry();
    const definition = registry.spans['span.gen_ai.retrieval.client']!;
    const golden = goldens.retrieval;
    const mapped = mapSpanData(golden.data, capture);
    expect(definition.kind).toBe('client');
    expect(definition.operation).toContain(mapped.attributes['gen_ai.operation.name']);
    const keys = [...Object.keys(mapped.attributes), ...Object.keys(mapped.content)];
    for (const key of keys.filter((k) => !k.startsWith('agent_otel.'))) {
      expect([key, definition.attributes[key]]).toEqual([key, expect.any(String)]);
    }
    // The opt-in attributes are exactly the content ones.
    expect(Object.keys(mapped.content).sort()).toEqual(
      Object.keys(definition.attributes)
        .filter((k) => definition.attributes[k] === 'opt_in')
        .sort(),
    );
    expect(registry.attributes['gen_ai.retrieval.top_k']!.type).toBe('int');
  });

  it('names a retrieval after its operation alone without a data source, and keeps only usable values', () => {
    const mapped = mapSpanData({ type: 'retrieval', dataSourceId: '', topK: 2.5, serverPort: 443 }, capture);
    expect(mapped.name).toBe('retrieval');
    expect(mapped.kind).toBe(SpanKind.CLIENT);
    expect(mapped.attributes).toEqual({
      'agent_otel.span.kind': 'retrieval',
      'gen_ai.operation.name': 'retrieval',
    });
    expect(mapped.content).toEqual({});
    const plainJs = { type: 'retrieval', dataSourceId: 42, topK: -1 } as unknown as SpanData;
    const odd = mapSpanData(plainJs, capture);
    expect(odd.name).toBe('retrieval');
    expect(odd.attributes['gen_ai.data_source.id']).toBeUndefined();
    expect(odd.attributes['gen_ai.retrieval.top_k']).toBeUndefined();
    expect(mapSpanData({ type: 'retrieval', topK: 0 }, capture).attributes['gen_ai.retrieval.top_k']).toBe(0);
  });

  it('records a retrieval query that is not a string as JSON, and its documents redacted and capped', () => {
    const small = createContentPolicy({ captureMode: 'SPAN_ONLY', maxAttributeLength: 200 }, {});
    const mapped = mapSpanData(
      {
        type: 'retrieval',
        query: { text: 'q', filter: { lang: 'en' } },
        documents: [{ id: 'd0', content: 'x'.repeat(1000), api_key: 'k' }],
      },
      small,
    );
    expect(mapped.content['gen_ai.retrieval.query.text']).toBe(
      JSON.stringify({ text: 'q', filter: { lang: 'en' } }),
    );
    const documents = String(mapped.content['gen_ai.retrieval.documents']);
    expect(documents.length).toBeLessThanOrEqual(200);
    expect(() => JSON.parse(documents) as unknown).not.toThrow();
    expect(documents).not.toContain('"k"');
    expect(mapped.attributes['agent_otel.content.truncated']).toBe(true);
  });

  it('maps a handoff that is not a tool call to a handoff span', () => {
    const mapped = mapSpanData({ type: 'handoff', fromAgent: 'a', toAgent: 'b' }, noContent);
    expect(mapped.name).toBe('handoff b');
    expect(mapped.attributes['gen_ai.operation.name']).toBeUndefined();
  });

  it('marks an MCP tool result flagged isError as error.type tool_error', () => {
    expect(mapSpanData({ type: 'mcp_call', toolName: 'x', isError: true }, noContent).errorType).toBe(
      'tool_error',
    );
  });

  it('maps the MCP protocol details of a client request, with server.* and no client.*', () => {
    const mapped = mapSpanData(
      {
        type: 'mcp_request',
        method: 'resources/read',
        resourceUri: 'file:///a.txt',
        protocolVersion: '2025-06-18',
        networkTransport: 'pipe',
        serverAddress: 'mcp.local',
        serverPort: 8080,
        clientAddress: 'ignored-on-the-client',
      },
      noContent,
    );
    expect(mapped.name).toBe('resources/read');
    expect(mapped.kind).toBe(SpanKind.CLIENT);
    expect(mapped.attributes).toEqual({
      'agent_otel.span.kind': 'mcp_request',
      'mcp.method.name': 'resources/read',
      'mcp.resource.uri': 'file:///a.txt',
      'mcp.protocol.version': '2025-06-18',
      'network.transport': 'pipe',
      'server.address': 'mcp.local',
      'server.port': 8080,
    });
  });

  it('maps server-side MCP tools spans to SERVER spans', () => {
    expect(mapSpanData({ type: 'mcp_call', toolName: 'x', side: 'server' }, noContent).kind).toBe(
      SpanKind.SERVER,
    );
    expect(mapSpanData({ type: 'mcp_tools', side: 'server' }, noContent).kind).toBe(SpanKind.SERVER);
  });

  it('adds the MCP attributes of a tool call to the execute_tool span that made it', () => {
    const mapped = mapSpanData(
      {
        type: 'function',
        name: 'read',
        mcp: { sessionId: 's1', requestId: 4, networkTransport: 'pipe', server: 'files', isError: true },
      },
      noContent,
    );
    expect(mapped.name).toBe('execute_tool read');
    expect(mapped.kind).toBe(SpanKind.INTERNAL);
    expect(mapped.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'mcp.method.name': 'tools/call',
      'mcp.session.id': 's1',
      'jsonrpc.request.id': '4',
      'network.transport': 'pipe',
      'agent_otel.mcp.server.name': 'files',
    });
    expect(mapped.errorType).toBe('tool_error');
  });

  it('emits a guardrail result event under our own names (PR #427 proposes another model)', () => {
    expect(mapSpanData(goldens.guardrail.data, noContent).events).toEqual([
      {
        name: 'agent_otel.guardrail.result',
        attributes: {
          'agent_otel.guardrail.name': 'no_pii',
          'agent_otel.guardrail.source': 'input',
          'agent_otel.guardrail.result.type': 'tripwire_triggered',
          'agent_otel.guardrail.result.value': 'true',
        },
      },
    ]);
  });

  it('maps an unknown kind from plain-JS callers to a generic span instead of throwing', () => {
    const mapped = mapSpanData({ type: 'brand_new' } as unknown as SpanData, noContent);
    expect(mapped.name).toBe('brand_new');
    expect(mapped.attributes['agent_otel.span.kind']).toBe('brand_new');
  });

  it('records non-finite metadata numbers as text and leaves non-finite parameters out', () => {
    const workflow = mapSpanData(
      { type: 'workflow', name: 'w', metadata: { nan: NaN, inf: Infinity, neg: -Infinity, ok: 1.5 } },
      noContent,
    );
    expect(workflow.attributes['agent_otel.metadata.nan']).toBe('NaN');
    expect(workflow.attributes['agent_otel.metadata.inf']).toBe('Infinity');
    expect(workflow.attributes['agent_otel.metadata.neg']).toBe('-Infinity');
    expect(workflow.attributes['agent_otel.metadata.ok']).toBe(1.5);
    const generation = mapSpanData(
      { type: 'generation', temperature: Infinity, topP: NaN, maxTokens: 5 },
      noContent,
    );
    expect(generation.attributes).not.toHaveProperty(['gen_ai.request.temperature']);
    expect(generation.attributes).not.toHaveProperty(['gen_ai.request.top_p']);
    expect(generation.attributes['gen_ai.request.max_tokens']).toBe(5);
  });

  it('flags truncated content', () => {
    const small = createContentPolicy({ captureMode: 'SPAN_ONLY', maxAttributeLength: 64 }, {});
    const mapped = mapSpanData({ type: 'function', name: 't', input: { text: 'x'.repeat(500) } }, small);
    expect(mapped.attributes['agent_otel.content.truncated']).toBe(true);
    expect(String(mapped.content['gen_ai.tool.call.arguments']).length).toBeLessThanOrEqual(64);
    expect(() => JSON.parse(String(mapped.content['gen_ai.tool.call.arguments']))).not.toThrow();
  });

  it('sets the response fields of a model call alone exactly as the full mapping maps them', () => {
    const small = createContentPolicy({ captureMode: 'SPAN_ONLY', maxAttributeLength: 80 }, {});
    for (const policy of [noContent, capture, small]) {
      for (const type of ['generation', 'response'] as const) {
        const data: GenerationSpanData | ResponseSpanData = {
          type,
          model: 'gpt-4o',
          provider: 'openai',
          responseId: 'r1',
          responseModel: 'gpt-4o-2024-08-06',
          finishReasons: ['stop'],
          timeToFirstChunk: 0.25,
          usage: { inputTokens: 10, outputTokens: 4, cacheReadInputTokens: 2, reasoningOutputTokens: 1 },
          responseServiceTier: 'default',
          systemFingerprint: 'fp_1',
          output: [{ role: 'assistant', content: 'A long answer. '.repeat(20) }],
        };
        const full = mapSpanData(data, policy);
        const set: Record<string, unknown> = {};
        let calls = 0;
        setModelCallResponse(
          {
            setAttribute: (key, value) => {
              calls++;
              set[key] = value;
            },
          },
          data,
          policy,
        );
        expect(calls).toBe(Object.keys(set).length); // each attribute once
        const content = Object.keys(full.content);
        expect(Object.keys(set).length).toBeGreaterThanOrEqual(8 + content.length);
        for (const [key, value] of Object.entries(set)) {
          expect(key in full.content ? full.content[key] : full.attributes[key]).toEqual(value);
        }
        for (const key of content) expect(set).toHaveProperty([key]);
        // Nothing the full mapping derives from the response fields is missing from what is set.
        const requestOnly = mapSpanData({ type, model: 'gpt-4o', provider: 'openai' }, policy);
        for (const key of Object.keys(full.attributes)) {
          if (!(key in requestOnly.attributes)) expect(set).toHaveProperty([key]);
        }
      }
    }
    expect([...MODEL_CALL_RESPONSE_FIELDS].sort()).toEqual([
      'finishReasons',
      'output',
      'outputChunkIntervals',
      'responseId',
      'responseModel',
      'responseServiceTier',
      'systemFingerprint',
      'timeToFirstChunk',
      'usage',
    ]);
  });
});
