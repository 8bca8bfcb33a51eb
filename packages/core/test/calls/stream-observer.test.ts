import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { collectedAfterGc, garbageCollector } from '@agent-otel/testing';
import { withAgentSpan } from '../../src/kinds/factories';
import { observeAsyncIterable } from '../../src/calls/stream-observer';
import { endOpenStreamSpans, type StreamEndReason } from '../../src/calls/Observation';
import { setupTracing, tick, type TestTracing } from '../helpers';

let t: TestTracing;
beforeEach(() => {
  t = setupTracing();
});
afterEach(async () => {
  await t.shutdown();
});

/** An SDK-style stream: an iterable class (not an iterator) with extra methods. */
class FakeStream {
  consumed = false;
  constructor(private readonly items: number[]) {}
  extra() {
    return 'still here';
  }
  async *[Symbol.asyncIterator]() {
    if (this.consumed) throw new Error('Cannot iterate over a consumed stream');
    this.consumed = true;
    for (const item of this.items) {
      await tick();
      yield item;
    }
  }
}

function observe(target: object) {
  const ends: { reason: StreamEndReason; error?: unknown }[] = [];
  const items: unknown[] = [];
  const same = observeAsyncIterable(target, {
    onItem: (i) => items.push(i),
    onEnd: (reason, error) => ends.push({ reason, error }),
  });
  return { same, ends, items };
}

