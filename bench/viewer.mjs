// Issue #26's performance figures for @agent-otel/viewer, each against the real command
// (packages/viewer/dist/esm/cli.js in a child process, its own store file in a temporary folder):
//
//   ingest  the project's exporter (`register()` of @agent-otel/node: batch span processor + OTLP
//           http/protobuf, burst settings OTEL_BSP_MAX_QUEUE_SIZE=8192 / MAX_EXPORT_BATCH_SIZE=2048)
//           in a second process replays synthetic agent traces (test/support/synthetic.ts: workflow →
//           agents → chat spans with messages, tool calls, metadata) at a steady rate (`--rates`) and
//           flat out, `--seconds` each, `--runs` times: spans stored (counted in the store after the
//           viewer stopped) per second, spans dropped (generated − stored; the processor's reports),
//           the viewer's CPU and memory (VmRSS from /proc every 100 ms, VmHWM, V8 heap sampled in
//           the viewer by a preloaded probe, which also times each POST /v1/traces), and spans stored
//           per viewer CPU-second (/proc: steadier than the rates under load). Target ≥ 20,000
//           spans/s with no drop, memory bounded.
//   query   a store of `--spans` spans (default 1,000,000) written through Store.insert in batches
//           of 5,000, then `--queries` list requests (GET /api/traces with metadata and static
//           filters and sorts, rotating through QUERIES) one after another: wall-clock latency
//           per request, p50/p95, and the viewer's CPU per request. Target p95 ≤ 200 ms.
//   render  one 5,000-span trace (depth 5, messages on model spans) stored; headless Chromium
//           (/usr/bin/chromium via playwright-core) loads /traces/<id> `--render-runs` times, each in a
//           new tab: navigation start → the UI's `agent-otel:detail:rendered` mark (the waterfall's
//           first frame painted), and → the end of the last long task after it (idle). Target ≤ 1 s.
//
// Every figure is wall-clock on a shared 2-core machine (the generator, the viewer and the browser
// share it): repeat, and read medians with their spread. Load averages are recorded.
//
// Run from the repository root after `npm run build`:
//   npx node bench/viewer.mjs [ingest|query|render]... [--label NAME] [--help]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkout, writeSection } from './results.mjs';
import { median, medianRange } from './stats.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const VIEWER = join(ROOT, 'packages/viewer');
// The build measured: packages/viewer/dist, or AGENT_OTEL_BENCH_VIEWER_DIST (another build of it, with ui/ beside esm/).
const DIST = process.env.AGENT_OTEL_BENCH_VIEWER_DIST ?? join(VIEWER, 'dist');
const CLI = join(DIST, 'esm/cli.js');
const viewerLib = () => import(pathToFileURL(join(DIST, 'esm/index.js')).href);
const synthetic = () => import(pathToFileURL(join(VIEWER, 'test/support/synthetic.ts')).href);
const log = (line) => process.stderr.write(`${line}\n`);
const n = (value) => Math.round(value).toLocaleString('en');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');

const HELP = `Usage: npx node bench/viewer.mjs [ingest] [query] [render] [options]   (default: all three)
  --label NAME        write the report into bench/RESULTS.md as the section NAME
  --results FILE      the results file (default bench/RESULTS.md)
  --json FILE         also write the figures as JSON
  --runs N            ingest: runs per setting (default 3)
  --seconds S         ingest: seconds of generation per run (default 30)
  --rates LIST        ingest: steady rates in spans/s, 0 = flat out (default 10000,20000,25000,0)
  --spans N           query: spans in the store (default 1000000)
  --db FILE           query: use (or build, when missing) this store instead of a temporary one
  --queries N         query: list requests (default 100)
  --render-runs N     render: page loads (default 10)
  --cpu-prof DIR      run the viewer with --cpu-prof into DIR (profiles per phase)`;

