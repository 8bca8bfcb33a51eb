import { collectedAfterGc, garbageCollector } from '@agent-otel/testing';
import { withAgentSpan } from '../../src/kinds/factories';
import {
  endOpenStreamSpans,
  observeAsyncIterable,
  watchUntilSettled,
  type StreamEndReason,
} from '../../src/calls/stream-observer';
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

describe('watchUntilSettled', () => {
  it("calls a function or an observer's onEnd (as a method) once, on shutdown or collection", async () => {
    const ends: string[] = [];
    const observer = {
      label: 'observer',
      onEnd(this: { label: string }, reason: StreamEndReason) {
        ends.push(`${this.label}:${reason}`);
      },
    };
    watchUntilSettled(undefined, observer);
    watchUntilSettled(undefined, (reason) => ends.push(`function:${reason}`));
    const settled = watchUntilSettled(undefined, observer);
    expect(settled.settle()).toBe(true);
    expect(settled.settle()).toBe(false);
    expect(endOpenStreamSpans()).toBe(2);
    expect(ends.sort()).toEqual(['function:shutdown', 'observer:shutdown']);

    const gc = garbageCollector();
    (() => {
      const watch = watchUntilSettled(undefined, observer);
      watch.watchCollection({ pending: true });
    })();
    for (let i = 0; i < 20 && ends.length === 2; i++) {
      gc();
      await tick(5);
    }
    expect(ends).toContain('observer:unconsumed');
    expect(endOpenStreamSpans()).toBe(0);
  });
});
