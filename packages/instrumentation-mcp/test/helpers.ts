import { configureContent, resetContentPolicy, setTracerProvider } from '@agent-otel/core';
import { setupTracing as setupSdkTracing, type TestTracing } from '@agent-otel/testing/tracing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { McpInstrumentation } from '../src/index';

export { parentOf } from '@agent-otel/testing/tracing';
export type { TestTracing } from '@agent-otel/testing/tracing';

/** The shared in-memory pipeline, with core's manual API on its provider and its content policy reset at shutdown. */
export const setupTracing = (): TestTracing =>
  setupSdkTracing({ setTracerProvider, afterShutdown: resetContentPolicy });

/**
 * The one instrumentation of the test process, patching the SDK that jest loaded (jest's module
 * registry bypasses require hooks, so the SDK is instrumented by hand, as a bundled app would).
 */
export function instrumentSdk(
  config: ConstructorParameters<typeof McpInstrumentation>[0] = {},
): McpInstrumentation {
  const instrumentation = new McpInstrumentation(config);
  instrumentation.manuallyInstrument({ Client, Server });
  return instrumentation;
}

/** Turns content capture on for one test. */
export function captureContent(): void {
  configureContent({ captureMode: 'SPAN_ONLY' });
}

export function resetContent(): void {
  resetContentPolicy();
}

/** What `TestTracing.metrics()` collects. */
export type CollectedMetrics = Awaited<ReturnType<TestTracing['metrics']>>;

/** One histogram data point, its attributes as plain values. */
export interface HistogramPoint {
  attributes: Record<string, unknown>;
  count: number;
  sum: number;
}

/** The data points of the histogram `name` in collected metrics (none when it recorded nothing). */
export function histogramPoints(collected: CollectedMetrics, name: string): HistogramPoint[] {
  return collected.scopeMetrics.flatMap((scope) =>
    scope.metrics
      .filter((metric) => metric.descriptor.name === name)
      .flatMap((metric) =>
        metric.dataPoints.map((point) => {
          const value = point.value as { count: number; sum: number };
          return { attributes: { ...point.attributes }, count: value.count, sum: value.sum };
        }),
      ),
  );
}

interface OtlpJsonValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}

interface OtlpJsonMetric {
  name: string;
  histogram?: {
    dataPoints?: {
      attributes?: { key: string; value: OtlpJsonValue }[];
      count?: string | number;
      sum?: number;
    }[];
  };
}

interface OtlpJsonMetricsRequest {
  resourceMetrics?: { scopeMetrics?: { metrics?: OtlpJsonMetric[] }[] }[];
}

function plainValue(value: OtlpJsonValue): unknown {
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.doubleValue ?? value.boolValue;
}

/**
 * The data points of the histogram `name` in OTLP/JSON metric exports (bodies of `/v1/metrics`
 * requests). The exporter's temporality is cumulative, so the last export that has the metric holds
 * everything recorded.
 */
export function otlpHistogramPoints(bodies: readonly Buffer[], name: string): HistogramPoint[] {
  let last: HistogramPoint[] = [];
  for (const body of bodies) {
    const request = JSON.parse(body.toString('utf8')) as OtlpJsonMetricsRequest;
    const points = (request.resourceMetrics ?? [])
      .flatMap((resource) => resource.scopeMetrics ?? [])
      .flatMap((scope) => scope.metrics ?? [])
      .filter((metric) => metric.name === name)
      .flatMap((metric) => metric.histogram?.dataPoints ?? [])
      .map((point) => ({
        attributes: Object.fromEntries(
          (point.attributes ?? []).map(({ key, value }) => [key, plainValue(value)]),
        ),
        count: Number(point.count ?? 0),
        sum: point.sum ?? 0,
      }));
    if (points.length > 0) last = points;
  }
  return last;
}
