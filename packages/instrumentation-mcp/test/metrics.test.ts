import { mkdtempSync, rmSync } from 'node:fs';
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withToolSpan } from '@agent-otel/core';
import { startOtlpReceiver } from '@agent-otel/testing';
import { captureDiag } from '@agent-otel/testing/tracing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  ErrorCode,
  InitializeRequestSchema,
  LATEST_PROTOCOL_VERSION,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { assertMcpBuilt, connectStdio } from './child-processes';
import { createMcpServer } from './fixtures/mcp-server.cjs';
import {
  histogramPoints,
  instrumentSdk,
  otlpHistogramPoints,
  setupTracing,
  type CollectedMetrics,
  type HistogramPoint,
} from './helpers';

// The MCP metrics through the real SDK and real transports: the operation durations core records
// when an MCP span ends, and the session durations this instrumentation records when a connection
// closes. Everything this process records also passes the harness's conformance check.

jest.setTimeout(30_000);

const tracing = setupTracing();
const instrumentation = instrumentSdk();

const CLIENT_OPERATION = 'mcp.client.operation.duration';
const SERVER_OPERATION = 'mcp.server.operation.duration';
const CLIENT_SESSION = 'mcp.client.session.duration';
const SERVER_SESSION = 'mcp.server.session.duration';
const EXECUTE_TOOL = 'gen_ai.execute_tool.duration';
const VERSION = { 'mcp.protocol.version': LATEST_PROTOCOL_VERSION };

beforeEach(async () => {
  instrumentation.enable();
  await tracing.metrics(); // delta temporality: each test sees only what it recorded
  tracing.reset();
});

afterAll(async () => {
  instrumentation.disable();
  await tracing.shutdown();
});

/** The point whose attributes are exactly `attributes`; fails listing the points there are. */
function pointWith(points: HistogramPoint[], attributes: Record<string, unknown>): HistogramPoint {
  const found = points.filter((point) => isDeepEqual(point.attributes, attributes));
  if (found.length !== 1) {
    throw new Error(
      `expected one point with ${JSON.stringify(attributes)}, got ${found.length} in:\n` +
        points.map((point) => JSON.stringify(point.attributes)).join('\n'),
    );
  }
  return found[0]!;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

/** A session point: recorded once, in seconds, no longer than the time it was measured within. */
function expectOneSession(point: HistogramPoint, withinSeconds: number): void {
  expect(point.count).toBe(1);
  expect(point.sum).toBeGreaterThan(0);
  expect(point.sum).toBeLessThanOrEqual(withinSeconds);
}

/** Seconds since `start` (a `performance.now()` value). */
function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

/** The calls each transport's test makes: two tools (one failing), a missing prompt. */
async function exercise(client: Client): Promise<void> {
  await client.listTools();
  await client.callTool({ name: 'get_forecast', arguments: { city: 'Lisbon' } });
  expect((await client.callTool({ name: 'fail_tool', arguments: {} })).isError).toBe(true);
  await expect(client.getPrompt({ name: 'no_such_prompt' })).rejects.toBeInstanceOf(McpError);
}

/** The operation points {@link exercise} produces on one side, `common` being the side's attributes. */
function expectExercisedOperations(points: HistogramPoint[], common: Record<string, unknown>): void {
  const tool = { 'gen_ai.operation.name': 'execute_tool' };
  for (const attributes of [
    { 'mcp.method.name': 'tools/list' },
    { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'get_forecast', ...tool },
    { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'fail_tool', ...tool, 'error.type': 'tool_error' },
    {
      'mcp.method.name': 'prompts/get',
      'gen_ai.prompt.name': 'no_such_prompt',
      'error.type': '-32602',
      'rpc.response.status_code': '-32602',
    },
  ]) {
    const point = pointWith(points, { ...common, ...attributes });
    expect(point.count).toBe(1);
    expect(point.sum).toBeGreaterThan(0);
  }
}

/** No MCP metric carries a per-session or per-request value. */
function expectNoIds(points: HistogramPoint[]): void {
  for (const point of points) {
    expect(point.attributes).not.toHaveProperty('mcp.session.id');
    expect(point.attributes).not.toHaveProperty('jsonrpc.request.id');
  }
}

function allMcpPoints(collected: CollectedMetrics): HistogramPoint[] {
  return [CLIENT_OPERATION, SERVER_OPERATION, CLIENT_SESSION, SERVER_SESSION].flatMap((name) =>
    histogramPoints(collected, name),
  );
}

/** An MCP server behind a node:http server on 127.0.0.1, in this process. */
interface HttpMcpServer {
  url: URL;
  port: number;
  http: HttpServer;
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  const http = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    });
  return { url: new URL(`http://127.0.0.1:${port}/mcp`), port, http, close };
}

