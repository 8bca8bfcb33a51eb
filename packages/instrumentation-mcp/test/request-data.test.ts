import { describeRequest, outcomeOf, transportDetails } from '../src/request-data';
import { isSupportedSdkVersion } from '../src/SdkRequireHook';

// Transports are recognised by class name; these stand-ins have the SDK's names.
class StdioClientTransport {}
class StreamableHTTPClientTransport {
  constructor(readonly _url: URL) {}
  sessionId = 'session-1';
  protocolVersion = '2025-06-18';
}
class StreamableHTTPServerTransport {
  sessionId = 'session-2';
}
class RenamedTransport {
  constructor(readonly _url: URL) {}
}

describe('transportDetails', () => {
  it('maps stdio to network.transport=pipe', () => {
    expect(transportDetails(new StdioClientTransport(), 'client')).toEqual({ networkTransport: 'pipe' });
  });

  it('maps Streamable HTTP to tcp + http, with server.* on the client side only', () => {
    const client = new StreamableHTTPClientTransport(new URL('http://127.0.0.1:8123/mcp'));
    expect(transportDetails(client, 'client')).toEqual({
      networkTransport: 'tcp',
      networkProtocolName: 'http',
      serverAddress: '127.0.0.1',
      serverPort: 8123,
    });
    expect(transportDetails(new StreamableHTTPServerTransport(), 'server')).toEqual({
      networkTransport: 'tcp',
      networkProtocolName: 'http',
    });
  });

  it('recognises a renamed transport by its URL, and gives nothing for unknown ones', () => {
    expect(transportDetails(new RenamedTransport(new URL('wss://mcp.example.com/ws')), 'client')).toEqual({
      networkTransport: 'tcp',
      networkProtocolName: 'websocket',
      serverAddress: 'mcp.example.com',
      serverPort: undefined,
    });
    expect(transportDetails({}, 'client')).toEqual({});
    expect(transportDetails(undefined, 'client')).toEqual({});
  });
});

describe('describeRequest', () => {
  const client = { transport: new StreamableHTTPClientTransport(new URL('https://mcp.example.com/mcp')) };

  it('describes a client tools/call with the transport, session and protocol version', () => {
    expect(
      describeRequest(
        client,
        { method: 'tools/call', params: { name: 'search', arguments: { q: 1 } } },
        'client',
      ),
    ).toEqual({
      method: 'tools/call',
      toolName: 'search',
      data: {
        type: 'mcp_call',
        toolName: 'search',
        input: { q: 1 },
        side: 'client',
        sessionId: 'session-1',
        protocolVersion: '2025-06-18',
        networkTransport: 'tcp',
        networkProtocolName: 'http',
        serverAddress: 'mcp.example.com',
        serverPort: 443,
      },
    });
  });

  it('reads the request id, session and protocol-version header on the server side', () => {
    const server = { transport: new StreamableHTTPServerTransport(), _serverInfo: { name: 'docs' } };
    const described = describeRequest(
      server,
      { method: 'resources/read', params: { uri: 'docs://a' } },
      'server',
      {
        requestId: 7,
        sessionId: 'session-2',
        requestInfo: { headers: { 'mcp-protocol-version': '2025-06-18' } },
      },
    );
    expect(described?.data).toEqual({
      type: 'mcp_request',
      method: 'resources/read',
      resourceUri: 'docs://a',
      side: 'server',
      server: 'docs',
      sessionId: 'session-2',
      protocolVersion: '2025-06-18',
      requestId: 7,
      networkTransport: 'tcp',
      networkProtocolName: 'http',
    });
  });

  it('takes the prompt name of prompts/get and of a completion for a prompt', () => {
    expect(
      describeRequest({}, { method: 'prompts/get', params: { name: 'p' } }, 'client')?.data,
    ).toMatchObject({
      promptName: 'p',
    });
    expect(
      describeRequest(
        {},
        { method: 'completion/complete', params: { ref: { type: 'ref/prompt', name: 'q' } } },
        'client',
      )?.data,
    ).toMatchObject({ promptName: 'q' });
  });

  it('does not trace a request without a usable method, and bounds names', () => {
    expect(describeRequest({}, { params: {} }, 'client')).toBeUndefined();
    expect(describeRequest({}, { method: 42 }, 'client')).toBeUndefined();
    const described = describeRequest(
      {},
      { method: 'tools/call', params: { name: 'x'.repeat(10_000) } },
      'client',
    );
    expect(described?.toolName).toBe('');
  });

  it('survives a transport getter that throws', () => {
    const hostile = Object.defineProperty({}, 'transport', {
      get() {
        throw new Error('nope');
      },
    });
    expect(describeRequest(hostile, { method: 'ping' }, 'client')?.data).toEqual({
      type: 'mcp_request',
      method: 'ping',
      side: 'client',
    });
  });
});

describe('outcomeOf', () => {
  it('remembers what initialize negotiated for the later requests of the same connection', () => {
    const protocol = {};
    expect(
      outcomeOf(
        protocol,
        'initialize',
        { protocolVersion: '2025-06-18', serverInfo: { name: 'weather' } },
        'client',
      ),
    ).toEqual({ protocolVersion: '2025-06-18', server: 'weather' });
    expect(describeRequest(protocol, { method: 'tools/list' }, 'client')?.data).toEqual({
      type: 'mcp_tools',
      side: 'client',
      server: 'weather',
      protocolVersion: '2025-06-18',
    });
  });

  it('keeps at most 256 tool names and skips malformed entries', () => {
    const tools = [
      { name: 'a' },
      { nope: true },
      null,
      ...Array.from({ length: 300 }, (_, i) => ({ name: `t${i}` })),
    ];
    const names = outcomeOf({}, 'tools/list', { tools }, 'client').toolNames!;
    expect(names[0]).toBe('a');
    expect(names).toHaveLength(254);
  });

  it('records a tool result without its _meta, and isError', () => {
    expect(outcomeOf({}, 'tools/call', { content: [], isError: true, _meta: { a: 1 } }, 'client')).toEqual({
      isError: true,
      output: { content: [], isError: true },
    });
  });
});

describe('isSupportedSdkVersion', () => {
  it.each([
    ['1.10.0', true],
    ['1.32.2', true],
    ['1.9.9', false],
    ['2.0.0', false],
    ['0.6.0', false],
    [undefined, false],
  ])('%s → %s', (version, supported) => {
    expect(isSupportedSdkVersion(version)).toBe(supported);
  });
});
