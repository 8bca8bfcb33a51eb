// Per-call overhead of model-client instrumentations on the same workload, and what loading each one
// costs. One run, every configuration in its own child processes (`--procs`, default 4), interleaved
// round-robin.
//
//   npx node bench/adapters.mjs                  full run with this Node (≈ 3–6 min)
//   npx node bench/adapters.mjs --quick          smoke run (< 1 min)
//   npx node bench/adapters.mjs --node PATH      run the children with another Node executable
//                                                (repeatable: --node A --node B runs both, in turn)
//   npx node bench/adapters.mjs --steady         warmed steady state: 20,000 warm-up calls per operation
//                                                in each child, no forced GC (= --warmup 20000 --gc natural)
// Other options: --steady --rounds N --calls N --procs N --block-warmup N --warmup N --load-reps N --configs a,b --ops a,b
//                --processor simple|batch --peer-defaults --transport http|memory --gc settled|block|natural
//                --json FILE
// Markdown goes to stdout, progress to stderr. See bench/README.md for the methodology.
import { fork, execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { CONFIG_NAMES, CONFIGS, checkSelection, configAvailable } from './adapters/configs.mjs';
import { request, startServer } from './adapters/ipc.mjs';
import { OPERATIONS } from './adapters/workload.mjs';
import { median } from './stats.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const WORKER = here('./adapters/worker.mjs');
const LOADER = here('./adapters/load.mjs');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    node: { type: 'string', multiple: true },
    rounds: { type: 'string' },
    calls: { type: 'string' },
    procs: { type: 'string' },
    'block-warmup': { type: 'string' },
    warmup: { type: 'string' },
    'load-reps': { type: 'string' },
    configs: { type: 'string' },
    ops: { type: 'string' },
    processor: { type: 'string', default: 'simple' },
    'peer-defaults': { type: 'boolean', default: false },
    transport: { type: 'string', default: 'http' },
    json: { type: 'string' },
    gc: { type: 'string' },
    steady: { type: 'boolean', default: false },
  },
});
// `--steady`: measure processes past their warm-up (see bench/README.md, Twelfth session: a child's
// per-call cost keeps falling for thousands of calls), with the GCs their own allocation causes.
// Explicit --warmup / --gc still win.
if (args.steady) {
  args.warmup ??= '20000';
  args.gc ??= 'natural';
}
args.gc ??= 'settled';
const num = (v, full, quick) => (v !== undefined ? Number(v) : args.quick ? quick : full);
const P = {
  rounds: num(args.rounds, 20, 3),
  calls: num(args.calls, 100, 60), // measured calls per block
  // Child processes per configuration; round r measures process r mod procs of each one. Identical
  // processes measured up to ~100 µs per call apart (bench/README.md, Eleventh session): with one
  // process per configuration, any such per-process bias would sit, unseen, in every paired
  // difference. Spreading the rounds over several processes puts it in the ranges.
  procs: num(args.procs, 4, 1),
  // Unmeasured calls before each block: after a forced full GC (`--gc settled`), enough for the code
  // the GC deoptimised to be optimised again.
  blockWarmup:
    args['block-warmup'] !== undefined
      ? Number(args['block-warmup'])
      : Math.max(5, Math.round(num(args.calls, 100, 60) / (args.gc === 'settled' ? 2 : 10))),
  warmup: num(args.warmup, 300, 40), // calls per operation when a child starts (and span check)
  loadReps: num(args['load-reps'], 10, 2),
  processor: args.processor,
  peerDefaults: args['peer-defaults'],
  transport: args.transport,
  gc: args.gc,
};
if (!['http', 'memory'].includes(P.transport)) throw new Error('--transport must be http or memory');
if (!['settled', 'block', 'natural'].includes(P.gc))
  throw new Error('--gc must be settled, block or natural');
const nodes = args.node?.length ? args.node : [process.execPath];
const configNames = args.configs ? args.configs.split(',') : CONFIG_NAMES;
const ops = args.ops ? args.ops.split(',') : OPERATIONS;
checkSelection(configNames, ops);
if (P.rounds < 1 || P.calls < 1 || !(P.procs >= 1))
  throw new Error('--rounds, --calls and --procs must be ≥ 1');

const log = (...a) => process.stderr.write(a.join(' ') + '\n');
const childOptions = { processor: P.processor, peerDefaults: P.peerDefaults, transport: P.transport };

// ---- statistics and formatting ------------------------------------------------------------------

