// Child process: one configuration (see configs.mjs), driven by bench/adapters.mjs (CPU) and
// bench/adapters-heap.mjs (heap) over IPC.
//
//   argv: <config> <serverURL> <json options>
//   → { type: 'ready', ops: { [op]: { status, spansPerCall, sample, notes, error } }, versions }
//   ← { type: 'run', op, calls, warmup }
//   → { type: 'result', op, cpuUsPerCall, userUsPerCall, systemUsPerCall, mainThreadUsPerCall,
//       wallUsPerCall, spansPerCall }
//   ← { type: 'heap', op, calls, warmup, metric: 'allocated' | 'old-space' }
//   → { type: 'heap', op, bytesPerCall, gcInBlock }
//   or, with `count` in the options (bench/adapters-instructions.mjs): no IPC, warm up, full GC,
//   `settle` calls, then `count` calls of the first operation counted by callgrind, print
//   `{ countedSpans }` (spans exported by the counted calls) on stdout, exit.
//
// CPU time is process.cpuUsage() (user + system, all threads of this process) over a block of
// sequential awaited calls; the scripted server runs in another process, so its CPU does not count.
// The result also splits it into user and system time, and gives the main thread's own CPU time
// (`process.threadCpuUsage()`, in Node 22 and 24), which leaves out V8's background threads (concurrent
// compilation and marking).
import { execFile } from 'node:child_process';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { CONFIGS, createPipeline, installedVersion as version } from './configs.mjs';
import {
  ANTHROPIC_MODEL,
  OPENAI_MODEL,
  OPERATIONS,
  PROVIDER_OF,
  anthropicParams,
  chatParams,
} from './workload.mjs';

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

// `--transport memory`: each request is answered in process with the bytes the scripted server sent
// for it (recorded once here), so the network stack's cost and noise drop out of every configuration
// alike; the clients still serialise requests and parse JSON / SSE responses as usual.
const fetch = options.transport === 'memory' ? await recordedFetch() : undefined;

async function recordedFetch() {
  const record = async (path, body) => {
    const response = await globalThis.fetch(serverURL + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: [...response.headers], body: await response.text() };
  };
  const replies = {
    chat: await record('/v1/chat/completions', chatParams(false)),
    'chat-stream': await record('/v1/chat/completions', chatParams(true)),
    anthropic: await record('/v1/messages', anthropicParams(false)),
    'anthropic-stream': await record('/v1/messages', anthropicParams(true)),
  };
  return async (url, init) => {
    const stream = typeof init?.body === 'string' && init.body.includes('"stream":true');
    const anthropicCall = String(url).endsWith('/v1/messages');
    const reply = replies[(anthropicCall ? 'anthropic' : 'chat') + (stream ? '-stream' : '')];
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  };
}

const openai = loaded.openai
  ? new loaded.openai.OpenAI({ baseURL: `${serverURL}/v1`, apiKey: 'test-key', maxRetries: 0, fetch })
  : undefined;
const anthropic = loaded.anthropic
  ? new loaded.anthropic.Anthropic({
      baseURL: serverURL,
      apiKey: 'test-key',
      maxRetries: 0,
      fetch,
      // The SDK's own tracing only in the `anthropic-native` row (see configs.mjs).
      ...(config.nativeAnthropicTracing ? {} : { openTelemetry: false }),
    })
  : undefined;

// ---- the consumer code (identical in every configuration) ---------------------------------------

// Every call adds to it, so no result is unused.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
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

