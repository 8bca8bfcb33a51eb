import { StreamedCallHooks, type StreamAccumulator } from '../../src/calls/StreamedCallHooks';
import type { SpanHandle } from '../../src/api/span-handle';
import type { GenerationSpanData } from '../../src/kinds/span-data';

class Collect implements StreamAccumulator {
  readonly items: unknown[] = [];
  add(item: unknown): void {
    this.items.push(item);
  }
}

class Hooks extends StreamedCallHooks<GenerationSpanData, Collect> {
  made = 0;
  result(): unknown[] {
    return this.streamed().items;
  }
  protected createAccumulator(): Collect {
    this.made++;
    return new Collect();
  }
}

describe('StreamedCallHooks', () => {
  const span = {} as SpanHandle<GenerationSpanData>;

  it('makes one accumulator, on the first streamed item, and gives it every item in order', () => {
    const hooks = new Hooks();
    expect(hooks.made).toBe(0);
    hooks.onStreamItem(span, 'a');
    hooks.onStreamItem(span, 'b');
    expect(hooks.made).toBe(1);
    expect(hooks.result()).toEqual(['a', 'b']);
  });

  it('makes none for a call that is not streamed until something asks for it', () => {
    const hooks = new Hooks();
    expect(hooks.made).toBe(0);
    expect(hooks.result()).toEqual([]);
    expect(hooks.made).toBe(1);
  });
});
