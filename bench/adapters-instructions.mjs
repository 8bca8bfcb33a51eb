// Instructions executed per model call, counted by valgrind (cachegrind), for the configurations and
// workload of bench/adapters.mjs. CPU time on a shared machine moves by ±30 % from block to block;
// the count moves by a few percent, so it can tell apart much smaller differences.
//
//   npx node bench/adapters-instructions.mjs                 none, raw-span-full, agent-otel × 4 ops
//   npx node bench/adapters-instructions.mjs --configs none,agent-otel --ops chat
// Options: --configs a,b --ops a,b --warmup N (1000) --calls A,B (100,1100) --jobs N (2)
//
// Each figure: one child (adapters/worker.mjs, in-memory transport, `node --single-threaded`, so
// the garbage collector and the compilers run on the main thread and are counted too) runs `warmup`
// calls, a full GC, A calls and a full GC; a second child the same with B calls; instructions per
// call = (I(B) − I(A)) / (B − A), which cancels start-up, loading and warm-up and includes
// collecting the garbage the calls left (a major GC that happens to fall inside one run would
// otherwise move a figure by 10–20 %). Needs valgrind (`apt-get install valgrind`); about 15
// minutes for the default 12 figures on 2 cores. Markdown to stdout, progress to stderr.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { CONFIGS, checkSelection, configAvailable } from './adapters/configs.mjs';
import { startServer } from './adapters/ipc.mjs';
import { OPERATIONS, PROVIDER_OF } from './adapters/workload.mjs';

const execFileP = promisify(execFile);
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const WORKER = here('./adapters/worker.mjs');

const { values: args } = parseArgs({
  options: {
    configs: { type: 'string', default: 'none,raw-span-full,agent-otel' },
    ops: { type: 'string' },
    warmup: { type: 'string', default: '1000' },
    calls: { type: 'string', default: '100,1100' },
    jobs: { type: 'string', default: '2' },
  },
});
const configNames = args.configs.split(',');
const ops = args.ops ? args.ops.split(',') : OPERATIONS;
const warmup = Number(args.warmup);
const [small, large] = args.calls.split(',').map(Number);
const jobs = Math.max(1, Number(args.jobs));
checkSelection(configNames, ops);
if (!(large > small && small >= 0)) throw new Error('--calls A,B needs 0 ≤ A < B');
const log = (...a) => process.stderr.write(a.join(' ') + '\n');

try {
  await execFileP('valgrind', ['--version']);
} catch {
  log('valgrind not found: install it (apt-get install valgrind) to count instructions.');
  process.exit(1);
}

const server = await startServer();

/** Instructions of one whole child process: warm-up, then `count` calls of `op`. */
async function count(config, op, calls) {
  const options = { transport: 'memory', processor: 'simple', ops: [op], warmup, count: calls };
  const { stderr } = await execFileP(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      '--single-threaded',
      '--expose-gc',
      WORKER,
      config,
      server.url,
      JSON.stringify(options),
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const match = /I\s+refs:\s+([\d,]+)/.exec(stderr);
  if (!match)
    throw new Error(`no instruction count from valgrind for ${config} ${op}:\n${stderr.slice(-500)}`);
  return Number(match[1].replace(/,/g, ''));
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
      log(`  ${task.op} ${task.config} ${task.calls} calls: ${n.toLocaleString('en')} instructions`);
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
}

const perCall = (op, config) => {
  const c = counts[op]?.[config];
  return c?.[large] !== undefined && c?.[small] !== undefined
    ? (c[large] - c[small]) / (large - small)
    : undefined;
};
const k = (x) => (x === undefined ? '—' : `${(x / 1000).toFixed(1)} k`);
const lines = [
  `Node ${process.version}; in-memory transport; \`--single-threaded\`; ${warmup} warm-up calls; ` +
    `per call = (I(${large}) − I(${small})) / ${large - small}.`,
  '',
  '| operation | config | instructions per call | overhead (− none) | overhead ÷ raw-span-full overhead |',
  '| --- | --- | --- | --- | --- |',
];
for (const op of ops) {
  const none = perCall(op, 'none');
  const rawFull = perCall(op, 'raw-span-full');
  for (const config of configNames) {
    const c = counts[op]?.[config];
    if (!c) continue;
    if (c.error) {
      lines.push(`| ${op} | ${config} | error: ${c.error} | | |`);
      continue;
    }
    const x = perCall(op, config);
    const over = none !== undefined && config !== 'none' ? x - none : undefined;
    const ratio =
      over !== undefined && rawFull !== undefined && none !== undefined && config !== 'raw-span-full'
        ? (over / (rawFull - none)).toFixed(2)
        : '';
    lines.push(`| ${op} | ${config} | ${k(x)} | ${config === 'none' ? '0' : k(over)} | ${ratio} |`);
  }
}
process.stdout.write(lines.join('\n') + '\n');
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