/** A stateful server: one session, with its own session id. */
async function startStatefulServer(): Promise<HttpMcpServer & { mcp: ReturnType<typeof createMcpServer> }> {
  const mcp = createMcpServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID() });
  await mcp.connect(transport);
  const server = await listen((req, res) => transport.handleRequest(req, res));
  return { ...server, mcp };
}

describe('over Streamable HTTP on 127.0.0.1 (client and server in this process)', () => {
  it('records the operations of both ends, and one session each, from connect / initialize to close', async () => {
    const server = await startStatefulServer();
    const started = performance.now();
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(server.url);
    try {
      await client.connect(transport);
      await exercise(client);
      await transport.terminateSession(); // HTTP DELETE: the server closes its end of the session
      await client.close();
    } finally {
      await server.close();
    }
    const elapsed = secondsSince(started);
    const collected = await tracing.metrics();

    const http = { 'network.transport': 'tcp', 'network.protocol.name': 'http', ...VERSION };
    const address = { 'server.address': '127.0.0.1', 'server.port': server.port };
    const clientOperations = histogramPoints(collected, CLIENT_OPERATION);
    const serverOperations = histogramPoints(collected, SERVER_OPERATION);
    expectExercisedOperations(clientOperations, { ...http, ...address });
    expectExercisedOperations(serverOperations, http);
    for (const points of [clientOperations, serverOperations]) {
      expect(pointWith(points, { ...points[0]!.attributes, 'mcp.method.name': 'initialize' })).toBeDefined();
    }
    expect(clientOperations).toHaveLength(5);
    expect(serverOperations).toHaveLength(5);

    // One execute_tool duration per end of each tools/call.
    const tools = histogramPoints(collected, EXECUTE_TOOL);
    const tool = { 'gen_ai.operation.name': 'execute_tool' };
    expect(pointWith(tools, { ...tool, 'gen_ai.tool.name': 'get_forecast' }).count).toBe(2);
    expect(
      pointWith(tools, { ...tool, 'gen_ai.tool.name': 'fail_tool', 'error.type': 'tool_error' }).count,
    ).toBe(2);

    const clientSession = pointWith(histogramPoints(collected, CLIENT_SESSION), { ...http, ...address });
    const serverSession = pointWith(histogramPoints(collected, SERVER_SESSION), http);
    expectOneSession(clientSession, elapsed);
    expectOneSession(serverSession, elapsed);
    // The client's session includes connecting; the server's starts with initialize.
    expect(clientSession.sum).toBeGreaterThanOrEqual(serverSession.sum);
    expectNoIds(allMcpPoints(collected));
  });

  it('ends the client session with error.type when its last request failed for lack of a server', async () => {
    const server = await startStatefulServer();
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(server.url));
    await client.listTools();
    await server.close(); // the server goes away; the transport reports the failed request
    // fetch's TypeError, of Node's realm (not jest's).
    await expect(
      client.callTool({ name: 'get_forecast', arguments: { city: 'Lisbon' } }),
    ).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    await client.close();
    await server.mcp.close(); // the server's own session ends without error
    const collected = await tracing.metrics();

    const http = { 'network.transport': 'tcp', 'network.protocol.name': 'http', ...VERSION };
    const address = { 'server.address': '127.0.0.1', 'server.port': server.port };
    const clientSessions = histogramPoints(collected, CLIENT_SESSION);
    expect(clientSessions).toEqual([
      expect.objectContaining({ attributes: { ...http, ...address, 'error.type': 'TypeError' }, count: 1 }),
    ]);
    expect(histogramPoints(collected, SERVER_SESSION)).toEqual([
      expect.objectContaining({ attributes: http, count: 1 }),
    ]);
    pointWith(histogramPoints(collected, CLIENT_OPERATION), {
      ...http,
      ...address,
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'get_forecast',
      'gen_ai.operation.name': 'execute_tool',
      'error.type': 'TypeError',
    });
  });

  it('records no server session for a stateless server (a Server and transport per request)', async () => {
    const server = await listen(async (req, res) => {
      const mcp = createMcpServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => void mcp.close());
      await mcp.connect(transport);
      await transport.handleRequest(req, res);
    });
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    try {
      await client.connect(new StreamableHTTPClientTransport(server.url));
      await client.callTool({ name: 'get_forecast', arguments: { city: 'Lisbon' } });
      await client.close();
    } finally {
      await server.close();
    }
    const collected = await tracing.metrics();
    expect(histogramPoints(collected, SERVER_SESSION)).toEqual([]);
    expect(histogramPoints(collected, CLIENT_SESSION)).toHaveLength(1);
    expect(histogramPoints(collected, SERVER_OPERATION).map((p) => p.attributes['mcp.method.name'])).toEqual(
      expect.arrayContaining(['initialize', 'tools/call']),
    );
  });
});

