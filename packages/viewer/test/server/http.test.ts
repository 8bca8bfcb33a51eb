// The HTTP layer over real HTTP: the receiver's status codes (413, 415, 400 storing nothing, 404 for
// other signals), the API routes and their 400s, the token and Host rules, the headers on every
// response, and live updates. The store's place is taken by an in-memory TraceSource.
import { gzipSync } from 'node:zlib';
import { CONTENT_SECURITY_POLICY } from '../../src/server/security.js';
import { createViewerServer, type ViewerServer, type ViewerServerOptions } from '../../src/server/http.js';
import { MemorySource } from '../support/MemorySource.js';
import { send } from '../support/http-request.js';
import { F, SPAN_ID, TRACE_ID, request as protoRequest, span } from '../support/proto-writer.js';

const PROTOBUF = { 'Content-Type': 'application/x-protobuf' };
const JSON_TYPE = { 'Content-Type': 'application/json' };
const TOKEN = 'a-test-token-of-32-characters-xx';

let source: MemorySource;
let viewer: ViewerServer;
let url: string;

async function start(options: Partial<ViewerServerOptions> = {}): Promise<void> {
  source = new MemorySource();
  viewer = createViewerServer({ source, sink: source, uiDir: '/nonexistent-ui', ...options });
  url = await viewer.listen(0, '127.0.0.1');
}

afterEach(() => viewer.close());

const oneSpan = () => protoRequest((ss) => span(ss));
const jsonSpan = (traceId = TRACE_ID) =>
  JSON.stringify({
    resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId: SPAN_ID, name: 'json-op' }] }] }],
  });

