import { join, resolve } from 'node:path';
import { otlpJsonSpans, useChildApps, type OtlpJsonSpan, type ReceivedRequest } from '@agent-otel/testing';

// Real child Node processes: an application using the real `openai` package, started through
// `@agent-otel/node/register` (built dist), calling the scripted server and exporting OTLP/HTTP JSON
// to a receiver in this test.

jest.setTimeout(30000);

const FIXTURES = join(__dirname, 'fixtures');

/** The exported spans, each as its name, kind, scope and attributes. */
function exportedSpans(
  requests: readonly ReceivedRequest[],
): Pick<OtlpJsonSpan, 'name' | 'kind' | 'scope' | 'attributes'>[] {
  return otlpJsonSpans(requests).map(({ name, kind, scope, attributes }) => ({
    name,
    kind,
    scope,
    attributes,
  }));
}

const apps = useChildApps({
  hooks: { beforeAll, beforeEach, afterEach, afterAll },
  root: resolve(__dirname, '../../..'),
  files: [
    'packages/node/dist/esm/register.js',
    'packages/node/dist/cjs/register.js',
    'packages/instrumentation-openai/dist/cjs/index.js',
    'packages/core/dist/cjs/index.js',
  ],
  build:
    'npm run build -w @agent-otel/core -w @agent-otel/node -w @agent-otel/testing -w @agent-otel/instrumentation-openai',
  env: { OTEL_SERVICE_NAME: 'openai-child-app' },
  timeoutMillis: 25_000,
});

describe.each([
  ['CommonJS', '-r', 'chat-app.cjs'],
  ['ESM', '--import', 'chat-app.mjs'],
])('an openai %s application under %s @agent-otel/node/register', (_system, flag, app) => {
  it('exports chat and text_completion spans with the semantic-convention attributes', async () => {
    apps.server.enqueue([
      { text: 'Hi there', id: 'chatcmpl-child', usage: { inputTokens: 5, outputTokens: 2 } },
      { text: 'streamed reply', id: 'chatcmpl-child-stream', usage: { inputTokens: 3, outputTokens: 4 } },
      { text: ' upon a time', id: 'cmpl-child-legacy' },
    ]);
    const result = await apps.run([flag, '@agent-otel/node/register', join(FIXTURES, app)]);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('reply: Hi there | streamed reply |  upon a time');
    expect(apps.server.requests).toHaveLength(3);
    const spans = exportedSpans(apps.receiver.requests).filter(
      (span) => span.attributes['gen_ai.operation.name'] === 'chat',
    );
    expect(spans).toHaveLength(2);
    const [json, streamed] = [
      spans.find((span) => span.attributes['gen_ai.response.id'] === 'chatcmpl-child'),
      spans.find((span) => span.attributes['gen_ai.response.id'] === 'chatcmpl-child-stream'),
    ];
    expect(json).toEqual({
      name: 'chat gpt-4o-mini',
      kind: 3, // CLIENT in OTLP
      scope: '@agent-otel/instrumentation-openai',
      attributes: {
        'agent_otel.span.kind': 'generation',
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.request.temperature': 0.1,
        'server.address': '127.0.0.1',
        'server.port': apps.server.port,
        'openai.api.type': 'chat_completions',
        'openai.response.service_tier': 'default',
        'gen_ai.response.id': 'chatcmpl-child',
        'gen_ai.response.model': 'gpt-4o-mini',
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.usage.input_tokens': 5,
        'gen_ai.usage.output_tokens': 2,
        'agent_otel.cost.usd': expect.any(Number),
      },
    });
    expect(streamed?.attributes['gen_ai.request.stream']).toBe(true);
    expect(streamed?.attributes['gen_ai.usage.output_tokens']).toBe(4);
    // The legacy Completions API is patched through the same hooks.
    const legacy = exportedSpans(apps.receiver.requests).filter(
      (span) => span.attributes['gen_ai.operation.name'] === 'text_completion',
    );
    expect(legacy.map((span) => [span.name, span.attributes['gen_ai.response.id']])).toEqual([
      ['text_completion gpt-3.5-turbo-instruct', 'cmpl-child-legacy'],
    ]);
    expect(
      JSON.stringify(apps.receiver.requests.map((request) => request.body.toString('utf8'))),
    ).not.toContain('sk-child-app-secret');
  });
});