describe('over stdio, with the server in a child process started with --import @agent-otel/node/register', () => {
  let dir: string;
  beforeAll(() => assertMcpBuilt());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-otel-mcp-metrics-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records the client metrics here and the server metrics there, the server session ending with its input', async () => {
    const receiver = await startOtlpReceiver();
    const started = performance.now();
    try {
      const connection = await connectStdio({
        instrumented: true,
        viaRegister: true,
        jsonl: join(dir, 'spans.jsonl'),
        service: 'weather-register',
        metricsEndpoint: receiver.url,
      });
      try {
        await exercise(connection.client);
      } finally {
        await connection.close(); // resolves once the child has exited, after flushing its metrics
      }
      expect(connection.stderr()).toBe('');
    } finally {
      await receiver.close();
    }
    const elapsed = secondsSince(started);
    const collected = await tracing.metrics();

    const pipe = { 'network.transport': 'pipe', ...VERSION };
    const clientOperations = histogramPoints(collected, CLIENT_OPERATION);
    expectExercisedOperations(clientOperations, pipe);
    expectOneSession(pointWith(histogramPoints(collected, CLIENT_SESSION), pipe), elapsed);
    expectNoIds(allMcpPoints(collected));

    const exports = receiver.requests.filter((r) => r.path === '/v1/metrics').map((r) => r.body);
    expect(exports.length).toBeGreaterThan(0);
    // The ESM fixture server has only get_forecast.
    const served = otlpHistogramPoints(exports, SERVER_OPERATION);
    const call = pointWith(served, {
      ...pipe,
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'get_forecast',
      'gen_ai.operation.name': 'execute_tool',
    });
    expect(call.count).toBe(1);
    pointWith(served, { ...pipe, 'mcp.method.name': 'initialize' });
    expect(
      pointWith(otlpHistogramPoints(exports, EXECUTE_TOOL), {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_forecast',
      }).count,
    ).toBe(1);
    expectOneSession(pointWith(otlpHistogramPoints(exports, SERVER_SESSION), pipe), elapsed);
    expectNoIds([...served, ...otlpHistogramPoints(exports, SERVER_SESSION)]);
  });

  it('ends a client session whose connect fails at once, with the error, and only once', async () => {
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    const closed = new Promise<void>((resolve) => (client.onclose = resolve));
    const transport = new StdioClientTransport({ command: join(dir, 'no-such-command') });
    await expect(client.connect(transport)).rejects.toThrow(/ENOENT/);
    await closed; // the failed child still reports its close, after the error
    const sessions = histogramPoints(await tracing.metrics(), CLIENT_SESSION);
    expect(sessions).toEqual([
      expect.objectContaining({
        attributes: { 'network.transport': 'pipe', 'error.type': 'Error' },
        count: 1,
      }),
    ]);
  });
});