describe('observeAsyncIterable', () => {
  it('returns the same object with its own methods intact', () => {
    const stream = new FakeStream([1]);
    const { same } = observe(stream);
    expect(same).toBe(stream);
    expect(stream.extra()).toBe('still here');
  });

  it('reports every item and ends once on full consumption', async () => {
    const stream = new FakeStream([1, 2, 3]);
    const { ends, items } = observe(stream);
    const seen: number[] = [];
    for await (const item of stream) seen.push(item);
    expect(seen).toEqual([1, 2, 3]);
    expect(items).toEqual([1, 2, 3]);
    expect(ends).toEqual([{ reason: 'complete', error: undefined }]);
  });

  it('ends once with return on break', async () => {
    const stream = new FakeStream([1, 2, 3]);
    const { ends } = observe(stream);
    for await (const item of stream) if (item === 1) break;
    expect(ends.map((e) => e.reason)).toEqual(['return']);
  });

  it("goes through a generator's own next where something shadows the intrinsic one", async () => {
    async function* numbers() {
      yield 1;
      yield 2;
    }
    const intrinsicNext = numbers().next;
    // Shadowed on the generator object itself, and on its generator function's prototype.
    const shadows = [
      (generator: AsyncGenerator<number>) => {
        generator.next = function (this: AsyncGenerator<number>, value?: unknown) {
          return intrinsicNext
            .call(this, value)
            .then((r) => (r.done ? r : { done: false, value: r.value * 10 }));
        };
      },
      () => {
        (numbers.prototype as AsyncGenerator<number>).next = function (this: AsyncGenerator<number>, value) {
          return intrinsicNext
            .call(this, value)
            .then((r) => (r.done ? r : { done: false, value: r.value * 100 }));
        };
      },
    ];
    const seen: number[][] = [];
    const observed: unknown[][] = [];
    for (const shadow of shadows) {
      const target = {
        [Symbol.asyncIterator]() {
          const generator = numbers();
          shadow(generator);
          return generator;
        },
      };
      const { ends, items } = observe(target);
      const values: number[] = [];
      for await (const value of target) values.push(value);
      expect(ends.map((e) => e.reason)).toEqual(['complete']);
      seen.push(values);
      observed.push(items);
    }
    expect(seen).toEqual([
      [10, 20],
      [100, 200],
    ]);
    expect(observed).toEqual(seen);
  });

  it('does not misbehave with double iteration', async () => {
    const stream = new FakeStream([1]);
    const { ends } = observe(stream);
    for await (const _ of stream) void _;
    await expect(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    ).rejects.toThrow('consumed');
    expect(ends.map((e) => e.reason)).toEqual(['complete']);
  });

  it('ends with shutdown when never iterated and endOpenStreamSpans runs', () => {
    const stream = new FakeStream([1]);
    const { ends } = observe(stream);
    expect(endOpenStreamSpans()).toBeGreaterThanOrEqual(1);
    expect(ends.map((e) => e.reason)).toEqual(['shutdown']);
    expect(endOpenStreamSpans()).toBe(0);
  });

  it('a stream span that is never iterated ends on shutdown and is exported', () => {
    withAgentSpan('lazy', () => new FakeStream([1]));
    expect(t.spans()).toHaveLength(0);
    endOpenStreamSpans();
    const span = t.byName('invoke_agent lazy');
    expect(span.attributes['agent_otel.stream.end_reason']).toBe('shutdown');
    expect(span.attributes['agent_otel.stream.ended_early']).toBe(true);
  });

  it('ends with unconsumed when the stream is garbage-collected without iteration', async () => {
    const gc = garbageCollector();
    const ends: StreamEndReason[] = [];
    (() => {
      observeAsyncIterable(new FakeStream([1]), { onEnd: (reason) => ends.push(reason) });
    })();
    for (let i = 0; i < 20 && ends.length === 0; i++) {
      gc();
      await tick(5);
    }
    expect(ends).toEqual(['unconsumed']);
  });

  it('an ended observation lets go of its observer while the stream object lives on', async () => {
    const stream = new FakeStream([1, 2]);
    let observer: WeakRef<object> | undefined;
    (() => {
      const onEnd = () => undefined;
      observer = new WeakRef(onEnd);
      observeAsyncIterable(stream, { onEnd });
    })();
    for await (const item of stream) expect(item).toBeGreaterThan(0);
    expect(await collectedAfterGc(observer!)).toBe(true);
    expect(stream.extra()).toBe('still here');
  });

  it('ends on shutdown exactly the observations still open, in any order of ending', async () => {
    const first = observe(new FakeStream([1]));
    const second = observe(new FakeStream([1]));
    const third = observe(new FakeStream([1]));
    for await (const item of second.same as FakeStream) expect(item).toBe(1);
    expect(endOpenStreamSpans()).toBe(2);
    expect(first.ends.map((e) => e.reason)).toEqual(['shutdown']);
    expect(second.ends.map((e) => e.reason)).toEqual(['complete']);
    expect(third.ends.map((e) => e.reason)).toEqual(['shutdown']);
    expect(endOpenStreamSpans()).toBe(0);
    const fourth = observe(new FakeStream([1]));
    expect(endOpenStreamSpans()).toBe(1);
    expect(fourth.ends.map((e) => e.reason)).toEqual(['shutdown']);
  });

  it('observes an async generator object in place and ends it once on every exit', async () => {
    async function* numbers() {
      yield 1;
      yield 2;
    }
    const complete = numbers();
    const completeEnds = observe(complete);
    expect(completeEnds.same).toBe(complete);
    for await (const n of complete) expect(n).toBeGreaterThan(0);
    const stopped = numbers();
    const stoppedEnds = observe(stopped);
    for await (const n of stopped) if (n === 1) break;
    const thrown = numbers();
    const thrownEnds = observe(thrown);
    await thrown.next();
    await expect(thrown.throw(new Error('stop'))).rejects.toThrow('stop');
    await thrown.return(undefined);
    expect(completeEnds.items).toEqual([1, 2]);
    expect(completeEnds.ends.map((e) => e.reason)).toEqual(['complete']);
    expect(stoppedEnds.ends.map((e) => e.reason)).toEqual(['return']);
    expect(thrownEnds.ends.map((e) => e.reason)).toEqual(['error']);
    expect(Object.keys(complete)).toEqual([]);
  });

  it("keeps an own iterator method's enumerability", async () => {
    const items = [1, 2];
    const target = {
      async *[Symbol.asyncIterator]() {
        yield* items;
      },
    };
    const { ends } = observe(target);
    expect(Object.getOwnPropertyDescriptor(target, Symbol.asyncIterator)?.enumerable).toBe(true);
    const seen: number[] = [];
    for await (const item of target) seen.push(item);
    expect(seen).toEqual(items);
    expect(ends.map((e) => e.reason)).toEqual(['complete']);
  });

  it('a throwing observer never reaches the consumer', async () => {
    const stream = new FakeStream([1, 2]);
    observeAsyncIterable(stream, {
      onItem: () => {
        throw new Error('observer bug');
      },
      onEnd: () => {
        throw new Error('observer bug');
      },
    });
    const seen: number[] = [];
    for await (const item of stream) seen.push(item);
    expect(seen).toEqual([1, 2]);
  });
});

