// Tools from an MCP server through @ai-sdk/mcp's client, with the real `ai` 7 and @ai-sdk/openai.
import { createMCPClient, type MCPClient } from '@ai-sdk/mcp';
import { McpInstrumentation } from '@agent-otel/instrumentation-mcp';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SpanKind } from '@opentelemetry/api';
import * as ai from 'ai';
import { generateText, stepCountIs, type ToolSet } from 'ai';
import { registerAiSdkTelemetry } from '../src/index';
import { startMcpHttpServer, type McpHttpServer } from './fixtures/mcp-http-server';
import { attributesOf, setupTracing, treeOf, useServer, type TestTracing } from './helpers';

describe('MCP client tools (@ai-sdk/mcp)', () => {
  const h = useServer();
  let t: TestTracing;
  let mcpServer: McpHttpServer;
  let client: MCPClient;
  beforeAll(async () => {
    t = setupTracing();
    registerAiSdkTelemetry(ai);
    mcpServer = await startMcpHttpServer();
    client = (await createMCPClient({ transport: { type: 'http', url: mcpServer.url.href } })) as MCPClient;
  });
  afterEach(() => t.reset());
  afterAll(async () => {
    await client.close();
    await mcpServer.close();
    await t.shutdown();
  });

  const run = async (mcp: MCPClient = client) => {
    // @ai-sdk/mcp 2.0.99 types its tools with its own copy of @ai-sdk/provider-utils (5.0.81), whose
    // `Schema` brand differs from the one `ai` 7.0.185 uses: the same objects at run time.
    const tools = (await mcp.tools()) as unknown as ToolSet;
    h.server.enqueue({ toolCalls: [{ id: 'call_f', name: 'get_forecast', arguments: { city: 'Oslo' } }] });
    h.server.enqueue({ text: 'Sunny in Oslo.' });
    return generateText({
      model: h.openai.chat('gpt-4o-mini'),
      prompt: 'Forecast for Oslo?',
      tools,
      stopWhen: stepCountIs(2),
      telemetry: { functionId: 'mcp-agent' },
    });
  };

  it('records the MCP tool execution as execute_tool under the agent span', async () => {
    const result = await run();
    expect(result.text).toBe('Sunny in Oslo.');
    expect(treeOf(t.spans())).toEqual([
      'invoke_agent mcp-agent [INTERNAL]',
      '  chat gpt-4o-mini [CLIENT]',
      '  chat gpt-4o-mini [CLIENT]',
      '  execute_tool get_forecast [INTERNAL]',
    ]);
    expect(attributesOf(t.byName('execute_tool get_forecast'))).toEqual({
      'agent_otel.span.kind': 'function',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_forecast',
      'gen_ai.tool.call.id': 'call_f',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.description': 'Forecast for a city',
      'gen_ai.agent.name': 'mcp-agent',
    });
  });

  it('with @agent-otel/instrumentation-mcp active: one execute_tool span for the call', async () => {
    const instrumentation = new McpInstrumentation();
    instrumentation.manuallyInstrument({ Client, Server });
    // Started after the instrumentation, so its request handlers are the wrapped ones.
    const instrumentedServer = await startMcpHttpServer();
    const instrumentedClient = (await createMCPClient({
      transport: { type: 'http', url: instrumentedServer.url.href },
    })) as MCPClient;
    try {
      await run(instrumentedClient);
      // @ai-sdk/mcp has its own JSON-RPC client (not @modelcontextprotocol/sdk's Client): the
      // instrumentation adds no client span, so the tool call has one execute_tool span, ours. The
      // server's spans are roots of their own traces: that client sends no `_meta.traceparent`.
      expect(treeOf(t.spans())).toEqual([
        'initialize [SERVER]',
        'invoke_agent mcp-agent [INTERNAL]',
        '  chat gpt-4o-mini [CLIENT]',
        '  chat gpt-4o-mini [CLIENT]',
        '  execute_tool get_forecast [INTERNAL]',
        'tools/call get_forecast [SERVER]',
        'tools/list [SERVER]',
      ]);
      const ours = t.byName('execute_tool get_forecast');
      const server = t.byName('tools/call get_forecast');
      expect(server.spanContext().traceId).not.toBe(ours.spanContext().traceId);
      expect(
        t.spans().filter((span) => span.kind !== SpanKind.SERVER && span.name.includes('get_forecast')),
      ).toEqual([ours]);
    } finally {
      await instrumentedClient.close();
      await instrumentedServer.close();
      instrumentation.disable();
    }
  });
});
