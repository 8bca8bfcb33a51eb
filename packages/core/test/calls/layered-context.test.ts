import {
  context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
} from '@opentelemetry/api';
import { CURRENT_SPAN_KEY } from '../../src/context-keys';
import { withAgentSpan, withCustomSpan } from '../../src/kinds/factories';
import { AgentSpan } from '../../src/api/AgentSpan';
import { isLayerable, LayeredContext } from '../../src/calls/layered-context';
import { setupTracing, type TestTracing } from '../helpers';

const A = createContextKey('test a');
const B = createContextKey('test b');
const DEPTH = Symbol.for('agent_otel.context_layer_depth.v1');
const depthOf = (ctx: Context) => (ctx as unknown as Record<symbol, number | undefined>)[DEPTH] ?? 0;

describe('LayeredContext', () => {
  it('reads the nearest value for a key, then the parent', () => {
    const parent = ROOT_CONTEXT.setValue(A, 'parent a').setValue(B, 'parent b');
    const layered = new LayeredContext(parent, A, 'layer a');
    expect(layered.getValue(A)).toBe('layer a');
    expect(layered.getValue(B)).toBe('parent b');
    expect(layered.getValue(createContextKey('other'))).toBeUndefined();
    expect(layered.setValue(A, 'top a').getValue(A)).toBe('top a');
  });

  it('is immutable: deriving leaves the original as it was', () => {
    const layered = new LayeredContext(ROOT_CONTEXT, A, 1);
    const derived = layered.setValue(B, 2).deleteValue(A);
    expect(layered.getValue(A)).toBe(1);
    expect(layered.getValue(B)).toBeUndefined();
    expect(derived.getValue(A)).toBeUndefined();
    expect(derived.getValue(B)).toBe(2);
  });

  it('hides a deleted key of the parent, as the API context does', () => {
    const parent = ROOT_CONTEXT.setValue(A, 'a');
    const layered = new LayeredContext(parent, B, 'b').deleteValue(A);
    expect(layered.getValue(A)).toBe(parent.deleteValue(A).getValue(A));
    expect(layered.getValue(A)).toBeUndefined();
    expect(layered.getValue(B)).toBe('b');
  });

  it('keeps every value when a long chain is flattened, and never grows past 16 layers', () => {
    const keys = Array.from({ length: 60 }, (_, i) => createContextKey(`k${i}`));
    let ctx: Context = new LayeredContext(ROOT_CONTEXT.setValue(A, 'root a'), B, 'b');
    let deepest = 0;
    for (let i = 0; i < keys.length; i++) {
      ctx = ctx.setValue(keys[i], i);
      if (i === 30) ctx = ctx.deleteValue(B);
      deepest = Math.max(deepest, depthOf(ctx));
    }
    ctx = ctx.setValue(keys[3], 'overwritten');
    expect(deepest).toBeLessThanOrEqual(16);
    expect(deepest).toBeGreaterThan(1);
    for (let i = 0; i < keys.length; i++) expect(ctx.getValue(keys[i])).toBe(i === 3 ? 'overwritten' : i);
    expect(ctx.getValue(A)).toBe('root a');
    expect(ctx.getValue(B)).toBeUndefined();
  });

  it('works with the trace and baggage API', () => {
    const span = trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 });
    const layered = trace.setSpan(new LayeredContext(ROOT_CONTEXT, A, 1), span);
    expect(trace.getSpan(layered)).toBe(span);
    const withBaggage = propagation.setBaggage(layered, propagation.createBaggage({ user: { value: 'u1' } }));
    expect(propagation.getBaggage(withBaggage)?.getEntry('user')?.value).toBe('u1');
    expect(trace.getSpan(withBaggage)).toBe(span);
    expect(trace.getSpan(trace.deleteSpan(withBaggage))).toBeUndefined();
  });

  it('reads exactly as the API context given the same derivations (equivalence with the plain code)', () => {
    const keys = Array.from({ length: 6 }, (_, i) => createContextKey(`key ${i}`));
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let run = 0; run < 50; run++) {
      const base = ROOT_CONTEXT.setValue(keys[0], 'base');
      let plain: Context = base.setValue(keys[1], 'first');
      let layered: Context = new LayeredContext(base, keys[1], 'first');
      for (let step = 0; step < 40; step++) {
        const key = keys[random(keys.length)];
        if (random(4) === 0) {
          plain = plain.deleteValue(key);
          layered = layered.deleteValue(key);
        } else {
          const value = `${run}.${step}`;
          plain = plain.setValue(key, value);
          layered = layered.setValue(key, value);
        }
        for (const k of keys) expect(layered.getValue(k)).toBe(plain.getValue(k));
      }
    }
  });

  it('layers only onto contexts known to be immutable', () => {
    expect(isLayerable(ROOT_CONTEXT)).toBe(true);
    expect(isLayerable(ROOT_CONTEXT.setValue(A, 1))).toBe(true);
    expect(isLayerable(new LayeredContext(ROOT_CONTEXT, A, 1))).toBe(true);
    const dynamic: Context = {
      getValue: () => undefined,
      setValue: () => ROOT_CONTEXT,
      deleteValue: () => ROOT_CONTEXT,
    };
    expect(isLayerable(dynamic)).toBe(false);
  });
});

