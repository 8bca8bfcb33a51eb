import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';

/** Past this many layers, the next `setValue` / `deleteValue` flattens the chain (see below). */
const MAX_DEPTH = 16;

/**
 * Each layer's depth, under a `Symbol.for` key: the ESM and CommonJS copies of core layer onto each
 * other's contexts, and the depth must count both for the bound to hold.
 */
const DEPTH = Symbol.for('agent_otel.context_layer_depth.v1');

function depthOf(context: Context): number {
  const depth = (context as unknown as Record<symbol, unknown>)[DEPTH];
  return typeof depth === 'number' ? depth : 0;
}

/**
 * A context that holds one value more than its parent, in one small object. Kept because it saves
 * more than 5 % of agent-otel's per-call overhead (instruction-count A/B,
 * bench/adapters-instructions.mjs): the API's own context copies its parent's whole `Map` and makes
 * three closures for every value set, and starting a span sets two. Equivalence with the API's
 * context is tested in layered-context.test.ts.
 *
 * Reading is unchanged for every key: a lookup returns the nearest layer's value for that key, then
 * asks the parent (an API context at the bottom of the chain). Contexts derived from a layered one by
 * anyone (`trace.setSpan`, `propagation.setBaggage`, other instrumentations) are layered too, and once
 * a chain is {@link MAX_DEPTH} layers deep the next derivation copies it into one API context, so a
 * lookup never walks more than that many layers, however deep the spans nest.
 */
export class LayeredContext implements Context {
  readonly [DEPTH]: number;

  constructor(
    private readonly parent: Context,
    private readonly key: symbol,
    /** `undefined` for a deleted key, as the API's context reads one. */
    private readonly value: unknown,
  ) {
    this[DEPTH] = depthOf(parent) + 1;
  }

  getValue(key: symbol): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walks the chain from this layer
    let layer: Context = this;
    while (layer instanceof LayeredContext) {
      if (layer.key === key) return layer.value;
      layer = layer.parent;
    }
    return layer.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    if (this[DEPTH] < MAX_DEPTH) return new LayeredContext(this, key, value);
    return this.flatten().setValue(key, value);
  }

  deleteValue(key: symbol): Context {
    if (this[DEPTH] < MAX_DEPTH) return new LayeredContext(this, key, undefined);
    return this.flatten().deleteValue(key);
  }

  /** The same values in one context of the kind at the bottom of the chain. */
  private flatten(): Context {
    const layers: LayeredContext[] = [];
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walks the chain from this layer
    let bottom: Context = this;
    while (bottom instanceof LayeredContext) {
      layers.push(bottom);
      bottom = bottom.parent;
    }
    // Oldest layer first, so a nearer layer's value for the same key wins.
    let flat = bottom;
    for (let i = layers.length - 1; i >= 0; i--) {
      const { key, value } = layers[i];
      flat = value === undefined ? flat.deleteValue(key) : flat.setValue(key, value);
    }
    return flat;
  }
}

/** The API's own context class: immutable, as every context made from it. */
const API_CONTEXT_CLASS: unknown = ROOT_CONTEXT.constructor;

/**
 * True for a context that can be layered onto: one of this copy's layers, or the API's own
 * (immutable) context. A context of any other kind may resolve its values on each read, and a layer
 * keeps its parent, so it would see later changes (or itself, through the parent).
 */
export function isLayerable(context: Context): boolean {
  return context instanceof LayeredContext || context.constructor === API_CONTEXT_CLASS;
}
