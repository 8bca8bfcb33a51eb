// AiSdkInstrumentation, AI SDK 6, and the rule for @ai-sdk/otel registered too.
import { OpenTelemetry } from '@ai-sdk/otel';
import * as ai from 'ai';
import { generateText } from 'ai';
import {
  AgentOtelTelemetry,
  AiSdkInstrumentation,
  OTEL_INTEGRATION_ENV,
  providerName,
  registerAiSdkTelemetry,
} from '../src/index';
import { resolveOtelIntegration } from '../src/utils';
import { captureDiag, setupTracing, useServer, type TestTracing } from './helpers';

type Registry = { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] };
const registry = globalThis as Registry;

describe('registration', () => {
  const h = useServer();
  let t: TestTracing;
  beforeAll(() => {
    // @ai-sdk/otel's spans use its own names (e.g. agent_step, gen_ai.client.operation.* attributes).
    t = setupTracing({
      skipConformance: "the dedupe tests record @ai-sdk/otel's own spans, which are not ours",
    });
  });
  afterEach(() => {
    t.reset();
    registry.AI_SDK_TELEMETRY_INTEGRATIONS = [];
  });
  afterAll(() => t.shutdown());

  it('manuallyInstrument registers the integration once; disable() and enable() turn it off and on', async () => {
    const instrumentation = new AiSdkInstrumentation();
    instrumentation.manuallyInstrument(ai);
    instrumentation.manuallyInstrument(ai);
    expect(registry.AI_SDK_TELEMETRY_INTEGRATIONS).toEqual([instrumentation.integration]);
    h.server.enqueue({ text: 'one' });
    await generateText({ model: h.openai.chat('gpt-4o-mini'), prompt: 'a' });
    expect(t.chatSpans()).toHaveLength(1);
    expect(t.byName('chat gpt-4o-mini').instrumentationScope.name).toBe('@agent-otel/ai-sdk');
    instrumentation.disable();
    h.server.enqueue({ text: 'two' });
    await generateText({ model: h.openai.chat('gpt-4o-mini'), prompt: 'b' });
    expect(t.chatSpans()).toHaveLength(1);
    instrumentation.enable();
    h.server.enqueue({ text: 'three' });
    await generateText({ model: h.openai.chat('gpt-4o-mini'), prompt: 'c' });
    expect(t.chatSpans()).toHaveLength(2);
    instrumentation.disable();
  });

  it('keeps one agent-otel integration: registering by hand after the instrumentation (or twice) adds none', async () => {
    const instrumentation = new AiSdkInstrumentation();
    instrumentation.manuallyInstrument(ai);
    expect(registerAiSdkTelemetry(ai)).toBe(instrumentation.integration);
    expect(registerAiSdkTelemetry(ai)).toBe(instrumentation.integration);
    expect(registry.AI_SDK_TELEMETRY_INTEGRATIONS).toEqual([instrumentation.integration]);
    h.server.enqueue({ text: 'one' });
    await generateText({ model: h.openai.chat('gpt-4o-mini'), prompt: 'a' });
    expect(t.chatSpans()).toHaveLength(1);
    instrumentation.disable();
  });

  it('warns once that AI SDK 6 calls are not traced, and says what to do', () => {
    const diag = captureDiag();
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const aiV6 = require('ai-v6') as object;
      const instrumentation = new AiSdkInstrumentation();
      instrumentation.manuallyInstrument(aiV6);
      const warnings = diag.messages.filter((m) => m.level === 'warn').map((m) => m.text);
      expect(warnings).toEqual([
        expect.stringContaining(
          'no registerTelemetry (AI SDK 6 or older); its calls are not traced. Upgrade to ai 7',
        ),
      ]);
      expect(registry.AI_SDK_TELEMETRY_INTEGRATIONS ?? []).toEqual([]);
      instrumentation.disable();
    } finally {
      diag.restore();
    }
  });

  it('warns once per version when the require hook sees ai 6', () => {
    const diag = captureDiag();
    try {
      const instrumentation = new AiSdkInstrumentation({ enabled: false });
      const [definition] = instrumentation.getModuleDefinitions();
      definition!.patch!({}, '6.0.333');
      definition!.patch!({}, '6.0.333');
      const warnings = diag.messages.filter((m) => m.level === 'warn').map((m) => m.text);
      expect(warnings).toEqual([
        expect.stringContaining('ai 6.0.333 is installed; its calls are not traced. AI SDK 6 and older'),
      ]);
    } finally {
      diag.restore();
    }
  });

  it("defers to @ai-sdk/otel's integration when both are registered (default rule): one model span", async () => {
    ai.registerTelemetry(new OpenTelemetry(), new AgentOtelTelemetry());
    h.server.enqueue({ text: 'once' });
    await generateText({ model: h.openai.chat('gpt-4o-mini'), prompt: 'a' });
    expect(t.chatSpans()).toHaveLength(1);
    expect(t.chatSpans()[0]!.instrumentationScope.name).toBe('gen_ai');
  });

  it("records both with otelIntegration: 'keep'", async () => {
    ai.registerTelemetry(new OpenTelemetry(), new AgentOtelTelemetry({ otelIntegration: 'keep' }));
    h.server.enqueue({ text: 'twice' });
    await generateText({ model: h.openai.chat('gpt-4o-mini'), prompt: 'a' });
    expect(
      t
        .chatSpans()
        .map((span) => span.instrumentationScope.name)
        .sort(),
    ).toEqual(['@agent-otel/ai-sdk', 'gen_ai']);
  });

  it('records its spans when it is the only integration registered', async () => {
    ai.registerTelemetry(new AgentOtelTelemetry());
    h.server.enqueue({ text: 'ours' });
    await generateText({ model: h.openai.chat('gpt-4o-mini'), prompt: 'a' });
    expect(t.chatSpans().map((span) => span.instrumentationScope.name)).toEqual(['@agent-otel/ai-sdk']);
  });

  it('makes no span when the SDK runs on fetch: the openai instrumentation is not involved (one chat span)', async () => {
    const { OpenAIInstrumentation } = await import('@agent-otel/instrumentation-openai');
    const openaiInstrumentation = new OpenAIInstrumentation();
    ai.registerTelemetry(new AgentOtelTelemetry());
    h.server.enqueue({ text: 'fetch' });
    await generateText({ model: h.openai.chat('gpt-4o-mini'), prompt: 'a' });
    expect(t.chatSpans()).toHaveLength(1);
    openaiInstrumentation.disable();
  });

  it('makes no span when the SDK runs on fetch: the anthropic instrumentation is not involved (one chat span)', async () => {
    const { AnthropicInstrumentation } = await import('@agent-otel/instrumentation-anthropic');
    const anthropicInstrumentation = new AnthropicInstrumentation();
    ai.registerTelemetry(new AgentOtelTelemetry());
    h.server.enqueue({ text: 'fetch' });
    await generateText({ model: h.anthropic('claude-sonnet-4-5'), prompt: 'a' });
    expect(t.chatSpans().map((span) => [span.name, span.instrumentationScope.name])).toEqual([
      ['chat claude-sonnet-4-5', '@agent-otel/ai-sdk'],
    ]);
    expect(h.server.requests.map((request) => request.path)).toEqual(['/v1/messages']);
    anthropicInstrumentation.disable();
  });

  it('resolves the otelIntegration rule from the option, then the environment, and names a wrong value', () => {
    const diag = captureDiag();
    try {
      expect(resolveOtelIntegration(undefined, {})).toBe('defer');
      expect(resolveOtelIntegration('keep', {})).toBe('keep');
      expect(resolveOtelIntegration(undefined, { [OTEL_INTEGRATION_ENV]: 'KEEP' })).toBe('keep');
      expect(resolveOtelIntegration('both', {})).toBe('defer');
      expect(resolveOtelIntegration(undefined, { [OTEL_INTEGRATION_ENV]: 'x' })).toBe('defer');
      expect(diag.messages.filter((m) => m.level === 'warn').map((m) => m.text)).toEqual([
        expect.stringContaining('otelIntegration both is not one of defer, keep'),
        expect.stringContaining(`${OTEL_INTEGRATION_ENV}="x" is not one of defer, keep`),
      ]);
    } finally {
      diag.restore();
    }
  });

  it.each([
    ['openai.chat', 'openai'],
    ['openai.responses', 'openai'],
    ['anthropic.messages', 'anthropic'],
    ['google.generative-ai', 'gcp.gemini'],
    ['google.vertex.chat', 'gcp.vertex_ai'],
    ['amazon-bedrock', 'aws.bedrock'],
    ['azure.chat', 'azure.ai.openai'],
    ['mistral.chat', 'mistral_ai'],
    ['xai.chat', 'x_ai'],
    ['moonshotai.chat', 'moonshot_ai'],
    ['groq.chat', 'groq'],
    ['deepseek.chat', 'deepseek'],
    ['cohere.chat', 'cohere'],
    ['perplexity', 'perplexity'],
    ['my-gateway.chat', 'my-gateway.chat'],
  ])('maps provider id %s to %s', (id, name) => {
    expect(providerName(id)).toBe(name);
  });
});
