// Child process of bench/ai-sdk-instructions.mjs: one configuration of the Vercel AI SDK benchmark
// (ai-sdk-configs.mjs), one operation, no IPC.
//
//   argv: <config> <serverURL> <json options: { op, warmup, settle, count, callgrind }>
//
// Sets up the configuration (the shared OpenTelemetry pipeline of configs.mjs when traced, then the
// integration), runs `warmup` calls, checks them (every call's result; spans: none for `none`, at
// least one per call otherwise), a full GC, `settle` calls, then `count` calls and a full GC with
// callgrind's instrumentation switched on for those alone (`callgrind: true`). Prints one JSON line on
// stdout: `{ "countedSpans": N, "warmupSpansPerCall": x, "spanNames": [...] }` (the spans of one
// call, in export order, each as `name (attribute count)`). A failed check exits with code 2 and
// `agent-otel-bench: <config> <op>: <reason>` on stderr.
//
// Transport: each request is answered in process with the bytes the scripted server sent for the
// same kind of request (recorded at its first occurrence, during the warm-up), so the network's cost
// and noise drop out; `@ai-sdk/openai` still serialises the requests and parses the JSON and SSE.
import { execFile } from 'node:child_process';
import { CONFIGS, INSTRUCTIONS, OPENAI_MODEL, PROMPT, TOOL } from './ai-sdk-configs.mjs';
import { createPipeline } from './configs.mjs';

const [name, serverURL, optionsJSON] = process.argv.slice(2);
const options = JSON.parse(optionsJSON ?? '{}');
const config = CONFIGS[name];
const op = options.op;
const gc = globalThis.gc ?? (() => {});

function exitWith(reason) {
  process.stderr.write(`agent-otel-bench: ${name} ${op}: ${reason}\n`);
  process.exit(2);
}

// ---- set up: pipeline, `ai`, the integration, the provider ---------------------------------------

// The pipeline first, so every integration finds the global tracer provider when it is constructed.
const pipeline = config.traced ? createPipeline({ processor: 'simple' }) : undefined;
const ai = await import('ai');
const { createOpenAI } = await import('@ai-sdk/openai');
const { z } = await import('zod');
const state = await config.setup({ ai, provider: pipeline?.provider });

/** Replies recorded from the scripted server, by the kind of request. */
const replies = new Map();
async function fetch(url, init) {
  const body = typeof init?.body === 'string' ? init.body : '';
  const key =
    `${url} ${body.includes('"stream":true')} ${body.includes('"tools":')} ` + body.includes('"role":"tool"');
  let reply = replies.get(key);
  if (reply === undefined) {
    const response = await globalThis.fetch(url, init);
    reply = { status: response.status, headers: [...response.headers], body: await response.text() };
    replies.set(key, reply);
  }
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}

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
if (!run) exitWith(`unknown operation`);

// ---- warm-up and checks, then the counted calls --------------------------------------------------

const spanCount = () => pipeline?.exporter.count ?? 0;
const warmup = Math.max(1, options.warmup ?? 100);
const before = spanCount();
try {
  for (let i = 0; i < warmup; i++) await run();
} catch (err) {
  exitWith(`${err.constructor?.name}: ${err.message}`);
}
const warmupSpansPerCall = (spanCount() - before) / warmup;
if (!config.traced && warmupSpansPerCall !== 0) exitWith(`${warmupSpansPerCall} spans per call, expected 0`);
if (config.traced && !(warmupSpansPerCall >= 1))
  exitWith(`no-spans (${warmupSpansPerCall} spans per call, expected at least 1)`);

// The names of one call's spans with their attribute counts (the exporter's own `export` wrapped for
// that call only).
const spanNames = [];
if (pipeline) {
  const exporter = pipeline.exporter;
  const original = exporter.export;
  exporter.export = function (spans, done) {
    for (const span of spans) spanNames.push(`${span.name} (${Object.keys(span.attributes).length})`);
    return original.call(this, spans, done);
  };
  await run();
  exporter.export = original;
}

gc();
for (let i = 0; i < (options.settle ?? 0); i++) await run();
const spans0 = spanCount();
if (options.callgrind) await callgrindInstrumentation('on');
for (let i = 0; i < (options.count ?? 0); i++) await run();
gc();
if (options.callgrind) await callgrindInstrumentation('off');
process.stdout.write(
  JSON.stringify({ countedSpans: spanCount() - spans0, warmupSpansPerCall, spanNames }) + '\n',
);
process.exit(0);

/** Switches callgrind's instrumentation of this process on or off; resolves once callgrind confirmed it. */
async function callgrindInstrumentation(to) {
  await new Promise((resolve, reject) =>
    execFile('callgrind_control', ['--instr=' + to, String(process.pid)], (err, stdout) => {
      if (err || !/OK/.test(stdout))
        reject(new Error(`callgrind_control --instr=${to}: ${err?.message ?? stdout}`));
      else resolve();
    }),
  );
}