const GC_MODES = {
  settled: 'a full GC (`gc()`) before the unmeasured calls of every block',
  block: 'a full GC (`gc()`) right before the measured calls of every block',
  natural: 'no forced GC (each configuration runs the GCs its own allocation causes)',
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const digits = (x) => (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2);
const f = (x, d = digits(x)) => x.toFixed(d);
const range = (xs, d) => {
  if (!xs?.length) return '—';
  const m = median(xs);
  const dd = d ?? digits(m);
  return `${f(m, dd)} (${f(Math.min(...xs), dd)}–${f(Math.max(...xs), dd)})`;
};
const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
const rotate = (xs, k) => xs.map((_, i) => xs[(i + k) % xs.length]);

// ---- processes ----------------------------------------------------------------------------------

async function startWorker(node, name, url) {
  const child = fork(WORKER, [name, url, JSON.stringify({ ...childOptions, ops, warmup: P.warmup })], {
    execPath: node,
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  try {
    const ready = await request(child, undefined, 'ready');
    return { name, child, ready, stderr: () => stderr };
  } catch (err) {
    return {
      name,
      child: undefined,
      error: `${err.message}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`,
    };
  }
}

const execFileP = promisify(execFile);
async function loadCost(node, name) {
  const { stdout } = await execFileP(node, ['--expose-gc', LOADER, name, JSON.stringify(childOptions)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

// ---- one Node executable ------------------------------------------------------------------------

async function runNode(node, server) {
  const out = { node, load: {}, workers: {}, samples: {} };
  const available = {};
  for (const name of configNames) available[name] = configAvailable(name);
  const runnable = configNames.filter((n) => available[n].ok);
  const load0 = loadavg()[0];

  // Load cost, in fresh processes, configurations interleaved.
  for (const name of runnable) out.load[name] = [];
  for (let rep = 0; rep < P.loadReps; rep++) {
    for (const name of rotate(runnable, rep)) {
      try {
        out.load[name].push(await loadCost(node, name));
      } catch (err) {
        out.load[name].error = err.message.split('\n').slice(0, 3).join(' / ');
      }
    }
  }
  log(`  load cost: ${P.loadReps} fresh processes per configuration done`);

  // Per-call CPU: `procs` children per configuration, one configuration after the other, its
  // children started together (their warm-up also checks that each operation produces spans). A
  // configuration whose first child reports an operation as not measurable is not measured on it in
  // any child.
  const groups = [];
  for (const name of runnable) {
    const started = await Promise.all(
      Array.from({ length: P.procs }, () => startWorker(node, name, server.url)),
    );
    const procs = started.filter((w) => !w.error);
    const error = started.find((w) => w.error)?.error;
    if (error) for (const w of procs) w.child.kill();
    const first = procs[0];
    out.workers[name] = error ? { error } : { ops: first.ready.ops, versions: first.ready.versions };
    log(
      `  ${name}: ${error ?? `${procs.length} × ` + ops.map((o) => `${o}=${first.ready.ops[o].status}`).join(' ')}`,
    );
    if (!error) groups.push({ name, procs, ops: first.ready.ops });
  }
  const measurable = (g, op) => g.ops[op]?.status === 'ok';
  for (const g of groups) out.samples[g.name] = Object.fromEntries(ops.map((op) => [op, []]));

  for (let round = 0; round < P.rounds; round++) {
    for (const op of rotate(ops, round)) {
      for (const g of rotate(groups, round)) {
        if (!measurable(g, op)) continue;
        const proc = round % g.procs.length;
        await request(server.child, { type: 'reset' }, 'reset');
        const r = await request(
          g.procs[proc].child,
          { type: 'run', op, calls: P.calls, warmup: P.blockWarmup, gc: P.gc },
          'result',
        );
        if (r.error) {
          g.ops[op] = { ...g.ops[op], status: 'error', error: r.error };
          continue;
        }
        out.samples[g.name][op][round] = { ...r, proc };
      }
    }
    log(`  round ${round + 1}/${P.rounds} done (load average ${loadavg()[0].toFixed(2)})`);
  }
  for (const g of groups) for (const w of g.procs) w.child.kill();
  out.available = available;
  out.loadavg = [load0, loadavg()[0]];
  return out;
}

// ---- report -------------------------------------------------------------------------------------

function report(res) {
  const lines = [];
  const anyWorker = Object.values(res.workers).find((w) => w.versions);
  const v = anyWorker?.versions ?? {};
  lines.push(`### Node ${v.node ?? res.node}`);
  lines.push('');
  lines.push(
    `openai ${v.openai}, @anthropic-ai/sdk ${v.anthropic}; ${P.processor === 'batch' ? 'BatchSpanProcessor' : 'SimpleSpanProcessor'} → discarding exporter; ` +
      `${P.rounds} rounds × ${P.calls} calls per block (+${P.blockWarmup} unmeasured), ${P.warmup} warm-up calls per operation; ` +
      `${P.procs} child process${P.procs > 1 ? 'es' : ''} per configuration (round r measures process r mod ${P.procs}); ` +
      `${GC_MODES[P.gc]}; ` +
      `peer content capture ${P.peerDefaults ? 'at their defaults' : 'off'}; ` +
      `transport ${P.transport === 'memory' ? "memory (recorded server responses replayed through the clients' `fetch`)" : 'HTTP to the scripted server'}; load average ${res.loadavg.map((x) => x.toFixed(1)).join(' → ')}` +
      `${args.quick ? ' — **quick run, not for quoting**' : ''}.`,
  );
  lines.push('');

  const cpu = (name, op) => (res.samples[name]?.[op] ?? []).map((s) => s?.cpuUsPerCall);
  // Per-round paired values; undefined where either side is missing.
  const paired = (a, b, op, fn) => {
    const xs = cpu(a, op);
    const ys = cpu(b, op);
    const out = [];
    for (let i = 0; i < P.rounds; i++)
      if (xs[i] !== undefined && ys[i] !== undefined) out.push(fn(xs[i], ys[i], i));
    return out;
  };
  const status = (name, op) => {
    if (!res.available[name]?.ok) return 'not built';
    const w = res.workers[name];
    if (w?.error) return 'child failed';
    const s = w?.ops?.[op];
    if (!s) return '—';
    if (s.status === 'no-spans') return '**no spans**';
    if (s.status === 'unexpected-spans') return '**spans while disabled**';
    if (s.status === 'error') return `**error**: ${s.error}`;
    return s.status;
  };

  for (const op of ops) {
    lines.push(`#### ${op}`);
    lines.push('');
    const rows = [];
    for (const name of configNames) {
      const st = status(name, op);
      if (st !== 'ok') {
        rows.push([name, st, '', '', '', '', '', '']);
        continue;
      }
      const xs = cpu(name, op).filter((x) => x !== undefined);
      // The median of each child process's blocks: how far apart identical processes sit.
      const byProc = new Map();
      for (const s of res.samples[name][op] ?? [])
        if (s) byProc.set(s.proc, [...(byProc.get(s.proc) ?? []), s.cpuUsPerCall]);
      const procMedians = [...byProc.values()].map(median);
      const spans = (res.samples[name][op] ?? []).filter(Boolean).map((s) => s.spansPerCall);
      const over = name === 'none' ? [] : paired(name, 'none', op, (x, n) => x - n);
      const vsNone = name === 'none' ? [] : paired(name, 'none', op, (x, n) => x / n);
      const vsRaw =
        name === 'raw-span' || name === 'none' ? [] : paired(name, 'raw-span', op, (x, r) => x / r);
      rows.push([
        name,
        range(xs),
        f(mean(xs)),
        procMedians.length > 1 ? `${f(Math.min(...procMedians), 0)}–${f(Math.max(...procMedians), 0)}` : '',
        name === 'none' ? '0' : range(over),
        name === 'none' ? '1' : range(vsNone, 3),
        name === 'raw-span' ? '1' : name === 'none' ? '' : range(vsRaw, 3),
        spans.length ? f(median(spans), 2) : '',
      ]);
    }
    lines.push(
      table(
        [
          'config',
          'CPU µs/call, median (min–max)',
          'mean',
          'per-process medians',
          'overhead µs/call (− none)',
          '× none',
          '× raw-span',
          'spans/call',
        ],
        rows,
      ),
    );
    lines.push('');
  }

  // Targets.
  lines.push(
    '#### Targets: agent-otel overhead ≤ raw-span and < every peer (difference of overheads, µs/call)',
  );
  lines.push('');
  const trows = [];
  for (const op of ops) {
    if (status('agent-otel', op) !== 'ok') {
      trows.push([op, 'agent-otel', status('agent-otel', op), '', '', '', '']);
      continue;
    }
    const notCompared = ['none', 'agent-otel', 'agent-otel+sdk', 'agent-otel-disabled'];
    for (const other of configNames.filter((n) => !notCompared.includes(n))) {
      const st = status(other, op);
      if (st === 'n/a') continue;
      if (st !== 'ok') {
        trows.push([op, `vs ${other}`, '', '', `n/a (${other}: ${st.replace(/\*/g, '')})`, '', '']);
        continue;
      }
      const d = paired('agent-otel', other, op, (a, b) => a - b);
      if (!d.length) continue;
      const m = median(d);
      const strict = !other.startsWith('raw-span');
      const ok = strict ? m < 0 : m <= 0;
      const noisy = Math.min(...d) < 0 && Math.max(...d) > 0;
      const wins = d.filter((x) => (strict ? x < 0 : x <= 0)).length;
      // The mean counts every GC each configuration caused in its blocks (with `--gc natural`, a
      // major GC lands in one block and is invisible to the median).
      const dm = mean(d);
      const okMean = strict ? dm < 0 : dm <= 0;
      trows.push([
        op,
        `vs ${other}`,
        range(d),
        `${wins}/${d.length}`,
        `${ok ? 'PASS' : '**FAIL**'}${noisy ? ' (range crosses 0)' : ''}`,
        f(dm),
        okMean ? 'PASS' : '**FAIL**',
      ]);
    }
  }
  lines.push(
    table(
      [
        'operation',
        'comparison',
        'agent-otel − other, median (min–max)',
        'rounds agent-otel cheaper',
        'target (by median)',
        'mean',
        'target (by mean)',
      ],
      trows,
    ),
  );
  lines.push('');

  // Span check.
  lines.push('#### Span check (warm-up calls of each child)');
  lines.push('');
  const srows = [];
  for (const name of configNames.filter((n) => n !== 'none')) {
    const w = res.workers[name];
    if (!res.available[name]?.ok) {
      srows.push([name, 'all', 'not built', '', '', '', res.available[name].reason]);
      continue;
    }
    if (w?.error) {
      srows.push([name, 'all', 'child failed', '', '', '', w.error]);
      continue;
    }
    for (const op of ops) {
      const s = w.ops[op];
      if (s.status === 'n/a') continue;
      const sm = s.sample;
      srows.push([
        name,
        op,
        s.status === 'ok' ? 'ok' : `**${s.status}**`,
        s.spansPerCall !== undefined ? f(s.spansPerCall, 2) : '',
        sm ? `\`${sm.name}\` (${sm.scope})` : '',
        sm
          ? `${sm.attributes} attrs; ` +
            (sm.usage
              ? `${sm.usage} usage attrs (in ${sm.inputTokens ?? '?'}, out ${sm.outputTokens ?? '?'})`
              : '**no usage**')
          : '',
        [
          ...(s.notes ?? []).map((n) => (n.length > 110 ? `${n.slice(0, 107)}…` : n)),
          s.error,
          s.nativePerCall && CONFIGS[name].nativeAnthropicTracing !== 'counted'
            ? `+ ${f(s.nativePerCall, 2)} @anthropic-ai/sdk spans/call (not counted)`
            : '',
        ]
          .filter(Boolean)
          .join('; '),
      ]);
    }
  }
  lines.push(
    table(
      [
        'config',
        'operation',
        'status',
        'spans/call',
        'span (scope)',
        'recorded',
        'how it was patched / notes',
      ],
      srows,
    ),
  );
  lines.push('');

  // Load cost.
  lines.push(
    `#### Load cost (${P.loadReps} fresh processes each; median (min–max); heap = heapUsed delta after gc)`,
  );
  lines.push('');
  const L = (name, phase, key) => (res.load[name] ?? []).map((r) => r[phase][key]);
  const noneClients = (key) => L('none', 'clients', key);
  const lrows = [];
  for (const name of configNames) {
    if (!res.available[name]?.ok) {
      lrows.push([name, 'not built', '', '', '', '', '', '']);
      continue;
    }
    if (res.load[name]?.error && !res.load[name].length) {
      lrows.push([name, `error: ${res.load[name].error}`, '', '', '', '', '', '']);
      continue;
    }
    const total = (key) => {
      const a = L(name, 'instrument', key);
      const b = L(name, 'clients', key);
      const n = noneClients(key);
      return a.map((x, i) => x + b[i] - (n[i] ?? median(n)));
    };
    lrows.push([
      name,
      range(L(name, 'instrument', 'ms'), 1),
      range(L(name, 'instrument', 'heapMB'), 2),
      f(median(L(name, 'instrument', 'modules')), 0),
      range(L(name, 'clients', 'ms'), 1),
      name === 'none' ? '0' : range(total('ms'), 1),
      name === 'none' ? '0' : range(total('cpuMs'), 1),
      name === 'none' ? '0' : range(total('heapMB'), 2),
    ]);
  }
  lines.push(
    table(
      [
        'config',
        'import + enable: wall ms',
        'heap MB',
        'modules',
        'then require both clients: wall ms',
        'total − none: wall ms',
        'CPU ms',
        'heap MB',
      ],
      lrows,
    ),
  );
  lines.push('');
  return lines.join('\n');
}

// ---- main ---------------------------------------------------------------------------------------

const started = Date.now();
const server = await startServer();
const results = [];
try {
  for (const node of nodes) {
    log(`# ${node}`);
    const res = await runNode(node, server);
    results.push(res);
    process.stdout.write(report(res) + '\n');
  }
} finally {
  server.child.kill();
}
if (args.json)
  writeFileSync(args.json, JSON.stringify({ params: P, configs: configNames, ops, results }, null, 2));
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
