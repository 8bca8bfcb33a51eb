// Export throughput and memory of @agent-otel/node's OTLP pipeline (register() → batch span
// processor → OTLP http/protobuf) against a real Jaeger on 127.0.0.1. Not a test: it prints figures.
//
//   steady    5,000 spans/s for 20 s with the default batch settings (queue 8192, batch 2048, delay
//             5 s): spans dropped (target 0)
//   sweep     steady 10k, 20k, 30k … spans/s, 5 s each, twice per rate, with the default settings
//             and with a larger queue and batch: the highest rate with 0 drops in every repetition
//             is the sustained export throughput (target ≥ 20,000 spans/s)
//   flat-out  the app ends spans as fast as it can for 5 s, on the thread that also serialises
//             the exports: spans exported per second; the rest is dropped on the full queue
//   down      1,000,000 spans ended flat out with the collector down (connections refused), 3 runs:
//             RSS growth from the start and after the first 100k spans (target < 64 MB), heap after
//             GC, spans dropped (all, counted and reported once); `control` is the same loop and
//             pipeline with the collector up, and one more run with --max-old-space-size=64 shows
//             the memory kept is bounded; `sdk down` is the same loop through the OTel SDK's own
//             BatchSpanProcessor and OTLP exporter, without agent-otel, collector down
//
// Every measurement with a collector gets a Jaeger of its own (see withCollector).
//
// Spans: traces of 10 (a root and 9 `chat` children with 10 GenAI attributes each), ended through
// @opentelemetry/api; drops are read from the processor's diag reports. Each measurement runs in its
// own child process (register() once per process).
//
// Run from the repository root after `npm run build`:  npx node bench/throughput.mjs
// Jaeger is built/started by scripts/jaeger/ (cached build); AGENT_OTEL_BENCH_OTLP_URL uses a
// running collector instead.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
 * exporter, reading the same `OTEL_EXPORTER_OTLP_ENDPOINT`. It reports no drop counts.
 */