// `open` (raw-span-wrap only) makes the request and returns the SDK's stream in its own way; the
// loop over the stream is the same code in every configuration.
async function chatStream(observe, open) {
  const stream = await (open ? open() : openai.chat.completions.create(chatParams(true)));
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

async function messagesStream(observe, open) {
  const stream = await (open ? open() : anthropic.messages.create(anthropicParams(true)));
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
// `raw-span` records the 10 key attributes; `raw-span-full` records the same attributes as
// agent-otel's span for that operation (what a user would write by hand to get the same span),
// including the time to first chunk, cache/reasoning token counts and a cost from a price constant.
// `raw-span-wrap` records raw-span-full's attributes; on streams it does what a transparent
// instrumentation must do (see wrapStreamIterator) instead of reading the items in the caller's loop.

// List prices per million tokens (input, cached input, cache write, output) for the cost attribute.
const PRICE = {
  openai: { input: 0.15, cacheRead: 0.075, output: 0.6 },
  anthropic: { input: 3, cacheRead: 0.3, cacheWrite: 3.75, output: 15 },
};
const costOf = (provider, input, cacheRead, cacheWrite, output) => {
  const p = PRICE[provider];
  const uncached = Math.max(0, input - cacheRead - cacheWrite);
  const dollars =
    (uncached * p.input +
      cacheRead * p.cacheRead +
      cacheWrite * (p.cacheWrite ?? p.input) +
      output * p.output) /
    1e6;
  return Math.round(dollars * 1e9) / 1e9;
};
const ANTHROPIC_FINISH = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_call',
};

function rawSpanOps(full, wrap = false) {
  const { SpanKind, SpanStatusCode, context, trace } = pipeline.api;
  const tracer = state.tracer;
  const server = new URL(serverURL);
  const serverAttrs = { 'server.address': server.hostname, 'server.port': Number(server.port) };
  const requestAttrs = (provider, model, stream) =>
    full
      ? {
          'agent_otel.span.kind': 'generation',
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': provider,
          'gen_ai.request.model': model,
          ...serverAttrs,
          'gen_ai.request.max_tokens': 256,
          'gen_ai.request.temperature': 0.2,
          ...(stream ? { 'gen_ai.request.stream': true } : {}),
          ...(provider === 'openai' ? { 'openai.api.type': 'chat_completions' } : {}),
        }
      : {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': provider,
          'gen_ai.request.model': model,
          ...serverAttrs,
        };
  const inSpan = (provider, model, stream, fn) =>
    tracer.startActiveSpan(
      `chat ${model}`,
      { kind: SpanKind.CLIENT, attributes: requestAttrs(provider, model, stream) },
      async (span) => {
        try {
          return await fn(span, performance.now());
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
  const ttfc = (startedAt) => (performance.now() - startedAt) / 1000;
  const openaiUsage = (usage) =>
    full
      ? {
          'gen_ai.usage.input_tokens': usage.prompt_tokens,
          'gen_ai.usage.output_tokens': usage.completion_tokens,
          'gen_ai.usage.cache_read.input_tokens': usage.prompt_tokens_details?.cached_tokens,
          'gen_ai.usage.reasoning.output_tokens': usage.completion_tokens_details?.reasoning_tokens,
          'agent_otel.cost.usd': costOf(
            'openai',
            usage.prompt_tokens,
            usage.prompt_tokens_details?.cached_tokens ?? 0,
            0,
            usage.completion_tokens,
          ),
        }
      : {
          'gen_ai.usage.input_tokens': usage.prompt_tokens,
          'gen_ai.usage.output_tokens': usage.completion_tokens,
        };
  const anthropicUsage = (usage, output) => {
    const read = usage.cache_read_input_tokens ?? 0;
    const write = usage.cache_creation_input_tokens ?? 0;
    // Anthropic's input_tokens exclude cached tokens; semconv's input tokens include them.
    const input = usage.input_tokens + read + write;
    return full
      ? {
          'gen_ai.usage.input_tokens': input,
          'gen_ai.usage.output_tokens': output,
          'gen_ai.usage.cache_read.input_tokens': read,
          'gen_ai.usage.cache_write.input_tokens': write,
          'agent_otel.cost.usd': costOf('anthropic', input, read, write, output),
        }
      : { 'gen_ai.usage.input_tokens': usage.input_tokens, 'gen_ai.usage.output_tokens': output };
  };
  const anthropicFinish = (reason) => (full ? (ANTHROPIC_FINISH[reason] ?? reason) : reason);
  const recordError = (span, err) => {
    span.recordException(err);
    span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    span.setAttribute('error.type', err.constructor?.name ?? '_OTHER');
  };

  // raw-span-wrap on streams: the span is started around the request (active while it is made), and
  // the caller gets the SDK's own stream object back, its `[Symbol.asyncIterator]` replaced on the
  // instance by one wrapper: an iterator object whose `next` chains one reaction onto the SDK
  // iterator's promise to read the item (the cheapest way to see the items of an async iterator
  // without the caller's help; an async generator around it costs more per item). The span ends
  // once, when the iteration ends: done, an error, or `return()` (a `break` in the caller's loop).
  const openWrapped = async (provider, model, create, reader) => {
    const span = tracer.startSpan(`chat ${model}`, {
      kind: SpanKind.CLIENT,
      attributes: requestAttrs(provider, model, true),
    });
    const startedAt = performance.now();
    let stream;
    try {
      stream = await context.with(trace.setSpan(context.active(), span), create);
    } catch (err) {
      recordError(span, err);
      span.end();
      throw err;
    }
    wrapStreamIterator(stream, span, reader(startedAt));
    return stream;
  };
  const wrapStreamIterator = (stream, span, reader) => {
    const iterate = stream[Symbol.asyncIterator];
    stream[Symbol.asyncIterator] = function () {
      const source = iterate.call(this);
      let open = true;
      const end = () => {
        if (!open) return;
        open = false;
        span.setAttributes(reader.attributes());
        span.end();
      };
      const onStep = (step) => {
        if (step.done) end();
        else reader.item(step.value);
        return step;
      };
      const onError = (err) => {
        recordError(span, err);
        end();
        throw err;
      };
      return {
        next: () => source.next().then(onStep, onError),
        return(value) {
          end();
          return typeof source.return === 'function'
            ? source.return(value)
            : Promise.resolve({ done: true, value });
        },
        throw(err) {
          end();
          return typeof source.throw === 'function' ? source.throw(err) : Promise.reject(err);
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    };
  };
  // The per-item reads and response attributes of raw-span-full's stream spans, as readers.
  const chatStreamReader = (startedAt) => {
    let id, model, finish, usage, tier, first;
    return {
      item(chunk) {
        if (first === undefined) first = ttfc(startedAt);
        id ??= chunk.id;
        model ??= chunk.model;
        tier ??= chunk.service_tier;
        const reason = chunk.choices[0]?.finish_reason;
        if (reason) finish = reason;
        if (chunk.usage) usage = chunk.usage;
      },
      attributes: () => ({
        'gen_ai.response.id': id,
        'gen_ai.response.model': model,
        'gen_ai.response.finish_reasons': [finish],
        'gen_ai.response.time_to_first_chunk': first,
        ...openaiUsage(usage),
        ...(tier ? { 'openai.response.service_tier': tier } : {}),
      }),
    };
  };
  const messagesStreamReader = (startedAt) => {
    let id, model, stop, usage, output, first;
    return {
      item(event) {
        if (first === undefined) first = ttfc(startedAt);
        if (event.type === 'message_start') {
          id = event.message.id;
          model = event.message.model;
          usage = event.message.usage;
        } else if (event.type === 'message_delta') {
          stop = event.delta.stop_reason;
          output = event.usage.output_tokens;
        }
      },
      attributes: () => ({
        'gen_ai.response.id': id,
        'gen_ai.response.model': model,
        'gen_ai.response.finish_reasons': [anthropicFinish(stop)],
        'gen_ai.response.time_to_first_chunk': first,
        ...anthropicUsage(usage, output),
      }),
    };
  };
  const wrappedStreamOps = {
    'chat-stream': () =>
      chatStream(undefined, () =>
        openWrapped(
          'openai',
          OPENAI_MODEL,
          () => openai.chat.completions.create(chatParams(true)),
          chatStreamReader,
        ),
      ),
    'anthropic-stream': () =>
      messagesStream(undefined, () =>
        openWrapped(
          'anthropic',
          ANTHROPIC_MODEL,
          () => anthropic.messages.create(anthropicParams(true)),
          messagesStreamReader,
        ),
      ),
  };
  return {
    chat: () =>
      inSpan('openai', OPENAI_MODEL, false, async (span) => {
        const c = await chat();
        span.setAttributes({
          'gen_ai.response.id': c.id,
          'gen_ai.response.model': c.model,
          'gen_ai.response.finish_reasons': [c.choices[0].finish_reason],
          ...openaiUsage(c.usage),
          ...(full && c.service_tier ? { 'openai.response.service_tier': c.service_tier } : {}),
        });
      }),
    'chat-stream': () =>
      inSpan('openai', OPENAI_MODEL, true, async (span, startedAt) => {
        let id, model, finish, usage, tier, first;
        await chatStream((chunk) => {
          if (full && first === undefined) first = ttfc(startedAt);
          id ??= chunk.id;
          model ??= chunk.model;
          tier ??= chunk.service_tier;
          const reason = chunk.choices[0]?.finish_reason;
          if (reason) finish = reason;
          if (chunk.usage) usage = chunk.usage;
        });
        span.setAttributes({
          'gen_ai.response.id': id,
          'gen_ai.response.model': model,
          'gen_ai.response.finish_reasons': [finish],
          ...(full ? { 'gen_ai.response.time_to_first_chunk': first } : {}),
          ...openaiUsage(usage),
          ...(full && tier ? { 'openai.response.service_tier': tier } : {}),
        });
      }),
    anthropic: () =>
      inSpan('anthropic', ANTHROPIC_MODEL, false, async (span) => {
        const m = await messages();
        span.setAttributes({
          'gen_ai.response.id': m.id,
          'gen_ai.response.model': m.model,
          'gen_ai.response.finish_reasons': [anthropicFinish(m.stop_reason)],
          ...anthropicUsage(m.usage, m.usage.output_tokens),
        });
      }),
    'anthropic-stream': () =>
      inSpan('anthropic', ANTHROPIC_MODEL, true, async (span, startedAt) => {
        let id, model, stop, usage, output, first;
        await messagesStream((event) => {
          if (full && first === undefined) first = ttfc(startedAt);
          if (event.type === 'message_start') {
            id = event.message.id;
            model = event.message.model;
            usage = event.message.usage;
          } else if (event.type === 'message_delta') {
            stop = event.delta.stop_reason;
            output = event.usage.output_tokens;
          }
        });
        span.setAttributes({
          'gen_ai.response.id': id,
          'gen_ai.response.model': model,
          'gen_ai.response.finish_reasons': [anthropicFinish(stop)],
          ...(full ? { 'gen_ai.response.time_to_first_chunk': first } : {}),
          ...anthropicUsage(usage, output),
        });
      }),
    ...(wrap ? wrappedStreamOps : {}),
  };
}

const ops =
  name === 'raw-span' || name === 'raw-span-full' || name === 'raw-span-wrap'
    ? rawSpanOps(name !== 'raw-span', name === 'raw-span-wrap')
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
  // `spans: false` (agent-otel-disabled): tracing is off, so a span would be the failure.
  const status =
    config.spans === false
      ? spansPerCall === 0
        ? 'ok'
        : 'unexpected-spans'
      : !config.traced || spansPerCall > 0
        ? 'ok'
        : 'no-spans';
  const nativePerCall = (nativeCount() - nativeBefore) / calls;
  report[op] = { status, spansPerCall, nativePerCall, sample: spansPerCall > 0 ? sample : undefined, notes };
}

// Standalone (bench/adapters-instructions.mjs, under valgrind's callgrind): after the warm-up above,
// a full GC, `settle` calls (V8 re-optimises what the GC deoptimised, and functions still tiering up
// get there), then `count` calls and a full GC (collecting what the calls left behind) with
// callgrind's instrumentation switched on (`callgrind: true`) for those alone. The caller compares
// two values of `count`; the difference is what the extra calls cost.
if (options.count !== undefined) {
  const op = (options.ops ?? OPERATIONS)[0];
  if (report[op].status !== 'ok') {
    process.stderr.write(`agent-otel-bench: ${name} ${op}: ${report[op].status} ${report[op].error ?? ''}\n`);
    process.exit(2);
  }
  gc();
  for (let i = 0; i < (options.settle ?? 0); i++) await ops[op]();
  const spans0 = spanCount();
  if (options.callgrind) await callgrindInstrumentation('on');
  for (let i = 0; i < options.count; i++) await ops[op]();
  await flush();
  gc();
  if (options.callgrind) await callgrindInstrumentation('off');
  // The spans of the counted calls, so the caller can check that every one was traced (or none).
  process.stdout.write(JSON.stringify({ countedSpans: spanCount() - spans0 }) + '\n');
  process.exit(0);
}

/** Switches callgrind's instrumentation of this process on or off; resolves once callgrind confirmed it. */
async function callgrindInstrumentation(state) {
  await new Promise((resolve, reject) =>
    execFile('callgrind_control', ['--instr=' + state, String(process.pid)], (err, stdout) => {
      if (err || !/OK/.test(stdout))
        reject(new Error(`callgrind_control --instr=${state}: ${err?.message ?? stdout}`));
      else resolve();
    }),
  );
}

process.send({
  type: 'ready',
  ops: report,
  nativeSpans: pipeline?.exporter.native ?? 0,
  versions: { node: process.version, openai: version('openai'), anthropic: version('@anthropic-ai/sdk') },
});

// ---- measurement blocks -------------------------------------------------------------------------

// `heap` blocks (bench/adapters-heap.mjs): bytes allocated per call, in a child whose young generation
// is larger than the block allocates (no GC inside the block), or old-space growth per call (what
// survived young-generation GCs), in a child with a small young generation. A block during which a
// GC of the kind that would distort the figure ran is reported as `gcInBlock` and not used.
const GC_MINOR = 1; // PerformanceEntry detail.kind: NODE_PERFORMANCE_GC_MINOR
const gcs = []; // { start, minor } of every GC since the first heap block
let gcObserver; // started by the first heap block only, so CPU blocks run without it
function observeGcs() {
  if (gcObserver) return;
  gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      gcs.push({ start: entry.startTime, minor: entry.detail?.kind === GC_MINOR });
  });
  gcObserver.observe({ entryTypes: ['gc'] });
}
const oldSpaceUsed = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_used_size;
const settle = () => new Promise((resolve) => setTimeout(resolve, 20)); // GC entries arrive asynchronously

async function heapBlock(fn, { calls, warmup, metric }) {
  observeGcs();
  for (let i = 0; i < warmup; i++) await fn();
  gc();
  await settle();
  const t0 = performance.now();
  const before = metric === 'allocated' ? getHeapStatistics().used_heap_size : oldSpaceUsed();
  for (let i = 0; i < calls; i++) await fn();
  const after = metric === 'allocated' ? getHeapStatistics().used_heap_size : oldSpaceUsed();
  const t1 = performance.now();
  await settle();
  const inBlock = gcs.filter((g) => g.start >= t0 && g.start <= t1);
  gcs.length = 0;
  const gcInBlock = metric === 'allocated' ? inBlock.length > 0 : inBlock.some((g) => !g.minor);
  return { bytesPerCall: (after - before) / calls, gcInBlock };
}

/** CPU time of the main thread alone; `undefined` on a Node without `process.threadCpuUsage`. */
function threadCpuUsage(previous) {
  return typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage(previous) : undefined;
}

process.on('message', async (msg) => {
  if (msg?.type === 'heap') {
    try {
      process.send({ type: 'heap', op: msg.op, ...(await heapBlock(ops[msg.op], msg)) });
    } catch (err) {
      process.send({ type: 'heap', op: msg.op, error: `${err.constructor?.name}: ${err.message}` });
    }
    return;
  }
  if (msg?.type !== 'run') {
    if (msg?.type === 'exit') process.exit(0);
    return;
  }
  const fn = ops[msg.op];
  try {
    // `gc`: 'block' collects right before the measured calls (so they pay for what a full GC undoes:
    // code deoptimised by cleared maps, re-learned inline caches, sweeping), 'settled' collects
    // before the unmeasured calls, 'natural' never forces one.
    if (msg.gc === 'settled') gc();
    for (let i = 0; i < msg.warmup; i++) await fn(); // re-warm after the other children ran
    await flush();
    if (msg.gc === 'block') gc();
    const spans0 = spanCount();
    const native0 = nativeCount();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const thread0 = threadCpuUsage();
    for (let i = 0; i < msg.calls; i++) await fn();
    await flush();
    const cpu = process.cpuUsage(cpu0);
    const thread = threadCpuUsage(thread0);
    const wall = performance.now() - t0;
    process.send({
      type: 'result',
      op: msg.op,
      cpuUsPerCall: (cpu.user + cpu.system) / msg.calls,
      userUsPerCall: cpu.user / msg.calls,
      systemUsPerCall: cpu.system / msg.calls,
      mainThreadUsPerCall: thread && (thread.user + thread.system) / msg.calls,
      wallUsPerCall: (wall * 1000) / msg.calls,
      spansPerCall: (spanCount() - spans0) / msg.calls,
      nativePerCall: (nativeCount() - native0) / msg.calls,
    });
  } catch (err) {
    process.send({ type: 'result', op: msg.op, error: `${err.constructor?.name}: ${err.message}` });
  }
});
process.on('disconnect', () => process.exit(0));
