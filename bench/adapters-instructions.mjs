// Instructions executed per model call, counted by valgrind (callgrind), for the configurations and
// workload of bench/adapters.mjs. CPU time on a shared machine moves by ±30 % from block to block;
// the count moves by a few percent, so it can tell apart much smaller differences.
//
//   npx node bench/adapters-instructions.mjs                 none, raw-span-full, agent-otel × 4 ops
//   npx node bench/adapters-instructions.mjs --configs none,agent-otel --ops chat
// Options: --configs a,b --ops a,b --warmup N (1000) --settle N (3000) --calls A,B (100,1100)
//          --jobs N (2)
//
// Each figure: one child (adapters/worker.mjs, in-memory transport, `node --single-threaded`, so
// the garbage collector and the compilers run on the main thread and are counted too) runs
// `warmup` calls, a full GC, `settle` calls, then A calls and a full GC with callgrind counting
// (its instrumentation is off until then); a second child the same with B calls; instructions per
// call = (I(B) − I(A)) / (B − A), which cancels start-up, loading and warm-up and includes the
// young-generation GCs of the calls and collecting what they left. The `settle` calls let V8
// re-optimise what the full GC deoptimised (a full GC drops the hidden classes no live object uses
// and the code compiled against them) and let functions still tiering up get there: counted right
// after the GC, that recompilation was up to half of a configuration's overhead, and it varied
// with where the GC fell. The old space starts at 512 MB, so no major GC falls inside a counted run
// by chance. Split per call: `gc` (inclusive cost of V8's Heap::CollectGarbage), `compile`
// (optimising and lazy compilation), the rest `work`. Needs valgrind (`apt-get install valgrind`,
// which brings callgrind_control and callgrind_annotate); about 20 minutes for the default 12
// figures on 2 cores. Markdown to stdout, progress to stderr.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CONFIGS, checkSelection, configAvailable } from './adapters/configs.mjs';
import { startServer } from './adapters/ipc.mjs';
import { OPERATIONS, PROVIDER_OF } from './adapters/workload.mjs';
import { execFileP, requireValgrind, runSizes } from './valgrind.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const WORKER = here('./adapters/worker.mjs');

const { values: args } = parseArgs({
  options: {
    configs: { type: 'string', default: 'none,raw-span-full,agent-otel' },
    ops: { type: 'string' },
    warmup: { type: 'string', default: '1000' },
    settle: { type: 'string', default: '3000' },
    calls: { type: 'string', default: '100,1100' },
    jobs: { type: 'string', default: '2' },
  },
});
const configNames = args.configs.split(',');
const ops = args.ops ? args.ops.split(',') : OPERATIONS;
const warmup = Number(args.warmup);
const settle = Number(args.settle);
const [small, large] = runSizes(args.calls, 'calls');
const jobs = Math.max(1, Number(args.jobs));
checkSelection(configNames, ops);
const log = (...a) => process.stderr.write(a.join(' ') + '\n');

await requireValgrind();

const server = await startServer();

const outDir = await mkdtemp(join(tmpdir(), 'agent-otel-bench-callgrind-'));
let runs = 0;

/**
 * What callgrind_annotate charges, inclusive, to the functions whose full names (`name(params)`,
 * without the ` [object file]` suffix) match `pattern`. Patterns must end at the parameter list:
 * a lambda inside a function (`…CollectGarbage(…)::{lambda()#2}::operator()`) carries the same
 * cost again and must not match.
 */
function inclusive(annotated, pattern) {
  let total = 0;
  for (const line of annotated.split('\n')) {
    const match = /^\s*([\d,]+)\s.*?\?\?\?:(.*?)(?: \[[^\]]*\])?$/.exec(line);
    if (match && pattern.test(match[2])) total += Number(match[1].replace(/,/g, ''));
  }
  return total;
}

