import {
  assertBuilt,
  otlpJsonSpans,
  runNode,
  startOtlpReceiver,
  startScriptedServer,
  type OtlpJsonSpan,
  type OtlpReceiver,
  type ScriptedServer,
} from '@agent-otel/testing';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// The core golden sets on the oldest and the newest `ai` 7 installed: `ai` (the current release) and
// `ai-v7-0` (npm:ai@7.0.0). A child Node process loads the release natively (both are ESM only, which
// jest would have to compile), registers the integration by hand, runs a generateText tool loop and a
// streamText read to the end, and exports OTLP/JSON.

jest.setTimeout(30000);

const REPO_ROOT = resolve(__dirname, '../../..');
const APP = join(__dirname, 'fixtures', 'ai-versions-app.mjs');

/** The installed version of the package `name` (a release of `ai` or an alias of one). */
function installedVersion(name: string): string {
  const path = join(REPO_ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

let server: ScriptedServer;
let receiver: OtlpReceiver;

beforeAll(async () => {
  assertBuilt({
    root: REPO_ROOT,
    files: [
      'packages/core/dist/esm/index.js',
      'packages/node/dist/esm/register.js',
      'packages/ai-sdk/dist/esm/index.js',
    ],
    build:
      'npm run build -w @agent-otel/core -w @agent-otel/node -w @agent-otel/testing -w @agent-otel/ai-sdk',
  });
  server = await startScriptedServer();
});
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  server.reset();
  await receiver.close();
});
afterAll(() => server.close());

/** Each span as `name` under its parent's name, indented, children sorted by name. */
function tree(spans: readonly OtlpJsonSpan[]): string[] {
  const lines: string[] = [];
  const visit = (parentId: string, depth: number) => {
    const children = spans
      .filter((span) => (span.parentSpanId ?? '') === parentId)
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const child of children) {
      lines.push(`${'  '.repeat(depth)}${child.name}`);
      visit(child.spanId, depth + 1);
    }
  };
  visit('', 0);
  return lines;
}

describe.each([
  // The newest release, as the rest of the suite runs it; ai 7.0.0 reports no request URL to telemetry.
  { module: 'ai', version: /^7\./, reportsServer: true },
  { module: 'ai-v7-0', version: /^7\.0\.0$/, reportsServer: false },
])('$module', ({ module, version, reportsServer }) => {
  const release = installedVersion(module);

  it('is the release under test', () => {
    expect(release).toMatch(version);
  });

  it('records the golden spans of a generateText tool loop and a consumed streamText', async () => {
    server.enqueue({
      toolCalls: [
        { id: 'call_w', name: 'weather', arguments: { city: 'Paris' } },
        { id: 'call_t', name: 'time', arguments: { city: 'Paris' } },
      ],
      usage: { inputTokens: 30, outputTokens: 10 },
    });
    server.enqueue({ text: 'Sunny, noon.', usage: { inputTokens: 50, outputTokens: 4 } });
    server.enqueue({
      text: 'hello streaming world',
      usage: { inputTokens: 9, outputTokens: 4 },
      chunkSize: 4,
    });
    const result = await runNode(['--import', '@agent-otel/node/register', APP], {
      cwd: REPO_ROOT,
      env: {
        AI_MODULE: module,
        OPENAI_BASE_URL: server.openaiBaseURL,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      },
      timeoutMillis: 25_000,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`ai ${release}: generated Sunny, noon. streamed hello streaming world`);

    const spans = otlpJsonSpans(receiver.requests);
    expect(tree(spans)).toEqual([
      'invoke_agent planner',
      '  chat gpt-4o-mini',
      '  chat gpt-4o-mini',
      '  execute_tool time',
      '  execute_tool weather',
      'invoke_agent streamer',
      '  chat gpt-4o-mini',
    ]);
    for (const span of spans) expect(span.scope).toBe('@agent-otel/ai-sdk');
    const serverAttributes = reportsServer
      ? { 'server.address': '127.0.0.1', 'server.port': server.port }
      : {};
    const chat = (id: string) => spans.find((span) => span.attributes['gen_ai.response.id'] === id)!;
    const byName = (name: string) => spans.find((span) => span.name === name)!;

    expect(byName('invoke_agent planner').attributes).toEqual({
      'agent_otel.span.kind': 'agent',
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'planner',
      'gen_ai.request.model': 'gpt-4o-mini',
      'agent_otel.agent.tools': ['weather', 'time'],
      'agent_otel.metadata.function_id': 'planner',
      'agent_otel.usage.model_calls': 2,
      'gen_ai.usage.input_tokens': 80,
      'gen_ai.usage.output_tokens': 14,
      'agent_otel.cost.usd': expect.any(Number),
    });
    const generation = {
      'agent_otel.span.kind': 'generation',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'openai.api.type': 'chat_completions',
      'gen_ai.request.model': 'gpt-4o-mini',
      'agent_otel.cost.usd': expect.any(Number),
      ...serverAttributes,
    };
    expect(chat('chatcmpl-000001').attributes).toEqual({
      ...generation,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 50,
      'gen_ai.response.id': 'chatcmpl-000001',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.response.finish_reasons': ['tool_call'],
      'gen_ai.usage.input_tokens': 30,
      'gen_ai.usage.output_tokens': 10,
    });
    expect(chat('chatcmpl-000002').attributes).toMatchObject({
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 50,
      'gen_ai.usage.output_tokens': 4,
    });
    expect(byName('execute_tool weather').attributes).toEqual({
      'agent_otel.span.kind': 'function',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'weather',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.id': 'call_w',
      'gen_ai.tool.description': 'The weather in a city',
      'gen_ai.agent.name': 'planner',
    });

    // The stream: one chat span with time to first chunk and the final chunk's usage.
    expect(byName('invoke_agent streamer').attributes).toMatchObject({
      'gen_ai.agent.name': 'streamer',
      'gen_ai.usage.input_tokens': 9,
      'gen_ai.usage.output_tokens': 4,
      'agent_otel.usage.model_calls': 1,
    });
    expect(chat('chatcmpl-000003').attributes).toEqual({
      ...generation,
      'gen_ai.request.stream': true,
      'gen_ai.response.id': 'chatcmpl-000003',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.time_to_first_chunk': expect.any(Number),
      'gen_ai.usage.input_tokens': 9,
      'gen_ai.usage.output_tokens': 4,
    });
  });
});
