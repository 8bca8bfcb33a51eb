// Real OTel SDK spans for the receiver's tests: a TracerProvider (not registered globally) whose
// spans go both to an exporter under test (through a BatchSpanProcessor, as an app's do) and to an
// in-memory exporter (what the SDK recorded), and the conversion of a recorded span to the
// viewer's model: what the receiver must produce from what the exporter sent.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type SpanExporter,
  type SpanLimits,
} from '@opentelemetry/sdk-trace';
import type { AttributeValue, Attributes, Span, SpanKindName } from '../../src/model.js';

export interface SdkPipeline {
  tracer(name: string, version?: string): Tracer;
  /** The spans the SDK ended, as it recorded them. */
  recorded(): ReadableSpan[];
  /** Flushes the batch processor (the exporter sends) and shuts down. */
  shutdown(): Promise<void>;
}

export function sdkPipeline(
  exporter: SpanExporter,
  options: { resource?: Record<string, string | number | boolean>; spanLimits?: SpanLimits } = {},
): SdkPipeline {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes(options.resource ?? { 'service.name': 'viewer-test' }),
    spanProcessors: [
      new SimpleSpanProcessor({ exporter: memory }),
      new BatchSpanProcessor({ exporter, scheduledDelayMillis: 60_000, maxExportBatchSize: 512 }),
    ],
    ...(options.spanLimits ? { spanLimits: options.spanLimits } : {}),
  });
  return {
    tracer: (name, version) => provider.getTracer(name, version),
    recorded: () => memory.getFinishedSpans(),
    shutdown: async () => {
      await provider.forceFlush();
      await provider.shutdown();
    },
  };
}

/** Attribute values of every AnyValue type the SDK takes. */
export const EVERY_TYPE = {
  'test.string': 'hello <script>alert(1)</script> ✓ 𝒳',
  'test.empty': '',
  'test.int': 42,
  'test.negative': -7,
  'test.big': 2 ** 53 - 1,
  'test.double': 3.25,
  'test.bool': true,
  'test.false': false,
  'test.strings': ['a', 'b', ''],
  'test.ints': [1, 2, 3],
  'test.doubles': [0.5, -1.5],
  'test.bools': [true, false],
  'test.mixed': ['x', 1, 2.5, false, null],
  'test.bytes': new Uint8Array([0, 1, 2, 250, 255]),
  'test.map': { nested: { deeper: [1, 'two', { k: 'v' }] }, flag: true, none: null },
  'test.null': null,
  'gen_ai.operation.name': 'chat',
} as const;

/**
 * Ends a small agent-like trace with `tracer`: a SERVER root with attributes of every type, a CLIENT
 * child with events (an exception among them) and an ERROR status, an OK INTERNAL grandchild with
 * a link, and PRODUCER / CONSUMER spans. Returns the trace id.
 */
export function recordTrace(tracer: Tracer): string {
  const root = tracer.startSpan('invoke_workflow support', {
    kind: SpanKind.SERVER,
    attributes: EVERY_TYPE as unknown as Record<string, never>,
  });
  const ctx = (span: typeof root) => trace.setSpan(ROOT_CONTEXT, span);
  const chat = tracer.startSpan('chat gpt-test', { kind: SpanKind.CLIENT }, ctx(root));
  chat.setAttribute('gen_ai.request.model', 'gpt-test');
  chat.addEvent('gen_ai.content.prompt', { 'gen_ai.prompt': '<img src=x onerror=alert(1)>' });
  chat.addEvent('retry', { attempt: 2 }, [1_700_000_000, 123_456_789]);
  chat.recordException(new TypeError('bad <b>input</b>'));
  chat.setStatus({ code: SpanStatusCode.ERROR, message: 'model failed' });
  const tool = tracer.startSpan(
    'execute_tool lookup',
    { kind: SpanKind.INTERNAL, links: [{ context: chat.spanContext(), attributes: { why: 'test' } }] },
    ctx(chat),
  );
  tool.setStatus({ code: SpanStatusCode.OK });
  tool.end();
  chat.end();
  tracer.startSpan('publish', { kind: SpanKind.PRODUCER }, ctx(root)).end();
  tracer.startSpan('consume', { kind: SpanKind.CONSUMER }, ctx(root)).end();
  root.end();
  return root.spanContext().traceId;
}

const KINDS: Record<number, SpanKindName> = {
  [SpanKind.INTERNAL]: 'INTERNAL',
  [SpanKind.SERVER]: 'SERVER',
  [SpanKind.CLIENT]: 'CLIENT',
  [SpanKind.PRODUCER]: 'PRODUCER',
  [SpanKind.CONSUMER]: 'CONSUMER',
};

const nanos = (time: readonly [number, number]): string =>
  (BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])).toString();

function value(v: unknown): AttributeValue {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(value);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, value(inner)]));
  }
  return v as AttributeValue;
}

function attributes(attrs: Record<string, unknown> | undefined): Attributes {
  return Object.fromEntries(Object.entries(attrs ?? {}).map(([k, v]) => [k, value(v)]));
}

/** What the viewer must make of a span the SDK recorded (bytes as base64, times in ns strings). */
export function expectedSpan(span: ReadableSpan): Span {
  const resource = attributes(span.resource.attributes as Record<string, unknown>);
  const droppedAttributes = span.droppedAttributesCount;
  const droppedEvents = span.droppedEventsCount;
  return {
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    ...(span.parentSpanContext?.spanId ? { parentSpanId: span.parentSpanContext.spanId } : {}),
    name: span.name,
    kind: KINDS[span.kind]!,
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    status: {
      code:
        span.status.code === SpanStatusCode.ERROR
          ? 'ERROR'
          : span.status.code === SpanStatusCode.OK
            ? 'OK'
            : 'UNSET',
      ...(span.status.message ? { message: span.status.message } : {}),
    },
    attributes: attributes(span.attributes),
    events: span.events.map((event) => ({
      name: event.name,
      timeUnixNano: nanos(event.time),
      attributes: attributes(event.attributes),
    })),
    serviceName: String(resource['service.name']),
    resource,
    scope: {
      name: span.instrumentationScope.name,
      ...(span.instrumentationScope.version ? { version: span.instrumentationScope.version } : {}),
    },
    ...(droppedAttributes > 0 || droppedEvents > 0
      ? {
          dropped: {
            ...(droppedAttributes > 0 ? { attributes: droppedAttributes } : {}),
            ...(droppedEvents > 0 ? { events: droppedEvents } : {}),
          },
        }
      : {}),
  };
}

/** Spans in a stable order (by span id), for comparisons. */
export function bySpanId<T extends { spanId: string }>(spans: readonly T[]): T[] {
  return [...spans].sort((a, b) => (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0));
}
