// Instructions executed per model call, counted by valgrind (callgrind): the measure of record for
// agent-otel's overhead (bench/README.md, "Targets"). Same configurations and workload as
// bench/adapters.mjs. CPU time on this shared machine moves by ±30 % from block to block; the count
// moves by a few percent.
//
//   npx node bench/adapters-instructions.mjs                      every target configuration × 4 ops
//   npx node bench/adapters-instructions.mjs --label after        … and write the section `after`
//                                                                 into bench/RESULTS.md
//   npx node bench/adapters-instructions.mjs --configs none,agent-otel --ops chat
//   npx node bench/adapters-instructions.mjs --help
//
// Each figure: one child (adapters/worker.mjs, in-memory transport, `node --single-threaded`, so
// the garbage collector and the compilers run on the main thread and are counted too) runs
// `warmup` calls, a full GC, `settle` calls, then A calls and a full GC with callgrind counting
// (its instrumentation is off until then); a second child the same with B calls; instructions per
// call = (I(B) − I(A)) / (B − A), which cancels start-up, loading and warm-up and includes the
// young-generation GCs of the calls and collecting what they left. The old space starts at 512 MB,
// so no major GC falls inside a counted run by chance. Split per call: `gc` (inclusive cost of V8's
// Heap::CollectGarbage), `compile` (optimising and lazy compilation), the rest `work`. Each child
// reports the spans its counted calls exported; a traced configuration must export one per call,
// `agent-otel-disabled` none. Needs valgrind (`apt-get install valgrind`, which brings
// callgrind_control and callgrind_annotate). 15–40 minutes for the default 28 figures on 2 cores,
// depending on the machine's load. Markdown to stdout (and, with --label, into RESULTS.md),
// progress to stderr. `--json FILE` keeps the figures; `--from FILE,FILE` reports saved figures
// again, later files replacing the figures they hold (re-measure a few, then merge). The driver
// (options, measuring, `--json` / `--from`, RESULTS.md) is framework-instructions.mjs; this script
// brings its configurations, its worker's IPC server and options, and its report of the targets.
import { fileURLToPath } from 'node:url';
import { CONFIGS, checkSelection, configAvailable } from './adapters/configs.mjs';
import { OPERATIONS, PROVIDER_OF } from './adapters/workload.mjs';
import { reportHeading, runInstructionsBench, shortRunCheck } from './framework-instructions.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const WORKER = here('./adapters/worker.mjs');

/** The targets (bench/README.md): agent-otel's overhead against each reference, per operation. */
const TARGETS = {
  json: { reference: 'raw-span-full', limit: 1.15 },
  stream: { reference: 'raw-span-wrap', limit: 1.25 },
  disabledPercent: 2,
  peers: ['traceloop', 'openinference', 'otel-contrib'],
};
const STREAM_OPS = new Set(['chat-stream', 'anthropic-stream']);
const reference = (op) => (STREAM_OPS.has(op) ? TARGETS.stream : TARGETS.json);

const DEFAULT_CONFIGS = [
  'none',
  'raw-span-full',
  'raw-span-wrap',
  'agent-otel',
  'agent-otel-disabled',
  ...TARGETS.peers,
];

await runInstructionsBench({
  script: 'bench/adapters-instructions.mjs',
  summary: 'Instructions per model call',
  worker: WORKER,
  tmpPrefix: 'agent-otel-bench-callgrind-',
  configs: CONFIGS,
  configNames: DEFAULT_CONFIGS,
  operations: OPERATIONS,
  checkSelection,
  versions: ['openai', '@anthropic-ai/sdk'],
  usageNote:
    'A configuration that does not support an operation (peers: see bench/adapters/configs.mjs) is ' +
    'skipped for it.',
  // The worker's model API: the IPC server of adapters/ipc.mjs (the in-memory transport's other side).
  async startServer() {
    const { startServer } = await import('./adapters/ipc.mjs');
    const server = await startServer();
    return { url: server.url, close: async () => server.child.kill() };
  },
  workerOptions: ({ op, warmup, settle, count }) => ({
    transport: 'memory',
    processor: 'simple',
    ops: [op],
    warmup,
    settle,
    count,
    callgrind: true,
  }),
  skip(config, op) {
    if (!CONFIGS[config].providers.includes(PROVIDER_OF[op])) return true;
    const available = configAvailable(config);
    return available.ok ? undefined : available.reason;
  },
  render: (bench, args, run) => render(args, run),
});

