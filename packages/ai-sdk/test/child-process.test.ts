import { otlpJsonSpans, useChildApps } from '@agent-otel/testing';
import { join, resolve } from 'node:path';

// Real child Node processes on the built packages: @agent-otel/node/register sets up the exporters and
// registers this package's integration when the app loads `ai`; the app calls registerAiSdkTelemetry(ai)
// by hand as well, which must add no second integration (one span per call). The apps that rely on
// register() alone are in node-register.test.ts.

jest.setTimeout(30000);

const FIXTURES = join(__dirname, 'fixtures');

const apps = useChildApps({
  hooks: { beforeAll, beforeEach, afterEach, afterAll },
  root: resolve(__dirname, '../../..'),
  files: [
    'packages/core/dist/cjs/index.js',
    'packages/node/dist/esm/register.js',
    'packages/ai-sdk/dist/cjs/index.js',
    'packages/ai-sdk/dist/esm/index.js',
  ],
  build: 'npm run build -w @agent-otel/core -w @agent-otel/node -w @agent-otel/testing -w @agent-otel/ai-sdk',
  env: { OTEL_SERVICE_NAME: 'ai-sdk-child' },
  timeoutMillis: 25_000,
});
beforeEach(() => {
  apps.server.enqueue({ id: 'chatcmpl-child', text: 'Sunny.', usage: { inputTokens: 10, outputTokens: 2 } });
});

describe.each([
  ['CommonJS', ['-r', '@agent-otel/node/register', join(FIXTURES, 'app.cjs')]],
  ['ESM', ['--import', '@agent-otel/node/register', join(FIXTURES, 'app.mjs')]],
])('%s app registering the integration by hand as well', (_system, args) => {
  it('exports the invoke_agent and chat spans once', async () => {
    const result = await apps.run(args);
    expect(result.stdout).toContain('app done Sunny. integrations=1');
    expect(result.code).toBe(0);
    const spans = otlpJsonSpans(apps.receiver.requests);
    expect(spans.map((span) => span.name).sort()).toEqual(['chat gpt-4o-mini', 'invoke_agent child']);
    const chat = spans.find((span) => span.name === 'chat gpt-4o-mini')!;
    const agent = spans.find((span) => span.name === 'invoke_agent child')!;
    expect(chat.scope).toBe('@agent-otel/ai-sdk');
    expect(chat.parentSpanId).toBe(agent.spanId);
    expect(chat.attributes).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'gen_ai.response.id': 'chatcmpl-child',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 2,
    });
  });
});
