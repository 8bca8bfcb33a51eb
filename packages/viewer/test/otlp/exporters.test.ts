// The receiver against the real OTLP/HTTP exporters: spans of the real SDK, sent by
// @opentelemetry/exporter-trace-otlp-proto and -http (plain and gzip) from a child process to the
// viewer's server, must arrive exactly as the SDK recorded them: ids, times to the nanosecond,
// attributes of every type, events, status, kind, resource (service.name), scope, dropped counts.
import type { IncomingHttpHeaders } from 'node:http';
import { createViewerServer, type ViewerServer } from '../../src/server/http.js';
import { exportFromChild } from '../support/export-child.js';
import { MemorySource } from '../support/MemorySource.js';
import { bySpanId } from '../support/sdk-spans.js';

let source: MemorySource;
let viewer: ViewerServer;
let url: string;
let seen: IncomingHttpHeaders[];

beforeEach(async () => {
  source = new MemorySource();
  viewer = createViewerServer({ source, sink: source, uiDir: '/nonexistent' });
  url = await viewer.listen(0, '127.0.0.1');
  seen = [];
  viewer.server.on('request', (request) => seen.push(request.headers));
});

afterEach(() => viewer.close());

const cases = [
  ['protobuf', 'none', 'application/x-protobuf', undefined],
  ['protobuf', 'gzip', 'application/x-protobuf', 'gzip'],
  ['json', 'none', 'application/json', undefined],
  ['json', 'gzip', 'application/json', 'gzip'],
] as const;

describe.each(cases)(
  'spans from the real %s exporter (compression %s)',
  (protocol, compression, type, encoding) => {
    it('arrive exactly as the SDK recorded them', async () => {
      const sent = await exportFromChild(protocol, compression, `${url}/v1/traces`, 'trace');

      expect(sent.results).toEqual([{ code: 0 }]);
      expect(seen.map((h) => [h['content-type'], h['content-encoding']])).toEqual([[type, encoding]]);
      expect(sent.spans).toHaveLength(10);
      const received = source.spans();
      expect(bySpanId(received)).toEqual(bySpanId(sent.spans));

      // Spot checks that the comparison is about something.
      const root = received.find((s) => s.parentSpanId === undefined && s.scope.name === 'viewer.test')!;
      expect(root.serviceName).toBe('checkout-agent');
      expect(root.resource['process.pid']).toBe(1234);
      expect(root.scope).toEqual({ name: 'viewer.test', version: '1.2.3' });
      expect(root.kind).toBe('SERVER');
      expect(root.attributes['test.bytes']).toBe('AAEC+v8=');
      expect(root.attributes['test.big']).toBe(2 ** 53 - 1);
      expect(root.attributes['test.mixed']).toEqual(['x', 1, 2.5, false, null]);
      expect(root.attributes['test.map']).toEqual({
        nested: { deeper: [1, 'two', { k: 'v' }] },
        flag: true,
        none: null,
      });
      const chat = received.find((s) => s.name === 'chat gpt-test' && s.traceId === root.traceId)!;
      expect(chat.parentSpanId).toBe(root.spanId);
      expect(chat.status).toEqual({ code: 'ERROR', message: 'model failed' });
      expect(chat.events.map((e) => e.name)).toEqual(['gen_ai.content.prompt', 'retry', 'exception']);
      expect(chat.events[1]!.timeUnixNano).toBe('1700000000123456789');
      expect(chat.events[2]!.attributes['exception.message']).toBe('bad <b>input</b>');
      expect(root.startTimeUnixNano).toMatch(/^\d{19}$/);
    });

    it('keeps the counts the SDK dropped', async () => {
      const sent = await exportFromChild(protocol, compression, `${url}/v1/traces`, 'limits');
      expect(sent.results).toEqual([{ code: 0 }]);
      expect(source.spans()).toEqual(sent.spans);
      expect(source.spans()[0]!.dropped).toEqual({ attributes: 2, events: 2 });
    });
  },
);

it('takes several batches of a large export, each stored whole', async () => {
  const sent = await exportFromChild('protobuf', 'gzip', `${url}/v1/traces`, 'many:2000');
  expect(sent.results.length).toBeGreaterThan(1);
  expect(sent.results.every((r) => r.code === 0)).toBe(true);
  expect(source.batches.length).toBe(sent.results.length);
  expect(bySpanId(source.spans())).toEqual(bySpanId(sent.spans));
});