/** The Markdown section: the run's details, the figures per configuration, and the targets. */
function render(args, run) {
  const { figures, configs: configNames, ops } = run;
  const [small, large] = run.calls;
  const figure = (op, config) => figures[op]?.[config];
  const perCall = (op, config, part = 'total') => figure(op, config)?.perCall?.[part];
  /** Overhead over `none` per call (`part` of it), undefined when either is missing. */
  const overhead = (op, config, part = 'total') => {
    const x = perCall(op, config, part);
    const none = perCall(op, 'none', part);
    return x === undefined || none === undefined ? undefined : x - none;
  };
  const expectedSpans = (config) => (config === 'none' || CONFIGS[config]?.spans === false ? 0 : 1);
  const status = (op, config) => {
    if (!CONFIGS[config]?.providers.includes(PROVIDER_OF[op])) return 'n/a';
    const f = figure(op, config);
    if (!f) return 'not measured';
    if (f.error) return f.error;
    if (f.spansPerCall !== expectedSpans(config))
      return `${f.spansPerCall ?? '?'} spans per call, expected ${expectedSpans(config)}`;
    return 'ok';
  };
  const k = (x) => (x === undefined ? '—' : `${(x / 1000).toFixed(1)} k`);
  const ratio = (over, base) => (over !== undefined && base ? over / base : undefined);
  const r2 = (x) => (x === undefined ? '—' : x.toFixed(2));
  const pass = (ok) => (ok === undefined ? 'not measured' : ok ? 'PASS' : '**FAIL**');
  const describeRun = (r) =>
    `${r.date.slice(0, 16).replace('T', ' ')} UTC; commit ${r.commit ?? 'unknown'}` +
    `${r.dirty?.length ? ` with uncommitted changes in ${r.dirty.map((d) => `\`${d}\``).join(', ')}` : ''}; ` +
    `Node ${r.node}; openai ${r.versions?.openai ?? r.openai}, @anthropic-ai/sdk ${r.versions?.['@anthropic-ai/sdk'] ?? r.anthropic}; ` +
    `run took ${r.minutes} min (\`--jobs ${r.jobs}\`)`;

  const lines = reportHeading(args, run, describeRun);
  lines.push(
    '',
    `In-memory transport; \`--single-threaded\`; ${run.warmup} warm-up calls, a full GC, ${run.settle} settling calls; ` +
      `per call = (I(${large}) − I(${small})) / ${large - small}, counted calls and a full GC after them; ` +
      'k = thousand instructions. Reference = `raw-span-full` on JSON calls, `raw-span-wrap` on streams.',
    '',
    '| operation | config | per call | work / gc / compile | overhead (− none) | ÷ raw-span-full overhead | ÷ reference overhead | work overhead ÷ reference | spans/call |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const op of ops) {
    const ref = reference(op).reference;
    for (const config of configNames) {
      const st = status(op, config);
      if (st === 'n/a') continue;
      if (perCall(op, config) === undefined) {
        lines.push(`| ${op} | ${config} | ${st} | | | | | | |`);
        continue;
      }
      const parts = ['work', 'gc', 'compile'].map((part) => k(perCall(op, config, part))).join(' / ');
      const over = config === 'none' ? undefined : overhead(op, config);
      const compared = !['none', 'raw-span-full', ref].includes(config);
      const spans = figure(op, config).spansPerCall;
      lines.push(
        `| ${op} | ${config} | ${k(perCall(op, config))} | ${parts} | ${config === 'none' ? '0' : k(over)} | ` +
          `${['none', 'raw-span-full'].includes(config) ? '' : r2(ratio(over, overhead(op, 'raw-span-full')))} | ` +
          `${compared ? r2(ratio(over, overhead(op, ref))) : ''} | ` +
          `${compared ? r2(ratio(overhead(op, config, 'work'), overhead(op, ref, 'work'))) : ''} | ` +
          `${spans === undefined ? '?' : spans.toFixed(2)}${st === 'ok' ? '' : ` **${st}**`} |`,
      );
    }
  }

  // Targets: the measure of record is the total per call (work, GC and compilation together);
  // `work` alone is given beside it, as GC and compilation swing by ±20–30 k per call between runs.
  const targetRows = [];
  const ok = (op, config) => status(op, config) === 'ok';
  for (const op of ops) {
    const { reference: ref, limit } = reference(op);
    const refRatio = (part) =>
      ok(op, 'agent-otel') && ok(op, ref)
        ? ratio(overhead(op, 'agent-otel', part), overhead(op, ref, part))
        : undefined;
    const x = refRatio('total');
    targetRows.push([
      op,
      `agent-otel overhead ÷ ${ref} overhead`,
      x === undefined ? '—' : `${r2(x)} (${k(overhead(op, 'agent-otel'))} / ${k(overhead(op, ref))})`,
      r2(refRatio('work')),
      `≤ ${limit.toFixed(2)}`,
      pass(x === undefined ? undefined : x <= limit),
    ]);
    const percent = (part) =>
      ok(op, 'agent-otel-disabled') && perCall(op, 'none', part) !== undefined
        ? (overhead(op, 'agent-otel-disabled', part) / perCall(op, 'none', part)) * 100
        : undefined;
    const signed = (p) => (p === undefined ? '—' : `${p >= 0 ? '+' : ''}${p.toFixed(2)} %`);
    const disabled = percent('total');
    targetRows.push([
      op,
      'agent-otel-disabled over none',
      disabled === undefined ? '—' : `${signed(disabled)} (${k(overhead(op, 'agent-otel-disabled'))})`,
      signed(percent('work')),
      `≤ ${TARGETS.disabledPercent} %`,
      pass(disabled === undefined ? undefined : disabled <= TARGETS.disabledPercent),
    ]);
    for (const peer of TARGETS.peers) {
      if (!configNames.includes(peer) || !CONFIGS[peer].providers.includes(PROVIDER_OF[op])) continue;
      const st = status(op, peer);
      const ours = ok(op, 'agent-otel') ? overhead(op, 'agent-otel') : undefined;
      const theirs = st === 'ok' ? overhead(op, peer) : undefined;
      const work = ok(op, 'agent-otel') && st === 'ok' ? overhead(op, 'agent-otel', 'work') : undefined;
      const theirWork = st === 'ok' ? overhead(op, peer, 'work') : undefined;
      targetRows.push([
        op,
        `agent-otel overhead below ${peer}'s`,
        st !== 'ok' ? `${peer}: ${st}` : `${k(ours)} vs ${k(theirs)} (${r2(ratio(ours, theirs))}×)`,
        st !== 'ok' ? '' : `${k(work)} vs ${k(theirWork)}`,
        'below',
        st !== 'ok' ? 'n/a (peer not comparable)' : pass(ours === undefined ? undefined : ours < theirs),
      ]);
    }
  }
  lines.push(
    '',
    '| operation | target | measured (total) | work only | limit | result |',
    '| --- | --- | --- | --- | --- | --- |',
    ...targetRows.map((r) => `| ${r.join(' | ')} |`),
  );
  if (run.skipped?.length) lines.push('', `Not measured: ${run.skipped.join('; ')}.`);

  lines.push(...shortRunCheck(run));
  return lines.join('\n') + '\n';
}
