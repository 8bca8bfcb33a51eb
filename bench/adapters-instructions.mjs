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
// again, later files replacing the figures they hold (re-measure a few, then merge).
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CONFIGS,
  checkSelection,
  configAvailable,
  installedVersion as version,
} from './adapters/configs.mjs';
import { OPERATIONS, PROVIDER_OF } from './adapters/workload.mjs';
import { runSizes } from './valgrind.mjs';

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

const USAGE = `Usage: npx node bench/adapters-instructions.mjs [options]

Instructions per model call (valgrind callgrind), each configuration in its own process.

  --configs a,b     configurations (default ${DEFAULT_CONFIGS.join(',')})
  --ops a,b         operations (default ${OPERATIONS.join(',')})
  --warmup N        calls before the full GC (1000)
  --settle N        calls after it, before counting (3000)
  --calls A,B       the two counted run lengths; per call = (I(B) - I(A)) / (B - A) (100,1100)
  --jobs N          children at a time (2)
  --label NAME      also write the report into the results file as section NAME, replacing the
                    section of that label if there is one (e.g. before, after)
  --title TEXT      that section's heading (default: "NAME (<branch> at <commit>)")
  --results FILE    the results file (default bench/RESULTS.md)
  --json FILE       save the figures (per call, split, spans) and the run's details as JSON
  --from F1,F2      measure nothing: report the figures saved in F1, each later file replacing
                    the figures it holds (--configs / --ops select among them)
  --keep DIR        keep each child's callgrind profile in DIR (for callgrind_annotate)
  --help            this text

Markdown to stdout, progress to stderr. A configuration that does not support an operation
(peers: see bench/adapters/configs.mjs) is skipped for it.`;

