// Reading the metrics and log records `setupTracing` collected, and comparing them with a span.
import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { TestTracing } from './setup-tracing.js';

/** What `TestTracing.metrics()` collects. */
export type Metrics = Awaited<ReturnType<TestTracing['metrics']>>;

/** One data point: a counter's value is a number, a histogram's `{ count, sum, … }`. */
export interface Point {
  attributes: Attributes;
  value: unknown;
}

/** The usage counters and the span attribute each one adds up. */
export const USAGE_COUNTERS: Readonly<Record<string, string>> = {
  'gen_ai.client.inference.usage.input_tokens': 'gen_ai.usage.input_tokens',
  'gen_ai.client.inference.usage.output_tokens': 'gen_ai.usage.output_tokens',
  'gen_ai.client.inference.usage.cache_read.input_tokens': 'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.client.inference.usage.cache_write.input_tokens': 'gen_ai.usage.cache_write.input_tokens',
  'gen_ai.client.inference.usage.reasoning.output_tokens': 'gen_ai.usage.reasoning.output_tokens',
};

/** The data points of metric `name` (none when it recorded nothing since the last collection). */
export function points(metrics: Metrics, name: string): Point[] {
  return metrics.scopeMetrics.flatMap((scope) =>
    scope.metrics
      .filter((metric) => metric.descriptor.name === name)
      .flatMap((metric) => metric.dataPoints as Point[]),
  );
}

/** The only data point of histogram `name`, as `{ attributes, count, sum }`. */
export function onlyHistogramPoint(
  metrics: Metrics,
  name: string,
): { attributes: Attributes; count: number; sum: number } {
  const found = points(metrics, name);
  if (found.length !== 1) throw new Error(`expected one data point of ${name}, got ${found.length}`);
  const { attributes, value } = found[0]!;
  const { count, sum } = value as { count: number; sum: number };
  return { attributes, count, sum };
}

/** The sum of a counter's data points. */
export function counterTotal(metrics: Metrics, name: string): number {
  return points(metrics, name).reduce((total, point) => total + (point.value as number), 0);
}

/** A counter's values by `gen_ai.token.modality`. */
export function byModality(metrics: Metrics, name: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const point of points(metrics, name)) {
    const modality = String(point.attributes['gen_ai.token.modality']);
    result[modality] = (result[modality] ?? 0) + (point.value as number);
  }
  return result;
}

/** The span's attributes named `keys` (those it has). */
export function spanAttributes(span: ReadableSpan, keys: readonly string[]): Attributes {
  const result: Attributes = {};
  for (const key of keys) if (span.attributes[key] !== undefined) result[key] = span.attributes[key];
  return result;
}

/** The span's duration in seconds, as the duration metrics record it. */
export function spanSeconds(span: ReadableSpan): number {
  return span.duration[0] + span.duration[1] / 1e9;
}

/** The `[traceId, spanId]` of a span or log record context. */
export function ids(context: { traceId: string; spanId: string } | undefined): [string, string] | undefined {
  return context && [context.traceId, context.spanId];
}
