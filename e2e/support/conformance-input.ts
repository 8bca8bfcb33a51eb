import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { StoredSpan } from './jaeger-query';
import type { LogEntry, MetricPoint } from './signals-query';

// What the conformance checker of @agent-otel/testing reads, built from what the real receivers
// stored: spans read back from Jaeger, metric data points and log records from the signals sink.
// The checker reads names, kinds, attributes and events of spans; descriptors, point types,
// monotonicity, attributes and bucket bounds of metrics; event names and attributes of log records.

const SPAN_KIND = { INTERNAL: 0, SERVER: 1, CLIENT: 2, PRODUCER: 3, CONSUMER: 4, UNSPECIFIED: 0 } as const;
/** `DataPointType` of @opentelemetry/sdk-metrics, by value. */
const POINT_TYPE = { histogram: 0, exponentialHistogram: 1, gauge: 2, sum: 3, summary: 2 } as const;

/** A stored span as the checker reads a `ReadableSpan`. */
export function checkableSpans(spans: readonly StoredSpan[]): ReadableSpan[] {
  return spans.map(
    (span) =>
      ({
        name: span.name,
        kind: SPAN_KIND[span.kind],
        attributes: span.attributes,
        events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
      }) as unknown as ReadableSpan,
  );
}

/** Flattened data points grouped back into one `MetricData` per metric name. */
export function checkableMetrics(points: readonly MetricPoint[]): MetricData[] {
  const byName = new Map<string, MetricPoint[]>();
  for (const point of points) byName.set(point.name, [...(byName.get(point.name) ?? []), point]);
  return [...byName.values()].map((group) => {
    const first = group[0]!;
    return {
      descriptor: { name: first.name, unit: first.unit, description: first.description },
      dataPointType: POINT_TYPE[first.type],
      isMonotonic: first.isMonotonic ?? undefined,
      dataPoints: group.map((point) => ({
        attributes: point.attributes,
        value:
          point.type === 'histogram'
            ? {
                ...point.value,
                buckets: { boundaries: point.value.explicitBounds, counts: point.value.bucketCounts },
              }
            : point.value,
      })),
    } as unknown as MetricData;
  });
}

/** Stored log records as the checker reads a `ReadableLogRecord`. */
export function checkableLogRecords(records: readonly LogEntry[]): ReadableLogRecord[] {
  return records.map(
    (record) =>
      ({
        eventName: record.eventName || undefined,
        attributes: record.attributes,
      }) as unknown as ReadableLogRecord,
  );
}

/**
 * The latest data point of each series (metric name + attributes): an app exports cumulative points
 * at each flush (beforeExit, shutdown), so one series can arrive more than once with growing values.
 */
export function latestPerSeries(points: readonly MetricPoint[]): MetricPoint[] {
  const latest = new Map<string, MetricPoint>();
  for (const point of points) {
    const key = `${point.name} ${JSON.stringify(Object.entries(point.attributes).sort())}`;
    const seen = latest.get(key);
    if (seen === undefined || BigInt(point.timeUnixNano) >= BigInt(seen.timeUnixNano)) latest.set(key, point);
  }
  return [...latest.values()];
}
