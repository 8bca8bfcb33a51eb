// Child process: one configuration (see configs.mjs), driven by bench/adapters.mjs over IPC.
//
//   argv: <config> <serverURL> <json options>
//   → { type: 'ready', ops: { [op]: { status, spansPerCall, sample, notes, error } }, versions }
//   ← { type: 'run', op, calls, warmup }
//   → { type: 'result', op, cpuUsPerCall, wallUsPerCall, spansPerCall }
//
// CPU time is process.cpuUsage() (user + system, all threads of this process) over a block of
// sequential awaited calls; the scripted server runs in another process, so its CPU does not count.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CONFIGS, createPipeline } from './configs.mjs';
import {
  ANTHROPIC_MODEL,
  OPENAI_MODEL,
  OPERATIONS,
  PROVIDER_OF,
  anthropicParams,
  chatParams,
} from './workload.mjs';

const require = createRequire(import.meta.url);
const [name, serverURL, optionsJSON] = process.argv.slice(2);
const options = JSON.parse(optionsJSON ?? '{}');
const config = CONFIGS[name];
const gc = globalThis.gc ?? (() => {});

// ---- set up: pipeline, instrumentation, clients -------------------------------------------------

const pipeline = config.traced ? createPipeline({ processor: options.processor }) : undefined;
const ctx = {
  provider: pipeline?.provider,
  providers: config.providers,
  peerDefaults: !!options.peerDefaults,
};
const state = config.instrument(ctx);
const loaded = config.loadClients(ctx, state);

const openai = loaded.openai
  ? new loaded.openai.OpenAI({ baseURL: `${serverURL}/v1`, apiKey: 'test-key', maxRetries: 0 })
  : undefined;
const anthropic = loaded.anthropic
  ? new loaded.anthropic.Anthropic({
      baseURL: serverURL,
      apiKey: 'test-key',
      maxRetries: 0,
      // The SDK's own tracing only in the `anthropic-native` row (see configs.mjs).
      ...(config.nativeAnthropicTracing ? {} : { openTelemetry: false }),
    })
  : undefined;

// ---- the consumer code (identical in every configuration) ---------------------------------------

let sink = 0;
function fail(what) {
  throw new Error(`workload check failed: ${what}`);
}

async function chat() {
  const completion = await openai.chat.completions.create(chatParams(false));
  if (!completion.choices[0]?.message?.content || !completion.usage) fail('chat reply');
  sink += completion.usage.total_tokens;
  return completion;
}

async function chatStream(observe) {
  const stream = await openai.chat.completions.create(chatParams(true));
  let text = 0;
  let usage;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content?.length ?? 0;
    if (chunk.usage) usage = chunk.usage;
    observe?.(chunk);
  }
  if (text === 0 || !usage) fail('chat stream (no text or no usage chunk)');
  sink += usage.total_tokens;
}

async function messages() {
  const message = await anthropic.messages.create(anthropicParams(false));
  if (message.content[0]?.type !== 'text' || !message.usage) fail('anthropic reply');
  sink += message.usage.output_tokens;
  return message;
}

async function messagesStream(observe) {
  const stream = await anthropic.messages.create(anthropicParams(true));
  let text = 0;
  let outputTokens = 0;
  for await (const event of stream) {
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
      text += event.delta.text.length;
    else if (event.type === 'message_delta') outputTokens = event.usage.output_tokens;
    observe?.(event);
  }
  if (text === 0 || outputTokens === 0) fail('anthropic stream');
  sink += outputTokens;
}

// ---- raw-span: one hand-written span around the call, key attributes set by hand ----------------

