// Export throughput and memory of @agent-otel/node's OTLP pipeline (register() → batch span
// processor → OTLP http/protobuf). Not a test: it prints figures (markdown on stdout).
//
// Export (`--only export`), against a real Jaeger on 127.0.0.1:
//   steady    5,000 spans/s for 20 s with the default batch settings (the spec's: queue 2048,
//             batch 512, delay 5 s): spans dropped (target 0)
//   sweep     steady 10k, 20k, 30k … spans/s, 5 s each, twice per rate, with the default settings
//             and with queue 8192 / batch 2048 (what the node README suggests for bursts): the
//             highest rate with 0 drops in every repetition is the sustained export throughput
//             (target ≥ 20,000 spans/s)
//   flat-out  the app ends spans as fast as it can for 5 s, on the thread that also serialises
//             the exports: spans exported per second; the rest is dropped on the full queue
// Memory during a collector outage (`--only outage`), no collector at all (connections refused):
//   down      1,000 warm-up spans and a full GC, then 1,000,000 spans ended flat out, then a full
//             GC: heap used after a full GC at start and end (target: grows < 16 MB) and RSS growth,
//             peak − start (target ≤ 1.1 × the OTel SDK's own default pipeline, run by the same loop
//             with the same Node flags in the same run), spans dropped. Each pipeline (OUTAGE_PIPELINES)
//             `--runs` times, each run in its own child, interleaved; medians and spread.
//
// Every measurement with a collector gets a Jaeger of its own (see withCollector).
//
// Spans: traces of 10 (a root and 9 `chat` children with 10 GenAI attributes each), ended through
// @opentelemetry/api; drops are read from the processor's diag reports. Each measurement runs in its
// own child process (register() once per process).
//
// Run from the repository root after `npm run build`:  npx node bench/throughput.mjs [--help]
// Jaeger is built/started by scripts/jaeger/ (cached build); AGENT_OTEL_BENCH_OTLP_URL uses a
// running collector instead.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median, medianRange } from './stats.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STEADY_RATE = 5000;
const STEADY_SECONDS = Number(process.env.STEADY_SECONDS ?? 20);
const SWEEP_RATES = [10_000, 20_000, 30_000, 40_000, 60_000];
const SWEEP_SECONDS = Number(process.env.SWEEP_SECONDS ?? 5);
const SWEEP_REPS = Number(process.env.SWEEP_REPS ?? 2);
const DOWN_SPANS = Number(process.env.DOWN_SPANS ?? 1_000_000);
const TRACE_SIZE = 10;

// ---------------------------------------------------------------- child: one measurement

/** What an app gets from `register()`: our batch processor and OTLP exporter, configured from `OTEL_*`. */
async function agentOtelPipeline() {
  const { register } = await import('@agent-otel/node');
  return register({ instrumentations: false, shutdownTimeoutMillis: 30_000 });
}

/**
 * The control for the memory figures: the OpenTelemetry SDK's own pipeline without agent-otel — its
 * `BatchSpanProcessor` with the spec's defaults (queue 2048, batch 512) and its OTLP http/protobuf
 * exporter, reading the same `OTEL_EXPORTER_OTLP_ENDPOINT`. It reports no drop counts, so the
 * spans it exported are counted here.
 */