describe('span contexts', () => {
  let t: TestTracing;
  beforeEach(() => {
    t = setupTracing();
  });
  afterEach(async () => {
    await t.shutdown();
  });

  it("carry the OTel span and the agent-otel span over the parent's values", async () => {
    const parent = ROOT_CONTEXT.setValue(A, 'kept');
    await context.with(parent, () =>
      withAgentSpan({ name: 'planner' }, async (agent) => {
        expect(context.active().getValue(A)).toBe('kept');
        expect(trace.getSpan(context.active())).toBe(agent.otelSpan);
        expect(context.active().getValue(CURRENT_SPAN_KEY)).toBe(agent);
        await withCustomSpan({ name: 'step' }, async (step) => {
          expect(trace.getSpan(context.active())).toBe(step.otelSpan);
          expect(context.active().getValue(CURRENT_SPAN_KEY)).toBe(step);
          expect(context.active().getValue(A)).toBe('kept');
        });
        expect(context.active().getValue(CURRENT_SPAN_KEY)).toBe(agent);
      }),
    );
    expect(t.byName('step').parentSpanContext?.spanId).toBe(
      t.byName('invoke_agent planner').spanContext().spanId,
    );
  });

  it('snapshot a parent context that resolves its values on each read', () => {
    let current: Context = ROOT_CONTEXT.setValue(A, 'before');
    // Like the OpenAI Agents bridge's context: it reads whatever context is current now.
    const dynamic: Context = {
      getValue: (key) => current.getValue(key),
      setValue: (key, value) => current.setValue(key, value),
      deleteValue: (key) => current.deleteValue(key),
    };
    const span = new AgentSpan(
      { type: 'custom', name: 'under a dynamic parent' },
      { parent: dynamic },
    ).start();
    // The dynamic context now resolves to the span's own context: reading through must not loop.
    current = span.context;
    expect(span.context.getValue(A)).toBe('before');
    expect(span.context.getValue(CURRENT_SPAN_KEY)).toBe(span);
    expect(dynamic.getValue(CURRENT_SPAN_KEY)).toBe(span);
    span.end();
  });

  it('stay shallow when spans nest deeply', async () => {
    const depths: number[] = [];
    const nest = async (level: number): Promise<void> => {
      if (level === 0) return;
      await withCustomSpan({ name: `level ${level}` }, async () => {
        depths.push(depthOf(context.active()));
        await nest(level - 1);
      });
    };
    await nest(40);
    expect(Math.max(...depths)).toBeLessThanOrEqual(16);
    expect(t.spans()).toHaveLength(40);
    expect(t.byName('level 1').parentSpanContext?.spanId).toBe(t.byName('level 2').spanContext().spanId);
  });
});
