// Benchmark: CPU cost of the @agent-otel/openai-agents bridge on the example workflow
// (examples/openai-agents-support: triage with an input guardrail → handoff → billing agent → tool →
// answer; 3 model calls, 12 SDK spans + the trace per run), with the real Runner against the scripted
// model server. The server runs in a child process, so only the agent process's CPU is measured.
//
//   disabled    the Agents SDK's tracing off (setTracingDisabled(true)): no spans at all
//   sdk-only    SDK tracing on, the SDK's own BatchTraceProcessor only (exporter discards)
//   bridge      SDK tracing on, the bridge only (+ its context hook), OTel BatchSpanProcessor
//               with a discarding exporter
//   bridge+sdk  both processors (openAIExporter: 'keep')
//
// All four run in one process, interleaved round by round (order rotated), and are reported as CPU
// per run and per span, and as ratios between variants taken within each round. Build first: `npm run build`, then
//   node bench/openai-agents.mjs        (BENCH_ROUNDS=15 BENCH_RUNS=60 by default)
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { medianRange } from './stats.mjs';

const SPANS_PER_RUN = 13; // task, 2 agents, 3 turns, 3 model calls, guardrail, handoff, tool + trace

if (process.argv[2] === '--server') {
  // Child: the scripted model server, driven by the example's scripted model.
  const { startScriptedServer } = await import('@agent-otel/testing');
  const { scriptedSupportModel } = await import('../examples/openai-agents-support/src/scripted-model.mjs');
  const server = await startScriptedServer();
  server.setDefault(scriptedSupportModel);
  process.on('message', (message) => {
    if (message?.type === 'reset') {
      server.reset();
      server.setDefault(scriptedSupportModel);
      process.send({ type: 'reset' });
    }
  });
  process.on('disconnect', () => server.close().then(() => process.exit(0)));
  process.send({ type: 'ready', openaiBaseURL: server.openaiBaseURL });
} else {
  await main();
}

function agentsVersion() {
  const entry = createRequire(import.meta.url).resolve('@openai/agents');
  let dir = dirname(entry);
  while (!dir.endsWith(join('@openai', 'agents'))) dir = dirname(dir);
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
}