describe('POST /v1/traces', () => {
  beforeEach(() => start({ limits: { maxRequestBytes: 4096 } }));

  it('stores a protobuf request and answers an empty protobuf response', async () => {
    const answer = await send(`${url}/v1/traces`, { method: 'POST', headers: PROTOBUF, body: oneSpan() });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/x-protobuf');
    expect(answer.body.length).toBe(0);
    expect(source.spans().map((s) => s.spanId)).toEqual([SPAN_ID]);
  });

  it('stores a JSON request (charset parameter, deflate) and answers {}', async () => {
    const { deflateSync } = await import('node:zlib');
    const answer = await send(`${url}/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Encoding': 'deflate' },
      body: deflateSync(jsonSpan()),
    });
    expect([answer.status, answer.text]).toEqual([200, '{}']);
    expect(source.spans().map((s) => s.name)).toEqual(['json-op']);
  });

  it('answers 400 naming the problem and stores nothing of a request with one bad span', async () => {
    const body = protoRequest((ss) => {
      span(ss);
      ss.message(F.scopeSpans.spans, (s) => s.hex(F.span.traceId, TRACE_ID).hex(F.span.spanId, 'ab'));
    });
    const answer = await send(`${url}/v1/traces`, { method: 'POST', headers: PROTOBUF, body });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.json.error).toMatch(
      /^invalid OTLP\/protobuf: resource_spans\[0\]\.scope_spans\[0\]\.spans\[1\]\.span_id: 1 bytes, expected 8 \(at byte \d+\)$/,
    );
    const json = await send(`${url}/v1/traces`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: '{"resourceSpans":[{"scopeSpans":[{"spans":[{}]}]}]}',
    });
    expect(json.status).toBe(400);
    expect(json.json.error).toBe(
      'invalid OTLP/JSON: resourceSpans[0].scopeSpans[0].spans[0].traceId: "undefined" is not 32 hex characters',
    );
    const corrupt = await send(`${url}/v1/traces`, {
      method: 'POST',
      headers: { ...PROTOBUF, 'Content-Encoding': 'gzip' },
      body: 'not gzip',
    });
    expect(corrupt.status).toBe(400);
    expect(corrupt.json.error).toMatch(/^invalid OTLP\/protobuf: the gzip body cannot be decompressed/);
    expect(source.batches).toEqual([]);
  });

  it('answers 413 for a body over the bound: declared, streamed, or once decompressed', async () => {
    const big = Buffer.alloc(5000);
    const declared = await send(`${url}/v1/traces`, { method: 'POST', headers: PROTOBUF, body: big });
    expect(declared.status).toBe(413);
    expect(declared.json.error).toContain('larger than 4096 bytes');
    const chunked = await send(`${url}/v1/traces`, {
      method: 'POST',
      headers: { ...PROTOBUF, 'Transfer-Encoding': 'chunked' },
      body: big,
    });
    expect(chunked.status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(1_000_000));
    expect(bomb.length).toBeLessThan(4096);
    const decompressed = await send(`${url}/v1/traces`, {
      method: 'POST',
      headers: { ...PROTOBUF, 'Content-Encoding': 'gzip' },
      body: bomb,
    });
    expect(decompressed.status).toBe(413);
    expect(decompressed.json.error).toBe('the decompressed body is larger than 4096 bytes');
    expect(source.batches).toEqual([]);
  });

  it('answers 413 for more spans than one request may hold', async () => {
    await viewer.close();
    await start({ limits: { maxSpansPerRequest: 2 } });
    const body = protoRequest((ss) => [1, 2, 3].forEach(() => span(ss)));
    const answer = await send(`${url}/v1/traces`, { method: 'POST', headers: PROTOBUF, body });
    expect(answer.status).toBe(413);
    expect(answer.json.error).toBe('more than 2 spans in one request: send smaller batches');
    expect(source.batches).toEqual([]);
  });

  it('answers 415 for other content types and encodings', async () => {
    for (const headers of [
      { 'Content-Type': 'text/plain' },
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      {},
    ] as Record<string, string>[]) {
      const answer = await send(`${url}/v1/traces`, { method: 'POST', headers, body: jsonSpan() });
      expect(answer.status).toBe(415);
      expect(answer.json.error).toContain('send application/x-protobuf or application/json');
    }
    const br = await send(`${url}/v1/traces`, {
      method: 'POST',
      headers: { ...JSON_TYPE, 'Content-Encoding': 'br' },
      body: jsonSpan(),
    });
    expect(br.status).toBe(415);
    expect(br.json.error).toBe(
      'Content-Encoding "br" is not supported: send gzip, deflate or an uncompressed body',
    );
    expect(source.batches).toEqual([]);
  });

  it('accepts and drops metrics and logs (an app exporting all signals reports no failure), 404 for other signals; 405 for GET', async () => {
    for (const path of ['/v1/metrics', '/v1/logs']) {
      const answer = await send(`${url}${path}`, { method: 'POST', headers: PROTOBUF, body: oneSpan() });
      expect([answer.status, answer.headers['content-type']]).toEqual([200, 'application/x-protobuf']);
      const json = await send(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"resourceMetrics":[]}',
      });
      expect([json.status, json.text]).toEqual([200, '{}']);
    }
    expect(source.batches).toEqual([]);
    const profiles = await send(`${url}/v1/profiles`, { method: 'POST', headers: PROTOBUF, body: oneSpan() });
    expect(profiles.status).toBe(404);
    expect(profiles.json.error).toContain('the viewer receives traces only (POST /v1/traces)');
    const get = await send(`${url}/v1/traces`);
    expect([get.status, get.headers.allow]).toEqual([405, 'POST']);
  });

  it('answers 404 naming the reason when the server shows a remote source read-only', async () => {
    await viewer.close();
    source = new MemorySource({ kind: 'jaeger', url: 'http://jaeger:16686' });
    viewer = createViewerServer({ source, uiDir: '/nonexistent-ui' });
    url = await viewer.listen(0, '127.0.0.1');
    const answer = await send(`${url}/v1/traces`, { method: 'POST', headers: PROTOBUF, body: oneSpan() });
    expect(answer.status).toBe(404);
    expect(answer.json.error).toContain('remote source (jaeger) read-only');
    expect((await send(`${url}/api/source`)).json).toEqual({
      kind: 'jaeger',
      url: 'http://jaeger:16686',
      receiving: false,
    });
  });

  it('answers 500 without losing the server when the store fails', async () => {
    source.insert = () => {
      throw new Error('disk full');
    };
    const lines: string[] = [];
    await viewer.close();
    const failing = source;
    viewer = createViewerServer({ source: failing, sink: failing, uiDir: '/x', log: (l) => lines.push(l) });
    url = await viewer.listen(0, '127.0.0.1');
    const answer = await send(`${url}/v1/traces`, { method: 'POST', headers: PROTOBUF, body: oneSpan() });
    expect([answer.status, answer.json.error]).toEqual([500, 'storing the spans failed: disk full']);
    expect(lines).toEqual(['agent-otel viewer: storing 1 spans failed: disk full']);
    expect((await send(`${url}/api/facets`)).status).toBe(200);
  });
});

describe('the JSON API', () => {
  beforeEach(async () => {
    await start();
    await send(`${url}/v1/traces`, { method: 'POST', headers: PROTOBUF, body: oneSpan() });
  });

  it('passes the parsed filters to the source and answers its page', async () => {
    const answer = await send(
      `${url}/api/traces?service=svc&minDurationMs=5&attr=${encodeURIComponent('tenant=acme')}&sort=cost&limit=10`,
    );
    expect(answer.status).toBe(200);
    expect(answer.json.total).toBe(1);
    expect(answer.json.traces[0].traceId).toBe(TRACE_ID);
    expect(source.queries.at(-1)).toEqual({
      method: 'listTraces',
      query: expect.objectContaining({
        service: 'svc',
        minDurationMs: 5,
        attributes: [{ key: 'tenant', op: '=', value: 'acme' }],
        sort: 'cost',
        limit: 10,
      }),
    });
  });

  it('answers 400 naming a bad parameter', async () => {
    const answer = await send(`${url}/api/traces?limit=9999`);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/^limit: /);
    const attr = await send(`${url}/api/traces?attr=${encodeURIComponent('a ~ b')}`);
    expect([attr.status, attr.json.error]).toEqual([400, expect.stringMatching(/^attr: /)]);
  });

  it('serves a trace, 404 for an unknown one, 400 for a malformed id', async () => {
    const found = await send(`${url}/api/traces/${TRACE_ID.toUpperCase()}`);
    expect(found.status).toBe(200);
    expect(found.json.spans.map((s: { spanId: string }) => s.spanId)).toEqual([SPAN_ID]);
    const missing = await send(`${url}/api/traces/${'1'.repeat(32)}`);
    expect([missing.status, missing.json.error]).toEqual([404, `trace ${'1'.repeat(32)} not found`]);
    const bad = await send(`${url}/api/traces/xyz`);
    expect([bad.status, bad.json.error]).toEqual([400, 'trace id "xyz": expected 32 hexadecimal characters']);
  });

  it('serves conversations, one conversation (a trace page), stats, facets and the source', async () => {
    expect((await send(`${url}/api/conversations?from=2026-01-01T00:00:00Z&limit=5`)).json).toEqual({
      conversations: [],
      total: 0,
    });
    expect(source.queries.at(-1)).toEqual({
      method: 'listConversations',
      query: { fromMs: Date.parse('2026-01-01T00:00:00Z'), limit: 5 },
    });
    const conversation = await send(`${url}/api/conversations/${encodeURIComponent('conv/1 ü')}?sort=start`);
    expect(conversation.status).toBe(200);
    expect(source.queries.at(-1)!.query).toMatchObject({ conversationId: 'conv/1 ü', sort: 'start' });
    const stats = await send(`${url}/api/stats?from=0&to=1000`);
    expect(stats.json.rows[0].key).toBe('gpt-test');
    expect(source.queries.at(-1)).toEqual({ method: 'stats', query: { fromMs: 0, toMs: 1000 } });
    expect((await send(`${url}/api/facets`)).json.services).toEqual(['svc']);
    expect((await send(`${url}/api/source`)).json).toEqual({ kind: 'local', receiving: true });
    const unknown = await send(`${url}/api/nothing`);
    expect([unknown.status, unknown.json.error]).toEqual([404, 'no API route /api/nothing']);
    const post = await send(`${url}/api/traces`, { method: 'POST' });
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
  });

  it('answers 502 with the message when a remote source fails', async () => {
    const error = new Error('jaeger at http://jaeger:16686 is unreachable');
    error.name = 'RemoteSourceError';
    source.failWith = error;
    const answer = await send(`${url}/api/traces`);
    expect([answer.status, answer.json.error]).toEqual([502, 'jaeger at http://jaeger:16686 is unreachable']);
  });
});

describe('headers, token and Host', () => {
  it('sends the security headers on every response, and no-store on /api and /v1', async () => {
    await start();
    const answers = await Promise.all([
      send(`${url}/api/traces`),
      send(`${url}/api/nothing`),
      send(`${url}/v1/traces`, { method: 'POST', headers: PROTOBUF, body: oneSpan() }),
      send(`${url}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' }),
      send(`${url}/`),
      send(`${url}/assets/app.js`),
    ]);
    for (const answer of answers) {
      expect(answer.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers['x-frame-options']).toBe('DENY');
    }
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(answers.slice(0, 4).map((a) => a.headers['cache-control'])).toEqual([
      'no-store',
      'no-store',
      'no-store',
      'no-store',
    ]);
    expect(answers[4]!.headers['cache-control']).toBeUndefined();
  });

  it('with a token, needs Authorization: Bearer on /api and /v1 (401 otherwise), not on the UI', async () => {
    await start({ token: TOKEN });
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, 'Bearer']) {
      const headers: Record<string, string> =
        authorization === undefined ? {} : { Authorization: authorization };
      const api = await send(`${url}/api/traces`, { headers });
      expect([api.status, api.headers['www-authenticate'], api.json.error]).toEqual([
        401,
        'Bearer',
        'this viewer needs Authorization: Bearer <token>',
      ]);
      const ingest = await send(`${url}/v1/traces`, {
        method: 'POST',
        headers: { ...PROTOBUF, ...headers },
        body: oneSpan(),
      });
      expect(ingest.status).toBe(401);
    }
    expect(source.batches).toEqual([]);
    const ok = await send(`${url}/v1/traces`, {
      method: 'POST',
      headers: { ...PROTOBUF, Authorization: `bearer ${TOKEN}` },
      body: oneSpan(),
    });
    expect(ok.status).toBe(200);
    expect(
      (await send(`${url}/api/traces`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json.total,
    ).toBe(1);
    // Static files need none (the page reads the token from #token=... and sends it to the API).
    expect((await send(`${url}/`)).status).toBe(404);
  });

  it('without a token, answers loopback Host names only (a rebinding page is refused)', async () => {
    await start();
    for (const host of ['evil.example', 'evil.example:4318', '127.0.0.1.evil.example', '10.0.0.1']) {
      const answer = await send(`${url}/api/traces`, { headers: { Host: host } });
      expect(answer.status).toBe(403);
      expect(answer.json.error).toContain('is not a loopback name');
    }
    for (const host of ['localhost:4318', '127.0.0.1', '[::1]:80', 'app.localhost']) {
      expect((await send(`${url}/api/traces`, { headers: { Host: host } })).status).toBe(200);
    }
  });
});

