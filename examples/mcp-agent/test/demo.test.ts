import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonlSpans, type JsonlSpanRecord } from '@agent-otel/core';
import {
  otlpJsonSpans,
  runNode,
  startOtlpReceiver,
  type NodeRunResult,
  type ReceivedRequest,
} from '@agent-otel/testing';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';

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

/** One histogram data point of an OTLP/JSON metrics export, with the service that exported it. */
interface MetricPoint {
  service: unknown;
  metric: string;
  attributes: Record<string, unknown>;
  count: number;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
}

function plain(value: OtlpValue): unknown {
  return value.intValue !== undefined ? Number(value.intValue) : (value.stringValue ?? value.doubleValue);
}

function attributesOf(list: { key: string; value: OtlpValue }[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, plain(value)]));
}

/**
 * The histogram points of the OTLP/JSON metric exports. Each process exports cumulative metrics once,
 * at shutdown; were there several exports, a later point for the same series replaces the earlier one.
 */
function histogramPoints(requests: readonly ReceivedRequest[]): MetricPoint[] {
  const series = new Map<string, MetricPoint>();
  for (const request of requests.filter((r) => r.path === '/v1/metrics')) {
    const body = JSON.parse(request.body.toString('utf8')) as {
      resourceMetrics?: {
        resource?: { attributes?: { key: string; value: OtlpValue }[] };
        scopeMetrics?: {
          metrics?: {
            name: string;
            histogram?: {
              dataPoints?: { attributes?: { key: string; value: OtlpValue }[]; count?: string | number }[];
            };
          }[];
        }[];
      }[];
    };
    for (const resource of body.resourceMetrics ?? []) {
      const service = attributesOf(resource.resource?.attributes)['service.name'];
      for (const metric of (resource.scopeMetrics ?? []).flatMap((scope) => scope.metrics ?? [])) {
        for (const point of metric.histogram?.dataPoints ?? []) {
          const attributes = attributesOf(point.attributes);
          const entry = { service, metric: metric.name, attributes, count: Number(point.count ?? 0) };
          series.set(JSON.stringify([service, metric.name, attributes]), entry);
        }
      }
    }
  }
  return [...series.values()];
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

  it('exports traces and metrics of all three processes to an OTLP endpoint, MCP sessions included', async () => {
    const receiver = await startOtlpReceiver();
    let result: NodeRunResult;
    try {
      result = await runDemo({
        AGENT_OTEL_JSONL_PATH: join(dir, 'spans.jsonl'),
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      });
    } finally {
      await receiver.close();
    }
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const traced = otlpJsonSpans(receiver.requests.filter((r) => r.path === '/v1/traces'));
    expect(new Set(traced.map((span) => span.resource['service.name']))).toEqual(
      new Set(['mcp-agent', 'weather-mcp-server', 'docs-mcp-server']),
    );

    const points = histogramPoints(receiver.requests);
    const find = (service: string, metric: string, attributes: Record<string, unknown>) =>
      points.filter(
        (point) =>
          point.service === service &&
          point.metric === metric &&
          JSON.stringify(Object.entries(point.attributes).sort()) ===
            JSON.stringify(Object.entries(attributes).sort()),
      );
    const version = { 'mcp.protocol.version': LATEST_PROTOCOL_VERSION };
    const pipe = { ...version, 'network.transport': 'pipe' };
    const http = { ...version, 'network.transport': 'tcp', 'network.protocol.name': 'http' };
    const docsPort = traced.find((span) => span.name === 'execute_tool search_docs')?.attributes[
      'server.port'
    ];
    expect(typeof docsPort).toBe('number');
    const docsAddress = { 'server.address': '127.0.0.1', 'server.port': docsPort };

    // One session per connection on each end, none ended with an error.
    for (const [service, metric, attributes] of [
      ['mcp-agent', 'mcp.client.session.duration', pipe],
      ['mcp-agent', 'mcp.client.session.duration', { ...http, ...docsAddress }],
      ['weather-mcp-server', 'mcp.server.session.duration', pipe],
      ['docs-mcp-server', 'mcp.server.session.duration', http],
    ] as const) {
      expect(find(service, metric, attributes)).toEqual([expect.objectContaining({ count: 1 })]);
    }
    // Each tool call: an MCP operation on both ends and a tool execution on both ends.
    const forecast = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_forecast' };
    for (const [service, metric, attributes] of [
      [
        'mcp-agent',
        'mcp.client.operation.duration',
        { ...pipe, ...forecast, 'mcp.method.name': 'tools/call' },
      ],
      [
        'weather-mcp-server',
        'mcp.server.operation.duration',
        { ...pipe, ...forecast, 'mcp.method.name': 'tools/call' },
      ],
      [
        'mcp-agent',
        'gen_ai.execute_tool.duration',
        { ...forecast, 'gen_ai.tool.type': 'function', 'gen_ai.agent.name': 'trip-planner' },
      ],
      ['weather-mcp-server', 'gen_ai.execute_tool.duration', forecast],
      ['docs-mcp-server', 'mcp.server.operation.duration', { ...http, 'mcp.method.name': 'initialize' }],
    ] as const) {
      expect(find(service, metric, attributes)).toEqual([expect.objectContaining({ count: 1 })]);
    }
    // No metric carries a session or request id.
    for (const point of points) {
      expect(point.attributes).not.toHaveProperty('mcp.session.id');
      expect(point.attributes).not.toHaveProperty('jsonrpc.request.id');
    }
  });
});
