import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonlSpans, type JsonlSpanRecord } from '@agent-otel/core';
import { runNode, type NodeRunResult } from '@agent-otel/testing';

// Runs the demo as `npm start` does (a child Node process on the built packages), which starts its
// own two MCP server processes, and checks the one trace they write together.

jest.setTimeout(60_000);

const exampleDir = join(__dirname, '..');

function runDemo(env: Record<string, string>): Promise<NodeRunResult> {
  return runNode(['src/main.js'], {
    cwd: exampleDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    timeoutMillis: 45_000,
  });
}

function one(spans: JsonlSpanRecord[], name: string, kind?: string): JsonlSpanRecord {
  const found = spans.filter((span) => span.name === name && (kind === undefined || span.kind === kind));
  if (found.length !== 1) throw new Error(`expected one ${kind ?? ''} span ${name}, got ${found.length}`);
  return found[0]!;
}

describe('mcp-agent demo', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-otel-mcp-demo-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs offline and records one trace across the agent and both MCP server processes', async () => {
    const jsonl = join(dir, 'spans.jsonl');
    const result = await runDemo({ AGENT_OTEL_JSONL_PATH: jsonl });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Agent: Lisbon will be sunny with a high of 24°C');
    expect(result.stdout).toMatch(/invoke_workflow plan-trip\s+INTERNAL mcp-agent/);
    expect(result.stdout).toMatch(/└─ tools\/call get_forecast\s+SERVER\s+weather-mcp-server/);
    expect(result.stdout).toMatch(/└─ search_index\s+INTERNAL docs-mcp-server/);

    const spans = await readJsonlSpans(jsonl);
    const root = one(spans, 'invoke_workflow plan-trip');
    expect(root.parentSpanId).toBeNull();
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([root.traceId]));
    expect(new Set(spans.map((span) => span.resource.attributes['service.name']))).toEqual(
      new Set(['mcp-agent', 'weather-mcp-server', 'docs-mcp-server']),
    );

    const agent = one(spans, 'invoke_agent trip-planner');
    const servers = spans.filter((span) => span.kind === 'SERVER');
    // Every server span is the child of a span of the agent process.
    for (const server of servers) {
      const parent = spans.find((span) => span.spanId === server.parentSpanId);
      expect(parent?.resource.attributes['service.name']).toBe('mcp-agent');
    }
    expect(servers).toHaveLength(6); // initialize + tools/list + tools/call, on each server

    // The tool calls: no separate client span, the execute_tool span carries the MCP attributes.
    const forecastTool = one(spans, 'execute_tool get_forecast');
    const docsTool = one(spans, 'execute_tool search_docs');
    expect(spans.filter((span) => span.name.startsWith('tools/call') && span.kind === 'CLIENT')).toEqual([]);
    for (const tool of [forecastTool, docsTool]) {
      expect(tool.parentSpanId).toBe(agent.spanId);
      expect(tool.attributes['mcp.method.name']).toBe('tools/call');
      expect(typeof tool.attributes['mcp.protocol.version']).toBe('string');
    }
    expect(forecastTool.attributes).toMatchObject({
      'gen_ai.tool.call.id': 'call_forecast_1',
      'network.transport': 'pipe',
      'agent_otel.mcp.server.name': 'weather',
    });
    expect(docsTool.attributes).toMatchObject({
      'gen_ai.tool.call.id': 'call_docs_1',
      'network.transport': 'tcp',
      'network.protocol.name': 'http',
      'server.address': '127.0.0.1',
      'agent_otel.mcp.server.name': 'travel-docs',
    });

    const forecastServer = one(spans, 'tools/call get_forecast', 'SERVER');
    const docsServer = one(spans, 'tools/call search_docs', 'SERVER');
    expect(forecastServer.parentSpanId).toBe(forecastTool.spanId);
    expect(docsServer.parentSpanId).toBe(docsTool.spanId);
    expect(one(spans, 'forecast_lookup').parentSpanId).toBe(forecastServer.spanId);
    expect(one(spans, 'search_index').parentSpanId).toBe(docsServer.spanId);
    expect(forecastServer.attributes['jsonrpc.request.id']).toBe(
      forecastTool.attributes['jsonrpc.request.id'],
    );
    expect(docsServer.attributes['mcp.session.id']).toBe(docsTool.attributes['mcp.session.id']);
    expect(typeof docsServer.attributes['mcp.session.id']).toBe('string');

    // initialize and tools/list: a client span in the agent, the server span under it.
    for (const name of ['initialize', 'tools/list']) {
      const clients = spans.filter((span) => span.name === name && span.kind === 'CLIENT');
      expect(clients).toHaveLength(2);
      for (const client of clients) {
        expect(servers.filter((server) => server.parentSpanId === client.spanId)).toHaveLength(1);
      }
    }

    // Content capture is off by default: no tool arguments or results anywhere.
    const everything = readFileSync(jsonl, 'utf8');
    expect(everything).not.toContain('gen_ai.tool.call.arguments');
    expect(everything).not.toContain('comfortable shoes');
  });

  it('records tool arguments and results on both ends when content capture is turned on', async () => {
    const jsonl = join(dir, 'spans.jsonl');
    const result = await runDemo({
      AGENT_OTEL_JSONL_PATH: jsonl,
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_ONLY',
    });
    expect(result.code).toBe(0);
    const spans = await readJsonlSpans(jsonl);
    for (const span of [
      one(spans, 'execute_tool get_forecast'),
      one(spans, 'tools/call get_forecast', 'SERVER'),
    ]) {
      expect(JSON.parse(String(span.attributes['gen_ai.tool.call.arguments']))).toEqual({ city: 'Lisbon' });
      expect(String(span.attributes['gen_ai.tool.call.result'])).toContain('sunny, high of 24');
    }
    expect(readFileSync(jsonl, 'utf8')).not.toContain('sk-demo-not-a-real-key');
  });
});