describe('sessions over the in-memory transport', () => {
  async function connectPair(client = new Client({ name: 'test-client', version: '1.0.0' })) {
    const server = createMcpServer();
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    await client.connect(clientTransport);
    return { client, server, serverTransport };
  }

  it('records each end once, however often close() is called, and a new session per connect', async () => {
    const { client } = await connectPair();
    await client.close();
    await client.close();
    await connectPair(client); // the same Client, connected again
    await client.close();
    const collected = await tracing.metrics();
    // An unknown transport: no network attributes, the negotiated version only.
    expect(histogramPoints(collected, CLIENT_SESSION)).toEqual([
      expect.objectContaining({ attributes: VERSION, count: 2 }),
    ]);
    expect(histogramPoints(collected, SERVER_SESSION)).toEqual([
      expect.objectContaining({ attributes: VERSION, count: 2 }),
    ]);
  });

  it("calls the application's onerror and onclose exactly as the SDK does without instrumentation", async () => {
    /** A response to no request (the SDK reports it through onerror), then close(). */
    async function run() {
      const { client, serverTransport } = await connectPair();
      const seen: string[] = [];
      client.onerror = (error) => seen.push(`error: ${error.message}`);
      client.onclose = () => seen.push('close');
      await serverTransport.send({ jsonrpc: '2.0', id: 9999, result: {} });
      await client.close();
      return seen;
    }
    instrumentation.disable();
    const plain = await run();
    instrumentation.enable();
    const traced = await run();
    expect(traced).toEqual(plain);
    expect(traced[0]).toMatch(/^error: .*unknown message ID/);
    expect(traced.filter((event) => event === 'close').length).toBeGreaterThan(0);
    // The in-memory transport reports its close more than once; the session is recorded once, and
    // it ended with the error that came last.
    expect(histogramPoints(await tracing.metrics(), CLIENT_SESSION)).toEqual([
      expect.objectContaining({ attributes: { ...VERSION, 'error.type': 'Error' }, count: 1 }),
    ]);
  });

  it('forgets an error that a successful request followed', async () => {
    const { client, serverTransport } = await connectPair();
    client.onerror = () => undefined;
    await serverTransport.send({ jsonrpc: '2.0', id: 9999, result: {} });
    await client.listTools();
    await client.close();
    expect(histogramPoints(await tracing.metrics(), CLIENT_SESSION)).toEqual([
      expect.objectContaining({ attributes: VERSION, count: 1 }),
    ]);
  });

  it('ends both sessions with the error code when initialize fails', async () => {
    const server = createMcpServer();
    server.server.removeRequestHandler('initialize');
    server.server.setRequestHandler(InitializeRequestSchema, () => {
      throw new McpError(ErrorCode.InvalidRequest, 'not accepting clients');
    });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    const closed = new Promise<void>((resolve) => (client.onclose = resolve));
    await expect(client.connect(clientTransport)).rejects.toMatchObject({ code: ErrorCode.InvalidRequest });
    await closed; // the SDK closes the connection after a failed initialize
    const collected = await tracing.metrics();
    // The version was never negotiated; the client's request proposed one, the server has none.
    const failed = { 'error.type': String(ErrorCode.InvalidRequest) };
    expect(histogramPoints(collected, CLIENT_SESSION)).toEqual([
      expect.objectContaining({ attributes: failed, count: 1 }),
    ]);
    expect(histogramPoints(collected, SERVER_SESSION)).toEqual([
      expect.objectContaining({ attributes: failed, count: 1 }),
    ]);
  });

  it('records the operation of an MCP tool call that enriched an execute_tool span', async () => {
    const { client } = await connectPair();
    await withToolSpan({ name: 'get_forecast' }, () =>
      client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo' } }),
    );
    await client.close();
    const collected = await tracing.metrics();
    const tool = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_forecast' };
    expect(
      pointWith(histogramPoints(collected, CLIENT_OPERATION), {
        ...VERSION,
        ...tool,
        'mcp.method.name': 'tools/call',
      }).count,
    ).toBe(1);
    // The client's execute_tool span (a function tool) and the server's tools/call span.
    const tools = histogramPoints(collected, EXECUTE_TOOL);
    expect(pointWith(tools, { ...tool, 'gen_ai.tool.type': 'function' }).count).toBe(1);
    expect(pointWith(tools, tool).count).toBe(1);
  });

  it('never throws into the SDK when the transport cannot be read: the session is left out', async () => {
    const diag = captureDiag();
    try {
      const server = createMcpServer();
      const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
      await server.connect(serverTransport);
      Object.defineProperty(clientTransport, '_url', {
        get() {
          throw new Error('hostile transport');
        },
      });
      const client = new Client({ name: 'test-client', version: '1.0.0' });
      let closes = 0;
      client.onclose = () => closes++;
      await client.connect(clientTransport);
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('get_forecast');
      await client.close();
      expect(closes).toBeGreaterThan(0);
      expect(histogramPoints(await tracing.metrics(), CLIENT_SESSION)).toEqual([]);
      expect(diag.messages).toContainEqual({
        level: 'warn',
        text: expect.stringMatching(/recording an MCP session failed.*hostile transport/),
      });
    } finally {
      diag.restore();
    }
  });

  it('records no session while the instrumentation is disabled', async () => {
    instrumentation.disable();
    const { client } = await connectPair();
    await client.close();
    instrumentation.enable();
    expect(allMcpPoints(await tracing.metrics())).toEqual([]);
  });
});