describe('GET /api/events', () => {
  it('announces ingested traces, coalesced to at most one event per interval', async () => {
    await start({ eventIntervalMs: 300 });
    const controller = new AbortController();
    const response = await fetch(`${url}/api/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.getReader();
    let text = '';
    const read = async (until: (t: string) => boolean) => {
      while (!until(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
    };
    await read((t) => t.includes(': connected'));
    const ids = Array.from({ length: 6 }, (_, i) => `${String(i + 1).repeat(2)}${'0'.repeat(29)}${i + 1}`);
    const started = Date.now();
    for (const id of ids) {
      const answer = await send(`${url}/v1/traces`, {
        method: 'POST',
        headers: JSON_TYPE,
        body: jsonSpan(id),
      });
      expect(answer.status).toBe(200);
    }
    await read((t) => ids.every((id) => t.includes(id)));
    const events = text.split('\n\n').filter((block) => block.startsWith('event: traces'));
    const announced = events.flatMap((block) => JSON.parse(block.split('data: ')[1]!).traceIds as string[]);
    expect(new Set(announced)).toEqual(new Set(ids));
    // Six ingests within one interval or two: far fewer events than ingests.
    expect(events.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 300) + 1);
    expect(events.length).toBeLessThan(ids.length);
    controller.abort();
  });
});
