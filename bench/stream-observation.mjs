// What observing the items of an async generator costs, per item, in instructions (valgrind,
// callgrind), for the ways JavaScript offers to see them without the consumer's help — the floor
// under any instrumentation that hands the user the SDK's own stream object and still records what
// flowed through it. A hand-written span sees the items inside the user's own loop for nothing.
//
//   npx node bench/stream-observation.mjs            all ways, 2,000 and 4,000 streams of 53 items
//   npx node bench/stream-observation.mjs --ways none,agent-otel --items 103
//
// The source is what the SDKs do: a new async generator function per response (so each generator
// object has a hidden class of its own), 53 pre-parsed events, consumed with `for await`. Each way
// runs in its own child (`node --single-threaded` under callgrind); per stream = (I(B) − I(A)) /
// (B − A) streams, which cancels start-up; the extra over `none`, divided by the items, is the cost
// per item. Needs valgrind. About two minutes. Markdown to stdout.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execFileP, requireValgrind, runSizes } from './valgrind.mjs';

/** The ways of observing, each a function from a generator object to what `for await` iterates. */
const WAYS = {
  none: 'the generator itself, unobserved',
  'pass-through': 'an iterator object whose `next` returns the generator’s promise (sees nothing)',
  'then-chained': '`next` returns `step.then(onStep)` (agent-otel’s mechanism)',
  'then-parallel': '`next` returns the generator’s promise and attaches `then(onStep)` to it too',
  'async-next': '`next` is an async method that awaits the generator',
  'async-watcher': '`next` returns the generator’s promise; an async function awaits it too',
  'wrapping-generator': 'a new async generator that `for await`s the SDK’s and yields each item',
  'agent-otel': '`observeAsyncIterable` of @agent-otel/core with an `onItem` that counts',
};

if (process.argv[2] === '--child') {
  await child(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
} else {
  await main();
}

async function main() {
  const { values: args } = parseArgs({
    options: {
      ways: { type: 'string', default: Object.keys(WAYS).join(',') },
      items: { type: 'string', default: '53' },
      streams: { type: 'string', default: '2000,4000' },
    },
  });
  const ways = args.ways.split(',');
  for (const way of ways)
    if (!(way in WAYS)) throw new Error(`unknown way ${way}; known: ${Object.keys(WAYS)}`);
  if (!ways.includes('none')) ways.unshift('none');
  const items = Number(args.items);
  const [small, large] = runSizes(args.streams, 'streams');
  await requireValgrind();
  const dir = await mkdtemp(join(tmpdir(), 'agent-otel-bench-streams-'));
  const self = fileURLToPath(import.meta.url);
  const count = async (way, streams) => {
    const out = join(dir, `${way}.${streams}.out`);
    await execFileP('valgrind', [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      process.execPath,
      '--single-threaded',
      self,
      '--child',
      way,
      String(items),
      String(streams),
    ]);
    const totals = /^totals: (\d+)/m.exec(await readFile(out, 'utf8'));
    if (!totals) throw new Error(`no instruction total for ${way}`);
    return Number(totals[1]);
  };
  const perStream = {};
  for (const way of ways) {
    const [a, b] = await Promise.all([count(way, small), count(way, large)]);
    perStream[way] = (b - a) / (large - small);
    process.stderr.write(`${way}: ${Math.round(perStream[way])} instructions per stream\n`);
  }
  await rm(dir, { recursive: true, force: true });
  const lines = [
    `Node ${process.version}, ${items} items per stream, (I(${large}) − I(${small})) / ${large - small} streams.`,
    '',
    '| way | instructions per stream | over `none`, per item | |',
    '|---|---:|---:|---|',
  ];
  for (const way of ways) {
    const extra = (perStream[way] - perStream.none) / items;
    lines.push(
      `| ${way} | ${Math.round(perStream[way]).toLocaleString('en')} | ${way === 'none' ? '—' : Math.round(extra)} | ${WAYS[way]} |`,
    );
  }
  console.log(lines.join('\n'));
}

async function child(way, items, streams) {
  const { observeAsyncIterable } = await import('@agent-otel/core');
  const events = Array.from({ length: items }, (_, i) => ({ type: 'content_block_delta', index: i }));
  // A new generator function per stream, as the SDKs' `Stream.fromSSEResponse` makes one per response.
  const source = () => {
    async function* sse() {
      for (const event of events) yield event;
    }
    return sse();
  };
  const ASYNC_ITERATOR_PROTOTYPE = Object.getPrototypeOf(
    Object.getPrototypeOf(Object.getPrototypeOf(source())),
  );
  let seen = 0;
  const onStep = (result) => {
    if (!result.done) seen++;
    return result;
  };
  const onStepError = (err) => {
    throw err;
  };
  const quietError = () => {};
  const asIterable = (iterator) => ({ [Symbol.asyncIterator]: () => iterator });
  const iteratorOf = (next, inner) => {
    const iterator = Object.create(ASYNC_ITERATOR_PROTOTYPE);
    iterator.next = next;
    iterator.return = (value) => inner.return(value);
    return iterator;
  };
  async function watch(step) {
    try {
      onStep(await step);
    } catch {
      // the consumer sees the error
    }
  }
  async function* wrap(inner) {
    for await (const item of inner) {
      seen++;
      yield item;
    }
  }
  const make = {
    none: () => asIterable(source()),
    'pass-through': () => {
      const inner = source();
      return asIterable(iteratorOf((value) => inner.next(value), inner));
    },
    'then-chained': () => {
      const inner = source();
      return asIterable(iteratorOf((value) => inner.next(value).then(onStep, onStepError), inner));
    },
    'then-parallel': () => {
      const inner = source();
      return asIterable(
        iteratorOf((value) => {
          const step = inner.next(value);
          step.then(onStep, quietError);
          return step;
        }, inner),
      );
    },
    'async-next': () => {
      const inner = source();
      return asIterable(iteratorOf(async (value) => onStep(await inner.next(value)), inner));
    },
    'async-watcher': () => {
      const inner = source();
      return asIterable(
        iteratorOf((value) => {
          const step = inner.next(value);
          void watch(step);
          return step;
        }, inner),
      );
    },
    'wrapping-generator': () => wrap(source()),
    'agent-otel': () =>
      observeAsyncIterable(asIterable(source()), {
        onItem() {
          seen++;
        },
        onEnd() {},
      }),
  }[way];
  let sum = 0;
  for (let i = 0; i < streams; i++) {
    for await (const event of make()) sum += event.index;
  }
  if (way !== 'none' && way !== 'pass-through' && seen !== items * streams) {
    throw new Error(`${way} saw ${seen} items, expected ${items * streams}`);
  }
  if (sum !== streams * ((items * (items - 1)) / 2)) throw new Error(`${way}: wrong items`);
}
