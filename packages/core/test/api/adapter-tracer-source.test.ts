import { trace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { adapterTracerSource } from '../../src/api/tracer';
import { SEMCONV_SCHEMA_URL } from '../../src/semconv';
import { captureDiag } from '@agent-otel/testing/tracing';

const scope = { name: '@agent-otel/example-adapter', version: '9.9.9' };

describe('adapterTracerSource', () => {
  afterEach(() => trace.disable());

  it("uses the given provider's tracer, with the adapter's scope and the semconv schema", () => {
    const provider = new TracerProvider();
    const calls: unknown[][] = [];
    const spy = { getTracer: (...args: unknown[]) => (calls.push(args), provider.getTracer('x')) };
    const source = adapterTracerSource(scope, { tracerProvider: spy as never });
    expect(source()).toBe(source());
    expect(calls).toEqual([[scope.name, scope.version, { schemaUrl: SEMCONV_SCHEMA_URL }]]);
  });

  it('reads the global provider at each call without one, so a provider registered later is used', () => {
    const source = adapterTracerSource(scope, undefined);
    const before = source();
    const provider = new TracerProvider();
    trace.setGlobalTracerProvider(provider);
    const span = source().startSpan('after');
    expect(span.isRecording()).toBe(true);
    span.end();
    expect(before.startSpan('noop').isRecording()).toBe(true); // the API's proxy tracer delegates too
  });

  it('reports options it cannot read and falls back to the global provider', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    );
    const diag = captureDiag();
    try {
      const source = adapterTracerSource(scope, hostile as never);
      expect(typeof source().startSpan).toBe('function');
      expect(
        diag.messages
          .filter((m) => m.level === 'warn')
          .map((m) => m.text)
          .join('\n'),
      ).toContain(`${scope.name}: the options could not be read`);
    } finally {
      diag.restore();
    }
  });
});