// Rotated through by the query phase: the issue's metadata filter and variants with static filters and
// sorts. Selectivity over the synthetic traces: tenant 1/20, user 1/1000, env=staging 1/5, priority ≥ 4 2/5.
const QUERIES = [
  'attr=agent_otel.metadata.tenant%3Dtenant-7&limit=50',
  'attr=agent_otel.metadata.user_id%3Duser-123&limit=50',
  'attr=agent_otel.metadata.env%3Dstaging&sort=cost&order=desc&limit=50',
  'attr=agent_otel.metadata.priority%3E%3D4&sort=duration&order=desc&limit=50',
  'attr=agent_otel.metadata.tenant%3Dtenant-3&model=gpt-4o&status=error&limit=50',
  'attr=agent_otel.metadata.tenant%3Dtenant-12&service=support-agent&sort=tokens&order=desc&limit=50',
  'attr=agent_otel.metadata.request_id%20exists&minDurationMs=5000&limit=50',
  'attr=agent_otel.metadata.env%3Dprod&tool=refund_payment&offset=100&limit=50',
  'attr=agent_otel.metadata.tenant%3Dtenant-5&attr=agent_otel.metadata.priority%3C3&sort=spans&limit=50',
  'attr=gen_ai.tool.name%3Dsend_email&agent=Billing&limit=50',
];

// ---------------------------------------------------------------- the viewer child

/** Preloaded into the viewer: samples V8's heap every 100 ms, writes the peaks to a file at exit. */
const PROBE = `import { writeFileSync } from 'node:fs';
import { subscribe } from 'node:diagnostics_channel';
const file = process.env.BENCH_VIEWER_PROBE;
let heapUsed = 0, heapTotal = 0;
const sample = () => { const m = process.memoryUsage(); heapUsed = Math.max(heapUsed, m.heapUsed); heapTotal = Math.max(heapTotal, m.heapTotal); };
setInterval(sample, 100).unref();
const started = new WeakMap(), exports = [];
subscribe('http.server.request.start', ({ request }) => started.set(request, performance.now()));
subscribe('http.server.response.finish', ({ request }) => { if (request.url === '/v1/traces') exports.push(performance.now() - started.get(request)); });
process.on('exit', () => { sample(); writeFileSync(file, JSON.stringify({ heapUsed, heapTotal, exports })); });`;

/** /proc/<pid>/status fields in bytes, and user + system CPU seconds from /proc/<pid>/stat. */
function procSample(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) * 1024;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { rss: kb('VmRSS'), hwm: kb('VmHWM'), cpu: (Number(stat[11]) + Number(stat[12])) / 100 };
  } catch {
    return undefined;
  }
}

/** Starts the CLI on a free port with `db` (retention off: the synthetic traces are dated 2026-01-01). */
async function startViewer(db, cpuProfDir) {
  const dir = mkdtempSync(join(tmpdir(), 'agent-otel-bench-viewer-'));
  const probe = join(dir, 'probe.json');
  const flags = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const child = spawn(
    process.execPath,
    [
      ...flags,
      '--import',
      `data:text/javascript,${encodeURIComponent(PROBE)}`,
      CLI,
      ...['--port', '0', '--db', db, '--retention-age', 'off', '--retention-size', 'off'],
    ],
    {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, BENCH_VIEWER_PROBE: probe },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /viewer: (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`the viewer exited (${code}): ${out}${stderr}`)));
  });
  const samples = [];
  const started = performance.now();
  const timer = setInterval(() => {
    const s = procSample(child.pid);
    if (s) samples.push({ t: (performance.now() - started) / 1000, ...s });
  }, 100);
  return {
    url,
    pid: child.pid,
    samples,
    /** SIGTERM, wait for a clean exit; the memory figures. */
    async stop() {
      const last = procSample(child.pid);
      clearInterval(timer);
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`the viewer exited with ${code}: ${stderr}`);
      const heap = existsSync(probe) ? JSON.parse(readFileSync(probe, 'utf8')) : undefined;
      rmSync(dir, { recursive: true, force: true });
      return { hwm: last?.hwm ?? 0, heap };
    },
  };
}

const mb = (bytes) => Math.round(bytes / 1048576);

// ---------------------------------------------------------------- ingest

