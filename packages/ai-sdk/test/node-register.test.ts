import { otlpJsonSpans, useChildApps } from '@agent-otel/testing';
import { join, resolve } from 'node:path';

// Real child Node processes on the built packages, as users start them: `@agent-otel/node/register`
// (`--import` or `-r`) loads this package when `ai` is installed, and the apps are plain AI SDK code
// with no agent-otel import. They export OTLP/JSON to a receiver on 127.0.0.1.

jest.setTimeout(30000);

const FIXTURES = join(__dirname, 'fixtures');

const apps = useChildApps({
  hooks: { beforeAll, beforeEach, afterEach, afterAll },
  root: resolve(__dirname, '../../..'),
  files: [
    'packages/core/dist/cjs/index.js',
    'packages/node/dist/cjs/register.js',
    'packages/node/dist/esm/register.js',
    'packages/ai-sdk/dist/cjs/index.js',
    'packages/ai-sdk/dist/esm/index.js',
  ],
  build: 'npm run build -w @agent-otel/core -w @agent-otel/node -w @agent-otel/testing -w @agent-otel/ai-sdk',
  env: { OTEL_SERVICE_NAME: 'ai-sdk-register' },
  timeoutMillis: 25_000,
});
beforeEach(() => {
  apps.server.enqueue({
    id: 'chatcmpl-tool',
    toolCalls: [{ id: 'call_weather', name: 'weather', arguments: { city: 'Paris' } }],
    usage: { inputTokens: 20, outputTokens: 6 },
  });
  apps.server.enqueue({ id: 'chatcmpl-answer', text: 'Sunny.', usage: { inputTokens: 31, outputTokens: 2 } });
});

describe.each([
  ['CommonJS app with -r', ['-r', '@agent-otel/node/register', join(FIXTURES, 'register-app.cjs')]],
  ['ESM app with --import', ['--import', '@agent-otel/node/register', join(FIXTURES, 'register-app.mjs')]],
])('%s @agent-otel/node/register', (_label, args) => {
  it('traces generateText with no code: invoke_agent, one chat span per model call, execute_tool, all nested', async () => {
    const result = await apps.run(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // One integration, registered by register() when the app loaded `ai`.
    expect(result.stdout).toContain('app done Sunny. integrations=1');
    expect(apps.server.requests).toHaveLength(2);

    const spans = otlpJsonSpans(apps.receiver.requests);
    expect(spans.map((span) => span.name).sort()).toEqual([
      'chat gpt-4o-mini',
      'chat gpt-4o-mini',
      'execute_tool weather',
      'invoke_agent child-agent',
    ]);
    for (const span of spans) expect(span.scope).toBe('@agent-otel/ai-sdk');
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
    const agent = spans.find((span) => span.name === 'invoke_agent child-agent')!;
    expect(agent.parentSpanId ?? '').toBe('');
    for (const span of spans) if (span !== agent) expect(span.parentSpanId).toBe(agent.spanId);
    const chat = (id: string) => spans.find((span) => span.attributes['gen_ai.response.id'] === id);
    const [first, second] = [chat('chatcmpl-tool'), chat('chatcmpl-answer')];
    const tool = spans.find((span) => span.name === 'execute_tool weather');
    expect(first!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.response.id': 'chatcmpl-tool',
      'gen_ai.response.finish_reasons': ['tool_call'],
      'gen_ai.usage.input_tokens': 20,
      'gen_ai.usage.output_tokens': 6,
    });
    expect(second!.attributes).toMatchObject({
      'gen_ai.response.id': 'chatcmpl-answer',
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(tool!.attributes).toMatchObject({
      'gen_ai.tool.name': 'weather',
      'gen_ai.tool.call.id': 'call_weather',
      'gen_ai.agent.name': 'child-agent',
    });
    expect(agent.attributes).toMatchObject({
      'gen_ai.agent.name': 'child-agent',
      'gen_ai.usage.input_tokens': 51,
      'gen_ai.usage.output_tokens': 8,
      'agent_otel.usage.model_calls': 2,
    });
    expect(agent.resource['service.name']).toBe('ai-sdk-register');
    // The API key never reaches the exporter.
    const exported = apps.receiver.requests.map((request) => request.body.toString('utf8')).join('\n');
    expect(exported).not.toContain('sk-child-secret');
  });

  it('exports nothing with OTEL_SDK_DISABLED=true; the app runs unchanged', async () => {
    const result = await apps.run(args, { OTEL_SDK_DISABLED: 'true' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('app done Sunny.');
    expect(apps.server.requests).toHaveLength(2);
    expect(apps.receiver.requests).toEqual([]);
  });
});
