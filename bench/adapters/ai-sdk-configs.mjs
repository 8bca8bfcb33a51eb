// The Vercel AI SDK benchmark (bench/ai-sdk-instructions.mjs): its operations, the scripted model's
// replies, and the configurations compared. Shared by the driver (names, the server's handler) and
// the worker children (ai-sdk-worker.mjs: set-up and the calls).
//
// Same requests and reply as the adapters bench (workload.mjs): a system and a user message, a reply
// of ~190 characters streamed 4 characters per delta, through `@ai-sdk/openai`'s Chat Completions
// model. `generate-tools` adds one tool: the model calls it in the first step and answers in the
// second.
import { OPENAI_MODEL, REPLY, chatParams } from './workload.mjs';

export { OPENAI_MODEL };

const [{ content: INSTRUCTIONS }, { content: PROMPT }] = chatParams(false).messages;
export { INSTRUCTIONS, PROMPT };

/** The tool of `generate-tools`, its arguments in the scripted tool call, and its result. */
export const TOOL = {
  name: 'lookupOrder',
  description: 'Looks up an order by its id: status, carrier, last scan',
  arguments: { orderId: 'A-1001' },
  result: { orderId: 'A-1001', status: 'in transit', carrier: 'DHL', lastScan: 'Monday 18:40, Leipzig' },
};

export const OPERATIONS = ['generate', 'generate-tools', 'stream'];

/** What each operation is (README, report). */
export const OPERATION_DESCRIPTIONS = {
  generate: '`generateText` (Chat Completions JSON, one step, no tools)',
  'generate-tools':
    '`generateText` with one tool, `stopWhen: stepCountIs(2)`: a tool call, the tool, the answer',
  stream: '`streamText`, `textStream` read to the end, then `usage` awaited',
};

/**
 * The scripted server's handler: a request offering tools and carrying no tool result gets the tool
 * call; every other request the text reply.
 */
export function scriptedReply(request) {
  const body = request.body ?? {};
  const offersTools = Array.isArray(body.tools) && body.tools.length > 0;
  const hasToolResult = Array.isArray(body.messages) && body.messages.some((m) => m?.role === 'tool');
  if (offersTools && !hasToolResult) return { toolCalls: [{ name: TOOL.name, arguments: TOOL.arguments }] };
  return REPLY;
}

/**
 * The configurations. `setup(ctx)` runs in the worker after the pipeline (if `traced`) is registered
 * and `ai` is imported (`ctx.ai`); it returns what the calls need. `callTelemetry` is the call's
 * `telemetry` setting (the same calls otherwise). `spans` is what each call must export: `0` for none,
 * else at least one.
 */
export const CONFIGS = {
  none: {
    description: '`ai` + `@ai-sdk/openai`, no telemetry integration, no OpenTelemetry SDK',
    traced: false,
    setup: async () => ({}),
  },
  'raw-span': {
    description:
      'one hand-written `startActiveSpan` around the call (and the reading of the stream) with 10 key attributes, no integration',
    traced: true,
    setup: async (ctx) => ({ tracer: ctx.provider.getTracer('bench-raw-span') }),
  },
  'agent-otel': {
    description:
      '`@agent-otel/ai-sdk`: `registerAiSdkTelemetry(ai)` (= `ai.registerTelemetry(new AgentOtelTelemetry())`), default options (no content)',
    traced: true,
    packages: ['@agent-otel/ai-sdk'],
    async setup(ctx) {
      const { registerAiSdkTelemetry } = await import('@agent-otel/ai-sdk');
      const integration = registerAiSdkTelemetry(ctx.ai);
      if (!integration) throw new Error('registerAiSdkTelemetry registered nothing');
      return { integration };
    },
  },
  'ai-sdk-otel': {
    description:
      "`@ai-sdk/otel`'s `OpenTelemetry` integration, `ai.registerTelemetry(new OpenTelemetry())`, with content off the only way it offers: the call's `telemetry: { recordInputs: false, recordOutputs: false }`",
    traced: true,
    packages: ['@ai-sdk/otel'],
    callTelemetry: { recordInputs: false, recordOutputs: false },
    async setup(ctx) {
      const { OpenTelemetry } = await import('@ai-sdk/otel');
      ctx.ai.registerTelemetry(new OpenTelemetry());
      return {};
    },
  },
  'ai-sdk-otel-content': {
    description:
      "`@ai-sdk/otel` as shipped: the same integration with the SDK's defaults, which record the messages, instructions, tool definitions and outputs",
    traced: true,
    packages: ['@ai-sdk/otel'],
    setup: (ctx) => CONFIGS['ai-sdk-otel'].setup(ctx),
  },
};

export const CONFIG_NAMES = Object.keys(CONFIGS);

/** Throws for a configuration or operation name the benchmark does not know. */
export function checkSelection(configNames, ops) {
  for (const c of configNames)
    if (!CONFIGS[c]) throw new Error(`unknown config ${c} (${CONFIG_NAMES.join(', ')})`);
  for (const o of ops)
    if (!OPERATIONS.includes(o)) throw new Error(`unknown op ${o} (${OPERATIONS.join(', ')})`);
}
