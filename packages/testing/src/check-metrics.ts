// The metric rules: registry name, instrument, unit, bucket advice, and the attribute rules and
// required attributes on every data point.
import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  checkAttributes,
  isRegistryNamespace,
  missingRequired,
  type FindingSink,
} from './check-attributes.js';
import { addFinding, emptyReport, type ConformanceReport } from './conformance-report.js';
import { indexOf, type CheckOptions, type RegistryIndex } from './registry-index.js';
import type { MetricDefinition } from './semconv-registry.js';

/** What {@link checkMetrics} takes: what a `MetricReader.collect()` resolves to, or its metrics. */
export type MetricsInput = ResourceMetrics | readonly ResourceMetrics[] | readonly MetricData[];

// DataPointType of @opentelemetry/sdk-metrics, by value: the check needs only its types.
const HISTOGRAM = 0;
const EXPONENTIAL_HISTOGRAM = 1;
const GAUGE = 2;
const SUM = 3;

/**
 * Checks collected metrics against the registry: a `gen_ai.*` / `mcp.*` metric must be a registry
 * metric with its instrument (a counter is a monotonic sum) and unit, a histogram's buckets must be
 * the registry's advice where there is one, and every data point must carry the metric's required
 * attributes; the attribute rules apply to the data points of every metric.
 */
export function checkMetrics(input: MetricsInput, options: CheckOptions = {}): ConformanceReport {
  const report = emptyReport();
  const index = indexOf(options);
  const sink: FindingSink = (finding) => addFinding(report, finding);
  for (const metric of metricsOf(input)) checkMetric(index, metric, sink);
  return report;
}

/** The metrics of any {@link MetricsInput}. */
export function metricsOf(input: MetricsInput): MetricData[] {
  const list: readonly (ResourceMetrics | MetricData)[] = Array.isArray(input)
    ? (input as readonly (ResourceMetrics | MetricData)[])
    : [input as ResourceMetrics];
  return list.flatMap((entry) =>
    'scopeMetrics' in entry ? entry.scopeMetrics.flatMap((scope) => scope.metrics) : [entry],
  );
}

/** Checks one collected metric. */
export function checkMetric(index: RegistryIndex, metric: MetricData, report: FindingSink): void {
  const name = metric.descriptor.name;
  const site = { signal: 'metric', item: name } as const;
  const definition = index.metrics.get(name);
  if (definition === undefined && isRegistryNamespace(name)) {
    const replacement = index.removedMetrics.get(name);
    report(
      replacement === undefined
        ? { ...site, rule: 'unknown-metric', detail: `${name} is not a metric of the registry` }
        : { ...site, rule: 'deprecated-metric', detail: `${name} is no longer a metric: ${replacement}` },
    );
  }
  if (definition !== undefined) {
    const instrument = instrumentOf(metric);
    if (!sameInstrument(definition.instrument, instrument)) {
      report({
        ...site,
        rule: 'metric-instrument',
        detail: `${name} must be a ${definition.instrument}, got ${instrument}`,
      });
    }
    if (metric.descriptor.unit !== definition.unit) {
      report({
        ...site,
        rule: 'metric-unit',
        detail: `${name} must have unit "${definition.unit}", got "${metric.descriptor.unit}"`,
      });
    }
    checkBuckets(definition, metric, (detail) => report({ ...site, rule: 'bucket-boundaries', detail }));
  }
  for (const point of metric.dataPoints) {
    checkAttributes(index, site, point.attributes, report);
    if (definition === undefined) continue;
    for (const missing of missingRequired(definition.attributes, point.attributes)) {
      report({
        ...site,
        rule: 'missing-required',
        detail: `${missing} is required on every data point of ${name}`,
      });
    }
  }
}

/** The instrument a metric's data shows: `histogram`, `counter`, `updowncounter` or `gauge`. */
function instrumentOf(metric: MetricData): string {
  switch (metric.dataPointType as number) {
    case HISTOGRAM:
      return 'histogram';
    case EXPONENTIAL_HISTOGRAM:
      return 'exponential histogram';
    case GAUGE:
      return 'gauge';
    case SUM:
      return (metric as { isMonotonic?: boolean }).isMonotonic ? 'counter' : 'updowncounter';
    default:
      return `data point type ${metric.dataPointType}`;
  }
}

function sameInstrument(expected: MetricDefinition['instrument'], actual: string): boolean {
  // An exponential histogram is a histogram aggregated by a view the application chose.
  return expected === actual || (expected === 'histogram' && actual === 'exponential histogram');
}

/** Reports once per metric when an explicit-bucket histogram's boundaries are not the advice. */
function checkBuckets(
  definition: MetricDefinition,
  metric: MetricData,
  report: (detail: string) => void,
): void {
  const advice = definition.bucket_advice;
  if (advice === null || (metric.dataPointType as number) !== HISTOGRAM) return;
  for (const point of metric.dataPoints) {
    const boundaries = (point.value as { buckets?: { boundaries?: readonly number[] } }).buckets?.boundaries;
    if (boundaries === undefined) continue;
    if (boundaries.length !== advice.length || boundaries.some((bound, i) => bound !== advice[i])) {
      report(
        `${metric.descriptor.name} buckets must be [${advice.join(', ')}], got [${boundaries.join(', ')}]`,
      );
      return;
    }
  }
}
