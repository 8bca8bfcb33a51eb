import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonlSpans, withTrace, type JsonlSpanRecord } from '@agent-otel/core';
import { context, propagation, SpanKind, type Span } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION, McpError } from '@modelcontextprotocol/sdk/types.js';
import { assertMcpBuilt, connectStdio, startHttpServer } from './child-processes';
import { instrumentSdk, parentOf, setupTracing } from './helpers';

// A real MCP client in this process and a real MCP server in a child Node process, over stdio and
// over Streamable HTTP on 127.0.0.1. The child writes its spans to a JSONL file.

jest.setTimeout(30_000);

const tracing = setupTracing();
const instrumentation = instrumentSdk();
let dir: string;
let jsonl: string;

beforeAll(() => assertMcpBuilt());

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agent-otel-mcp-'));
  jsonl = join(dir, 'server-spans.jsonl');
  tracing.reset();
  instrumentation.enable();
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

afterAll(async () => {
  instrumentation.disable();
  await tracing.shutdown();
});

function clientSpan(name: string): ReadableSpan {
  const span = tracing.spans().find((s) => s.name === name && s.kind === SpanKind.CLIENT);
  if (!span)
    throw new Error(
      `no client span ${name}: ${tracing
        .spans()
        .map((s) => s.name)
        .join(', ')}`,
    );
  return span;
}

function serverSpan(spans: JsonlSpanRecord[], name: string): JsonlSpanRecord {
  const span = spans.find((s) => s.name === name && s.kind === 'SERVER');
  if (!span) throw new Error(`no server span ${name}: ${spans.map((s) => s.name).join(', ')}`);
  return span;
}

/** The server span was started from the client span's context, across the process boundary. */
function expectChildOf(server: JsonlSpanRecord, client: ReadableSpan | Span): void {
  expect(server.traceId).toBe(client.spanContext().traceId);
  expect(server.parentSpanId).toBe(client.spanContext().spanId);
}

/**
 * The calls every scenario makes: a tool, a failing tool, an unknown prompt, all in one trace. The
 * baggage reaches the tool only when both ends are instrumented.
 */
async function exercise(client: Client, baggagePropagates = true): Promise<void> {
  const baggage = propagation.createBaggage({ 'user.id': { value: 'u-7' } });
  await context.with(propagation.setBaggage(context.active(), baggage), () =>
    withTrace('weather-check', async () => {
      await client.listTools();
      const forecast = await client.callTool({ name: 'get_forecast', arguments: { city: 'Lisbon' } });
      expect(forecast.structuredContent).toMatchObject({
        forecast: 'sunny',
        user: baggagePropagates ? 'u-7' : null,
      });
      const failed = await client.callTool({ name: 'fail_tool', arguments: {} });
      expect(failed.isError).toBe(true);
      await expect(client.getPrompt({ name: 'no_such_prompt' })).rejects.toBeInstanceOf(McpError);
    }),
  );
}

describe('over stdio, with the server in a child process', () => {
  it('forms one trace across the boundary: server spans are children of the client spans', async () => {
    const connection = await connectStdio({ instrumented: true, jsonl, service: 'weather-stdio' });
    try {
      await exercise(connection.client);
    } finally {
      await connection.close();
    }
    expect(connection.stderr()).toBe('');

    const spans = await readJsonlSpans(jsonl);
    const root = tracing.byName('invoke_workflow weather-check');
    const traceId = root.spanContext().traceId;
    expect(spans.every((span) => span.resource.attributes['service.name'] === 'weather-stdio')).toBe(true);

    // initialize ran before the trace: its own trace, still linked client → server.
    expectChildOf(serverSpan(spans, 'initialize'), clientSpan('initialize'));

    for (const name of [
      'tools/list',
      'tools/call get_forecast',
      'tools/call fail_tool',
      'prompts/get no_such_prompt',
    ]) {
      const client = clientSpan(name);
      const server = serverSpan(spans, name);
      expect(client.spanContext().traceId).toBe(traceId);
      expectChildOf(server, client);
      expect(client.attributes['network.transport']).toBe('pipe');
      expect(server.attributes['network.transport']).toBe('pipe');
      expect(server.attributes['jsonrpc.request.id']).toBe(client.attributes['jsonrpc.request.id']);
      expect(server.attributes['mcp.protocol.version']).toBe(LATEST_PROTOCOL_VERSION);
      expect(client.attributes['mcp.protocol.version']).toBe(LATEST_PROTOCOL_VERSION);
      expect(server.attributes['agent_otel.mcp.server.name']).toBe('weather-test-server');
    }

    const call = serverSpan(spans, 'tools/call get_forecast');
    expect(call.attributes).toEqual({
      'agent_otel.span.kind': 'mcp_call',
      'mcp.method.name': 'tools/call',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_forecast',
      'mcp.protocol.version': LATEST_PROTOCOL_VERSION,
      'jsonrpc.request.id': '2',
      'network.transport': 'pipe',
      'agent_otel.mcp.server.name': 'weather-test-server',
    });
    const [handler] = spans.filter((span) => span.name === 'lookup_forecast');
    expect(handler!.parentSpanId).toBe(call.spanId);
    expect(handler!.traceId).toBe(traceId);

    for (const failed of [clientSpan('tools/call fail_tool'), serverSpan(spans, 'tools/call fail_tool')]) {
      expect(failed.attributes['error.type']).toBe('tool_error');
    }
    for (const failed of [
      clientSpan('prompts/get no_such_prompt'),
      serverSpan(spans, 'prompts/get no_such_prompt'),
    ]) {
      expect(failed.attributes['error.type']).toBe('-32602');
      expect(failed.attributes['rpc.response.status_code']).toBe('-32602');
    }
  });

  it('keeps the client spans right when the server is not instrumented', async () => {
    const connection = await connectStdio({ instrumented: false, jsonl, service: 'plain-server' });
    try {
      await exercise(connection.client, false);
    } finally {
      await connection.close();
    }
    expect(await readJsonlSpans(jsonl)).toEqual([]);
    const call = clientSpan('tools/call get_forecast');
    expect(call.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'get_forecast',
      'network.transport': 'pipe',
      'jsonrpc.request.id': '2',
    });
    expect(clientSpan('tools/call fail_tool').attributes['error.type']).toBe('tool_error');
    expect(clientSpan('prompts/get no_such_prompt').attributes['error.type']).toBe('-32602');
  });

  it('starts a new trace on the server when the client is not instrumented', async () => {
    instrumentation.disable();
    const connection = await connectStdio({ instrumented: true, jsonl, service: 'weather-stdio' });
    try {
      await exercise(connection.client, false);
    } finally {
      await connection.close();
    }
    const spans = await readJsonlSpans(jsonl);
    const roots = spans.filter((span) => span.kind === 'SERVER');
    expect(roots.map((span) => span.name).sort()).toEqual(
      [
        'initialize',
        'prompts/get no_such_prompt',
        'tools/call fail_tool',
        'tools/call get_forecast',
        'tools/list',
      ].sort(),
    );
    for (const span of roots) expect(span.parentSpanId).toBeNull();
    expect(new Set(roots.map((span) => span.traceId)).size).toBe(roots.length);
    expect(tracing.spans().filter((span) => span.kind === SpanKind.CLIENT)).toEqual([]);
  });

  it('patches the ESM build of the SDK through the import hook', async () => {
    const connection = await connectStdio({ instrumented: true, esm: true, jsonl, service: 'weather-esm' });
    try {
      await connection.client.callTool({ name: 'get_forecast', arguments: { city: 'Porto' } });
    } finally {
      await connection.close();
    }
    expect(connection.stderr()).toBe('');
    const spans = await readJsonlSpans(jsonl);
    const server = serverSpan(spans, 'tools/call get_forecast');
    expectChildOf(server, clientSpan('tools/call get_forecast'));
    expect(spans.find((span) => span.name === 'lookup_forecast')?.parentSpanId).toBe(server.spanId);
  });
});

