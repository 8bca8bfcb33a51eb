// The shared driver of the instruction benchmarks (adapters-instructions.mjs, ai-sdk-instructions.mjs,
// langchain-instructions.mjs): options, the two-run-length callgrind measurement (a child per figure),
// the report (figures, comparisons with the peers, the check of the short runs), `--json` / `--from`,
// and the section written into RESULTS.md. Each script passes its configurations, operations, worker
// and peers to `runInstructionsBench`; the framework workers count their calls with
// `countCallsInChild`. adapters-instructions.mjs brings its own server, worker options and report.
//
// Method (bench/README.md, "Method"): one child per configuration,
// operation and run length, in-memory transport, `node --single-threaded`; `warmup` calls, a full GC,
// `settle` calls, then A calls and a full GC with callgrind counting; a second child the same with B
// calls; per call = (I(B) − I(A)) / (B − A), split into `gc` (Heap::CollectGarbage, inclusive),
// `compile` (optimising and lazy compilation) and `work` (the rest).
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installedVersion as version } from './adapters/configs.mjs';
import { checkout, writeSection } from './results.mjs';
import { execFileP, requireValgrind, runSizes } from './valgrind.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const log = (...a) => process.stderr.write(a.join(' ') + '\n');

/**
 * Runs one benchmark from the command line: parses the options, measures (or loads `--from`), prints
 * the Markdown section, and writes `--json` and the `--label` section.
 *
 * `bench`:
 * - `script`: the script's path from the repository root (usage, report);
 * - `summary`: what is counted, for the usage text ("Instructions per … call");
 * - `worker`: the worker child's absolute path (argv: config, server URL, JSON options);
 * - `tmpPrefix`: prefix of the temporary folder of the callgrind profiles;
 * - `configs` (name → `{ packages?, spans? }`), `configNames`, `operations`, `checkSelection`;
 * - `scriptedReply`: the scripted server's default handler;
 * - `versions`: the packages whose versions the report names;
 * - `peers`: the configurations the overheads are divided by (a ratio column each, total and work);
 * - `comparisons`: `{ ours, theirs, what }` checked on every operation (ours' overhead below theirs');
 * - `notes` (optional): paragraphs after the report's method paragraph;
 * - `units` (optional): op → `{ count, unit }`: a table of the figures per unit (e.g. per LangGraph
 *   step), each call counting `count` units.
 * - `usageNote` (optional): a paragraph at the end of the usage text;
 * - `startServer` (optional): `() => Promise<{ url, close() }>`, the server the workers call (default: a
 *   scripted server of @agent-otel/testing answering `scriptedReply`);
 * - `workerOptions` (optional): `({ op, warmup, settle, count }) => object`, the worker's JSON options
 *   (default: those and `callgrind: true`);
 * - `skip` (optional): `(config, op) => undefined | true | string`: measure it, leave it out silently
 *   (the configuration does not support the operation), or leave it out for that reason (listed once
 *   per configuration); default: a configuration's `packages` must resolve;
 * - `render` (optional): `(bench, args, run) => string`, the Markdown section instead of this driver's.
 */
