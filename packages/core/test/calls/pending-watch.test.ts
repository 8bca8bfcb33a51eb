import { garbageCollector } from '@agent-otel/testing';
import { endOpenStreamSpans, type StreamEndReason } from '../../src/calls/Observation';
import { watchUntilSettled } from '../../src/calls/pending-watch';
import { tick } from '../helpers';

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