describe('an ESM server started with node --import @agent-otel/node/register', () => {
  it('is patched by the loader hook that register() installs, and joins the client trace', async () => {
    const connection = await connectStdio({
      instrumented: true,
      viaRegister: true,
      jsonl,
      service: 'weather-register',
    });
    try {
      await connection.client.callTool({ name: 'get_forecast', arguments: { city: 'Lyon' } });
    } finally {
      await connection.close();
    }
    expect(connection.stderr()).toBe('');
    const spans = await readJsonlSpans(jsonl);
    const server = serverSpan(spans, 'tools/call get_forecast');
    expect(server.resource.attributes['service.name']).toBe('weather-register');
    expectChildOf(server, clientSpan('tools/call get_forecast'));
    expect(spans.find((span) => span.name === 'lookup_forecast')?.parentSpanId).toBe(server.spanId);
  });
});

describe('over Streamable HTTP on 127.0.0.1, with the server in a child process', () => {
  it('forms one trace across the boundary, with the session id and server address', async () => {
    const server = await startHttpServer({ instrumented: true, jsonl, service: 'weather-http' });
    try {
      const client = new Client({ name: 'test-client', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(server.url));
      await exercise(client);
      await client.close();
    } finally {
      await server.stop();
    }
    expect(server.stderr()).toBe('');
    const spans = await readJsonlSpans(jsonl);
    const port = Number(server.url.port);
    let sessionId: unknown;
    for (const name of [
      'tools/list',
      'tools/call get_forecast',
      'tools/call fail_tool',
      'prompts/get no_such_prompt',
    ]) {
      const client = clientSpan(name);
      const handled = serverSpan(spans, name);
      expectChildOf(handled, client);
      expect(client.attributes).toMatchObject({
        'network.transport': 'tcp',
        'network.protocol.name': 'http',
        'server.address': '127.0.0.1',
        'server.port': port,
        'mcp.protocol.version': LATEST_PROTOCOL_VERSION,
      });
      expect(handled.attributes).toMatchObject({
        'network.transport': 'tcp',
        'network.protocol.name': 'http',
        'mcp.protocol.version': LATEST_PROTOCOL_VERSION,
      });
      expect(handled.attributes['server.address']).toBeUndefined();
      sessionId ??= client.attributes['mcp.session.id'];
      expect(client.attributes['mcp.session.id']).toBe(sessionId);
      expect(handled.attributes['mcp.session.id']).toBe(sessionId);
    }
    expect(typeof sessionId).toBe('string');
    expect(clientSpan('initialize').attributes['mcp.session.id']).toBe(sessionId);
    const call = serverSpan(spans, 'tools/call get_forecast');
    expect(spans.find((span) => span.name === 'lookup_forecast')?.parentSpanId).toBe(call.spanId);
    expect(parentOf(clientSpan('tools/call get_forecast'))).toBe(
      tracing.byName('invoke_workflow weather-check').spanContext().spanId,
    );
  });
});
