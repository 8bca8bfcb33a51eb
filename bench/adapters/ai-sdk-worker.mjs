// Child process of bench/ai-sdk-instructions.mjs: one configuration of the Vercel AI SDK benchmark
// (ai-sdk-configs.mjs), one operation, no IPC.
//
//   argv: <config> <serverURL> <json options: { op, warmup, settle, count, callgrind }>
//
// Sets up the configuration (the shared OpenTelemetry pipeline of configs.mjs when traced, then the
// integration), then counts its calls with framework-instructions.mjs's `countCallsInChild` (warm-up
// and checks: every call's result, spans none for `none` and at least one per call otherwise; a full
// GC, settling calls, the counted calls; one JSON line on stdout). A failed check exits with code 2
// and `agent-otel-bench: <config> <op>: <reason>` on stderr.
//
// Transport: framework-instructions.mjs's `replayingFetch` answers each request in process with the
// bytes the scripted server sent for the same kind of request (recorded during the warm-up), so the
// network's cost and noise drop out; `@ai-sdk/openai` still serialises the requests and parses the
// JSON and SSE.
import { CONFIGS, INSTRUCTIONS, OPENAI_MODEL, PROMPT, TOOL } from './ai-sdk-configs.mjs';
import { createPipeline } from './configs.mjs';
import { countCallsInChild, exitWithReason, replayingFetch } from '../framework-instructions.mjs';

const [name, serverURL, optionsJSON] = process.argv.slice(2);
const options = JSON.parse(optionsJSON ?? '{}');
const config = CONFIGS[name];
const op = options.op;

// ---- set up: pipeline, `ai`, the integration, the provider ---------------------------------------

// The pipeline first, so every integration finds the global tracer provider when it is constructed.
const pipeline = config.traced ? createPipeline({ processor: 'simple' }) : undefined;
const ai = await import('ai');
const { createOpenAI } = await import('@ai-sdk/openai');
const { z } = await import('zod');
const state = await config.setup({ ai, provider: pipeline?.provider });

/** Replies recorded from the scripted server (framework-instructions.mjs). */
const fetch = replayingFetch();

const openai = createOpenAI({ baseURL: `${serverURL}/v1`, apiKey: 'test-key', fetch });

// ---- the consumer code (identical in every configuration) ---------------------------------------

const model = openai.chat(OPENAI_MODEL);
const tools = {
  [TOOL.name]: ai.tool({
    description: TOOL.description,
    inputSchema: z.object({ orderId: z.string() }),
    execute: async ({ orderId }) => ({ ...TOOL.result, orderId }),
  }),
};
const twoSteps = ai.stepCountIs(2);
const call = {
  model,
  instructions: INSTRUCTIONS,
  prompt: PROMPT,
  temperature: 0.2,
  maxOutputTokens: 256,
  // `ai-sdk-otel`: content off, the only way @ai-sdk/otel offers it (see ai-sdk-configs.mjs).
  ...(config.callTelemetry ? { telemetry: config.callTelemetry } : {}),
};

// Every call adds to it, so no result is unused.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
let sink = 0;
function fail(what) {
  throw new Error(`workload check failed: ${what}`);
}

async function generate() {
  const result = await ai.generateText(call);
  if (!result.text || !result.usage.totalTokens) fail('generate (no text or no usage)');
  sink += result.usage.totalTokens;
  return result;
}

async function generateTools() {
  const result = await ai.generateText({ ...call, tools, stopWhen: twoSteps });
  if (result.steps.length !== 2 || result.steps[0].toolResults.length !== 1 || !result.text)
    fail('generate-tools (expected a tool call, its result and a text answer)');
  sink += result.totalUsage.totalTokens;
  return result;
}

async function stream() {
  const result = ai.streamText(call);
  let text = 0;
  for await (const delta of result.textStream) text += delta.length;
  const usage = await result.usage;
  if (text === 0 || !usage.totalTokens) fail('stream (no text or no usage)');
  sink += usage.totalTokens;
  return result;
}

// ---- raw-span: one hand-written span around the call, 10 key attributes --------------------------

function rawSpanOps() {
  const { SpanKind, SpanStatusCode } = pipeline.api;
  const server = new URL(serverURL);
  const requestAttrs = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': OPENAI_MODEL,
    'server.address': server.hostname,
    'server.port': Number(server.port),
  };
  const inSpan = (fn) =>
    state.tracer.startActiveSpan(
      `chat ${OPENAI_MODEL}`,
      { kind: SpanKind.CLIENT, attributes: requestAttrs },
      async (span) => {
        try {
          return await fn(span);
        } catch (err) {
          span.recordException(err);
          span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
          span.setAttribute('error.type', err.constructor?.name ?? '_OTHER');
          throw err;
        } finally {
          span.end();
        }
      },
    );
  const responseAttrs = (response, finishReason, usage) => ({
    'gen_ai.response.id': response.id,
    'gen_ai.response.model': response.modelId,
    'gen_ai.response.finish_reasons': [finishReason],
    'gen_ai.usage.input_tokens': usage.inputTokens,
    'gen_ai.usage.output_tokens': usage.outputTokens,
  });
  return {
    generate: () =>
      inSpan(async (span) => {
        const r = await generate();
        span.setAttributes(responseAttrs(r.response, r.finishReason, r.usage));
      }),
    'generate-tools': () =>
      inSpan(async (span) => {
        const r = await generateTools();
        span.setAttributes(responseAttrs(r.response, r.finishReason, r.totalUsage));
      }),
    stream: () =>
      inSpan(async (span) => {
        const r = await stream();
        span.setAttributes(responseAttrs(await r.response, await r.finishReason, await r.usage));
      }),
  };
}

const ops =
  name === 'raw-span'
    ? rawSpanOps()
    : { generate: () => generate(), 'generate-tools': () => generateTools(), stream: () => stream() };
const run = ops[op];
if (!run) exitWithReason(name, op, 'unknown operation');

// ---- warm-up and checks, then the counted calls (framework-instructions.mjs) ---------------------

await countCallsInChild({ name, op, options, traced: config.traced, exporter: pipeline?.exporter, run });