async function plainSdkPipeline() {
  const api = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { TracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  const processor = new BatchSpanProcessor({ exporter: new OTLPTraceExporter() });
  const provider = new TracerProvider({ spanProcessors: [processor] });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.trace.setGlobalTracerProvider(provider);
  return provider;
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
    const baseline = process.memoryUsage().rss;
    let warm = 0;
    let maxRss = baseline;
    const samples = [];
    let nextSample = 100_000;
    while (made < settings.spans) {
      if (settings.rate) {
        // Paced: end the spans due by now, then wait 10 ms (like `rate`).
        const due = Math.min(
          settings.spans,
          Math.floor(((performance.now() - started) / 1000) * settings.rate),
        );
        if (due <= made) {
          await sleep(10);
          continue;
        }
        const count = Math.min(1000, Math.ceil((due - made) / TRACE_SIZE) * TRACE_SIZE);
        endSpans(count);
        made += count;
      } else {
        endSpans(1000);
        made += 1000;
        await tick();
      }
      if (made >= nextSample) {
        nextSample += 100_000;
        const rss = process.memoryUsage().rss;
        if (warm === 0) warm = rss;
        maxRss = Math.max(maxRss, rss);
        samples.push(mb(rss - baseline));
      }
    }
    globalThis.gc?.();
    Object.assign(result, {
      rssGrowthMb: mb(maxRss - baseline),
      rssGrowthAfterFirst100kMb: mb(maxRss - warm),
      heapUsedAfterGcMb: mb(process.memoryUsage().heapUsed),
      samplesMb: samples,
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  // The OTel SDK's own pipeline rejects these with the export error while the collector is down.
  const failedExport = (error) => warnings.push(`export error: ${error?.message ?? error}`);
  await handle.forceFlush().catch(failedExport);
  const flushedSeconds = (performance.now() - started) / 1000;
  await handle.shutdown().catch(failedExport); // ours reports an outage still open, with its count
  const counted = warnings.slice(warmupWarnings);
  const dropped = counted.reduce((sum, w) => sum + Number(/(\d+) spans were dropped/.exec(w)?.[1] ?? 0), 0);
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

async function main() {
  const log = (line) => process.stderr.write(`bench: ${line}\n`);
  const up = (url) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: url });
  const steady = await withCollector((url) =>
    run('rate', { rate: STEADY_RATE, seconds: STEADY_SECONDS }, up(url)),
  );
  log(`steady ${JSON.stringify(steady)}`);
  // Default settings, then a larger queue and batch (what a high-volume app would set). Each rate
  // SWEEP_REPS times; the sweep of a setting stops after a rate where every repetition dropped spans.
  const TUNED = { OTEL_BSP_MAX_QUEUE_SIZE: '16384', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048' };
  const sweep = [];
  for (const [settings, env] of [
    ['default', {}],
    ['queue 16384, batch 2048', TUNED],
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
  // RSS depends on how V8 sizes its heap, which varies between identical runs: three runs each. The
  // control is the same pipeline and loop with the collector up, so what the outage itself costs is
  // the difference; one more run with the old space capped at 64 MB shows the memory kept is bounded.
  const downEnv = async () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}` });
  const downs = [];
  const controls = [];
  for (let i = 0; i < 3; i++) {
    downs.push(await run('down', { spans: DOWN_SPANS }, await downEnv()));
    controls.push(await withCollector((url) => run('down', { spans: DOWN_SPANS }, up(url))));
    log(`down ${JSON.stringify(downs.at(-1))}`);
    log(`control ${JSON.stringify(controls.at(-1))}`);
  }
  // The OTel SDK's own pipeline, same loop, collector down: what V8 does with any span pipeline here.
  const sdkDowns = [];
  for (let i = 0; i < 3; i++) {
    sdkDowns.push(await run('down', { spans: DOWN_SPANS, pipeline: 'sdk' }, await downEnv()));
    log(`sdk down ${JSON.stringify(sdkDowns.at(-1))}`);
  }
  const capped = await run('down', { spans: DOWN_SPANS }, await downEnv(), ['--max-old-space-size=64']).then(
    (result) => result,
    (error) => ({ failed: String(error).slice(0, 300) }),
  );
  log(`capped ${JSON.stringify(capped)}`);
  const down = downs[0];
  const rss = (runs, key = 'rssGrowthMb') => runs.map((r) => r[key]).join(' / ');
  const heap = (runs) => Math.max(...runs.map((r) => r.heapUsedAfterGcMb));

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
    `| sustained export throughput, http/protobuf to Jaeger: highest steady rate with 0 drops in every repetition (default settings / queue 16384, batch 2048) | **${sustained('default') ? n(sustained('default')) : '< 10,000'} / ${sustained('queue 16384, batch 2048') ? n(sustained('queue 16384, batch 2048')) : '< 10,000'} spans/s** | ≥ 20,000 spans/s |`,
    `| repetitions with 0 drops per rate, default settings | ${rateRow('default')} | — |`,
    `| repetitions with 0 drops per rate, queue 16384, batch 2048 | ${rateRow('queue 16384, batch 2048')} | — |`,
    `| drops at a steady ${n(STEADY_RATE)} spans/s for ${STEADY_SECONDS} s (default settings) | **${n(steady.dropped)}** of ${n(steady.made)} spans; CPU ${steady.cpuPercent}% of one core | 0 |`,
    `| exported per second with the app ending spans flat out on the same thread (default settings) | ${n(flatOut.exportedPerSecond)} spans/s (${n(flatOut.made)} ended in ${flatOut.seconds} s, ${n(flatOut.dropped)} dropped on the full queue) | — |`,
    `| RSS growth over ${n(DOWN_SPANS)} spans ended flat out (~5 s), collector down, 3 runs: from the start / after the first 100k spans | **${rss(downs)} MB** / ${rss(downs, 'rssGrowthAfterFirst100kMb')} MB; heap after GC ≤ ${heap(downs)} MB | < 64 MB |`,
    `| the same loop and pipeline with the collector up, 3 runs: from the start / after the first 100k | ${rss(controls)} MB / ${rss(controls, 'rssGrowthAfterFirst100kMb')} MB; heap after GC ≤ ${heap(controls)} MB | — |`,
    `| the OTel SDK's own \`BatchSpanProcessor\` (2048 / 512) + OTLP http/protobuf exporter without agent-otel, same loop, collector down, 3 runs | ${rss(sdkDowns)} MB / ${rss(sdkDowns, 'rssGrowthAfterFirst100kMb')} MB; heap after GC ≤ ${heap(sdkDowns)} MB | — |`,
    `| the collector-down run with the old space capped at 64 MB | ${capped.failed ? `failed: ${capped.failed}` : `completed; RSS growth ${capped.rssGrowthMb} MB, heap after GC ${capped.heapUsedAfterGcMb} MB`} | bounded |`,
    `| spans dropped with the collector down, and how they were reported | ${n(down.dropped)} of ${n(down.made)}; ${down.outageWarnings} warning + 1 summary | counted, reported once |`,
  ];
  const sweepLine = sweep
    .map(
      (step) => `${step.settings} ${n(step.rate)}/s → ${n(step.dropped)} dropped (CPU ${step.cpuPercent}%)`,
    )
    .join('; ');
  process.stdout.write(
    `${lines.join('\n')}\n\nSweep (${SWEEP_SECONDS} s per rate, a fresh Jaeger for each): ${sweepLine}.\n` +
      `RSS growth every 100k spans, collector down (MB): ${downs.map((r) => r.samplesMb.join(', ')).join(' | ')}; ` +
      `collector up: ${controls.map((r) => r.samplesMb.join(', ')).join(' | ')}; ` +
      `OTel SDK pipeline, collector down: ${sdkDowns.map((r) => r.samplesMb.join(', ')).join(' | ')}.\n`,
  );
  const other = [steady, ...sweep, flatOut, ...downs, ...controls, ...sdkDowns].flatMap(
    (r) => r.otherWarnings,
  );
  if (other.length > 0) process.stdout.write(`\nOther diag warnings:\n${other.join('\n')}\n`);
}

const measureArgument = process.argv.find((arg) => arg.startsWith('--measure='));
if (measureArgument)
  await measure(measureArgument.slice('--measure='.length), JSON.parse(process.argv.at(-1)));
else await main();
