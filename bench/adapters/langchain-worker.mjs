// Child process of bench/langchain-instructions.mjs: one configuration of the LangChain benchmark
// (langchain-configs.mjs), one operation, no IPC.
//
//   argv: <config> <serverURL> <json options: { op, warmup, settle, count, callgrind }>
//
// Sets up the configuration (the shared OpenTelemetry pipeline of configs.mjs when traced, then the
// handler or instrumentation, before any LangChain module is loaded), then counts its calls with
// framework-instructions.mjs's `countCallsInChild` (warm-up and checks, a full GC, settling calls, the
// counted calls; one JSON line on stdout). Every call's result is checked; an `agent` run must take
// the tool call, run the tool, answer, in AGENT_STEPS LangGraph steps. Everything LangChain is loaded
// through CommonJS `require`, as a CommonJS app would.
//
// Transport: framework-instructions.mjs's `replayingFetch` answers each request in process with the
// bytes the scripted server sent for the same kind of request (recorded during the warm-up), so the
// network's cost and noise drop out; the openai client under `ChatOpenAI` still serialises the
// requests and parses the JSON.
import { createRequire } from 'node:module';
import { countCallsInChild, exitWithReason, replayingFetch } from '../framework-instructions.mjs';
import { createPipeline } from './configs.mjs';
import {
  AGENT_NAME,
  AGENT_STEPS,
  CONFIGS,
  INSTRUCTIONS,
  OPENAI_MODEL,
  PROMPT,
  TOOL,
} from './langchain-configs.mjs';

const require = createRequire(import.meta.url);
const [name, serverURL, optionsJSON] = process.argv.slice(2);
const options = JSON.parse(optionsJSON ?? '{}');
const config = CONFIGS[name];
const op = options.op;

// ---- set up: pipeline, the configuration, LangChain, the model ------------------------------------

// The pipeline first, so every handler finds the global tracer provider when it is constructed.
const pipeline = config.traced ? createPipeline({ processor: 'simple' }) : undefined;
let state;
try {
  state = await config.setup({ provider: pipeline?.provider });
} catch (err) {
  exitWithReason(name, op, `set-up failed: ${err.message}`);
}
const { ChatOpenAI } = require('@langchain/openai');
const { HumanMessage, SystemMessage } = require('@langchain/core/messages');
const { tool } = require('@langchain/core/tools');
const { createAgent } = require('langchain');
const { z } = require('zod');

/** Replies recorded from the scripted server (framework-instructions.mjs). */
const fetch = replayingFetch();

const model = new ChatOpenAI({
  model: OPENAI_MODEL,
  apiKey: 'test-key',
  temperature: 0.2,
  maxTokens: 256,
  maxRetries: 0,
  configuration: { baseURL: `${serverURL}/v1`, fetch },
});

// ---- the consumer code (identical in every configuration) ---------------------------------------

const lookupOrder = tool(async ({ orderId }) => JSON.stringify({ ...TOOL.result, orderId }), {
  name: TOOL.name,
  description: TOOL.description,
  schema: z.object({ orderId: z.string() }),
});
const agent = createAgent({ model, tools: [lookupOrder], systemPrompt: INSTRUCTIONS, name: AGENT_NAME });
const messages = [new SystemMessage(INSTRUCTIONS), new HumanMessage(PROMPT)];
/** The per-call config: the handler of `agent-otel`, nothing otherwise. */
const callConfig = state.callbacks ? { callbacks: state.callbacks } : undefined;

// Every call adds to it, so no result is unused.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
let sink = 0;
function fail(what) {
  throw new Error(`workload check failed: ${what}`);
}

async function chat() {
  const reply = await model.invoke(messages, callConfig);
  if (typeof reply.content !== 'string' || !reply.content || !reply.usage_metadata?.total_tokens)
    fail('chat (no text or no usage)');
  sink += reply.usage_metadata.total_tokens;
  return reply;
}

async function agentRun() {
  const result = await agent.invoke({ messages: [{ role: 'user', content: PROMPT }] }, callConfig);
  const m = result.messages;
  // human, the model's tool call, the tool's result, the model's answer
  if (
    m.length !== 4 ||
    m[1].tool_calls?.length !== 1 ||
    m[2].name !== TOOL.name ||
    typeof m[3].content !== 'string' ||
    !m[3].content
  )
    fail(`agent (expected a tool call, its result and a text answer; got ${m.length} messages)`);
  sink += m[3].usage_metadata?.total_tokens ?? 0;
  return result;
}

// ---- raw-span: one hand-written span around the call, 10 key attributes --------------------------

function rawSpanOps() {
  const { SpanKind, SpanStatusCode } = pipeline.api;
  const server = new URL(serverURL);
  const inSpan = (spanName, kind, attributes, fn) =>
    state.tracer.startActiveSpan(spanName, { kind, attributes }, async (span) => {
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
    });
  const responseAttrs = (message) => ({
    'gen_ai.response.id': message.id,
    'gen_ai.response.model': message.response_metadata?.model_name,
    'gen_ai.response.finish_reasons': [message.response_metadata?.finish_reason],
    'gen_ai.usage.input_tokens': message.usage_metadata?.input_tokens,
    'gen_ai.usage.output_tokens': message.usage_metadata?.output_tokens,
  });
  const chatAttrs = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': OPENAI_MODEL,
    'server.address': server.hostname,
    'server.port': Number(server.port),
  };
  const agentAttrs = {
    'gen_ai.operation.name': 'invoke_agent',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': OPENAI_MODEL,
    'gen_ai.agent.name': AGENT_NAME,
    'gen_ai.request.temperature': 0.2,
  };
  return {
    chat: () =>
      inSpan(`chat ${OPENAI_MODEL}`, SpanKind.CLIENT, chatAttrs, async (span) => {
        span.setAttributes(responseAttrs(await chat()));
      }),
    agent: () =>
      inSpan(`invoke_agent ${AGENT_NAME}`, SpanKind.INTERNAL, agentAttrs, async (span) => {
        const result = await agentRun();
        span.setAttributes(responseAttrs(result.messages.at(-1)));
      }),
  };
}

const ops = name === 'raw-span' ? rawSpanOps() : { chat, agent: agentRun };
const run = ops[op];
if (!run) exitWithReason(name, op, 'unknown operation');

// The steps of one agent run, checked once before the counting (the tasks LangGraph's debug stream
// reports, with their step; not through a callback handler, which traceloop's patch would drop in the
// nested runs): model, tools, model (LangGraph's input step, `__start__`, not counted).
if (op === 'agent') {
  const steps = [];
  const stream = await agent.stream(
    { messages: [{ role: 'user', content: PROMPT }] },
    { ...callConfig, streamMode: 'debug' },
  );
  for await (const chunk of stream) {
    if (chunk?.type === 'task' && chunk.payload?.name !== '__start__')
      steps.push(`${chunk.step}:${chunk.payload?.name}`);
  }
  await settled();
  if (steps.length !== AGENT_STEPS)
    exitWithReason(
      name,
      op,
      `an agent run took ${steps.length} LangGraph steps (${steps}), expected ${AGENT_STEPS}`,
    );
}

/** LangChain runs the callbacks of handlers that do not await them in the background: wait for them. */
async function settled() {
  const { awaitAllCallbacks } = require('@langchain/core/callbacks/promises');
  await awaitAllCallbacks();
}

await countCallsInChild({
  name,
  op,
  options,
  traced: config.traced,
  exporter: pipeline?.exporter,
  run,
  settled,
});
