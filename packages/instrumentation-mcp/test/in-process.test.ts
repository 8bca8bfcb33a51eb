import { getCurrentSpan, withMcpCallSpan, withMcpToolsSpan, withToolSpan, withTrace } from '@agent-otel/core';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
} from '@opentelemetry/api';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import {
  CallToolResultSchema,
  EmptyResultSchema,
  LATEST_PROTOCOL_VERSION,
  ListRootsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpInstrumentation } from '../src/index';
import { createMcpServer } from './fixtures/mcp-server.cjs';
import { captureContent, instrumentSdk, parentOf, resetContent, setupTracing } from './helpers';

// Client and server in one process over the SDK's in-memory transport. Each side receives messages
// in a fresh root context, as if they came from another process, so only `_meta` links the two.

const tracing = setupTracing();
const instrumentation: McpInstrumentation = instrumentSdk();

interface Pair {
  client: Client;
  server: McpServer;
  /** Every message the client sent, as sent. */
  sent: JSONRPCMessage[];
  close(): Promise<void>;
}

/** The context the server receives messages in: a fresh root, unless a test simulates an HTTP server span. */
let serverDelivery: () => Context = () => ROOT_CONTEXT;

function isolate(transport: InMemoryTransport, delivery: () => Context = () => ROOT_CONTEXT): void {
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => context.with(delivery(), () => deliver?.(message, extra));
}

async function connectPair(): Promise<Pair> {
  const server = createMcpServer();
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const sent: JSONRPCMessage[] = [];
  const send = clientTransport.send.bind(clientTransport);
  clientTransport.send = (message, options) => {
    sent.push(structuredClone(message));
    return send(message, options);
  };
  await server.connect(serverTransport);
  isolate(serverTransport, () => serverDelivery());
  const client = new Client({ name: 'test-client', version: '1.0.0' }, { capabilities: { roots: {} } });
  client.setRequestHandler(ListRootsRequestSchema, () => ({
    roots: [{ uri: 'file:///work', name: 'work' }],
  }));
  const connecting = client.connect(clientTransport);
  isolate(clientTransport);
  await connecting;
  return { client, server, sent, close: () => client.close() };
}

let pair: Pair;

beforeEach(async () => {
  instrumentation.setConfig({});
  pair = await connectPair();
  tracing.reset();
});

afterEach(async () => {
  await pair.close();
  resetContent();
});

afterAll(async () => {
  instrumentation.disable();
  await tracing.shutdown();
});

function serverSpanOf(name: string) {
  return tracing.spans().find((span) => span.name === name && span.kind === SpanKind.SERVER)!;
}

function clientSpanOf(name: string) {
  return tracing.spans().find((span) => span.name === name && span.kind === SpanKind.CLIENT)!;
}

