import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { endOpenStreamSpans } from '../../src/calls/Observation';
import { keepShapes, SHAPE_ANCHORS_KEY } from '../../src/calls/shape-anchors';
// Loading these modules anchors their per-call classes.
import '../../src/calls/client-call';
import '../../src/calls/stream-observer';
import '../../src/kinds/mapping';

const anchors = () =>
  (globalThis as unknown as Record<symbol, { value?: object[] } | undefined>)[SHAPE_ANCHORS_KEY]?.value ?? [];

describe('keepShapes', () => {
  afterEach(() => trace.disable());

  it('keeps the per-call instances of the call tracker, stream observer and mapping alive', () => {
    const names = anchors().map((instance) => instance.constructor.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'CallTracker',
        'AgentSpan',
        'Observation',
        'ObservedIterator',
        'ContentWriter',
      ]),
    );
  });

  it('anchors inert instances: no open observation, no span started or exported', () => {
    expect(endOpenStreamSpans()).toBe(0);
    const exporter = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(
      new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
    );
    keepShapes({ anchored: true });
    expect(exporter.getFinishedSpans()).toEqual([]);
    for (const instance of anchors()) {
      if ('started' in instance) expect((instance as { started: boolean }).started).toBe(false);
    }
  });
});