const { values: args } = parseArgs({
  options: {
    configs: { type: 'string' },
    ops: { type: 'string' },
    warmup: { type: 'string', default: '1000' },
    settle: { type: 'string', default: '3000' },
    calls: { type: 'string', default: '100,1100' },
    jobs: { type: 'string', default: '2' },
    label: { type: 'string' },
    title: { type: 'string' },
    results: { type: 'string', default: here('./RESULTS.md') },
    json: { type: 'string' },
    from: { type: 'string' },
    keep: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(USAGE + '\n');
  process.exit(0);
}
if (args.label !== undefined && !/^[\w.-]+$/.test(args.label))
  throw new Error('--label takes letters, digits, ".", "_" and "-" only');
const log = (...a) => process.stderr.write(a.join(' ') + '\n');

const run = args.from ? await load(args.from.split(',')) : await measure();
if (args.json) {
  await writeFile(args.json, JSON.stringify(run, null, 2) + '\n');
  log(`saved the figures to ${args.json}`);
}
const section = render(run);
process.stdout.write(section);
if (args.label !== undefined) {
  await writeSection(args.results, args.label, section);
  log(`wrote section "${args.label}" to ${args.results}`);
}

// ---- measuring ----------------------------------------------------------------------------------

/** Counts every selected configuration × operation; returns the run (see `render`). */
async function measure() {
  const configNames = args.configs ? args.configs.split(',') : DEFAULT_CONFIGS;
  const ops = args.ops ? args.ops.split(',') : OPERATIONS;
  checkSelection(configNames, ops);
  const warmup = Number(args.warmup);
  const settle = Number(args.settle);
  const [small, large] = runSizes(args.calls, 'calls');
  const jobs = Math.max(1, Number(args.jobs));
  const { startServer } = await import('./adapters/ipc.mjs');
  const { execFileP, requireValgrind } = await import('./valgrind.mjs');
  await requireValgrind();
  if (args.keep) await mkdir(args.keep, { recursive: true });

  const server = await startServer();
  const outDir = await mkdtemp(join(tmpdir(), 'agent-otel-bench-callgrind-'));
  const started = Date.now();
  const date = new Date().toISOString();

  /** The counted part of one child (`calls` calls of `op` and a full GC): instructions, split, spans. */
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
    const out = join(outDir, `${config}.${op}.${calls}.out`);
    let stdout;
    try {
      ({ stdout } = await execFileP(
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
      ));
    } catch (err) {
      // The worker names what went wrong (e.g. `no-spans`) on stderr, among valgrind's own lines.
      const reason = /agent-otel-bench: \S+ \S+: (.*)/.exec(err.stderr ?? '')?.[1]?.trim();
      throw new Error(reason ?? err.message.split('\n')[0], { cause: err });
    }
    const reported = /\{"countedSpans":(\d+)\}/.exec(stdout);
    const { stdout: annotated } = await execFileP(
      'callgrind_annotate',
      ['--inclusive=yes', '--threshold=100', out],
      { maxBuffer: 256 * 1024 * 1024 },
    );
    const totals = /^\s*([\d,]+)\s+\(100\.0+%\)\s+PROGRAM TOTALS/m.exec(annotated);
    if (!totals) throw new Error(`no instruction total from callgrind for ${config} ${op}`);
    const total = Number(totals[1].replace(/,/g, ''));
    const gc = inclusive(annotated, /^v8::internal::Heap::CollectGarbage\([^()]*\)$/);
    const compile = inclusive(
      annotated,
      /^v8::internal::(?:Compiler::CompileOptimized|Runtime_CompileLazy)\([^()]*\)$/,
    );
    if (args.keep) await copyFile(out, join(args.keep, basename(out)));
    await rm(out, { force: true });
    return {
      total,
      gc,
      compile,
      work: total - gc - compile,
      spans: reported ? Number(reported[1]) : undefined,
    };
  }

  const tasks = [];
  const skipped = [];
  for (const op of ops)
    for (const config of configNames) {
      if (!CONFIGS[config].providers.includes(PROVIDER_OF[op])) continue;
      const available = configAvailable(config);
      if (!available.ok) {
        if (!skipped.some((s) => s.startsWith(`${config}:`))) skipped.push(`${config}: ${available.reason}`);
        continue;
      }
      for (const calls of [small, large]) tasks.push({ op, config, calls });
    }
  const counts = {};
  let next = 0;
  async function runner() {
    while (next < tasks.length) {
      const task = tasks[next++];
      const entry = ((counts[task.op] ??= {})[task.config] ??= {});
      if (entry.error) continue; // its other run failed the same way (e.g. a peer without spans)
      try {
        const n = await count(task.config, task.op, task.calls);
        entry[task.calls] = n;
        log(
          `  ${task.op} ${task.config} ${task.calls} calls: ${n.total.toLocaleString('en')} instructions, ${n.spans} spans`,
        );
      } catch (err) {
        entry.error = err.message;
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

  const figures = {};
  for (const [op, byConfig] of Object.entries(counts))
    for (const [config, c] of Object.entries(byConfig)) {
      const a = c[small];
      const b = c[large];
      (figures[op] ??= {})[config] =
        c.error || !a || !b
          ? { error: c.error ?? 'not measured' }
          : {
              perCall: Object.fromEntries(
                ['total', 'work', 'gc', 'compile'].map((part) => [
                  part,
                  (b[part] - a[part]) / (large - small),
                ]),
              ),
              spansPerCall:
                a.spans === undefined || b.spans === undefined
                  ? undefined
                  : (a.spans + b.spans) / (small + large),
              counted: { [small]: a, [large]: b },
            };
    }
  const seconds = (Date.now() - started) / 1000;
  log(`done in ${seconds.toFixed(0)} s`);
  return {
    ...describe(),
    date,
    minutes: Math.round(seconds / 60),
    jobs,
    warmup,
    settle,
    calls: [small, large],
    configs: configNames,
    ops,
    skipped,
    figures,
  };
}

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

/** Commit, branch, folders with uncommitted changes, Node and client versions of this checkout. */
function describe() {
  const git = (...a) => {
    try {
      return execFileSync('git', a, { cwd: here('.'), encoding: 'utf8' });
    } catch {
      return undefined;
    }
  };
  const branch = git('rev-parse', '--abbrev-ref', 'HEAD')?.trim();
  // Porcelain lines are `XY path`, the path relative to the repository root.
  const dirty = [
    ...new Set(
      (git('status', '--porcelain') ?? '')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice(3).split('/')[0]),
    ),
  ];
  return {
    commit: git('rev-parse', '--short', 'HEAD')?.trim(),
    branch: branch === 'HEAD' ? 'detached HEAD' : branch,
    dirty,
    node: process.version,
    openai: version('openai'),
    anthropic: version('@anthropic-ai/sdk'),
  };
}

/** Saved runs (`--json`) merged: the first file's run, with each later file's figures replacing its. */
async function load(files) {
  const runs = await Promise.all(files.map(async (file) => JSON.parse(await readFile(file, 'utf8'))));
  const [first, ...later] = runs;
  const merged = { ...first, figures: structuredClone(first.figures), merged: [] };
  later.forEach((other, i) => {
    const replaced = [];
    for (const [op, byConfig] of Object.entries(other.figures))
      for (const [config, figure] of Object.entries(byConfig)) {
        (merged.figures[op] ??= {})[config] = figure;
        replaced.push(`${config} ${op}`);
      }
    merged.merged.push({ file: basename(files[i + 1]), run: { ...other, figures: undefined }, replaced });
    for (const name of other.configs) if (!merged.configs.includes(name)) merged.configs.push(name);
    for (const op of other.ops) if (!merged.ops.includes(op)) merged.ops.push(op);
  });
  if (args.configs) merged.configs = args.configs.split(',');
  if (args.ops) merged.ops = args.ops.split(',');
  return merged;
}

// ---- report -------------------------------------------------------------------------------------

/** The Markdown section: the run's details, the figures per configuration, and the targets. */
function render(run) {
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
    `Node ${r.node}; openai ${r.openai}, @anthropic-ai/sdk ${r.anthropic}; ` +
    `run took ${r.minutes} min (\`--jobs ${r.jobs}\`)`;

  const title = args.title ?? `${args.label ?? 'run'} (${run.branch} at ${run.commit ?? 'unknown commit'})`;
  const lines = [`## ${title}`, '', `${describeRun(run)}.`];
  for (const m of run.merged ?? [])
    lines.push(
      '',
      `Figures of ${m.replaced.join(', ')} from a second run (${m.file}): ${describeRun(m.run)}.`,
    );
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

  // Sanity check: what a child counts besides its calls (turning callgrind on and off, the closing
  // full GC) is about the same in every configuration (~100–150 M instructions here). A run far
  // above `none`'s had a one-off event inside its window (seen under heavy machine load: ~450 M
  // more), which the difference of the two runs does not cancel.
  const fixedPart = (op, config) => {
    const f = figure(op, config);
    const a = f?.counted?.[small]?.total;
    return a === undefined || f.perCall === undefined ? undefined : a - small * f.perCall.total;
  };
  const suspects = [];
  for (const op of ops) {
    const base = fixedPart(op, 'none');
    if (base === undefined) continue;
    for (const config of configNames) {
      const fixed = fixedPart(op, config);
      if (fixed !== undefined && (fixed > 2 * base || fixed < base / 2))
        suspects.push(`${config} ${op} (${(fixed / 1e6).toFixed(0)} M against ${(base / 1e6).toFixed(0)} M)`);
    }
  }
  if (suspects.length)
    lines.push(
      '',
      `**Check failed**: the part of a ${small}-call run that is not its calls differs from \`none\`'s ` +
        `by more than 2× for ${suspects.join(', ')}: a one-off event fell inside one of its runs, so its ` +
        'per-call figure is not comparable. Measure it again (`--configs C --ops O --json FILE`) and ' +
        'merge with `--from FIRST,FILE`.',
    );
  return lines.join('\n') + '\n';
}

/**
 * Puts `section` between the markers of `label` in `file`: in place of the section with that label,
 * or at the end. Everything else in the file is kept; the file is then formatted with the
 * repository's Prettier settings when Prettier is installed.
 */
async function writeSection(file, label, body) {
  const begin = `<!-- results:${label} -->`;
  const end = `<!-- /results:${label} -->`;
  const block = `${begin}\n\n${body}\n${end}\n`;
  let text = existsSync(file)
    ? await readFile(file, 'utf8')
    : '# Benchmark results\n\n' +
      'Written by `bench/adapters-instructions.mjs --label NAME`: one section per label, replaced when ' +
      'the script runs again with the same label. Method and targets: [README.md](README.md).\n';
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from >= 0 && to > from)
    text = text.slice(0, from) + block + text.slice(to + end.length).replace(/^\n/, '');
  else text = `${text.replace(/\n*$/, '\n')}\n${block}`;
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    text = await prettier.format(text, { ...options, filepath: file });
  } catch (err) {
    log(`(not formatted: ${err.message})`);
  }
  await writeFile(file, text);
}
