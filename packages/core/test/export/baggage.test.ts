import { context, propagation, type Context } from '@opentelemetry/api';
import { enableAsyncContext } from '@agent-otel/testing/tracing';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  BaggageSpanProcessor,
  DEFAULT_BAGGAGE_KEYS,
  ENV_BAGGAGE_KEYS,
  type BaggageSpanProcessorOptions,
} from '../../src/export/BaggageSpanProcessor.js';

beforeAll(() => enableAsyncContext());
afterAll(() => context.disable());
afterEach(() => {
  delete process.env[ENV_BAGGAGE_KEYS];
});

function withBaggage(): Context {
  const baggage = propagation.createBaggage({
    'user.id': { value: 'u-1' },
    'session.id': { value: 's-1' },
    tenant: { value: 'acme' },
  });
  return propagation.setBaggage(context.active(), baggage);
}

/** Starts a root and a child span under `ctx`; returns their attributes. */
async function record(options: BaggageSpanProcessorOptions | undefined, ctx: Context) {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new BaggageSpanProcessor(options), new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer('t');
  context.with(ctx, () =>
    tracer.startActiveSpan('root', { attributes: { existing: 1 } }, (root) => {
      tracer.startSpan('child').end();
      root.end();
    }),
  );
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return Object.fromEntries(spans.map((s) => [s.name, s.attributes]));
}

describe('BaggageSpanProcessor', () => {
  it('copies user.id and session.id by default, to every span', async () => {
    expect(DEFAULT_BAGGAGE_KEYS).toEqual(['user.id', 'session.id']);
    const attrs = await record(undefined, withBaggage());
    expect(attrs.root).toEqual({ existing: 1, 'user.id': 'u-1', 'session.id': 's-1' });
    expect(attrs.child).toEqual({ 'user.id': 'u-1', 'session.id': 's-1' });
  });

  it('copies only the configured keys', async () => {
    const attrs = await record({ keys: ['tenant', 'absent'] }, withBaggage());
    expect(attrs.child).toEqual({ tenant: 'acme' });
  });

  it("copies every entry with '*'", async () => {
    const attrs = await record({ keys: ['*'] }, withBaggage());
    expect(attrs.child).toEqual({ 'user.id': 'u-1', 'session.id': 's-1', tenant: 'acme' });
    expect(new BaggageSpanProcessor({ keys: ['*'] }).keys).toEqual(['*']);
  });

  it('reads the keys from AGENT_OTEL_BAGGAGE_KEYS when no option is given', async () => {
    process.env[ENV_BAGGAGE_KEYS] = ' tenant , session.id ';
    const attrs = await record({}, withBaggage());
    expect(attrs.child).toEqual({ tenant: 'acme', 'session.id': 's-1' });
    // An explicit option wins over the environment.
    expect((await record({ keys: ['user.id'] }, withBaggage())).child).toEqual({ 'user.id': 'u-1' });
  });

  it('adds nothing without baggage and does not overwrite an attribute the span already has', async () => {
    expect((await record(undefined, context.active())).child).toEqual({});
    const ctx = propagation.setBaggage(
      context.active(),
      propagation.createBaggage({ existing: { value: 'from-baggage' } }),
    );
    expect((await record({ keys: ['existing'] }, ctx)).root).toEqual({ existing: 1 });
  });
});