function rawSpanOps() {
  const { SpanKind, SpanStatusCode } = pipeline.api;
  const tracer = state.tracer;
  const server = new URL(serverURL);
  const serverAttrs = { 'server.address': server.hostname, 'server.port': Number(server.port) };
  const inSpan = (provider, model, fn) =>
    tracer.startActiveSpan(
      `chat ${model}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': provider,
          'gen_ai.request.model': model,
          ...serverAttrs,
        },
      },
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
  return {
    chat: () =>
      inSpan('openai', OPENAI_MODEL, async (span) => {
        const c = await chat();
        span.setAttributes({
          'gen_ai.response.id': c.id,
          'gen_ai.response.model': c.model,
          'gen_ai.response.finish_reasons': [c.choices[0].finish_reason],
          'gen_ai.usage.input_tokens': c.usage.prompt_tokens,
          'gen_ai.usage.output_tokens': c.usage.completion_tokens,
        });
      }),
    'chat-stream': () =>
      inSpan('openai', OPENAI_MODEL, async (span) => {
        let id, model, finish, usage;
        await chatStream((chunk) => {
          id ??= chunk.id;
          model ??= chunk.model;
          const reason = chunk.choices[0]?.finish_reason;
          if (reason) finish = reason;
          if (chunk.usage) usage = chunk.usage;
        });
        span.setAttributes({
          'gen_ai.response.id': id,
          'gen_ai.response.model': model,
          'gen_ai.response.finish_reasons': [finish],
          'gen_ai.usage.input_tokens': usage.prompt_tokens,
          'gen_ai.usage.output_tokens': usage.completion_tokens,
        });
      }),
    anthropic: () =>
      inSpan('anthropic', ANTHROPIC_MODEL, async (span) => {
        const m = await messages();
        span.setAttributes({
          'gen_ai.response.id': m.id,
          'gen_ai.response.model': m.model,
          'gen_ai.response.finish_reasons': [m.stop_reason],
          'gen_ai.usage.input_tokens': m.usage.input_tokens,
          'gen_ai.usage.output_tokens': m.usage.output_tokens,
        });
      }),
    'anthropic-stream': () =>
      inSpan('anthropic', ANTHROPIC_MODEL, async (span) => {
        let id, model, stop, input, output;
        await messagesStream((event) => {
          if (event.type === 'message_start') {
            id = event.message.id;
            model = event.message.model;
            input = event.message.usage.input_tokens;
          } else if (event.type === 'message_delta') {
            stop = event.delta.stop_reason;
            output = event.usage.output_tokens;
          }
        });
        span.setAttributes({
          'gen_ai.response.id': id,
          'gen_ai.response.model': model,
          'gen_ai.response.finish_reasons': [stop],
          'gen_ai.usage.input_tokens': input,
          'gen_ai.usage.output_tokens': output,
        });
      }),
  };
}

const ops =
  name === 'raw-span'
    ? rawSpanOps()
    : {
        chat: () => chat(),
        'chat-stream': () => chatStream(),
        anthropic: () => messages(),
        'anthropic-stream': () => messagesStream(),
      };

// ---- verification: does this configuration produce spans for each operation? --------------------

// The spans of the configuration under test: the SDK's native spans for `anthropic-native`, else
// every other span (native ones are disabled there, and would not be credited anyway).
const countNative = config.nativeAnthropicTracing === 'counted';
const spanCount = () => (countNative ? pipeline?.exporter.native : pipeline?.exporter.count) ?? 0;
const lastSpan = () => (countNative ? pipeline?.exporter.lastNative : pipeline?.exporter.last);
const nativeCount = () => pipeline?.exporter.native ?? 0;
async function flush() {
  if (options.processor === 'batch') await pipeline?.provider.forceFlush();
}

function describeSpan(span) {
  if (!span) return undefined;
  const attrs = span.attributes ?? {};
  const keys = Object.keys(attrs);
  const usage = keys.filter((k) => /usage|token_count/i.test(k) && typeof attrs[k] === 'number');
  const pick = (...names) => names.map((n) => attrs[n]).find((v) => typeof v === 'number');
  return {
    name: span.name,
    kind: span.kind,
    scope: span.instrumentationScope?.name ?? span.instrumentationLibrary?.name,
    attributes: keys.length,
    model: attrs['gen_ai.request.model'] ?? attrs['gen_ai.response.model'] ?? attrs['llm.model_name'],
    usage: usage.length,
    inputTokens: pick('gen_ai.usage.input_tokens', 'llm.token_count.prompt'),
    outputTokens: pick('gen_ai.usage.output_tokens', 'llm.token_count.completion'),
    status: span.status?.code,
  };
}

const report = {};
for (const op of options.ops ?? OPERATIONS) {
  const provider = PROVIDER_OF[op];
  const notes = loaded.notes?.[provider] ?? [];
  if (!config.providers.includes(provider)) {
    report[op] = { status: 'n/a', notes };
    continue;
  }
  const before = spanCount();
  const nativeBefore = nativeCount();
  const calls = options.warmup ?? 100;
  try {
    for (let i = 0; i < calls; i++) await ops[op]();
    await flush();
  } catch (err) {
    report[op] = { status: 'error', error: `${err.constructor?.name}: ${err.message}`, notes };
    continue;
  }
  const spansPerCall = (spanCount() - before) / calls;
  const sample = describeSpan(lastSpan());
  const status = !config.traced || spansPerCall > 0 ? 'ok' : 'no-spans';
  const nativePerCall = (nativeCount() - nativeBefore) / calls;
  report[op] = { status, spansPerCall, nativePerCall, sample: spansPerCall > 0 ? sample : undefined, notes };
}

// The installed version of a package whose `exports` map hides package.json.
const version = (id) => {
  try {
    let dir = dirname(require.resolve(id));
    for (;;) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8'));
        if (pkg.name === id) return pkg.version;
      }
      if (dirname(dir) === dir) return undefined;
      dir = dirname(dir);
    }
  } catch {
    return undefined;
  }
};
process.send({
  type: 'ready',
  ops: report,
  nativeSpans: pipeline?.exporter.native ?? 0,
  versions: { node: process.version, openai: version('openai'), anthropic: version('@anthropic-ai/sdk') },
});

// ---- measurement blocks -------------------------------------------------------------------------

process.on('message', async (msg) => {
  if (msg?.type !== 'run') {
    if (msg?.type === 'exit') process.exit(0);
    return;
  }
  const fn = ops[msg.op];
  try {
    for (let i = 0; i < msg.warmup; i++) await fn(); // re-warm after the other children ran
    await flush();
    gc();
    const spans0 = spanCount();
    const native0 = nativeCount();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < msg.calls; i++) await fn();
    await flush();
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - t0;
    process.send({
      type: 'result',
      op: msg.op,
      cpuUsPerCall: (cpu.user + cpu.system) / msg.calls,
      wallUsPerCall: (wall * 1000) / msg.calls,
      spansPerCall: (spanCount() - spans0) / msg.calls,
      nativePerCall: (nativeCount() - native0) / msg.calls,
    });
  } catch (err) {
    process.send({ type: 'result', op: msg.op, error: `${err.constructor?.name}: ${err.message}` });
  }
});
process.on('disconnect', () => process.exit(0));