/** Instructions of the counted part of one child: `calls` calls of `op` and a full GC, split. */
async function count(config, op, calls) {
  const options = {
    transport: 'memory',
    processor: 'simple',
    ops: [op],
    warmup,
    settle,
    count: calls,
    callgrind: true,
  };
  const out = join(outDir, `${runs++}.out`);
  await execFileP(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      '--dump-instr=no',
      `--callgrind-out-file=${out}`,
      process.execPath,
      '--single-threaded',
      '--expose-gc',
      '--initial-old-space-size=512',
      WORKER,
      config,
      server.url,
      JSON.stringify(options),
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const { stdout: annotated } = await execFileP(
    'callgrind_annotate',
    ['--inclusive=yes', '--threshold=100', out],
    {
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const totals = /^\s*([\d,]+)\s+\(100\.0+%\)\s+PROGRAM TOTALS/m.exec(annotated);
  if (!totals) throw new Error(`no instruction total from callgrind for ${config} ${op}`);
  const total = Number(totals[1].replace(/,/g, ''));
  const gc = inclusive(annotated, /^v8::internal::Heap::CollectGarbage\([^()]*\)$/);
  const compile = inclusive(
    annotated,
    /^v8::internal::(?:Compiler::CompileOptimized|Runtime_CompileLazy)\([^()]*\)$/,
  );
  await rm(out, { force: true });
  return { total, gc, compile, work: total - gc - compile };
}

const tasks = [];
for (const op of ops)
  for (const config of configNames) {
    if (!CONFIGS[config].providers.includes(PROVIDER_OF[op])) continue;
    if (!configAvailable(config).ok) continue;
    for (const calls of [small, large]) tasks.push({ op, config, calls });
  }
const counts = {};
const started = Date.now();
let next = 0;
async function runner() {
  while (next < tasks.length) {
    const task = tasks[next++];
    try {
      const n = await count(task.config, task.op, task.calls);
      ((counts[task.op] ??= {})[task.config] ??= {})[task.calls] = n;
      log(`  ${task.op} ${task.config} ${task.calls} calls: ${n.total.toLocaleString('en')} instructions`);
    } catch (err) {
      ((counts[task.op] ??= {})[task.config] ??= {}).error = err.message.split('\n')[0];
      log(`  ${task.op} ${task.config}: ${err.message}`);
    }
  }
}
try {
  await Promise.all(Array.from({ length: jobs }, runner));
} finally {
  server.child.kill();
  await rm(outDir, { recursive: true, force: true });
}

const perCall = (op, config, part = 'total') => {
  const c = counts[op]?.[config];
  return c?.[large] !== undefined && c?.[small] !== undefined
    ? (c[large][part] - c[small][part]) / (large - small)
    : undefined;
};
const k = (x) => (x === undefined ? '—' : `${(x / 1000).toFixed(1)} k`);
const ratio = (over, base) => (over !== undefined && base ? (over / base).toFixed(2) : '');
const lines = [
  `Node ${process.version}; in-memory transport; \`--single-threaded\`; ${warmup} warm-up calls, a full ` +
    `GC, ${settle} settling calls; per call = (I(${large}) − I(${small})) / ${large - small}, counted calls ` +
    'and a full GC after them; k = thousand instructions.',
  '',
  '| operation | config | per call | work / gc / compile | overhead (− none) | ÷ raw-span-full overhead | work overhead ÷ raw-span-full |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
for (const op of ops) {
  const none = perCall(op, 'none');
  const noneWork = perCall(op, 'none', 'work');
  const rawOver = perCall(op, 'raw-span-full') - none;
  const rawWorkOver = perCall(op, 'raw-span-full', 'work') - noneWork;
  for (const config of configNames) {
    const c = counts[op]?.[config];
    if (!c) continue;
    if (c.error) {
      lines.push(`| ${op} | ${config} | error: ${c.error} | | | | |`);
      continue;
    }
    const x = perCall(op, config);
    const parts = ['work', 'gc', 'compile'].map((part) => k(perCall(op, config, part))).join(' / ');
    const isBase = config === 'none' || config === 'raw-span-full';
    const over = config !== 'none' && none !== undefined ? x - none : undefined;
    const workOver =
      config !== 'none' && noneWork !== undefined ? perCall(op, config, 'work') - noneWork : undefined;
    lines.push(
      `| ${op} | ${config} | ${k(x)} | ${parts} | ${config === 'none' ? '0' : k(over)} | ` +
        `${isBase ? '' : ratio(over, rawOver)} | ${isBase ? '' : ratio(workOver, rawWorkOver)} |`,
    );
  }
}
process.stdout.write(lines.join('\n') + '\n');
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