/** The generator child: `register()`, a warm-up, then traces at `rate` spans/s (0: flat out). */
async function generate({ rate, seconds }) {
  const api = await import('@opentelemetry/api');
  const { diag, DiagLogLevel, trace, ROOT_CONTEXT, SpanKind, SpanStatusCode } = api;
  const warnings = [];
  const capture = (message) => warnings.push(String(message));
  diag.setLogger(
    { error: capture, warn: capture, info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const { register } = await import('@agent-otel/node');
  const handle = register({ instrumentations: false, shutdownTimeoutMillis: 60_000 });
  const tracer = trace.getTracer('@agent-otel/core', '0.1.0');
  // Synthetic traces as templates (times relative to the root's start), replayed with fresh ids.
  const { syntheticTrace } = await synthetic();
  const ms = (nanos) => Number(nanos.slice(0, -6)) + Number(nanos.slice(-6)) / 1e6;
  const templates = [];
  for (let i = 0; i < 400; i++) {
    const spans = syntheticTrace(i);
    const t0 = ms(spans[0].startTimeUnixNano);
    const index = new Map(spans.map((s, j) => [s.spanId, j]));
    templates.push(
      spans.map((s) => ({
        name: s.name,
        kind: SpanKind[s.kind],
        parent: s.parentSpanId === undefined ? -1 : index.get(s.parentSpanId),
        start: ms(s.startTimeUnixNano) - t0,
        end: ms(s.endTimeUnixNano) - t0,
        attributes: s.attributes,
        error: s.status.code === 'ERROR' ? s.status.message : undefined,
        events: s.events.map((e) => ({
          name: e.name,
          attributes: e.attributes,
          at: ms(e.timeUnixNano) - t0,
        })),
      })),
    );
  }
  let next = 0;
  const emitTrace = () => {
    const tpl = templates[next++ % templates.length];
    const base = Date.now();
    const live = new Array(tpl.length);
    for (let i = 0; i < tpl.length; i++) {
      const t = tpl[i];
      const ctx = t.parent < 0 ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, live[t.parent]);
      live[i] = tracer.startSpan(
        t.name,
        { kind: t.kind, attributes: t.attributes, startTime: base + t.start },
        ctx,
      );
    }
    for (let i = tpl.length - 1; i >= 0; i--) {
      const t = tpl[i];
      for (const e of t.events) live[i].addEvent(e.name, e.attributes, base + e.at);
      if (t.error) live[i].setStatus({ code: SpanStatusCode.ERROR, message: t.error });
      live[i].end(base + t.end);
    }
    return tpl.length;
  };
  const endSpans = (count) => {
    let made = 0;
    while (made < count) made += emitTrace();
    return made;
  };
  const warmup = endSpans(2000);
  await handle.forceFlush();
  await sleep(200);
  const warmupWarnings = warnings.length;
  let made = 0;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() - started < seconds * 1000) {
    if (rate > 0) {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      if (due > made) made += endSpans(due - made);
      await sleep(10);
    } else {
      made += endSpans(1000);
      await new Promise((resolve) => setImmediate(resolve)); // the exporter's I/O between chunks
    }
  }
  const genSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await handle.forceFlush();
  const flushedSeconds = (performance.now() - started) / 1000;
  await handle.shutdown();
  const counted = warnings.slice(warmupWarnings);
  const reportedDrops = counted.reduce(
    (sum, w) => sum + Number(/(\d+) spans? (?:were|was) dropped/.exec(w)?.[1] ?? 0),
    0,
  );
  process.stdout.write(
    `RESULT ${JSON.stringify({
      warmup,
      made,
      genSeconds,
      flushedSeconds,
      reportedDrops,
      cpuPercent: ((cpu.user + cpu.system) / 1e6 / genSeconds) * 100,
      warnings: counted.filter((w) => !/dropped/.test(w)).slice(0, 3),
    })}\n`,
  );
  process.exit(0);
}

