// Microbenchmark: cost of an agent-otel manual-API span next to a raw OpenTelemetry span and next to
// no tracing at all, all in one process, interleaved, on the real OTel SDK. Reports CPU time per call
// and ratios (median of rounds, with min–max). Run with `npm run bench` from the repository root.
//
//   baseline        work()
//   raw OTel        tracer.startActiveSpan(name, { kind, attributes }, (s) => { work(); s.end(); })
//                   with the same attributes agent-otel records for the span
//   agent-otel      withToolSpan({ name, callId, agentName }, work)
//   disabled        the same call after setTracingDisabled(true)
//
// `work` is a small tool body: parse and re-serialise a ~1 KB JSON payload (a cheap tool call).
import { context, trace, SpanKind } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { setTracingDisabled, setTracerProvider, withToolSpan, getContentPolicy } from '@agent-otel/core';
import { mapSpanData } from '@agent-otel/core/instrumentation';
import { median, medianRange } from './stats.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const CALLS = Number(process.env.BENCH_CALLS ?? 20000);

const discard = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
  forceFlush: async () => {},
};
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: discard })] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(provider);
setTracerProvider(provider);
const rawTracer = provider.getTracer('raw');

const payload = JSON.stringify({
  order: {
    id: 'A-1001',
    items: Array.from({ length: 12 }, (_, i) => ({ sku: `SKU-${i}`, qty: i, price: i * 1.5 })),
  },
  customer: { name: 'Ada', email: 'ada@example.com' },
});
let sink = 0;
function work() {
  const parsed = JSON.parse(payload);
  parsed.order.items.push({ sku: 'extra' });
  sink += JSON.stringify(parsed).length;
  return sink;
}

const toolData = { name: 'lookup_order', callId: 'call_1', agentName: 'support-agent' };
const mapped = mapSpanData({ type: 'function', ...toolData }, getContentPolicy());

const cases = {
  baseline: () => work(),
  rawOtel: () =>
    rawTracer.startActiveSpan(
      mapped.name,
      { kind: SpanKind.INTERNAL, attributes: mapped.attributes },
      (span) => {
        const result = work();
        span.end();
        return result;
      },
    ),
  agentOtel: () => withToolSpan(toolData, work),
  disabled: () => withToolSpan(toolData, work),
};

function measure(name) {
  const fn = cases[name];
  setTracingDisabled(name === 'disabled');
  for (let i = 0; i < 1000; i++) fn(); // warm this case's code path
  const start = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) fn();
  const used = process.cpuUsage(start);
  setTracingDisabled(false);
  return ((used.user + used.system) * 1000) / CALLS; // ns per call
}

const names = Object.keys(cases);
const samples = Object.fromEntries(names.map((n) => [n, []]));
const ratios = { agentVsRaw: [], disabledVsBaseline: [], agentVsBaseline: [], rawVsBaseline: [] };
for (let round = 0; round < ROUNDS; round++) {
  // Interleave, rotating the order every round so no case always runs first.
  const order = names.map((_, i) => names[(i + round) % names.length]);
  const r = {};
  for (const name of order) r[name] = measure(name);
  for (const name of names) samples[name].push(r[name]);
  ratios.agentVsRaw.push(r.agentOtel / r.rawOtel);
  ratios.disabledVsBaseline.push(r.disabled / r.baseline);
  ratios.agentVsBaseline.push(r.agentOtel / r.baseline);
  ratios.rawVsBaseline.push(r.rawOtel / r.baseline);
}

const lines = [];
lines.push(`node ${process.version}, ${ROUNDS} rounds x ${CALLS} calls per case, CPU time per call`);
lines.push('');
lines.push('| case | CPU ns/call, median (min–max) |');
lines.push('| --- | --- |');
for (const name of names) lines.push(`| ${name} | ${medianRange(samples[name])} |`);
lines.push('');
lines.push('| ratio | median (min–max) | target |');
lines.push('| --- | --- | --- |');
lines.push(`| agent-otel span / raw OTel span | ${medianRange(ratios.agentVsRaw, 3)} | ≤ 1.2 |`);
lines.push(`| disabled / no tracing | ${medianRange(ratios.disabledVsBaseline, 3)} | ≤ 1.02 |`);
lines.push(`| raw OTel span / no tracing | ${medianRange(ratios.rawVsBaseline, 3)} | (reference) |`);
lines.push(`| agent-otel span / no tracing | ${medianRange(ratios.agentVsBaseline, 3)} | (reference) |`);
lines.push('');
lines.push(
  `disabled-mode overhead on the workload: ${(median(samples.disabled) - median(samples.baseline)).toFixed(0)} ns/call`,
);

// The wrapper's own cost with nothing inside, wall-clock ns per call over many calls (the workload
// above is noisy at the level of a few hundred ns).
const trivial = () => 1;
function perCall(fn, n = 2_000_000) {
  for (let i = 0; i < 100_000; i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - start) / n;
}
setTracingDisabled(true);
const wrapped = [];
const direct = [];
for (let i = 0; i < 5; i++) {
  direct.push(perCall(trivial));
  wrapped.push(perCall(() => withToolSpan(toolData, trivial)));
}
setTracingDisabled(false);
lines.push(
  `disabled withToolSpan around an empty function: ${medianRange(wrapped, 1)} ns/call, vs ${medianRange(direct, 1)} ns/call called directly`,
);
process.stdout.write(lines.join('\n') + '\n');
await provider.shutdown();
