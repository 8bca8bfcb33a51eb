import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { InstrumentationTracers } from '../../src/calls/instrumentation-tracers';
import { SEMCONV_SCHEMA_URL } from '../../src/semconv';

function providerWithExporter(): { provider: TracerProvider; exporter: InMemorySpanExporter } {
  const exporter = new InMemorySpanExporter();
  return {
    exporter,
    provider: new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
  };
}

describe('InstrumentationTracers', () => {
  afterEach(() => trace.disable());

  it("gives each owner the tracer of the provider it was set, with the scope's name, version and semconv schema URL", () => {
    const tracers = new InstrumentationTracers('@agent-otel/instrumentation-x', '1.2.3');
    const a = providerWithExporter();
    const b = providerWithExporter();
    const first = {};
    const second = {};
    tracers.set(first, a.provider);
    tracers.set(second, b.provider);
    tracers.get(first).startSpan('one').end();
    tracers.get(second).startSpan('two').end();
    expect(a.exporter.getFinishedSpans().map((span) => span.name)).toEqual(['one']);
    expect(b.exporter.getFinishedSpans().map((span) => span.name)).toEqual(['two']);
    expect(a.exporter.getFinishedSpans()[0]!.instrumentationScope).toEqual({
      name: '@agent-otel/instrumentation-x',
      version: '1.2.3',
      schemaUrl: SEMCONV_SCHEMA_URL,
    });
    expect(tracers.get(first)).toBe(tracers.get(first));
  });

  it('falls back to the global provider for an owner never set, and follows a later set', () => {
    const global = providerWithExporter();
    trace.setGlobalTracerProvider(global.provider);
    const tracers = new InstrumentationTracers('x', '0.0.1');
    const owner = {};
    tracers.get(owner).startSpan('via-global').end();
    expect(global.exporter.getFinishedSpans().map((span) => span.name)).toEqual(['via-global']);
    const own = providerWithExporter();
    tracers.set(owner, own.provider);
    tracers.get(owner).startSpan('via-own').end();
    expect(own.exporter.getFinishedSpans().map((span) => span.name)).toEqual(['via-own']);
  });
});