describe('client and server spans', () => {
  it('traces initialize with the negotiated protocol version and server name on both ends', async () => {
    const other = await connectPair();
    await other.close();
    const client = clientSpanOf('initialize');
    const server = serverSpanOf('initialize');
    expect(client.attributes).toMatchObject({
      'agent_otel.span.kind': 'mcp_request',
      'mcp.method.name': 'initialize',
      'mcp.protocol.version': LATEST_PROTOCOL_VERSION,
      'jsonrpc.request.id': '0',
      'agent_otel.mcp.server.name': 'weather-test-server',
    });
    expect(server.attributes).toMatchObject({
      'mcp.method.name': 'initialize',
      'mcp.protocol.version': LATEST_PROTOCOL_VERSION,
      'jsonrpc.request.id': '0',
      'agent_otel.mcp.server.name': 'weather-test-server',
    });
    expect(server.spanContext().traceId).toBe(client.spanContext().traceId);
    expect(parentOf(server)).toBe(client.spanContext().spanId);
  });

  it('traces tools/list and tools/call: server spans under client spans, handler spans under server spans', async () => {
    await withTrace('weather', async () => {
      await pair.client.listTools();
      await pair.client.callTool({ name: 'get_forecast', arguments: { city: 'Paris' } });
    });
    const root = tracing.byName('invoke_workflow weather');
    const listClient = clientSpanOf('tools/list');
    const listServer = serverSpanOf('tools/list');
    const callClient = clientSpanOf('tools/call get_forecast');
    const callServer = serverSpanOf('tools/call get_forecast');
    const handler = tracing.byName('lookup_forecast');

    expect(new Set(tracing.spans().map((span) => span.spanContext().traceId)).size).toBe(1);
    expect(parentOf(listClient)).toBe(root.spanContext().spanId);
    expect(parentOf(listServer)).toBe(listClient.spanContext().spanId);
    expect(parentOf(callClient)).toBe(root.spanContext().spanId);
    expect(parentOf(callServer)).toBe(callClient.spanContext().spanId);
    expect(callServer.parentSpanContext?.isRemote).toBe(true);
    expect(parentOf(handler)).toBe(callServer.spanContext().spanId);

    expect(listClient.attributes).toEqual({
      'agent_otel.span.kind': 'mcp_tools',
      'mcp.method.name': 'tools/list',
      'mcp.protocol.version': LATEST_PROTOCOL_VERSION,
      'jsonrpc.request.id': '1',
      'agent_otel.mcp.server.name': 'weather-test-server',
      'agent_otel.mcp.tools': ['get_forecast', 'fail_tool'],
    });
    expect(callClient.attributes).toEqual({
      'agent_otel.span.kind': 'mcp_call',
      'mcp.method.name': 'tools/call',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_forecast',
      'mcp.protocol.version': LATEST_PROTOCOL_VERSION,
      'jsonrpc.request.id': '2',
      'agent_otel.mcp.server.name': 'weather-test-server',
    });
    expect(callServer.attributes).toEqual({ ...callClient.attributes });
    expect(callClient.status.code).toBe(SpanStatusCode.UNSET);
    expect(callClient.instrumentationScope.name).toBe('@agent-otel/instrumentation-mcp');
  });

  it('records tool arguments and results (without _meta) only when content capture is on', async () => {
    await pair.client.callTool({ name: 'get_forecast', arguments: { city: 'Paris' } });
    for (const span of tracing.spans()) {
      expect(span.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
      expect(span.attributes['gen_ai.tool.call.result']).toBeUndefined();
    }
    tracing.reset();
    captureContent();
    await pair.client.callTool({ name: 'get_forecast', arguments: { city: 'Paris' } });
    for (const span of [clientSpanOf('tools/call get_forecast'), serverSpanOf('tools/call get_forecast')]) {
      expect(JSON.parse(String(span.attributes['gen_ai.tool.call.arguments']))).toEqual({ city: 'Paris' });
      const result = JSON.parse(String(span.attributes['gen_ai.tool.call.result']));
      expect(result.content).toEqual([{ type: 'text', text: 'Sunny in Paris' }]);
      expect(result._meta).toBeUndefined();
    }
  });

  it('marks a tool result flagged isError as error.type tool_error on both ends', async () => {
    const result = await pair.client.callTool({ name: 'fail_tool', arguments: {} });
    expect(result.isError).toBe(true);
    for (const span of [clientSpanOf('tools/call fail_tool'), serverSpanOf('tools/call fail_tool')]) {
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe('tool_error');
      expect(span.attributes['rpc.response.status_code']).toBeUndefined();
    }
  });

  it('records a JSON-RPC error response with its code as error.type and rpc.response.status_code', async () => {
    const failure = pair.client.getPrompt({ name: 'no_such_prompt' });
    await expect(failure).rejects.toBeInstanceOf(McpError);
    for (const span of [
      clientSpanOf('prompts/get no_such_prompt'),
      serverSpanOf('prompts/get no_such_prompt'),
    ]) {
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.status.message).toContain('no_such_prompt');
      expect(span.attributes['error.type']).toBe('-32602');
      expect(span.attributes['rpc.response.status_code']).toBe('-32602');
      expect(span.events.map((event) => event.name)).toEqual(['exception']);
    }
  });

  it('traces a method the server has no handler for on the client side (-32601)', async () => {
    await expect(pair.client.request({ method: 'no/such_method' }, EmptyResultSchema)).rejects.toThrow(
      'Method not found',
    );
    const span = tracing.byName('no/such_method');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes['error.type']).toBe('-32601');
    expect(tracing.spans()).toHaveLength(1);
  });

  it('names prompts/get by the prompt and records the resource URI of resources/read', async () => {
    await pair.client.getPrompt({ name: 'summarize', arguments: { topic: 'MCP' } });
    await pair.client.readResource({ uri: 'docs://readme' });
    expect(clientSpanOf('prompts/get summarize').attributes).toMatchObject({
      'agent_otel.span.kind': 'mcp_request',
      'mcp.method.name': 'prompts/get',
      'gen_ai.prompt.name': 'summarize',
    });
    expect(serverSpanOf('prompts/get summarize').attributes['gen_ai.prompt.name']).toBe('summarize');
    for (const span of [clientSpanOf('resources/read'), serverSpanOf('resources/read')]) {
      expect(span.attributes['mcp.method.name']).toBe('resources/read');
      expect(span.attributes['mcp.resource.uri']).toBe('docs://readme');
    }
  });

  it('traces ping on both ends', async () => {
    await pair.client.ping();
    expect(clientSpanOf('ping').attributes['mcp.method.name']).toBe('ping');
    expect(parentOf(serverSpanOf('ping'))).toBe(clientSpanOf('ping').spanContext().spanId);
  });

  it('traces a request the server sends to the client, inside the server span that sent it', async () => {
    pair.server.registerTool('count_roots', {}, async () => {
      const { roots } = await pair.server.server.listRoots();
      return { content: [{ type: 'text', text: String(roots.length) }] };
    });
    await pair.client.callTool({ name: 'count_roots', arguments: {} });
    const toolServer = serverSpanOf('tools/call count_roots');
    const rootsClient = clientSpanOf('roots/list');
    const rootsServer = serverSpanOf('roots/list');
    expect(parentOf(rootsClient)).toBe(toolServer.spanContext().spanId);
    expect(parentOf(rootsServer)).toBe(rootsClient.spanContext().spanId);
    expect(rootsClient.attributes).toMatchObject({
      'mcp.method.name': 'roots/list',
      'jsonrpc.request.id': '0',
    });
  });

  it('injects traceparent and baggage into params._meta without touching the caller’s objects', async () => {
    const meta = Object.freeze({ 'example.com/trace-me': 'yes' });
    const params = Object.freeze({ name: 'get_forecast', arguments: { city: 'Oslo' }, _meta: meta });
    const baggage = propagation.createBaggage({ 'user.id': { value: 'u-42' } });
    const result = await context.with(propagation.setBaggage(context.active(), baggage), () =>
      pair.client.callTool(params),
    );
    expect(params._meta).toBe(meta);
    expect(Object.keys(meta)).toEqual(['example.com/trace-me']);
    expect(result.structuredContent).toMatchObject({ user: 'u-42' });

    const span = clientSpanOf('tools/call get_forecast');
    const request = pair.sent.find((message) => 'method' in message && message.method === 'tools/call');
    const sentMeta = (request as { params: { _meta: Record<string, unknown> } }).params._meta;
    const { traceId, spanId } = span.spanContext();
    expect(sentMeta).toEqual({
      'example.com/trace-me': 'yes',
      traceparent: `00-${traceId}-${spanId}-01`,
      baggage: 'user.id=u-42',
    });
  });

  it('parents the server span to _meta and links the ambient (e.g. HTTP server) span', async () => {
    const http = trace.getTracer('http').startSpan('POST /mcp', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
    serverDelivery = () => trace.setSpan(ROOT_CONTEXT, http);
    try {
      await pair.client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo' } });
    } finally {
      serverDelivery = () => ROOT_CONTEXT;
      http.end();
    }
    const server = serverSpanOf('tools/call get_forecast');
    expect(parentOf(server)).toBe(clientSpanOf('tools/call get_forecast').spanContext().spanId);
    expect(server.links.map((link) => link.context.spanId)).toEqual([http.spanContext().spanId]);
  });

  it('does not inject when injectContext is false: the server starts a new trace', async () => {
    instrumentation.setConfig({ injectContext: false });
    await pair.client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo' } });
    const server = serverSpanOf('tools/call get_forecast');
    expect(server.parentSpanContext).toBeUndefined();
    expect(server.spanContext().traceId).not.toBe(
      clientSpanOf('tools/call get_forecast').spanContext().traceId,
    );
  });
});

