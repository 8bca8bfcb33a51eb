import { otlpJsonSpans, useChildApps } from '@agent-otel/testing';
import { join, resolve } from 'node:path';

// Real child Node processes: the built @agent-otel/node entry point loads this package's built
// output, which patches the real @anthropic-ai/sdk (CommonJS through require, ESM through the import
// hook); spans go over OTLP/HTTP to a receiver in this test.

jest.setTimeout(30000);

const FIXTURES = join(__dirname, 'fixtures');

const apps = useChildApps({
  hooks: { beforeAll, beforeEach, afterEach, afterAll },
  root: resolve(__dirname, '../../..'),
  files: [
    'packages/core/dist/cjs/index.js',
    'packages/core/dist/esm/index.js',
    'packages/node/dist/cjs/register.js',
    'packages/node/dist/esm/register.js',
    'packages/instrumentation-anthropic/dist/cjs/index.js',
    'packages/instrumentation-anthropic/dist/esm/index.js',
  ],
  build:
    'npm run build -w @agent-otel/core -w @agent-otel/node -w @agent-otel/testing -w @agent-otel/instrumentation-anthropic',
  env: { OTEL_SERVICE_NAME: 'anthropic-child' },
  timeoutMillis: 25_000,
});
beforeEach(() => {
  apps.server.enqueue([
    {
      id: 'msg_child_json',
      text: 'Sunny.',
      usage: { inputTokens: 20, outputTokens: 3, cacheReadInputTokens: 8 },
    },
    { id: 'msg_child_stream', text: 'Sunny, streamed.', usage: { inputTokens: 20, outputTokens: 4 } },
  ]);
});

describe.each([
  ['CommonJS', ['-r', '@agent-otel/node/register', join(FIXTURES, 'app.cjs')]],
  ['ESM', ['--import', '@agent-otel/node/register', join(FIXTURES, 'app.mjs')]],
])('%s app with the real SDK', (_system, args) => {
  it('exports one chat span per call with the GenAI attributes, and no SDK duplicate', async () => {
    const result = await apps.run(args);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('app done msg_child_json msg_child_stream');
    expect(result.code).toBe(0);

    const spans = otlpJsonSpans(apps.receiver.requests);
    expect(spans.map((span) => span.name)).toEqual(['chat claude-test', 'chat claude-test']);
    const [json, streamed] = spans;
    const common = {
      'agent_otel.span.kind': 'generation',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-test',
      'gen_ai.request.max_tokens': 128,
      'gen_ai.response.model': 'claude-test',
      'gen_ai.response.finish_reasons': ['stop'],
      'server.address': '127.0.0.1',
      'server.port': apps.server.port,
    };
    expect(json!.scope).toBe('@agent-otel/instrumentation-anthropic');
    expect(json!.kind).toBe(3); // SPAN_KIND_CLIENT
    expect(json!.attributes).toEqual({
      ...common,
      'gen_ai.response.id': 'msg_child_json',
      'gen_ai.usage.input_tokens': 20,
      'gen_ai.usage.cache_read.input_tokens': 8,
      'gen_ai.usage.output_tokens': 3,
    });
    expect(streamed!.attributes).toEqual({
      ...common,
      'gen_ai.request.stream': true,
      'gen_ai.response.id': 'msg_child_stream',
      'gen_ai.response.time_to_first_chunk': expect.any(Number),
      'gen_ai.usage.input_tokens': 20,
      'gen_ai.usage.output_tokens': 4,
    });
    expect(apps.receiver.requests.map((request) => request.body.toString('utf8')).join('')).not.toContain(
      'sk-ant-child-secret',
    );
    const chat = apps.server.requests.map((request) => request.headers.traceparent);
    expect(chat).toEqual(spans.map((span) => expect.stringContaining(span.spanId)));
  });
});