describe('the wrapper of a generator that an observed iterable makes', () => {
  type Step = ['next'] | ['return', unknown] | ['throw', unknown];
  const scripts: Step[][] = [
    [['next'], ['next'], ['next'], ['next']],
    [['next'], ['return', 'early'], ['next']],
    [['next'], ['throw', new Error('stop')], ['next']],
    [['return', 'before'], ['next']],
    [['throw', new Error('at once')], ['next']],
  ];
  const KEY = createContextKey('test step context');
  const stepContext = ROOT_CONTEXT.setValue(KEY, 'inside');

  async function* numbers(fail: boolean, seenContexts: unknown[]) {
    seenContexts.push(context.active().getValue(KEY));
    yield 1;
    seenContexts.push(context.active().getValue(KEY));
    yield 2;
    if (fail) throw new Error('mid-stream');
  }

  type How = 'patched in place' | 'wrapped' | 'wrapped, in a context';

  async function run(script: Step[], fail: boolean, how: How) {
    const items: unknown[] = [];
    const ends: unknown[] = [];
    const seenContexts: unknown[] = [];
    const observer = {
      context: how === 'wrapped, in a context' ? stepContext : undefined,
      onItem: (item: unknown) => items.push(item),
      onEnd: (reason: StreamEndReason, error?: unknown) => ends.push([reason, (error as Error)?.message]),
    };
    let iterator: AsyncIterator<number>;
    if (how === 'patched in place') {
      iterator = observeAsyncIterable(numbers(fail, seenContexts), observer);
    } else {
      let generator: AsyncGenerator<number> | undefined;
      const target = {
        [Symbol.asyncIterator]: () => (generator = numbers(fail, seenContexts)),
      };
      observeAsyncIterable(target, observer);
      iterator = target[Symbol.asyncIterator]();
      expect(iterator).not.toBe(generator);
    }
    const outcomes: unknown[] = [];
    for (const [method, argument] of script) {
      try {
        outcomes.push(['resolved', await iterator[method]!(argument as never)]);
      } catch (error) {
        outcomes.push(['rejected', (error as Error).message]);
      }
    }
    return { outcomes, items, ends, seenContexts };
  }

  it('behaves exactly as the generator patched in place (equivalence with the plain code)', async () => {
    for (const fail of [false, true]) {
      for (const script of scripts) {
        const patched = await run(script, fail, 'patched in place');
        expect(await run(script, fail, 'wrapped')).toEqual(patched);
        const inContext = await run(script, fail, 'wrapped, in a context');
        expect({ ...inContext, seenContexts: [] }).toEqual({ ...patched, seenContexts: [] });
        expect(inContext.seenContexts.every((value) => value === 'inside')).toBe(true);
      }
    }
  });
});

describe('the registry of open observations', () => {
  it('is shared by two copies of core in one process, as the ESM and CommonJS builds are', () => {
    let other: { observe: typeof observeAsyncIterable; end: typeof endOpenStreamSpans } | undefined;
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      other = {
        observe: require('../../src/calls/stream-observer').observeAsyncIterable,
        end: require('../../src/calls/Observation').endOpenStreamSpans,
      };
      /* eslint-enable @typescript-eslint/no-require-imports */
    });
    expect(other!.end).not.toBe(endOpenStreamSpans);
    const ends: string[] = [];
    other!.observe(new FakeStream([1]), { onEnd: (reason) => ends.push(`other:${reason}`) });
    observeAsyncIterable(new FakeStream([1]), { onEnd: (reason) => ends.push(`this:${reason}`) });
    expect(endOpenStreamSpans()).toBe(2);
    expect(ends.sort()).toEqual(['other:shutdown', 'this:shutdown']);
    observeAsyncIterable(new FakeStream([1]), { onEnd: (reason) => ends.push(`this:${reason}`) });
    expect(other!.end()).toBe(1);
    expect(ends).toHaveLength(3);
    expect(endOpenStreamSpans()).toBe(0);
  });
});