async function ingestRun(rate, seconds, cpuProfDir) {
  const dir = mkdtempSync(join(tmpdir(), 'agent-otel-bench-ingest-'));
  const db = join(dir, 'viewer.db');
  const viewer = await startViewer(db, cpuProfDir);
  try {
    const cpuStart = procSample(viewer.pid).cpu;
    const gen = await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
          fileURLToPath(import.meta.url),
          '--child',
          JSON.stringify({ rate, seconds }),
        ],
        {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            OTEL_SERVICE_NAME: 'support-agent',
            OTEL_EXPORTER_OTLP_ENDPOINT: viewer.url,
            OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
            OTEL_BSP_MAX_QUEUE_SIZE: '8192',
            OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048',
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('close', (code) => {
        const line = out.split('\n').find((l) => l.startsWith('RESULT '));
        if (code !== 0 || !line) reject(new Error(`the generator failed (exit ${code}): ${out}`));
        else resolve(JSON.parse(line.slice(7)));
      });
    });
    const cpuSeconds = procSample(viewer.pid).cpu - cpuStart;
    const samples = viewer.samples;
    const { hwm, heap } = await viewer.stop();
    const { Store } = await viewerLib();
    const store = Store.open(db);
    const stored = store.counts().spans - gen.warmup;
    const bytes = store.sizeBytes();
    await store.close();
    // RSS while generating: the median of the last 5 s against that of seconds 5–10 (bounded or growing).
    const window = (from, to) => median(samples.filter((s) => s.t >= from && s.t < to).map((s) => s.rss));
    const last = samples.at(-1)?.t ?? 0;
    return {
      rate,
      made: gen.made,
      stored,
      dropped: gen.made - stored,
      reportedDrops: gen.reportedDrops,
      genSeconds: gen.genSeconds,
      flushedSeconds: gen.flushedSeconds,
      storedPerSecond: stored / gen.flushedSeconds,
      generatorCpu: gen.cpuPercent,
      viewerCpu: (cpuSeconds / gen.flushedSeconds) * 100,
      storedPerCpuSecond: (stored + gen.warmup) / cpuSeconds, // what one free core would take: steadier than wall-clock
      rssPeakMb: mb(Math.max(hwm, ...samples.map((s) => s.rss))),
      rssEarlyMb: mb(window(5, 10)),
      rssLateMb: mb(window(last - 5, last + 1)),
      rssEvery10sMb: Array.from({ length: Math.floor(last / 10) }, (_, i) =>
        mb(window(i * 10 + 5, i * 10 + 10)),
      ),
      heapPeakMb: heap ? mb(heap.heapUsed) : undefined,
      // POST /v1/traces as the viewer saw them (request start → response end), and how busy that kept it.
      exports: heap?.exports.length ?? 0,
      exportMs: heap?.exports.length ? median(heap.exports) : 0,
      exportBusy: heap ? heap.exports.reduce((a, b) => a + b, 0) / 10 / gen.flushedSeconds : 0,
      heapTotalPeakMb: heap ? mb(heap.heapTotal) : undefined,
      dbMb: mb(bytes),
      warnings: gen.warnings,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ingest(args) {
  const rates = args.rates.split(',').map(Number);
  const runs = [];
  for (let r = 0; r < Number(args.runs); r++)
    for (const rate of rates) {
      const loadBefore = load();
      const run = await ingestRun(rate, Number(args.seconds), args['cpu-prof']);
      run.load = loadBefore;
      runs.push(run);
      log(
        `ingest ${rate ? `${n(rate)}/s` : 'flat out'}: made ${n(run.made)}, stored ${n(run.stored)} (${n(run.storedPerSecond)}/s), ` +
          `dropped ${n(run.dropped)}; viewer CPU ${run.viewerCpu.toFixed(0)} %, RSS peak ${run.rssPeakMb} MB (${run.rssEarlyMb} → ${run.rssLateMb}), heap peak ${run.heapPeakMb} MB; ` +
          `${run.exports} exports, ${run.exportMs.toFixed(0)} ms each, ${run.exportBusy.toFixed(0)} % of the time; load ${loadBefore}`,
      );
    }
  const lines = [
    `**Ingest** (\`register()\` of @agent-otel/node → OTLP http/protobuf, queue 8192 / batch 2048, in one process; the viewer CLI in another; ` +
      `${args.seconds} s of generation per run, ${args.runs} runs per setting; synthetic agent traces of ~7 spans with messages on chat and tool spans). ` +
      'Wall-clock, shared machine: medians (min–max). Dropped = generated − counted in the store afterwards.',
    '',
    '| generator | spans generated/s | spans stored/s | dropped (per run) | spans stored per viewer CPU-second | viewer CPU % | generator CPU % | exports: ms each, % of the time | viewer RSS peak MB | RSS s 5–10 → last 5 s MB | V8 heap used peak MB | store MB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const rate of rates) {
    const rs = runs.filter((r) => r.rate === rate);
    const pick = (f, d = 0) => medianRange(rs.map(f), d);
    lines.push(
      `| ${rate ? `steady ${n(rate)}/s` : 'flat out'} | ${pick((r) => r.made / r.genSeconds)} | ${pick((r) => r.storedPerSecond)} | ` +
        `${rs.map((r) => n(r.dropped)).join(', ')} | ${pick((r) => r.storedPerCpuSecond)} | ${pick((r) => r.viewerCpu)} | ${pick((r) => r.generatorCpu)} | ` +
        `${pick((r) => r.exportMs)}, ${pick((r) => r.exportBusy)} | ` +
        `${pick((r) => r.rssPeakMb)} | ${median(rs.map((r) => r.rssEarlyMb))} → ${median(rs.map((r) => r.rssLateMb))} | ` +
        `${pick((r) => r.heapPeakMb ?? 0)} | ${pick((r) => r.dbMb)} |`,
    );
  }
  const warnings = [...new Set(runs.flatMap((r) => r.warnings))];
  if (warnings.length)
    lines.push('', `Exporter warnings: ${warnings.map((w) => `\`${w.slice(0, 160)}\``).join('; ')}`);
  return { runs, lines };
}

// ---------------------------------------------------------------- query

async function buildStore(path, spans) {
  const { Store } = await viewerLib();
  const { syntheticBatches } = await synthetic();
  const store = Store.open(path);
  const have = store.counts().spans;
  if (have >= spans) {
    log(`query: using ${path} (${n(have)} spans)`);
    const counts = store.counts();
    await store.close();
    return { ...counts, insertPerSecond: undefined, reused: true };
  }
  if (have > 0)
    throw new Error(
      `${path} holds ${n(have)} spans, fewer than --spans ${n(spans)}: remove it or pass another --db`,
    );
  const started = performance.now();
  let done = 0;
  let insertMs = 0;
  for (const batch of syntheticBatches(spans, 5000)) {
    const t = performance.now();
    store.insert(batch);
    insertMs += performance.now() - t;
    done += batch.length;
    if (done % 100_000 < batch.length)
      log(`query: ${n(done)} spans stored (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  const counts = store.counts();
  await store.close(); // runs PRAGMA optimize, as the viewer does when it stops
  return {
    ...counts,
    insertPerSecond: done / (insertMs / 1000),
    buildSeconds: (performance.now() - started) / 1000,
  };
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function query(args) {
  const dir = mkdtempSync(join(tmpdir(), 'agent-otel-bench-query-'));
  const db = args.db ?? join(dir, 'viewer.db');
  try {
    const built = await buildStore(db, Number(args.spans));
    const { statSync } = await import('node:fs');
    const fileMb = mb(statSync(db).size);
    const viewer = await startViewer(db, args['cpu-prof']);
    const loadBefore = load();
    const times = QUERIES.map(() => []);
    const cpu = QUERIES.map(() => 0); // the viewer's CPU seconds (/proc, 10 ms ticks), summed per query
    const results = QUERIES.map(() => ({ rows: 0, total: 0 }));
    let first;
    try {
      for (let i = 0; i < Number(args.queries); i++) {
        const q = i % QUERIES.length;
        const cpu0 = procSample(viewer.pid).cpu;
        const t = performance.now();
        const response = await fetch(`${viewer.url}/api/traces?${QUERIES[q]}`);
        const page = await response.json();
        const ms = performance.now() - t;
        if (response.status !== 200)
          throw new Error(`${QUERIES[q]}: ${response.status} ${JSON.stringify(page)}`);
        if (i === 0) first = ms;
        times[q].push(ms);
        cpu[q] += procSample(viewer.pid).cpu - cpu0;
        results[q] = {
          rows: page.traces.length,
          total: `${n(page.total)}${page.totalIsLowerBound ? '+' : ''}`,
        };
      }
    } finally {
      await viewer.stop();
    }
    const all = times.flat();
    const lines = [
      `**Query** (${n(built.spans)} spans in ${n(built.traces)} traces, store file ${fileMb} MB${built.insertPerSecond ? `, written by Store.insert in batches of 5,000 at ${n(built.insertPerSecond)} spans/s` : ''}; ` +
        `${all.length} GET /api/traces requests one after another from another process over keep-alive, rotating through ${QUERIES.length} filters; load ${loadBefore}). ` +
        `Wall-clock per request (fetch + JSON): **p50 ${median(all).toFixed(1)} ms, p95 ${percentile(all, 95).toFixed(1)} ms**, max ${Math.max(...all).toFixed(1)} ms; the first request (cold) ${first.toFixed(1)} ms.`,
      '',
      '| query string | rows / total | ms median (min–max) | viewer CPU ms per request (mean) |',
      '| --- | --- | --- | --- |',
      ...QUERIES.map(
        (q, i) =>
          `| \`${decodeURIComponent(q)}\` | ${results[i].rows} / ${results[i].total} | ${medianRange(times[i], 1)} | ${((cpu[i] / times[i].length) * 1000).toFixed(0)} |`,
      ),
    ];
    return {
      built,
      p50: median(all),
      p95: percentile(all, 95),
      max: Math.max(...all),
      first,
      times,
      cpu,
      lines,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- render

/**
 * One trace of `count` spans: a batch root → 8 task spans → synthetic agent runs (workflow → agents →
 * chat and tool spans, messages on chat spans), re-parented into one trace, cut to `count` (parents come first); depth 5.
 */
async function largeTrace(count) {
  const { syntheticTrace, syntheticTraceId, msToNanos } = await synthetic();
  const traceId = syntheticTraceId(999_999, 7);
  const t0 = Date.now() - 3_600_000;
  const base = syntheticTrace(0, { startMs: t0 });
  const template = base[0];
  const span = (spanId, parentSpanId, name, startMs, endMs, attributes) => ({
    ...template,
    traceId,
    spanId,
    parentSpanId,
    name,
    startTimeUnixNano: msToNanos(startMs),
    endTimeUnixNano: msToNanos(endMs),
    status: { code: 'UNSET' },
    events: [],
    attributes,
  });
  const rootId = 'f'.repeat(16);
  const spans = [];
  const tasks = 8;
  const perTask = Math.ceil((count - 1 - tasks) / tasks);
  let index = 0;
  let end = t0;
  for (let task = 0; task < tasks; task++) {
    const taskId = `e${String(task).padStart(15, '0')}`;
    const taskSpans = [];
    const taskStart = t0 + task * 600;
    let taskEnd = taskStart;
    for (let local = 0; taskSpans.length < perTask; local++, index++) {
      // Runs 400 ms apart within a task (overlapping, as concurrent sub-runs do).
      const options = { seed: 7, startMs: taskStart + 20 + (local - index) * 400, spacingMs: 400 };
      for (const s of syntheticTrace(index, options)) {
        taskEnd = Math.max(taskEnd, Number(s.endTimeUnixNano.slice(0, -6)));
        taskSpans.push({ ...s, traceId, parentSpanId: s.parentSpanId ?? taskId });
      }
    }
    end = Math.max(end, taskEnd);
    spans.push(
      span(taskId, rootId, `task shard-${task}`, taskStart, taskEnd + 1, {
        'agent_otel.span.kind': 'task',
        'gen_ai.operation.name': 'invoke_workflow',
      }),
      ...taskSpans,
    );
  }
  const { parentSpanId, ...root } = span(rootId, undefined, 'invoke_workflow Batch research', t0, end + 2, {
    'gen_ai.operation.name': 'invoke_workflow',
    'agent_otel.span.kind': 'workflow',
    'gen_ai.agent.name': 'Batch research',
    'agent_otel.metadata.tenant': 'tenant-1',
  });
  void parentSpanId;
  spans.unshift(root);
  return { traceId, spans: spans.slice(0, count) }; // parents come first: cutting the tail keeps a tree
}

async function render(args) {
  const { launchBrowser } = await import(pathToFileURL(join(VIEWER, 'test/browser/support/browser.ts')).href);
  const { Store } = await viewerLib();
  const dir = mkdtempSync(join(tmpdir(), 'agent-otel-bench-render-'));
  const db = join(dir, 'viewer.db');
  const { traceId, spans } = await largeTrace(5000);
  const store = Store.open(db);
  store.insert(spans);
  const stored = store.counts();
  await store.close();
  const viewer = await startViewer(db, args['cpu-prof']);
  // The browser tests' Chromium (Debian's, flags and page settings as there), a fresh profile.
  const browser = await launchBrowser();
  const context = browser.context;
  // Long tasks after the rendered mark: the page is idle when the last one ended.
  await context.addInitScript(() => {
    globalThis.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) globalThis.__longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  });
  const loadBefore = load();
  const runs = [];
  const apiMs = [];
  try {
    for (let i = 0; i < Number(args['render-runs']); i++) {
      const page = await context.newPage();
      await page.goto(`${viewer.url}/traces/${traceId}`);
      await page.waitForSelector('.page-trace[data-rendered]', { timeout: 60_000 });
      await sleep(500);
      runs.push(
        await page.evaluate(() => {
          const at = (name) => performance.getEntriesByName(name, 'mark')[0].startTime;
          const rendered = at('agent-otel:detail:rendered');
          const idle = Math.max(rendered, ...globalThis.__longTasks.map(([s, d]) => s + d));
          const nav = performance.getEntriesByType('navigation')[0];
          return {
            rendered,
            idle,
            routeStart: at('agent-otel:detail:start'),
            data: at('agent-otel:detail:data'),
            domContentLoaded: nav.domContentLoadedEventEnd,
            rows: document.querySelectorAll('.wf-row').length,
            longestTask: Math.max(0, ...globalThis.__longTasks.map(([, d]) => d)),
          };
        }),
      );
      await page.close();
    }
    // The same request from Node, after the page loads (not interleaved with them).
    for (let i = 0; i < Number(args['render-runs']); i++) {
      const t = performance.now();
      const detail = await (await fetch(`${viewer.url}/api/traces/${traceId}`)).text();
      apiMs.push(performance.now() - t);
      runs.detailBytes = detail.length;
    }
  } finally {
    await browser.close();
    await viewer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const col = (f) => runs.map(f);
  const stat = (xs) =>
    `${median(xs).toFixed(0)} / ${percentile(xs, 95).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
  const rendered = col((r) => r.rendered);
  const idle = col((r) => r.idle);
  const lines = [
    `**Render** (one trace of ${n(stored.spans)} spans, depth 5, messages on chat and tool spans; GET /api/traces/:id ${Math.round(runs.detailBytes / 1024)} KB, ` +
      `${stat(apiMs)} ms from Node; headless Chromium, a new tab per load, ${runs.length} loads; load ${loadBefore}). ` +
      `Wall-clock from navigation start, median / p95 (min–max): **rendered ${stat(rendered)} ms**, idle ${stat(idle)} ms.`,
    '',
    '| phase (from navigation start, ms) | median / p95 (min–max) |',
    '| --- | --- |',
    `| DOMContentLoaded | ${stat(col((r) => r.domContentLoaded))} |`,
    `| route start (modules run) | ${stat(col((r) => r.routeStart))} |`,
    `| data (GET /api/traces/:id + JSON) | ${stat(col((r) => r.data))} |`,
    `| rendered (\`agent-otel:detail:rendered\`: the waterfall's first frame painted) | ${stat(rendered)} |`,
    `| idle (end of the last long task) | ${stat(idle)} |`,
    `| longest task | ${stat(col((r) => r.longestTask))} |`,
    '',
    `Rows in the DOM: ${[...new Set(col((r) => r.rows))].join(', ')} (virtualised).`,
  ];
  return {
    rendered: { p50: median(rendered), p95: percentile(rendered, 95) },
    idle: { p50: median(idle), p95: percentile(idle, 95) },
    apiMs,
    runs,
    lines,
  };
}

// ---------------------------------------------------------------- report

/** The targets of issue #26 against this run's figures (a table, or nothing when no phase ran). */
function verdicts(figures) {
  const rows = [];
  const verdict = (ok) => (ok ? 'met' : '**missed**');
  if (figures.ingest) {
    const runs = figures.ingest.runs;
    // Met when every run at a steady rate of at least 20,000 spans/s dropped nothing and the generator
    // kept that rate (within its pacing: ≥ 99.5 % of it).
    const steady = [...new Set(runs.filter((r) => r.rate >= 20000).map((r) => r.rate))].sort((a, b) => a - b);
    const kept = (rate) =>
      runs.filter((r) => r.rate === rate).every((r) => r.dropped === 0 && r.storedPerSecond >= 0.995 * rate);
    const at20k = runs.filter((r) => r.rate === 20000);
    if (at20k.length) {
      const clean = at20k.filter((r) => r.dropped === 0).length;
      const highest = steady
        .filter((rate) => runs.filter((r) => r.rate === rate).every((r) => r.dropped === 0))
        .at(-1);
      rows.push(
        `| ingest ≥ 20,000 spans/s, no drop | steady 20,000/s: ${n(median(at20k.map((r) => r.storedPerSecond)))} spans/s stored (median), ` +
          `no drop in ${clean} of ${at20k.length} runs; highest steady rate with no drop in every run: ${highest === undefined ? 'none' : `${n(highest)}/s`}; ` +
          `${n(median(at20k.map((r) => r.storedPerCpuSecond)))} spans per viewer CPU-second | ${verdict(kept(20000))} |`,
      );
    }
    rows.push(
      `| memory bounded while ingesting | viewer RSS peak ${Math.max(...runs.map((r) => r.rssPeakMb))} MB, V8 heap used peak ${Math.max(...runs.map((r) => r.heapPeakMb ?? 0))} MB (all runs) | stated |`,
    );
  }
  if (figures.query)
    rows.push(
      `| list, metadata filter, 1,000,000 spans: p95 ≤ 200 ms | p95 ${figures.query.p95.toFixed(0)} ms (p50 ${figures.query.p50.toFixed(0)} ms) | ${verdict(figures.query.p95 <= 200)} |`,
    );
  if (figures.render)
    rows.push(
      `| 5,000-span trace detail ≤ 1 s | rendered: median ${figures.render.rendered.p50.toFixed(0)} ms, p95 ${figures.render.rendered.p95.toFixed(0)} ms | ${verdict(figures.render.rendered.p95 <= 1000)} (p95) |`,
    );
  return rows.length
    ? ['| target | this run (wall-clock, under the load above) | |', '| --- | --- | --- |', ...rows, '']
    : [];
}

async function main() {
  const { values: args, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      help: { type: 'boolean' },
      child: { type: 'string' },
      label: { type: 'string' },
      results: { type: 'string', default: join(ROOT, 'bench/RESULTS.md') },
      json: { type: 'string' },
      runs: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '30' },
      rates: { type: 'string', default: '10000,20000,25000,0' },
      spans: { type: 'string', default: '1000000' },
      db: { type: 'string' },
      queries: { type: 'string', default: '100' },
      'render-runs': { type: 'string', default: '10' },
      'cpu-prof': { type: 'string' },
    },
  });
  if (args.child) return generate(JSON.parse(args.child));
  if (args.help) return void process.stdout.write(`${HELP}\n`);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const phases = positionals.length ? positionals : ['ingest', 'query', 'render'];
  const started = Date.now();
  const info = checkout();
  const loadStart = load();
  const figures = { info, loadStart };
  const sections = [];
  for (const phase of phases) {
    log(`${phase}… (load ${load()})`);
    const result = await { ingest, query, render }[phase](args);
    figures[phase] = result;
    sections.push(result.lines.join('\n'));
  }
  const minutes = Math.round((Date.now() - started) / 60000);
  const body = [
    `## ${args.label ?? 'viewer'} (issue #26; main at ${info.commit})`,
    '',
    `${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC; commit ${info.commit}` +
      `${info.dirty.length ? ` with uncommitted changes in ${info.dirty.map((d) => `\`${d}\``).join(', ')}` : ''}; Node ${info.node}; ` +
      `2 cores, load average (1 / 5 / 15 min) ${loadStart} at the start, ${load()} at the end; run took ${minutes} min. ` +
      `Written by \`bench/viewer.mjs ${phases.join(' ')}\`.`,
    '',
    ...verdicts(figures),
    sections.join('\n\n'),
    '',
  ].join('\n');
  process.stdout.write(`${body}\n`);
  if (args.json) await writeFile(args.json, JSON.stringify(figures, null, 2));
  if (args.label) await writeSection(args.results, args.label, body);
}

await main();