export async function runInstructionsBench(bench) {
  const usage = `Usage: npx node ${bench.script} [options]

${bench.summary} (valgrind callgrind), each configuration in its own process.

  --configs a,b     configurations (default ${bench.configNames.join(',')})
  --ops a,b         operations (default ${bench.operations.join(',')})
  --warmup N        calls before the full GC (1000)
  --settle N        calls after it, before counting (3000)
  --calls A,B       the two counted run lengths; per call = (I(B) - I(A)) / (B - A) (100,1100)
  --jobs N          children at a time (2)
  --repeat N        measure each figure N times (N pairs of children); report the pair with the
                    median total, and the range of the totals (1)
  --label NAME      also write the report into the results file as section NAME, replacing the
                    section of that label if there is one
  --title TEXT      that section's heading (default: "NAME (<branch> at <commit>)")
  --results FILE    the results file (default bench/RESULTS.md)
  --json FILE       save the figures and the run's details as JSON
  --from F1,F2      measure nothing: report the figures saved in F1, each later file replacing
                    the figures it holds (--configs / --ops select among them)
  --keep DIR        keep each child's callgrind profile in DIR (for callgrind_annotate)
  --help            this text

Markdown to stdout, progress to stderr.${bench.usageNote ? ` ${bench.usageNote}` : ''}`;

  const { values: args } = parseArgs({
    options: {
      configs: { type: 'string' },
      ops: { type: 'string' },
      warmup: { type: 'string', default: '1000' },
      settle: { type: 'string', default: '3000' },
      calls: { type: 'string', default: '100,1100' },
      jobs: { type: 'string', default: '2' },
      repeat: { type: 'string', default: '1' },
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
    process.stdout.write(usage + '\n');
    process.exit(0);
  }
  if (args.label !== undefined && !/^[\w.-]+$/.test(args.label))
    throw new Error('--label takes letters, digits, ".", "_" and "-" only');

  const run = args.from ? await load(args.from.split(','), args) : await measure(bench, args);
  if (args.json) {
    await writeFile(args.json, JSON.stringify(run, null, 2) + '\n');
    log(`saved the figures to ${args.json}`);
  }
  const section = (bench.render ?? render)(bench, args, run);
  process.stdout.write(section);
  if (args.label !== undefined) {
    await writeSection(args.results, args.label, section);
    log(`wrote section "${args.label}" to ${args.results}`);
  }
}

// ---- measuring ----------------------------------------------------------------------------------

/** Counts every selected configuration × operation; returns the run (see `render`). */
async function measure(bench, args) {
  const configNames = args.configs ? args.configs.split(',') : bench.configNames;
  const ops = args.ops ? args.ops.split(',') : bench.operations;
  bench.checkSelection(configNames, ops);
  const warmup = Number(args.warmup);
  const settle = Number(args.settle);
  const [small, large] = runSizes(args.calls, 'calls');
  const jobs = Math.max(1, Number(args.jobs));
  const repeat = Math.max(1, Number(args.repeat));
  await requireValgrind();
  if (args.keep) await mkdir(args.keep, { recursive: true });

  const server = await (bench.startServer ?? (() => scriptedServer(bench.scriptedReply)))();
  const outDir = await mkdtemp(join(tmpdir(), bench.tmpPrefix));
  const started = Date.now();
  const date = new Date().toISOString();

  /** The counted part of one child (`calls` calls of `op` and a full GC): instructions, split, spans. */
  async function count(config, op, calls) {
    const options = bench.workerOptions
      ? bench.workerOptions({ op, warmup, settle, count: calls })
      : { op, warmup, settle, count: calls, callgrind: true };
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
          bench.worker,
          config,
          server.url,
          JSON.stringify(options),
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      ));
    } catch (err) {
      const reason = /agent-otel-bench: \S+ \S+: (.*)/.exec(err.stderr ?? '')?.[1]?.trim();
      throw new Error(reason ?? err.message.split('\n')[0], { cause: err });
    }
    const reported = JSON.parse(/^\{"countedSpans".*$/m.exec(stdout)?.[0] ?? '{}');
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
      spans: reported.countedSpans,
      spanNames: reported.spanNames,
    };
  }

  const tasks = [];
  const skipped = [];
  const skip = bench.skip ?? ((config) => missingPackage(bench.configs[config]));
  for (const op of ops)
    for (const config of configNames) {
      const reason = skip(config, op);
      if (reason === true) continue;
      if (reason !== undefined) {
        if (!skipped.some((s) => s.startsWith(`${config}:`))) skipped.push(`${config}: ${reason}`);
        continue;
      }
      for (let run = 0; run < repeat; run++)
        for (const calls of [small, large]) tasks.push({ op, config, calls, run });
    }
  const counts = {};
  let next = 0;
  async function runner() {
    while (next < tasks.length) {
      const task = tasks[next++];
      const entry = ((counts[task.op] ??= {})[task.config] ??= { runs: [] });
      if (entry.error) continue; // its other runs failed the same way
      try {
        const n = await count(task.config, task.op, task.calls);
        (entry.runs[task.run] ??= {})[task.calls] = n;
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
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  }

  const figures = {};
  for (const [op, byConfig] of Object.entries(counts))
    for (const [config, c] of Object.entries(byConfig)) {
      const pairs = c.runs.filter((r) => r?.[small] && r?.[large]);
      if (c.error || pairs.length < repeat) {
        (figures[op] ??= {})[config] = { error: c.error ?? 'not measured' };
        continue;
      }
      const perCallOf = (r) =>
        Object.fromEntries(
          ['total', 'work', 'gc', 'compile'].map((part) => [
            part,
            (r[large][part] - r[small][part]) / (large - small),
          ]),
        );
      // The pair with the median total (the lower middle one of an even count) gives the figure and its
      // split; every pair's total is kept for the range.
      const ranked = pairs
        .map((r) => ({ r, perCall: perCallOf(r) }))
        .sort((x, y) => x.perCall.total - y.perCall.total);
      const chosen = ranked[(ranked.length - 1) >> 1];
      const spans = pairs.flatMap((r) => [r[small].spans, r[large].spans]);
      (figures[op] ??= {})[config] = {
        perCall: chosen.perCall,
        totals: pairs.map((r) => perCallOf(r).total),
        calls: [small, large],
        spansPerCall: spans.includes(undefined)
          ? undefined
          : spans.reduce((x, y) => x + y, 0) / (pairs.length * (small + large)),
        spanNames: chosen.r[large].spanNames,
        counted: { [small]: chosen.r[small], [large]: chosen.r[large] },
      };
    }
  const seconds = (Date.now() - started) / 1000;
  log(`done in ${seconds.toFixed(0)} s`);
  return {
    ...describe(bench.versions),
    date,
    minutes: Math.round(seconds / 60),
    jobs,
    warmup,
    settle,
    repeat,
    calls: [small, large],
    configs: configNames,
    ops,
    skipped,
    figures,
  };
}

/** A scripted server of @agent-otel/testing answering `reply` (the workers' model API). */
async function scriptedServer(reply) {
  const { startScriptedServer } = await import('@agent-otel/testing');
  const server = await startScriptedServer();
  server.setDefault(reply);
  return server;
}

/** Why a configuration cannot run: the first of its `packages` that does not resolve. */
function missingPackage(config) {
  const missing = (config.packages ?? []).find((pkg) => version(pkg) === undefined);
  return missing === undefined ? undefined : `${missing} does not resolve; build it first`;
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

/** The checkout (results.mjs) and the versions of `packages`. */
function describe(packages) {
  return { ...checkout(), versions: Object.fromEntries(packages.map((pkg) => [pkg, version(pkg)])) };
}

/** Saved runs (`--json`) merged: the first file's run, with each later file's figures replacing its. */
async function load(files, args) {
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

/** The Markdown section: the run's details, the figures per configuration, and the comparisons. */
function render(bench, args, run) {
  const { figures, configs: configNames, ops } = run;
  const { peers, comparisons } = bench;
  const figure = (op, config) => figures[op]?.[config];
  const perCall = (op, config, part = 'total') => figure(op, config)?.perCall?.[part];
  const overhead = (op, config, part = 'total') => {
    const x = perCall(op, config, part);
    const none = perCall(op, 'none', part);
    return x === undefined || none === undefined ? undefined : x - none;
  };
  const status = (op, config) => {
    const f = figure(op, config);
    if (!f) return 'not measured';
    if (f.error) return f.error;
    const spans = f.spansPerCall;
    const silent = config === 'none' || bench.configs[config]?.spans === false;
    if (silent ? spans !== 0 : !(spans >= 1))
      return `${spans ?? '?'} spans per call, expected ${silent ? 'none' : 'at least 1'}`;
    return 'ok';
  };
  const ok = (op, config) => status(op, config) === 'ok';
  const k = (x) => (x === undefined ? '—' : `${(x / 1000).toFixed(1)} k`);
  const ratio = (over, base) => (over !== undefined && base ? over / base : undefined);
  const r2 = (x) => (x === undefined ? '—' : x.toFixed(2));
  /** ` (min–max, N pairs)` for a figure measured by several pairs of children. */
  const range = (f) =>
    (f.totals?.length ?? 0) > 1
      ? ` (${(Math.min(...f.totals) / 1000).toFixed(1)}–${k(Math.max(...f.totals))}, ${f.totals.length} pairs)`
      : '';
  const pass = (good) => (good === undefined ? 'not measured' : good ? 'PASS' : '**FAIL**');
  const describeRun = (r) =>
    `${r.date.slice(0, 16).replace('T', ' ')} UTC; commit ${r.commit ?? 'unknown'}` +
    `${r.dirty?.length ? ` with uncommitted changes in ${r.dirty.map((d) => `\`${d}\``).join(', ')}` : ''}; ` +
    `Node ${r.node}; ${Object.entries(r.versions ?? {})
      .map(([pkg, v]) => `${pkg} ${v ?? '?'}`)
      .join(', ')}; ${r.warmup} warm-up calls, ${r.settle} settling calls, ` +
    `per call = (I(${r.calls[1]}) − I(${r.calls[0]})) / ${r.calls[1] - r.calls[0]}` +
    `${(r.repeat ?? 1) > 1 ? `, ${r.repeat} pairs of children per figure` : ''}; ` +
    `run took ${r.minutes} min (\`--jobs ${r.jobs}\`)`;

  const lines = reportHeading(args, run, describeRun);
  lines.push(
    '',
    `Written by \`${bench.script}\`. ` +
      'In-memory transport; `--single-threaded`; warm-up calls, a full GC, settling calls, then the counted ' +
      'calls and a full GC after them; per call = (I(B) − I(A)) / (B − A) of two children; with several ' +
      'pairs of children, the pair with the median total, and the range of the totals. ' +
      "k = thousand instructions; overhead = per call − `none`'s. Spans: per call, and one call's spans " +
      '(attribute count) in export order.',
  );
  for (const note of bench.notes ?? []) lines.push('', note);
  const peerHeads = peers.map((peer) => ` ÷ ${peer} overhead | work overhead ÷ ${peer}'s |`).join('');
  lines.push(
    '',
    `| operation | config | per call | work / gc / compile | overhead (− none) | ÷ raw-span overhead |${peerHeads} spans/call | one call's spans |`,
    `| --- | --- | --- | --- | --- | --- |${' --- | --- |'.repeat(peers.length)} --- | --- |`,
  );
  const peerEmpty = ' |'.repeat(2 * peers.length);
  for (const op of ops)
    for (const config of configNames) {
      const st = status(op, config);
      if (perCall(op, config) === undefined) {
        lines.push(`| ${op} | ${config} | ${st} | | | |${peerEmpty} | |`);
        continue;
      }
      const f = figure(op, config);
      const parts = ['work', 'gc', 'compile'].map((part) => k(perCall(op, config, part))).join(' / ');
      const byRaw = config !== 'none' && config !== 'raw-span' && ok(op, 'raw-span');
      const byPeers = peers
        .map((peer) => {
          const compared = config !== 'none' && config !== peer && ok(op, peer);
          return (
            ` ${compared ? r2(ratio(overhead(op, config), overhead(op, peer))) : ''} |` +
            ` ${compared ? r2(ratio(overhead(op, config, 'work'), overhead(op, peer, 'work'))) : ''} |`
          );
        })
        .join('');
      lines.push(
        `| ${op} | ${config} | ${k(perCall(op, config))}${range(f)} | ${parts} | ${config === 'none' ? '0' : k(overhead(op, config))} | ` +
          `${byRaw ? r2(ratio(overhead(op, config), overhead(op, 'raw-span'))) : ''} |${byPeers} ` +
          `${f.spansPerCall === undefined ? '?' : f.spansPerCall.toFixed(2)}${st === 'ok' ? '' : ` **${st}**`} | ` +
          `${(f.spanNames ?? []).join(', ')} |`,
      );
    }

  // Per unit (e.g. per LangGraph step) for the operations that count several in one call.
  const unitOps = ops.filter((op) => bench.units?.[op]);
  if (unitOps.length) {
    lines.push(
      '',
      '| operation | per | config | per call | overhead (− none) | spans |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const op of unitOps) {
      const { count: n, unit } = bench.units[op];
      for (const config of configNames) {
        if (perCall(op, config) === undefined) continue;
        const over = config === 'none' ? 0 : overhead(op, config);
        const spans = figure(op, config).spansPerCall;
        lines.push(
          `| ${op} | ${unit} (call ÷ ${n}) | ${config} | ${k(perCall(op, config) / n)} | ` +
            `${over === undefined ? '—' : config === 'none' ? '0' : k(over / n)} | ` +
            `${spans === undefined ? '?' : (spans / n).toFixed(2)} |`,
        );
      }
    }
  }

  // The comparisons, on the total per call.
  const targetRows = [];
  for (const op of ops)
    for (const { ours: mine, theirs: peer, what } of comparisons) {
      if (!configNames.includes(mine) || !configNames.includes(peer)) continue;
      const both = ok(op, mine) && ok(op, peer);
      const ours = both ? overhead(op, mine) : undefined;
      const theirs = both ? overhead(op, peer) : undefined;
      targetRows.push([
        op,
        `${mine} overhead below ${peer}'s (${what})`,
        both
          ? `${k(ours)} vs ${k(theirs)} (${r2(ratio(ours, theirs))}×)`
          : `${mine}: ${status(op, mine)}; ${peer}: ${status(op, peer)}`,
        both ? `${k(overhead(op, mine, 'work'))} vs ${k(overhead(op, peer, 'work'))}` : '',
        'below',
        pass(both ? ours < theirs : undefined),
      ]);
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

/**
 * A report's first lines: its heading (`--title`, else the label, branch and commit), the run's
 * details as `describeRun` words them, and the same for each run merged into it (`--from`).
 */
export function reportHeading(args, run, describeRun) {
  const title = args.title ?? `${args.label ?? 'run'} (${run.branch} at ${run.commit ?? 'unknown commit'})`;
  const lines = [`## ${title}`, '', `${describeRun(run)}.`];
  for (const m of run.merged ?? [])
    lines.push(
      '',
      `Figures of ${m.replaced.join(', ')} from a second run (${m.file}): ${describeRun(m.run)}.`,
    );
  return lines;
}

/**
 * The check of the short runs: what a child counts besides its calls (turning callgrind on and off,
 * the closing full GC; ~100–150 M instructions here) must be about `none`'s in every configuration.
 * A run far above it had a one-off event inside its window (seen under heavy machine load: ~450 M
 * more), which the difference of the two runs does not cancel. The report's lines: none when it passes.
 */
export function shortRunCheck(run) {
  const { figures, configs: configNames, ops } = run;
  const fixedPart = (op, config) => {
    const f = figures[op]?.[config];
    const a = f?.counted?.[f.calls?.[0] ?? run.calls[0]]?.total;
    return a === undefined || f.perCall === undefined
      ? undefined
      : a - (f.calls?.[0] ?? run.calls[0]) * f.perCall.total;
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
  return suspects.length
    ? [
        '',
        `**Check failed**: the part of the shorter run (A calls) that is not its calls differs from \`none\`'s ` +
          `by more than 2× for ${suspects.join(', ')}: a one-off event fell inside one of its runs, so its ` +
          'per-call figure is not comparable. Measure it again (`--configs C --ops O --json FILE`) and ' +
          'merge with `--from FIRST,FILE`.',
      ]
    : [];
}

// ---- the worker child's side ----------------------------------------------------------------------

/**
 * The counting part of a worker child (argv: config, server URL, JSON options `{ op, warmup, settle,
 * count, callgrind }`): `warmup` calls of `run`, checked (every call's result is `run`'s to check;
 * spans: none unless `traced`, else at least one per call), one call with its spans' names recorded,
 * a full GC, `settle` calls, then `count` calls and a full GC with callgrind's instrumentation on for
 * those alone. Prints one JSON line on stdout: `{ "countedSpans": N, "warmupSpansPerCall": x,
 * "spanNames": [...] }` (one call's spans in export order, each as `name (attribute count)`) and
 * exits. A failed check exits with code 2 and `agent-otel-bench: <config> <op>: <reason>` on stderr
 * (what the driver reports). `exporter` is the pipeline's counting exporter (adapters/configs.mjs's
 * `createPipeline`), if any; `settled()` (optional) resolves once a call's late work (callbacks a
 * framework runs after the call returned) is done, before its spans are read.
 */
export async function countCallsInChild({ name, op, options, traced, exporter, run, settled }) {
  const gc = globalThis.gc ?? (() => {});
  const spanCount = () => exporter?.count ?? 0;
  const warmup = Math.max(1, options.warmup ?? 100);
  const before = spanCount();
  try {
    for (let i = 0; i < warmup; i++) await run();
    await settled?.();
  } catch (err) {
    exitWithReason(name, op, `${err.constructor?.name}: ${err.message}`);
  }
  const warmupSpansPerCall = (spanCount() - before) / warmup;
  if (!traced && warmupSpansPerCall !== 0)
    exitWithReason(name, op, `${warmupSpansPerCall} spans per call, expected 0`);
  if (traced && !(warmupSpansPerCall >= 1))
    exitWithReason(name, op, `no-spans (${warmupSpansPerCall} spans per call, expected at least 1)`);

  // The names of one call's spans with their attribute counts (the exporter's own `export` wrapped for
  // that call only).
  const spanNames = [];
  if (exporter) {
    const original = exporter.export;
    exporter.export = function (spans, done) {
      for (const span of spans) spanNames.push(`${span.name} (${Object.keys(span.attributes).length})`);
      return original.call(this, spans, done);
    };
    await run();
    await settled?.();
    exporter.export = original;
  }

  gc();
  for (let i = 0; i < (options.settle ?? 0); i++) await run();
  const spans0 = spanCount();
  if (options.callgrind) await callgrindInstrumentation('on');
  for (let i = 0; i < (options.count ?? 0); i++) await run();
  await settled?.();
  gc();
  if (options.callgrind) await callgrindInstrumentation('off');
  process.stdout.write(
    JSON.stringify({ countedSpans: spanCount() - spans0, warmupSpansPerCall, spanNames }) + '\n',
  );
  process.exit(0);
}

/**
 * A `fetch` for a worker's client: each request is answered in process with the bytes the scripted
 * server sent for the same kind of request (URL; streamed or not; tools offered; a tool result in the
 * messages), recorded at its first occurrence (during the warm-up), so the network's cost and noise
 * drop out of the counted calls while the client still serialises the request and parses the reply.
 */
export function replayingFetch() {
  const replies = new Map();
  return async function fetch(url, init) {
    const body = typeof init?.body === 'string' ? init.body : '';
    const key =
      `${url} ${body.includes('"stream":true')} ${body.includes('"tools":')} ` +
      body.includes('"role":"tool"');
    let reply = replies.get(key);
    if (reply === undefined) {
      const response = await globalThis.fetch(url, init);
      reply = { status: response.status, headers: [...response.headers], body: await response.text() };
      replies.set(key, reply);
    }
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  };
}

/** Ends a worker child with the reason the driver reports (exit code 2). */
export function exitWithReason(name, op, reason) {
  process.stderr.write(`agent-otel-bench: ${name} ${op}: ${reason}\n`);
  process.exit(2);
}

/** Switches callgrind's instrumentation of this process on or off; resolves once callgrind confirmed it. */
async function callgrindInstrumentation(to) {
  await new Promise((resolve, reject) =>
    execFile('callgrind_control', ['--instr=' + to, String(process.pid)], (err, stdout) => {
      if (err || !/OK/.test(stdout))
        reject(new Error(`callgrind_control --instr=${to}: ${err?.message ?? stdout}`));
      else resolve();
    }),
  );
}
