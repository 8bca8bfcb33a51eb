// Heap cost per call of model-client instrumentations on the same workload as bench/adapters.mjs:
// bytes allocated per call, and old-space growth per call (what outlived young-generation GCs and
// so costs a major GC later). Unlike CPU time on a shared machine, both are nearly deterministic,
// so small changes to a hot path show up here when they are lost in the noise of the CPU figures.
//
//   npx node bench/adapters-heap.mjs [--configs a,b] [--ops a,b] [--blocks N] [--calls N]
//                                    [--transport memory|http] [--node PATH]
//
// Each configuration runs in two child processes (bench/adapters/worker.mjs): one with a 256 MB
// young generation, so no GC runs inside a block and the growth of the used heap is what the calls
// allocated; one with a 4 MB young generation, where the growth of old space (after a full GC
// before the block) is what the calls left to the major GC. A block during which a GC distorted the
// figure is dropped. Markdown goes to stdout, progress to stderr. See bench/README.md.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CONFIG_NAMES, checkSelection, configAvailable } from './adapters/configs.mjs';
import { request } from './adapters/ipc.mjs';
import { OPERATIONS } from './adapters/workload.mjs';
import { median } from './stats.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const WORKER = here('./adapters/worker.mjs');
const SERVER = here('./adapters/server.mjs');

const { values: args } = parseArgs({
  options: {
    configs: { type: 'string' },
    ops: { type: 'string' },
    blocks: { type: 'string', default: '5' },
    calls: { type: 'string', default: '300' },
    transport: { type: 'string', default: 'memory' },
    node: { type: 'string' },
  },
});
const blocks = Number(args.blocks);
const calls = Number(args.calls);
if (!(blocks >= 1 && calls >= 1)) throw new Error('--blocks and --calls must be ≥ 1');
if (!['http', 'memory'].includes(args.transport)) throw new Error('--transport must be http or memory');
const configNames = args.configs
  ? args.configs.split(',')
  : CONFIG_NAMES.filter((n) => configAvailable(n).ok);
const ops = args.ops ? args.ops.split(',') : OPERATIONS;
checkSelection(configNames, ops);
if (!configNames.includes('none')) configNames.unshift('none');

const METRICS = {
  allocated: ['--min-semi-space-size=256', '--max-semi-space-size=256'],
  'old-space': ['--min-semi-space-size=4', '--max-semi-space-size=4'],
};
const log = (...a) => process.stderr.write(a.join(' ') + '\n');
const kb = (bytes) => (bytes / 1024).toFixed(1);

const start = (script, argv, execArgv) =>
  fork(script, argv, {
    execPath: args.node ?? process.execPath,
    execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });

const server = start(SERVER, [], []);
const { url } = await request(server, undefined, 'ready');
const results = {}; // config → op → metric → { median } or { status }
try {
  for (const name of configNames) {
    results[name] = {};
    for (const [metric, flags] of Object.entries(METRICS)) {
      const options = { processor: 'simple', transport: args.transport, ops, warmup: 300 };
      const child = start(WORKER, [name, url, JSON.stringify(options)], ['--expose-gc', ...flags]);
      const ready = await request(child, undefined, 'ready');
      for (const op of ops) {
        results[name][op] ??= {};
        if (ready.ops[op]?.status !== 'ok') {
          results[name][op][metric] = { status: ready.ops[op]?.status ?? 'n/a' };
          continue;
        }
        const kept = [];
        let dropped = 0;
        for (let b = 0; b < blocks + 3 && kept.length < blocks; b++) {
          const r = await request(
            child,
            { type: 'heap', op, calls, warmup: Math.max(5, calls / 10), metric },
            'heap',
          );
          if (r.error) throw new Error(`${name} ${op}: ${r.error}`);
          if (r.gcInBlock) dropped++;
          else kept.push(r.bytesPerCall);
        }
        results[name][op][metric] = kept.length
          ? { median: median(kept) }
          : { status: `every block had a GC (${dropped})` };
      }
      child.kill();
      log(`  ${name} ${metric}: done`);
    }
  }
} finally {
  server.kill();
}

const cell = (r, base) => {
  if (!r || r.median === undefined) return r?.status ?? '—';
  const d = base?.median !== undefined ? r.median - base.median : undefined;
  const delta = d === undefined ? '' : ` (${d < 0 ? '−' : '+'}${kb(Math.abs(d))})`;
  return `${kb(r.median)}${delta}`;
};
const lines = [
  `Node ${process.version}${args.node ? ` (children: ${args.node})` : ''}; transport ${args.transport}; ` +
    `${blocks} blocks × ${calls} calls per figure (median); KB per call, (+ over none).`,
  '',
];
for (const metric of Object.keys(METRICS)) {
  lines.push(`##### ${metric === 'allocated' ? 'Allocated per call' : 'Old-space growth per call'}`, '');
  lines.push(`| config | ${ops.join(' | ')} |`, `| --- | ${ops.map(() => '---').join(' | ')} |`);
  for (const name of configNames) {
    const row = ops.map((op) =>
      cell(results[name][op]?.[metric], name === 'none' ? undefined : results.none[op]?.[metric]),
    );
    lines.push(`| ${name} | ${row.join(' | ')} |`);
  }
  lines.push('');
}
process.stdout.write(lines.join('\n'));
