import { request } from 'node:http';
import { closedPort, otlpJsonSpans, startOtlpReceiver, type OtlpReceiver } from '../src/otlp-receiver';

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(() => receiver.close());

function post(
  url: string,
  contentType: string,
  body: string | Buffer,
): Promise<{ type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: 'POST', headers: { 'content-type': contentType } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => resolve({ type: response.headers['content-type'], body: text }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const EXPORT = {
  resourceSpans: [
    {
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: 'app' } },
          { key: 'process.pid', value: { intValue: '42' } },
        ],
      },
      scopeSpans: [
        {
          scope: { name: '@agent-otel/core' },
          spans: [
            {
              name: 'invoke_agent a',
              kind: 1,
              traceId: 't1',
              spanId: 's1',
              parentSpanId: '',
              attributes: [
                { key: 'gen_ai.usage.input_tokens', value: { intValue: '12' } },
                { key: 'gen_ai.request.temperature', value: { doubleValue: 0.5 } },
                { key: 'gen_ai.request.stream', value: { boolValue: true } },
                {
                  key: 'gen_ai.response.finish_reasons',
                  value: { arrayValue: { values: [{ stringValue: 'stop' }] } },
                },
              ],
            },
            { name: 'chat m', kind: 3, traceId: 't1', spanId: 's2', parentSpanId: 's1' },
          ],
        },
      ],
    },
  ],
};

describe('startOtlpReceiver', () => {
  it('records each request and answers in its encoding', async () => {
    expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const json = await post(`${receiver.url}/v1/traces`, 'application/json', JSON.stringify(EXPORT));
    const protobuf = await post(`${receiver.url}/custom`, 'application/x-protobuf', Buffer.from([1, 2, 3]));
    expect(json).toEqual({ type: 'application/json', body: '{}' });
    expect(protobuf).toEqual({ type: 'application/x-protobuf', body: '' });
    expect(receiver.requests.map((r) => [r.path, r.headers['content-type']])).toEqual([
      ['/v1/traces', 'application/json'],
      ['/custom', 'application/x-protobuf'],
    ]);
    expect([...receiver.requests[1]!.body]).toEqual([1, 2, 3]);
  });

  it('flattens OTLP/JSON exports into spans with plain attribute and resource values', async () => {
    await post(`${receiver.url}/v1/traces`, 'application/json', JSON.stringify(EXPORT));
    const resource = { 'service.name': 'app', 'process.pid': 42 };
    expect(otlpJsonSpans(receiver.requests)).toEqual([
      {
        name: 'invoke_agent a',
        kind: 1,
        traceId: 't1',
        spanId: 's1',
        parentSpanId: '',
        scope: '@agent-otel/core',
        attributes: {
          'gen_ai.usage.input_tokens': 12,
          'gen_ai.request.temperature': 0.5,
          'gen_ai.request.stream': true,
          'gen_ai.response.finish_reasons': ['stop'],
        },
        resource,
      },
      {
        name: 'chat m',
        kind: 3,
        traceId: 't1',
        spanId: 's2',
        parentSpanId: 's1',
        scope: '@agent-otel/core',
        attributes: {},
        resource,
      },
    ]);
  });
});

describe('closedPort', () => {
  it('returns a port where connections are refused', async () => {
    const port = await closedPort();
    await expect(post(`http://127.0.0.1:${port}/v1/traces`, 'application/json', '{}')).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});