describe('the duplicate rule: an enclosing span for the same operation is enriched, not duplicated', () => {
  it('adds the MCP attributes to the execute_tool span of the same tool', async () => {
    await withToolSpan({ name: 'get_forecast', callId: 'call_1' }, () =>
      pair.client.callTool({ name: 'get_forecast', arguments: { city: 'Rome' } }),
    );
    expect(tracing.spans().filter((span) => span.kind === SpanKind.CLIENT)).toEqual([]);
    const tool = tracing.byName('execute_tool get_forecast');
    expect(tool.attributes).toEqual({
      'agent_otel.span.kind': 'function',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_forecast',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.id': 'call_1',
      'mcp.method.name': 'tools/call',
      'mcp.protocol.version': LATEST_PROTOCOL_VERSION,
      'jsonrpc.request.id': '1',
      'agent_otel.mcp.server.name': 'weather-test-server',
    });
    expect(parentOf(serverSpanOf('tools/call get_forecast'))).toBe(tool.spanContext().spanId);
  });

  it('records tool_error on the enriched execute_tool span', async () => {
    await withToolSpan('fail_tool', () => pair.client.callTool({ name: 'fail_tool', arguments: {} }));
    const tool = tracing.byName('execute_tool fail_tool');
    expect(tool.attributes['error.type']).toBe('tool_error');
    expect(tool.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('records a JSON-RPC error on the enriched execute_tool span', async () => {
    const invalid = { method: 'tools/call', params: { name: 'get_forecast', arguments: 'not an object' } };
    await expect(
      withToolSpan('get_forecast', () => pair.client.request(invalid as never, CallToolResultSchema)),
    ).rejects.toBeInstanceOf(McpError);
    const tool = tracing.byName('execute_tool get_forecast');
    expect(tool.status.code).toBe(SpanStatusCode.ERROR);
    expect(tool.attributes['rpc.response.status_code']).toBe('-32603'); // the SDK's schema check
    expect(tool.attributes['mcp.method.name']).toBe('tools/call');
    // The error then leaves the tool, and the tool span records it as well (its class name).
    expect(tool.attributes['error.type']).toBe('McpError');
  });

  it('enriches an mcp_tools span around tools/list (as the OpenAI Agents bridge emits)', async () => {
    await withMcpToolsSpan({ server: 'weather' }, () => pair.client.listTools());
    const lists = tracing.spans().filter((span) => span.name === 'tools/list');
    expect(lists.map((span) => span.kind).sort()).toEqual([SpanKind.CLIENT, SpanKind.SERVER].sort());
    const client = clientSpanOf('tools/list');
    expect(client.attributes).toMatchObject({
      'agent_otel.span.kind': 'mcp_tools',
      'agent_otel.mcp.server.name': 'weather',
      'jsonrpc.request.id': '1',
      'agent_otel.mcp.tools': ['get_forecast', 'fail_tool'],
    });
    expect(parentOf(serverSpanOf('tools/list'))).toBe(client.spanContext().spanId);
  });

  it('enriches a manual mcp_call span for the same tool', async () => {
    await withMcpCallSpan({ toolName: 'get_forecast', callId: 'c-9' }, () =>
      pair.client.callTool({ name: 'get_forecast', arguments: { city: 'Rome' } }),
    );
    const client = clientSpanOf('tools/call get_forecast');
    expect(tracing.spans().filter((span) => span.kind === SpanKind.CLIENT)).toHaveLength(1);
    expect(client.attributes).toMatchObject({ 'gen_ai.tool.call.id': 'c-9', 'jsonrpc.request.id': '1' });
  });

  it('starts its own span under an execute_tool span of another tool', async () => {
    await withToolSpan('plan_trip', () =>
      pair.client.callTool({ name: 'get_forecast', arguments: { city: 'Rome' } }),
    );
    const client = clientSpanOf('tools/call get_forecast');
    expect(parentOf(client)).toBe(tracing.byName('execute_tool plan_trip').spanContext().spanId);
  });

  it('starts its own span when another span is active inside the execute_tool span', async () => {
    await withToolSpan('get_forecast', () =>
      trace.getTracer('other').startActiveSpan('http work', async (other) => {
        await pair.client.callTool({ name: 'get_forecast', arguments: { city: 'Rome' } });
        other.end();
      }),
    );
    expect(parentOf(clientSpanOf('tools/call get_forecast'))).toBe(
      tracing.byName('http work').spanContext().spanId,
    );
    expect(tracing.byName('execute_tool get_forecast').attributes['mcp.method.name']).toBeUndefined();
  });

  it('enriches an execute_tool span once: a second call inside it gets its own span', async () => {
    await withToolSpan('get_forecast', async () => {
      await pair.client.callTool({ name: 'get_forecast', arguments: { city: 'Rome' } });
      await pair.client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo' } });
    });
    expect(clientSpanOf('tools/call get_forecast').attributes['jsonrpc.request.id']).toBe('2');
    expect(tracing.byName('execute_tool get_forecast').attributes['jsonrpc.request.id']).toBe('1');
  });

  it('always starts a client span with enrichEnclosingSpans: false', async () => {
    instrumentation.setConfig({ enrichEnclosingSpans: false });
    await withToolSpan('get_forecast', () =>
      pair.client.callTool({ name: 'get_forecast', arguments: { city: 'Rome' } }),
    );
    const tool = tracing.byName('execute_tool get_forecast');
    expect(tool.attributes['mcp.method.name']).toBeUndefined();
    expect(parentOf(clientSpanOf('tools/call get_forecast'))).toBe(tool.spanContext().spanId);
  });

  it('makes the server span the current agent-otel span inside the handler', async () => {
    let seen: string | undefined;
    pair.server.registerTool('who_am_i', {}, async () => {
      seen = getCurrentSpan()?.spanData.type;
      return { content: [] };
    });
    await pair.client.callTool({ name: 'who_am_i', arguments: {} });
    expect(seen).toBe('mcp_call');
  });
});

describe('robustness', () => {
  const malformed: [string, Record<string, unknown>][] = [
    ['a non-string traceparent', { traceparent: 42 }],
    ['an invalid traceparent', { traceparent: '00-not-a-trace-id-01' }],
    ['an all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01` }],
    [
      'an oversized traceparent',
      { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01${' '.repeat(10_000)}` },
    ],
    ['object and array values', { traceparent: { nested: true }, tracestate: ['a=b'], baggage: null }],
    ['a huge baggage', { baggage: `user.id=${'x'.repeat(100_000)}` }],
    ['thousands of keys', Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 'v']))],
  ];

  it.each(malformed)('ignores %s in _meta and still answers the request', async (_label, meta) => {
    instrumentation.setConfig({ injectContext: false });
    const result = await pair.client.callTool({
      name: 'get_forecast',
      arguments: { city: 'Oslo' },
      _meta: meta,
    });
    expect(result.content).toEqual([{ type: 'text', text: 'Sunny in Oslo' }]);
    const server = serverSpanOf('tools/call get_forecast');
    expect(server.parentSpanContext).toBeUndefined();
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('uses a valid traceparent found in _meta even when the client is not instrumented', async () => {
    instrumentation.setConfig({ injectContext: false });
    const traceparent = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
    await pair.client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo' }, _meta: { traceparent } });
    const server = serverSpanOf('tools/call get_forecast');
    expect(server.spanContext().traceId).toBe('a'.repeat(32));
    expect(parentOf(server)).toBe('b'.repeat(16));
  });

  it('sends a request whose _meta is not an object as it is (the SDK rejects it)', async () => {
    const request = { method: 'ping', params: { _meta: 'not an object' as never } };
    // The server drops the invalid message, so the client times out.
    await expect(pair.client.request(request, EmptyResultSchema, { timeout: 50 })).rejects.toBeInstanceOf(
      McpError,
    );
    const sent = pair.sent.find((message) => 'method' in message && message.method === 'ping');
    expect((sent as { params: unknown }).params).toEqual({ _meta: 'not an object' });
    expect(clientSpanOf('ping').attributes['error.type']).toBe('-32001');
  });

  it('patches nothing, and does not throw, when manuallyInstrument gets no SDK classes', () => {
    expect(() => instrumentation.manuallyInstrument({ Client: 42 })).not.toThrow();
    expect(() => instrumentation.manuallyInstrument(undefined)).not.toThrow();
  });

  it('passes calls straight through when disabled', async () => {
    instrumentation.disable();
    try {
      await pair.client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo' } });
      expect(tracing.spans().filter((span) => span.name.startsWith('tools/'))).toEqual([]);
    } finally {
      instrumentation.enable();
    }
  });
});