async function main() {
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
  const RUNS = Number(process.env.BENCH_RUNS ?? 60);
  process.env.NODE_ENV = 'production';

  const { context, trace } = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { BatchSpanProcessor, TracerProvider } = await import('@opentelemetry/sdk-trace');
  const { setTracerProvider } = await import('@agent-otel/core');
  const agents = await import('@openai/agents');
  const { default: OpenAI } = await import('openai');
  const { OpenAIAgentsTracingProcessor, OtelTracingContextStorage } =
    await import('@agent-otel/openai-agents');
  const { createSupportAgents } = await import('../examples/openai-agents-support/src/agents.mjs');
  const { AsyncLocalStorage } = await import('node:async_hooks');

  const child = fork(fileURLToPath(import.meta.url), ['--server'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise((resolve) => child.once('message', resolve));
  const resetServer = () =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send({ type: 'reset' });
    });

  // OTel: a real SDK pipeline whose exporter discards (the cost measured is producing spans).
  let exported = 0;
  const discard = {
    export: (spans, done) => {
      exported += spans.length;
      done({ code: 0 });
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  };
  const provider = new TracerProvider({
    spanProcessors: [new BatchSpanProcessor({ exporter: discard, maxQueueSize: 65_536 })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  setTracerProvider(provider);

  // The SDK: the real Runner, its default OpenAI model, pointed at the scripted server.
  agents.setDefaultOpenAIClient(
    new OpenAI({ baseURL: ready.openaiBaseURL, apiKey: 'sk-bench', maxRetries: 0 }),
  );
  agents.setOpenAIAPI('responses');
  const sdkProcessor = new agents.BatchTraceProcessor({ export: async () => {} });
  const bridge = new OpenAIAgentsTracingProcessor();
  const sdkStorage = new AsyncLocalStorage();
  const bridgeStorage = new OtelTracingContextStorage(sdkStorage, bridge);
  const { triage } = createSupportAgents();
  const runner = new agents.Runner({ workflowName: 'customer-support', groupId: 'ticket-1234' });

  const variants = {
    disabled: { tracing: false, processors: [], storage: sdkStorage },
    'sdk-only': { tracing: true, processors: [sdkProcessor], storage: sdkStorage },
    bridge: { tracing: true, processors: [bridge], storage: bridgeStorage },
    'bridge+sdk': { tracing: true, processors: [bridge, sdkProcessor], storage: bridgeStorage },
  };

  function use(name) {
    const variant = variants[name];
    agents.setTracingDisabled(!variant.tracing);
    agents.setTraceProcessors(variant.processors);
    agents.setTracingContextStorage(variant.storage);
  }

  async function runOnce() {
    const result = await runner.run(triage, 'What is the status of invoice INV-1001?');
    if (!String(result.finalOutput).includes('INV-1001'))
      throw new Error(`unexpected answer: ${result.finalOutput}`);
  }

  async function measure(name) {
    use(name);
    for (let i = 0; i < 3; i += 1) await runOnce(); // warm this variant's code path
    await resetServer();
    const start = process.cpuUsage();
    for (let i = 0; i < RUNS; i += 1) await runOnce();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / RUNS; // µs per run
  }

  // Sanity check: one bridge run exports one span per SDK span and the trace.
  use('bridge');
  await provider.forceFlush();
  exported = 0;
  await runOnce();
  await provider.forceFlush();
  if (exported !== SPANS_PER_RUN)
    throw new Error(`a bridge run exported ${exported} spans, not ${SPANS_PER_RUN}`);

  for (const name of Object.keys(variants)) await measure(name); // warm everything once
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) samples[name].push(await measure(name));
  }
  await provider.forceFlush();

  // Ratios and per-span costs are taken within each round (the variants of a round run back to back,
  // so machine load drifts less between them) and reported as the median over rounds.
  const perRound = (fn) =>
    samples.disabled.map((_, round) => fn(Object.fromEntries(names.map((n) => [n, samples[n][round]]))));
  const ratio = (a, b) => perRound((r) => r[a] / r[b]);
  const perSpan = (name) => perRound((r) => (r[name] - r.disabled) / SPANS_PER_RUN);

  const lines = [
    `node ${process.version}, @openai/agents ${agentsVersion()}, ${ROUNDS} rounds x ${RUNS} runs per variant, ` +
      `${SPANS_PER_RUN} spans per run; CPU of the agent process (user+system)`,
    '',
    '| variant | CPU µs/run, median (min–max) | tracing CPU µs/span vs disabled, median (min–max) |',
    '| --- | --- | --- |',
    ...names.map(
      (name) =>
        `| ${name} | ${medianRange(samples[name])} | ${name === 'disabled' ? '—' : medianRange(perSpan(name), 1)} |`,
    ),
    '',
    '| ratio (per round, median (min–max)) | CPU per run |',
    '| --- | --- |',
    `| bridge / disabled | ${medianRange(ratio('bridge', 'disabled'), 3)} |`,
    `| sdk-only / disabled | ${medianRange(ratio('sdk-only', 'disabled'), 3)} |`,
    `| bridge / sdk-only | ${medianRange(ratio('bridge', 'sdk-only'), 3)} |`,
    `| bridge+sdk / sdk-only | ${medianRange(ratio('bridge+sdk', 'sdk-only'), 3)} |`,
    '',
    `bridge tracing cost per span minus the SDK processor's: ${medianRange(
      perRound((r) => (r.bridge - r['sdk-only']) / SPANS_PER_RUN),
      1,
    )} µs`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await provider.shutdown();
  await sdkProcessor.shutdown();
  child.disconnect();
}