async function plainSdkPipeline() {
  const api = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { TracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  const exporter = new OTLPTraceExporter();
  const exported = { spans: 0 };
  const countingExporter = {
    export: (spans, resultCallback) =>
      exporter.export(spans, (result) => {
        if (result.code === 0) exported.spans += spans.length; // ExportResultCode.SUCCESS
        resultCallback(result);
      }),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush(),
  };
  const processor = new BatchSpanProcessor({ exporter: countingExporter });
  const provider = new TracerProvider({ spanProcessors: [processor] });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.trace.setGlobalTracerProvider(provider);
  return { forceFlush: () => provider.forceFlush(), shutdown: () => provider.shutdown(), exported };
}

/** Spans ended before the collector-down measurement starts (fewer than any queue holds). */
const DOWN_WARMUP_SPANS = 1000;

/**
 * The collector-down measurement, in a child started with --expose-gc: warm up (JIT, the first
 * refused connection), a full GC, then `settings.spans` spans ended flat out, RSS sampled every
 * 50,000 spans, and a full GC at the end. Heap used after a full GC at start and end shows what the
 * pipeline retains; RSS growth (peak − start) is what the process costs the host meanwhile.
 */
async function downRun(settings, { endSpans, tick, sleep, mb }) {
  const { getHeapSpaceStatistics } = await import('node:v8');
  const fullGc = () => {
    // Twice: the first collection's finalizers and weak references free more on the second.
    globalThis.gc();
    globalThis.gc();
  };
  endSpans(DOWN_WARMUP_SPANS);
  await sleep(500);
  fullGc();
  const heapStart = process.memoryUsage().heapUsed;
  const rssStart = process.memoryUsage().rss;
  let made = 0;
  let rssPeak = rssStart;
  const samples = [];
  let nextSample = 50_000;
  const started = performance.now();
  while (made < settings.spans) {
    endSpans(1000);
    made += 1000;
    await tick(); // the exporter's I/O runs between chunks, as it would between an app's awaits
    if (made >= nextSample) {
      nextSample += 50_000;
      const rss = process.memoryUsage().rss;
      rssPeak = Math.max(rssPeak, rss);
      samples.push(mb(rss - rssStart));
    }
  }
  const seconds = (performance.now() - started) / 1000;
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  fullGc();
  const end = process.memoryUsage();
  const space = (name) => getHeapSpaceStatistics().find((s) => s.space_name === name);
  return {
    made: DOWN_WARMUP_SPANS + made,
    loopSeconds: Math.round(seconds * 100) / 100,
    heapStartMb: mb(heapStart),
    heapEndMb: mb(end.heapUsed),
    heapGrowthMb: mb(end.heapUsed - heapStart),
    rssStartMb: mb(rssStart),
    rssGrowthMb: mb(rssPeak - rssStart),
    rssAfterGcGrowthMb: mb(end.rss - rssStart),
    newSpaceMb: mb(space('new_space')?.space_size ?? 0),
    oldSpaceMb: mb(space('old_space')?.space_size ?? 0),
    externalMb: mb(end.external),
    arrayBuffersMb: mb(end.arrayBuffers),
    samplesMb: samples,
  };
}

async function measure(mode, settings) {
  const { diag, DiagLogLevel, trace, SpanKind } = await import('@opentelemetry/api');
  const warnings = [];
  const capture = (message) => warnings.push(message);
  // Set before register(), which keeps an existing logger: the drop reports are read from here.
  diag.setLogger(
    { error: capture, warn: capture, info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const handle = settings.pipeline === 'sdk' ? await plainSdkPipeline() : await agentOtelPipeline();
  const tracer = trace.getTracer('bench');
  const attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.response.id': 'chatcmpl-0123456789',
    'gen_ai.usage.input_tokens': 142,
    'gen_ai.usage.output_tokens': 19,
    'gen_ai.response.finish_reasons': ['stop'],
    'server.address': 'api.openai.com',
    'server.port': 443,
  };
  const endSpans = (count) => {
    for (let made = 0; made < count; made += TRACE_SIZE) {
      tracer.startActiveSpan(
        'invoke_agent bench',
        { attributes: { 'gen_ai.agent.name': 'bench' } },
        (root) => {
          for (let i = 1; i < TRACE_SIZE; i++) {
            tracer.startSpan('chat gpt-4o-mini', { kind: SpanKind.CLIENT, attributes }).end();
          }
          root.end();
        },
      );
    }
  };
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

  // Warm-up below the queue size (first connection, serializer, JIT). With the collector down there
  // is nothing to warm up, and every span counts.
  let made = 0;
  if (mode !== 'down') {
    endSpans(1000);
    await handle.forceFlush();
    await sleep(100);
  }
  const warmupWarnings = warnings.length;
  const result = { mode };
  const started = performance.now();
  const cpuStart = process.cpuUsage();

  if (mode === 'rate') {
    // Every 10 ms, end the spans due by then.
    while (performance.now() - started < settings.seconds * 1000) {
      const due = Math.floor(((performance.now() - started) / 1000) * settings.rate);
      if (due > made) {
        const count = Math.ceil((due - made) / TRACE_SIZE) * TRACE_SIZE;
        endSpans(count);
        made += count;
      }
      await sleep(10);
    }
  } else if (mode === 'flat-out') {
    while (performance.now() - started < settings.seconds * 1000) {
      endSpans(1000);
      made += 1000;
      await tick(); // the exporter's I/O runs between chunks, as it would between an app's awaits
    }
  } else if (mode === 'down') {
    Object.assign(result, await downRun(settings, { endSpans, tick, sleep, mb }));
    made = result.made;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  // The OTel SDK's own pipeline rejects these with the export error while the collector is down.
  const failedExport = (error) => warnings.push(`export error: ${error?.message ?? error}`);
  await handle.forceFlush().catch(failedExport);
  const flushedSeconds = (performance.now() - started) / 1000;
  await handle.shutdown().catch(failedExport); // ours reports an outage still open, with its count
  const counted = warnings.slice(warmupWarnings);
  // Ours reports its drops; the SDK's does not, so there every span not exported counts as dropped.
  const dropped = handle.exported
    ? Math.max(0, made - handle.exported.spans)
    : counted.reduce((sum, w) => sum + Number(/(\d+) spans were dropped/.exec(w)?.[1] ?? 0), 0);
  Object.assign(result, {
    made,
    dropped,
    seconds: Math.round(seconds * 100) / 100,
    rate: Math.round(made / seconds),
    exportedPerSecond: Math.round((made - dropped) / flushedSeconds),
    cpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 100),
    outageWarnings: counted.filter((w) => w.includes('dropping spans:')).length,
    otherWarnings: counted.filter((w) => !w.includes('dropping spans:') && !w.includes('spans were dropped')),
  });
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

// ---------------------------------------------------------------- parent: Jaeger and runs

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startJaeger(state) {
  return async () => {
    const ports = new Set();
    while (ports.size < 3) ports.add(await freePort());
    const [otlp, query, grpc] = [...ports];
    const output = execFileSync('bash', [join(ROOT, 'scripts/jaeger/start.sh')], {
      env: {
        ...process.env,
        JAEGER_OTLP_HTTP_PORT: String(otlp),
        JAEGER_QUERY_HTTP_PORT: String(query),
        JAEGER_QUERY_GRPC_PORT: String(grpc),
        AGENT_OTEL_JAEGER_STATE: state,
        AGENT_OTEL_JAEGER_WATCH_PID: String(process.pid),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    }).toString();
    return /JAEGER_OTLP_URL=(\S+)/.exec(output)[1];
  };
}

function run(mode, settings, env, nodeFlags = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...nodeFlags,
        '--expose-gc',
        fileURLToPath(import.meta.url),
        `--measure=${mode}`,
        JSON.stringify(settings),
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          OTEL_SERVICE_NAME: `bench-${mode}`,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`${mode} failed (exit ${code}):\n${out}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)));
    });
  });
}

const n = (value) => Math.round(value).toLocaleString('en');

/**
 * Runs `fn(otlpUrl)` against a Jaeger started for it alone, and stops it afterwards: Jaeger's
 * in-memory store slows its ingest down as it fills (hundreds of thousands of traces), which would
 * make every later measurement of a run look slower than the first. AGENT_OTEL_BENCH_OTLP_URL uses
 * a running collector instead, for every measurement.
 */
async function withCollector(fn) {
  if (process.env.AGENT_OTEL_BENCH_OTLP_URL) return fn(process.env.AGENT_OTEL_BENCH_OTLP_URL);
  const state = mkdtempSync(join(tmpdir(), 'agent-otel-bench-jaeger-'));
  const url = await startJaeger(state)();
  try {
    return await fn(url);
  } finally {
    execFileSync('bash', [join(ROOT, 'scripts/jaeger/stop.sh')], {
      env: { ...process.env, AGENT_OTEL_JAEGER_STATE: state },
      stdio: 'inherit',
    });
  }
}

/** Export scenarios against a fresh Jaeger each: steady rate, sweep, flat out. Markdown lines. */
async function exportScenarios(log) {
  const up = (url) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: url });
  const steady = await withCollector((url) =>
    run('rate', { rate: STEADY_RATE, seconds: STEADY_SECONDS }, up(url)),
  );
  log(`steady ${JSON.stringify(steady)}`);
  // Default settings, then a larger queue and batch (what a high-volume app would set). Each rate
  // SWEEP_REPS times; the sweep of a setting stops after a rate where every repetition dropped spans.
  const TUNED = { OTEL_BSP_MAX_QUEUE_SIZE: '8192', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048' };
  const sweep = [];
  for (const [settings, env] of [
    ['default', {}],
    ['queue 8192, batch 2048', TUNED],
  ]) {
    for (const rate of SWEEP_RATES) {
      const steps = [];
      for (let rep = 0; rep < SWEEP_REPS; rep++) {
        const step = {
          settings,
          ...(await withCollector((url) =>
            run('rate', { rate, seconds: SWEEP_SECONDS }, { ...up(url), ...env }),
          )),
        };
        log(`sweep ${JSON.stringify(step)}`);
        steps.push(step);
      }
      sweep.push(...steps);
      if (steps.every((step) => step.dropped > 0)) break;
    }
  }
  const flatOut = await withCollector((url) => run('flat-out', { seconds: SWEEP_SECONDS }, up(url)));
  log(`flat-out ${JSON.stringify(flatOut)}`);
  const clean = (settings, rate) => {
    const steps = sweep.filter(
      (step) => step.settings === settings && step.rate >= rate * 0.98 && step.rate <= rate * 1.02,
    );
    return steps.length > 0 ? `${steps.filter((step) => step.dropped === 0).length}/${steps.length}` : '–';
  };
  const sustained = (settings) =>
    SWEEP_RATES.filter((rate) => {
      const steps = sweep.filter(
        (step) => step.settings === settings && Math.abs(step.rate - rate) <= rate * 0.02,
      );
      return steps.length > 0 && steps.every((step) => step.dropped === 0);
    }).at(-1);
  const rateRow = (settings) =>
    SWEEP_RATES.map((rate) => `${n(rate / 1000)}k: ${clean(settings, rate)}`).join(', ');
  const lines = [
    '| figure | measured | target |',
    '| --- | --- | --- |',
    `| sustained export throughput, http/protobuf to Jaeger: highest steady rate with 0 drops in every repetition (default settings / queue 8192, batch 2048) | **${sustained('default') ? n(sustained('default')) : '< 10,000'} / ${sustained('queue 8192, batch 2048') ? n(sustained('queue 8192, batch 2048')) : '< 10,000'} spans/s** | ≥ 20,000 spans/s |`,
    `| repetitions with 0 drops per rate, default settings | ${rateRow('default')} | — |`,
    `| repetitions with 0 drops per rate, queue 8192, batch 2048 | ${rateRow('queue 8192, batch 2048')} | — |`,
    `| drops at a steady ${n(STEADY_RATE)} spans/s for ${STEADY_SECONDS} s (default settings) | **${n(steady.dropped)}** of ${n(steady.made)} spans; CPU ${steady.cpuPercent}% of one core | 0 |`,
    `| exported per second with the app ending spans flat out on the same thread (default settings) | ${n(flatOut.exportedPerSecond)} spans/s (${n(flatOut.made)} ended in ${flatOut.seconds} s, ${n(flatOut.dropped)} dropped on the full queue) | — |`,
  ];
  const sweepLine = sweep
    .map(
      (step) => `${step.settings} ${n(step.rate)}/s → ${n(step.dropped)} dropped (CPU ${step.cpuPercent}%)`,
    )
    .join('; ');
  const other = [steady, ...sweep, flatOut].flatMap((r) => r.otherWarnings);
  return (
    `${lines.join('\n')}\n\nSweep (${SWEEP_SECONDS} s per rate, a fresh Jaeger for each): ${sweepLine}.\n` +
    (other.length > 0 ? `\nOther diag warnings:\n${other.join('\n')}\n` : '')
  );
}

/**
 * The pipelines compared with the collector down. `sdk` is the reference of the RSS target: the
 * OpenTelemetry SDK's own default pipeline, same loop, same Node flags, same run.
 */
const OUTAGE_PIPELINES = [
  { name: 'agent-otel', label: '`register()` defaults (queue 2048, batch 512)', settings: {}, env: {} },
  {
    name: 'agent-otel 8192/2048',
    label: 'the former defaults, `OTEL_BSP_MAX_QUEUE_SIZE=8192`, `OTEL_BSP_MAX_EXPORT_BATCH_SIZE=2048`',
    settings: {},
    env: { OTEL_BSP_MAX_QUEUE_SIZE: '8192', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048' },
  },
  {
    name: 'sdk',
    label: "OTel SDK's own `BatchSpanProcessor` (defaults 2048/512) + OTLP http/protobuf exporter",
    settings: { pipeline: 'sdk' },
    env: {},
  },
];

/**
 * Memory during a collector outage: every pipeline of OUTAGE_PIPELINES `runs` times, each run in a
 * child of its own, interleaved (the order rotates every round), all with the same Node flags.
 * Markdown: a table of medians (min–max) and the checks against the targets.
 */
async function outageScenario(log, { runs, nodeFlags }) {
  const downEnv = async () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}` });
  const results = Object.fromEntries(OUTAGE_PIPELINES.map((p) => [p.name, []]));
  const ratios = [];
  for (let round = 0; round < runs; round++) {
    const order = OUTAGE_PIPELINES.map((_, i) => OUTAGE_PIPELINES[(i + round) % OUTAGE_PIPELINES.length]);
    const inRound = {};
    for (const pipeline of order) {
      const result = await run(
        'down',
        { spans: DOWN_SPANS, ...pipeline.settings },
        { ...(await downEnv()), ...pipeline.env },
        nodeFlags,
      );
      const { otherWarnings, ...shown } = result;
      log(`outage round ${round + 1}/${runs} ${pipeline.name} ${JSON.stringify(shown)}`);
      results[pipeline.name].push(result);
      inRound[pipeline.name] = result;
    }
    ratios.push(inRound['agent-otel'].rssGrowthMb / inRound.sdk.rssGrowthMb);
  }
  const figures = (name, key) => results[name].map((r) => r[key]);
  const sdkRss = median(figures('sdk', 'rssGrowthMb'));
  const ratio = median(figures('agent-otel', 'rssGrowthMb')) / sdkRss;
  const heapGrowth = median(figures('agent-otel', 'heapGrowthMb'));
  const row = (pipeline) => {
    const rs = results[pipeline.name];
    const rss = figures(pipeline.name, 'rssGrowthMb');
    const dropped = rs.map((r) => `${n(r.dropped)} of ${n(r.made)}`);
    return (
      `| ${pipeline.name}: ${pipeline.label} | ${medianRange(figures(pipeline.name, 'heapGrowthMb'), 1)} ` +
      `(${medianRange(figures(pipeline.name, 'heapStartMb'), 1)} → ${medianRange(figures(pipeline.name, 'heapEndMb'), 1)}) ` +
      `| ${medianRange(rss, 1)} | ${pipeline.name === 'sdk' ? '1' : (median(rss) / sdkRss).toFixed(2)} ` +
      `| ${[...new Set(dropped)].join('; ')} | ${medianRange(figures(pipeline.name, 'newSpaceMb'), 0)} |`
    );
  };
  const flags = ['--expose-gc', ...nodeFlags].join(' ');
  const lines = [
    `${n(DOWN_SPANS)} spans (traces of ${TRACE_SIZE}) ended flat out with the collector down (connection refused), ` +
      `after ${n(DOWN_WARMUP_SPANS)} warm-up spans and a full GC; Node ${process.version}, flags \`${flags}\`; ` +
      `${runs} runs per pipeline, each in its own child, interleaved; median (min–max).`,
    '',
    '| pipeline | heap used after full GC: growth, MB (start → end) | RSS growth (peak − start), MB | RSS ratio to `sdk` (medians) | spans dropped | V8 new space at end, MB |',
    '| --- | --- | --- | --- | --- | --- |',
    ...OUTAGE_PIPELINES.map(row),
    '',
    `- heap after full GC grows by ${heapGrowth.toFixed(1)} MB (median; max ${Math.max(...figures('agent-otel', 'heapGrowthMb')).toFixed(1)}): ` +
      `target < 16 MB — **${Math.max(...figures('agent-otel', 'heapGrowthMb')) < 16 ? 'met' : 'missed'}** in every run.`,
    `- RSS growth, agent-otel ÷ sdk: ${ratio.toFixed(2)} (ratio of the medians; per round ${medianRange(ratios, 2)}): ` +
      `target ≤ 1.1 — **${ratio <= 1.1 ? 'met' : 'missed'}**.`,
    '',
    `RSS growth every 100,000 spans (MB), one list per run: ${OUTAGE_PIPELINES.map(
      (p) =>
        `${p.name}: ${results[p.name]
          .map((r) => r.samplesMb.filter((_, i) => i % 2 === 1).join(', '))
          .join(' | ')}`,
    ).join('; ')}.`,
  ];
  const other = Object.values(results)
    .flat()
    .flatMap((r) => r.otherWarnings)
    // The refused connection itself, and the SDK's own queue-full reports (its drops are counted).
    .filter((w) => !/ECONNREFUSED|because maxQueueSize reached/.test(w));
  if (other.length > 0) lines.push('', 'Other diag warnings:', ...[...new Set(other)]);
  return `${lines.join('\n')}\n`;
}

const USAGE = `usage: npx node bench/throughput.mjs [--only export|outage] [--runs N] [--node-flag FLAG]…
  --only export   steady rate, sweep and flat out against a fresh Jaeger each (~5 min)
  --only outage   memory during a collector outage (no Jaeger; ~1 min per round of 3 children)
  --runs N        outage rounds (default 3)
  --node-flag F   a Node flag for every outage child, e.g. --node-flag=--max-semi-space-size=16
DOWN_SPANS (default 1,000,000) sets the spans per outage run.`;

async function main() {
  const log = (line) => process.stderr.write(`bench: ${line}\n`);
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      runs: { type: 'string', default: '3' },
      'node-flag': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean' },
    },
  });
  const runs = Number(values.runs);
  if (values.help || !['export', 'outage', undefined].includes(values.only) || !(runs >= 1)) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  if (values.only !== 'outage') process.stdout.write(await exportScenarios(log));
  if (values.only !== 'export') {
    if (values.only === undefined) process.stdout.write('\n');
    process.stdout.write(await outageScenario(log, { runs, nodeFlags: values['node-flag'] }));
  }
}

const measureArgument = process.argv.find((arg) => arg.startsWith('--measure='));
if (measureArgument)
  await measure(measureArgument.slice('--measure='.length), JSON.parse(process.argv.at(-1)));
else await main();
